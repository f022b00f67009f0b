// Secret inputs of the wrong type through the real Pulumi CLI: the engine prints a check failure as
// "property <p> value <v> has a problem" and would print a CAK, key material or PSK given as a number or an
// object in plaintext. The preview must fail naming the field, with none of the values in the CLI's output, and a
// 1 MB input must give a bounded message.
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLES_DIR, openStack, type OpenedStack } from "../../scripts/engine";
import { E2E, E2E_ACCOUNT, expectNoSecrets, startE2E, stopE2E } from "./support";

jest.setTimeout(300_000);

// Distinctive numbers, so that finding their digits in the output can only mean a leak.
const CAK = 7182736455463728;
const KEY_MATERIAL = 6617283945512233;
const PSK = { secretPart: 5566778899001122 };
const HUGE = "k".repeat(1_000_000);

let e2e: E2E;

/** The package as a user's project has it (installed into examples/ by startE2E). */
const keylink = () => require(path.join(EXAMPLES_DIR, "node_modules", "pulumi-keylink"));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (v: unknown) => v as any;

beforeAll(async () => {
  e2e = await startE2E({
    example: "demo",
    fixtures: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, "fixtures", "demo.json"), "utf8")),
  });
});

afterAll(async () => {
  await stopE2E(e2e);
});

/**
 * Previews a program of one resource on a stack of its own (the engine stops a preview at its first check
 * failure). Values of the wrong type cannot come from stack config (always strings): the program gives them.
 */
async function previewOf(stackName: string, program: () => void): Promise<string[]> {
  const opened: OpenedStack = await openStack({
    example: "demo",
    stackName,
    workDir: path.join(e2e.workDir, stackName),
    emulatorUrl: e2e.emulator.url,
    config: {
      "keylink:alibabaAccessKeyId": { value: E2E_ACCOUNT.accessKeyId },
      "keylink:alibabaAccessKeySecret": { value: E2E_ACCOUNT.secret, secret: true },
      "keylink:tencentSecretId": { value: E2E_ACCOUNT.accessKeyId },
      "keylink:tencentSecretKey": { value: E2E_ACCOUNT.secret, secret: true },
    },
    program: async () => {
      program();
      return {};
    },
  });
  const output: string[] = [];
  let failed = false;
  try {
    await opened.stack.preview({ onOutput: (s) => output.push(s) });
  } catch (e) {
    failed = true;
    output.push(String((e as Error).message));
  }
  expect(failed).toBe(true);
  return output;
}

// The engine prints numbers in Go's form (7.182736455463728e+15): search for both forms.
const SECRETS = [CAK, KEY_MATERIAL, PSK.secretPart].flatMap((n) => [String(n), n.toExponential()]);

/** No failure on a secret input may carry its value: the engine prints it as "property <p> value {...}". */
function expectNoSecretValues(out: string[]): void {
  expectNoSecrets(out, SECRETS);
  const text = out.join("\n");
  expect(text).not.toMatch(/property (cak|keyMaterial|presharedKeys) value/);
  // A nested property is not a top-level input: the engine finds no value to print for it.
  for (const m of text.matchAll(/property ikeConfig\.psk value (\S+)/g)) expect(m[1]).toBe("{<nil>}");
}

it("a CAK given as a number fails naming cak, without its value", async () => {
  const out = await previewOf("cak-number", () => {
    new (keylink().MacsecKeyAssociation)("mac", {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-XPN-256",
      ckn: "A".repeat(64),
      cak: untyped(CAK),
    });
  });
  expect(out.join("\n")).toMatch(/cak: /);
  expectNoSecretValues(out);
});

it("key material given as a number fails naming keyMaterial, without its value", async () => {
  const out = await previewOf("material-number", () => {
    new (keylink().ImportedKeyMaterial)("byok", {
      region: "cn-hangzhou",
      keyId: "key-byok-demo-0001",
      keyMaterial: untyped(KEY_MATERIAL),
    });
  });
  expect(out.join("\n")).toMatch(/keyMaterial: /);
  expectNoSecretValues(out);
});

it("a PSK given as an object fails naming ikeConfig.psk, without its value", async () => {
  const out = await previewOf("psk-object", () => {
    new (keylink().VpnConnectionConfig)("vpn", {
      region: "cn-hangzhou",
      vpnConnectionId: "vco-demo0001",
      ikeConfig: { psk: untyped(PSK) },
    });
  });
  expect(out.join("\n")).toMatch(/ikeConfig\.psk: /);
  expectNoSecretValues(out);
});

it("a 1 MB input gives a bounded message", async () => {
  const out = await previewOf("huge-value", () => {
    new (keylink().Cmk)("huge", { region: "ap-guangzhou", alias: "ok-alias", type: HUGE });
  });
  const text = out.join("\n");
  expect(text).toMatch(/type: /);
  expect(text).not.toContain("k".repeat(1000));
  expect(text.length).toBeLessThan(100_000);
  // Nothing was written to the emulator by any of these previews.
  expect(
    (await e2e.emulator.admin.requests()).entries.filter((r) => !/^(Describe|List|Get)/.test(r.action)),
  ).toEqual([]);
});
