// The end-to-end lifecycle of the example stack (all five resources) of one Pulumi language through
// pulumi-resource-keylink, run by `pulumi up` on a copy of its project (examples/yaml, examples/python; see
// scripts/engine.ts), with the emulator started here: create, a no-change preview, drift found on the right field
// and repaired, an in-place update, invalid input failing preview with no cloud call, destroy; and no secret in
// state or CLI output.
// The cases run in order on one stack, each from the stack the previous one left.
import { demoFixturesOwnedBy } from "../support/fixtures";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { alibabaClient } from "../../src/clouds/alibaba";
import { tencentClient } from "../../src/clouds/tencent";
import { startEmulator } from "../../src/emulator";
import { EXAMPLES_DIR, type ProjectStack, REPO_ROOT, languageTools, openProject } from "../../scripts/engine";
import { expectNoSecrets } from "../support/secrets";
import { credentialsConfig, useAccountInProcess } from "../support/accounts";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const ACCOUNT = {
  accessKeyId: "AKIDkeylinkYaml",
  secret: "yamlAccessSecret-9Tz4Kp7Qw",
  account: "2100000002",
};
const CKN = "5A".repeat(32);
const CAK = "C4".repeat(30) + "E7F1";
const PSK = "lifecyclePsk-Bq84mZr2";
const KEY_MATERIAL = Buffer.from("keylink-e2e-plugin-key-material!").toString("base64");
const SECRETS = [CAK, PSK, KEY_MATERIAL, ACCOUNT.secret];

