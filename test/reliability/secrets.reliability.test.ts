// CAKs, PSKs, key material and the account's access secret never appear in plaintext: not in the state (as the
// CLI exports it, nor anywhere in the backend's files: checkpoints, history, backups, stack config), not in the
// CLI's output (also at --verbose 3 --logtostderr --logflow --debug), not in error messages (invalid inputs,
// a cloud that echoes the secret back in its error), and not in the emulator's request log, inventory or
// stdout/stderr, the emulator running as its bin (`keylink-emulator`, src/emulator/cli.ts through ts-node).
import * as fs from "node:fs";
import * as path from "node:path";
import { exportState, expectNoSecrets } from "../support/e2e";
import {
  type DemoSecrets,
  type Rig,
  baseSeed,
  seededDemoSecrets,
  secretValues,
  startRig,
  stopRig,
} from "../support/reliability/harness";

jest.setTimeout(240_000);

const SEED = baseSeed(20251126);
/** The second set of secrets the suite rotates to (and has the cloud echo back). */
const ROTATED = seededDemoSecrets(SEED + 1);

let rig: Rig;
/** Everything the CLI printed (stdout and stderr) and every error message, to search at the end. */
const texts: string[] = [];

/** Every form a leaked secret could take: as configured, upper/lower case, the material as hex too. */
function forms(s: DemoSecrets): string[] {
  return [...secretValues(s), Buffer.from(s.keyMaterial, "base64").toString("hex")];
}

function allSecrets(): string[] {
  return [...forms(rig.secrets), ...forms(ROTATED)];
}

const capture = { onOutput: (s: string) => texts.push(s), onError: (s: string) => texts.push(s) };

/** Every text file under `dir` (the backend's checkpoints, history and backups; Pulumi.yaml and stack config). */
function filesUnder(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Installed plugins are binaries, and the emulator's folder is the cloud's side (see harness.ts).
      if (entry.name !== "plugins" && entry.name !== "emulator") out.push(...filesUnder(p));
    } else if (entry.isFile() && fs.statSync(p).size < 16 * 1024 * 1024) {
      out.push({ file: p, text: fs.readFileSync(p, "utf8") });
    }
  }
  return out;
}

async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const text = String((e as Error).message);
    texts.push(text);
    return text;
  }
  throw new Error("expected the operation to fail");
}

beforeAll(async () => {
  rig = await startRig({ seed: SEED, bin: true });
});

afterAll(async () => {
  await stopRig(rig);
});

describe(`secrets stay secret (seed ${SEED})`, () => {
  it("up at --verbose 3 --logtostderr --logflow --debug prints no secret", async () => {
    const up = await rig.stack.up({
      ...capture,
      logVerbosity: 3,
      logToStdErr: true,
      logFlow: true,
      debug: true,
    });
    texts.push(up.stdout, up.stderr);
    expect(up.summary.result).toBe("succeeded");
    // The verbose run did log: the search below covers real engine and provider logs.
    expect(up.stderr.length).toBeGreaterThan(1000);
    expectNoSecrets(texts, allSecrets());
  });

  it("state as the CLI exports it, and every file of the backend, hold no secret", async () => {
    const exported = await exportState(rig);
    expect(exported).toContain("ciphertext");
    const files = filesUnder(rig.workDir);
    expect(files.some((f) => f.file.includes(`${path.sep}.pulumi${path.sep}stacks${path.sep}`))).toBe(true);
    expectNoSecrets([exported], allSecrets());
    for (const f of files) {
      try {
        expectNoSecrets([f.text], allSecrets());
      } catch (e) {
        throw new Error(`${path.relative(rig.workDir, f.file)}: ${(e as Error).message}`);
      }
    }
  });

  // The engine stops a preview at its first failing check, so one invalid secret per preview.
  it.each([
    ["demo:cak", "C0FFEE".repeat(5), /cak: must be 64 hex characters/],
    ["demo:psk1", "has space and ünïcode", /ikeConfig\.psk: must be 1 to 100 characters/],
    ["demo:keyMaterial", Buffer.alloc(20, 9).toString("base64"), /keyMaterial: decodes to 20 bytes/],
  ])("an invalid %s fails the preview naming the field, without its value", async (key, value, expected) => {
    await rig.stack.setConfig(key, { value, secret: true });
    const message = await failureOf(rig.stack.preview(capture));
    await rig.stack.setConfig(key, {
      value: String(rig.secrets[key.slice(5) as keyof DemoSecrets]),
      secret: true,
    });
    expect(message).toMatch(expected);
    expectNoSecrets([message, ...texts], [value, ...allSecrets()]);
  });

  it("errors in which the cloud echoes a secret back show it masked", async () => {
    // Rotated secrets: the MACsec key set is replaced and the PSK changed, and the cloud refuses both with its
    // message quoting the secret; the material check reads a key whose error quotes the material.
    await rig.stack.setAllConfig({
      "demo:ckn": { value: ROTATED.ckn },
      "demo:cak": { value: ROTATED.cak, secret: true },
      "demo:psk1": { value: ROTATED.psk1, secret: true },
      "demo:keyMaterial": { value: rig.secrets.keyMaterial, secret: true },
    });
    const admin = rig.emulator.admin;
    await admin.injectFault({
      action: "AssociateMacSecKey",
      code: "IllegalParam.Cak",
      message: `The CAK ${ROTATED.cak} is not accepted (${ROTATED.cak.toLowerCase()}).`,
    });
    await admin.injectFault({
      action: "ModifyVpnConnectionAttribute",
      code: "InvalidIkeConfig.Psk",
      message: `The IkeConfig {"Psk":"${ROTATED.psk1}"} is malformed.`,
    });
    await admin.injectFault({
      cloud: "alibaba",
      action: "DescribeKey",
      code: "Forbidden.KeyMaterial",
      message: `Key material ${rig.secrets.keyMaterial} cannot be read.`,
      count: 1,
    });
    const message = await failureOf(rig.stack.up(capture));
    await admin.clearFaults();
    // The errors kept the cloud's codes, with the secret masked.
    expect(message).toMatch(/IllegalParam\.Cak|InvalidIkeConfig\.Psk|Forbidden\.KeyMaterial/);
    expect(message).toContain("[secret]");
    expectNoSecrets([message, ...texts], allSecrets());
  });

  it("destroy prints no secret; nor do the emulator's request log, inventory and output", async () => {
    await rig.stack.setAllConfig({
      "demo:ckn": { value: rig.secrets.ckn },
      "demo:cak": { value: rig.secrets.cak, secret: true },
      "demo:psk1": { value: rig.secrets.psk1, secret: true },
    });
    const destroy = await rig.stack.destroy(capture);
    texts.push(destroy.stdout, destroy.stderr);
    expectNoSecrets(texts, allSecrets());

    const requests = JSON.stringify(await rig.emulator.admin.requests());
    const inventory = JSON.stringify(await rig.emulator.admin.inventory());
    const bin = rig.bin!;
    // The bin logged every call it answered (one line each): its output is real, and clean.
    expect(bin.stdout.join("").split("\n").length).toBeGreaterThan(50);
    expectNoSecrets([requests, inventory, bin.stdout.join(""), bin.stderr.join("")], allSecrets());
  });
});