/** Defines the suite's tests for the example of `language`. */
export function lifecycleSuite(language: "yaml" | "python"): void {
  jest.setTimeout(900_000);

  let emu: Emulator;
  let vpnBefore: unknown;
  let project: ProjectStack;
  let workDir: string;
  /** Everything the CLI printed, for secret searches. */
  const output: string[] = [];
  const saved = { ...process.env };

  interface Outputs {
    appKeyId: string;
    appKeyDescription: string;
    macsecStatus: string;
    byokKeyState: string;
    replicaTrn: string;
    vpnState: string;
  }

  async function outputs(): Promise<Outputs> {
    return JSON.parse((await project.check(["stack", "output", "--json"])).stdout) as Outputs;
  }

  async function writes(): Promise<string[]> {
    const report = await emu.admin.requests();
    return report.entries.map((e) => e.action).filter((a) => !/^(Describe|List|Get|Query)/.test(a));
  }

  /** The IPsec connection's settings that the stack manages, as the cloud shows them. */
  async function vpnSettings(): Promise<unknown> {
    const c = await alibabaClient("vpc", "cn-hangzhou").call<Record<string, unknown>>(
      "DescribeVpnConnection",
      {
        VpnConnectionId: "vco-demo0001",
      },
    );
    return { ike: c.IkeConfig, ipsec: c.IpsecConfig, dpd: c.EnableDpd };
  }

  async function describeKey(keyId: string): Promise<{ Description: string; KeyState: string }> {
    const r = await tencentClient("ap-guangzhou").call<{
      KeyMetadata: { Description: string; KeyState: string };
    }>("DescribeKey", { KeyId: keyId });
    return r.KeyMetadata;
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "plugin", "main.js"))) {
      throw new Error("dist/ is missing: run 'npm run build' first");
    }
    emu = await startEmulator({
      port: 0,
      fixtures: demoFixturesOwnedBy(ACCOUNT),
      durations: { vpnGatewayUpdate: 300, macsecTransition: 200, replicaCreate: 200 },
    });
    // Our own client (out-of-band changes) talks to the same emulator as the same account.
    useAccountInProcess(emu.url, ACCOUNT);
    vpnBefore = await vpnSettings();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), `keylink-${language}-`));
    project = await openProject({
      projectDir: path.join(EXAMPLES_DIR, language),
      stackName: "e2e",
      workDir,
      emulatorUrl: emu.url,
      tools: languageTools(language),
      isolated: true,
      onOutput: (s) => output.push(s),
      config: {
        ...credentialsConfig(ACCOUNT),
        ckn: { value: CKN },
        cak: { value: CAK, secret: true },
        psk: { value: PSK, secret: true },
        keyMaterial: { value: KEY_MATERIAL, secret: true },
      },
    });
  });

  afterAll(async () => {
    process.env = saved;
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    await emu?.close();
  });

  test("pulumi up creates all five resources, with the dynamic resources' ids", async () => {
    await project.check(["up", "--yes", "--skip-preview=false"]);
    const out = await outputs();
    expect(out).toMatchObject({
      macsecStatus: "Associated",
      byokKeyState: "Enabled",
      appKeyDescription: "Encrypts application data",
      vpnState: "active",
    });
    expect(out.replicaTrn).toContain("cn-shanghai");
    const state = JSON.parse((await project.check(["stack", "export"])).stdout);
    const ids = Object.fromEntries(
      (state.deployment.resources as Array<{ type: string; id?: string }>)
        .filter((r) => r.type.startsWith("keylink:") && !r.type.startsWith("pulumi:providers"))
        .map((r) => [r.type, r.id]),
    );
    expect(ids).toEqual({
      "keylink:alibaba:MacsecKeyAssociation": `cn-hangzhou:pc-demo0001:${CKN}`,
      "keylink:alibaba:VpnConnectionConfig": "cn-hangzhou:vco-demo0001",
      "keylink:alibaba:ImportedKeyMaterial": "cn-hangzhou:key-byok-demo-0001",
      "keylink:volcengine:ReplicaKey": expect.stringMatching(/^cn-shanghai:/),
      "keylink:tencent:Cmk": `ap-guangzhou:${out.appKeyId}`,
    });
  });

  test("a preview with no change expects no changes and makes no cloud write", async () => {
    await emu.admin.clearRequests();
    await project.check(["preview", "--expect-no-changes"]);
    expect(await writes()).toEqual([]);
  });

  test("an out-of-band change is found on its field by a refreshing preview, and repaired by up --refresh", async () => {
    const { appKeyId } = await outputs();
    await tencentClient("ap-guangzhou").call("UpdateKeyDescription", {
      KeyId: appKeyId,
      Description: "changed by hand",
    });
    const found = await project.cli(["preview", "--refresh", "--expect-no-changes", "--diff"]);
    expect(found.code).not.toBe(0);
    expect(found.stdout).toMatch(
      /~ keylink:tencent:Cmk: \(update\)[\s\S]*~ description\s*: "changed by hand" => "Encrypts application data"/,
    );
    await project.check(["up", "--refresh", "--yes"]);
    expect((await describeKey(appKeyId)).Description).toBe("Encrypts application data");
    await project.check(["preview", "--refresh", "--expect-no-changes"]);
  });

  test("a changed description is updated in place: same key, new description", async () => {
    const before = await outputs();
    await project.setConfig("appKeyDescription", { value: "Encrypts orders" });
    const up = (await project.check(["up", "--yes", "--diff"])).stdout;
    expect(up).toMatch(/~ keylink:tencent:Cmk: \(update\)/);
    expect(up).not.toMatch(/replace/);
    const after = await outputs();
    expect(after.appKeyId).toBe(before.appKeyId);
    expect((await describeKey(after.appKeyId)).Description).toBe("Encrypts orders");
  });

  test("a changed key usage replaces the key in the order the rule chooses: the old key is deleted first (its alias is kept)", async () => {
    const before = await outputs();
    await project.setConfig("appKeyUsage", { value: "ASYMMETRIC_DECRYPT_RSA_2048" });
    await emu.admin.clearRequests();
    const up = (await project.check(["up", "--yes"])).stdout;
    expect(up).toMatch(/appKey\s+replaced/);
    const actions = (await emu.admin.requests()).entries.map((e) => e.action);
    expect(actions.indexOf("ScheduleKeyDeletion")).toBeGreaterThanOrEqual(0);
    expect(actions.indexOf("ScheduleKeyDeletion")).toBeLessThan(actions.indexOf("CreateKey"));
    const after = await outputs();
    expect(after.appKeyId).not.toBe(before.appKeyId);
    expect((await describeKey(before.appKeyId)).KeyState).toBe("PendingDelete");
  });

  test("invalid input fails the preview naming the field, before any cloud call", async () => {
    await project.setConfig("ckn", { value: "not-hex" });
    await emu.admin.clearRequests();
    const r = await project.cli(["preview"]);
    await project.setConfig("ckn", { value: CKN });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("ckn: the key name (CKN) must contain hexadecimal characters only");
    expect(await writes()).toEqual([]);
  });

  test("no secret in the state export or in anything the CLI printed", async () => {
    const exported = (await project.check(["stack", "export"])).stdout;
    expect(exported).toContain("ciphertext");
    expectNoSecrets([exported, ...output], SECRETS);
  });

  test("pulumi destroy removes what the stack made and restores the VPN connection", async () => {
    const { appKeyId } = await outputs();
    await project.check(["destroy", "--yes"]);
    expect((await describeKey(appKeyId)).KeyState).toBe("PendingDelete");
    expect(vpnBefore).toMatchObject({ ike: expect.anything(), ipsec: expect.anything() });
    expect(await vpnSettings()).toEqual(vpnBefore);
    const inventory = JSON.stringify(await emu.admin.inventory());
    expect(inventory).not.toContain(CKN);
    expectNoSecrets(output, SECRETS);
  });
}
