// keylink-drift (the drift report for CI) through the real Pulumi CLI on the demo stack (all five resource
// types): no drift after a fresh up (exit 0); a change made by hand to each type, found with its field named in
// text, JSON and Markdown (exit 1), while the state stays as it was; a PSK changed by hand reported as a secret
// field without any value; repaired by up --refresh (exit 0 again); an unreachable cloud exits 2 with the reason.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { alibabaClient } from "../../src/clouds/alibaba";
import { waitFor } from "../../src/clouds/retry";
import { tencentClient } from "../../src/clouds/tencent";
import { volcengineClient } from "../../src/clouds/volcengine";
import { demoFixturesOwnedBy } from "../support/fixtures";
import { demoConfig, demoSecrets } from "../support/demo";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

const HANGZHOU = "cn-hangzhou";
const PC = "pc-demo0001";
const GATEWAY = "vpn-demo0001";
const BYOK_KEY = "key-byok-demo-0001";

const DEMO = demoSecrets();
const HAND_PSK = `handPsk-${randomBytes(8).toString("hex")}`;
const SECRETS = [E2E_ACCOUNT.secret, DEMO.cak, DEMO.psk1, DEMO.psk2, DEMO.keyMaterial, HAND_PSK];

/** The demo's fixtures owned by the E2E account. */
const fixtures = () => demoFixturesOwnedBy(E2E_ACCOUNT);

let e2e: E2ESuite;
/** Every output of keylink-drift in this suite, searched for secrets at the end. */
const driftOutput: string[] = [];

interface DriftRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npx keylink-drift --stack e2e` as a user's CI job does in their project: in the project copy (whose
 * node_modules holds the packed package, so npx finds its bin there) with the stack's environment (backend,
 * PULUMI_HOME, passphrase, the Pulumi CLI on PATH). npm's yes=false and offline keep npx from installing or
 * looking anything up when the bin is missing (npx's own `--no` flag would eat the command's options). The one
 * place that says how the command is run.
 */
function drift(...args: string[]): Promise<DriftRun> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["keylink-drift", "--stack", "e2e", ...args],
      {
        cwd: e2e.stack.projectDir,
        env: { ...process.env, ...e2e.stack.env, npm_config_yes: "false", npm_config_offline: "true" },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        driftOutput.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface JsonReport {
  stack: string;
  status: string;
  checked: number;
  resources: Array<{
    type: string;
    name: string;
    status: string;
    fields: Array<{ path: string; kind: string; old: unknown; live: unknown; secret: boolean }>;
  }>;
  errors: string[];
}

const vpc = () => alibabaClient("vpc", HANGZHOU);

/** A VPN connection change made by hand, when the gateway takes one; waits until it applied. */
async function changeVpnByHand(params: Record<string, unknown>): Promise<void> {
  const active = () =>
    waitFor(
      () => vpc().call<{ Status: string }>("DescribeVpnGateway", { VpnGatewayId: GATEWAY }),
      (g) => g.Status === "active",
      (g) => g.Status,
      { description: `${GATEWAY} active`, timeoutMs: 30_000, intervalMs: 100, maxIntervalMs: 200 },
    );
  await active();
  await vpc().call("ModifyVpnConnectionAttribute", params);
  await active();
}

type Inventory = {
  alibabaVpc: {
    physicalConnections: Array<{ physicalConnectionId: string; macsecKeys: Array<{ status: string }> }>;
  };
};

async function macsecSettled(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const inv = await e2e.emulator.admin.inventory<Inventory>();
    const pc = inv.alibabaVpc.physicalConnections.find((c) => c.physicalConnectionId === PC);
    if (pc && !pc.macsecKeys.some((k) => k.status.endsWith("ing"))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the MACsec keys of ${PC} did not settle`);
}

/** The stored resources (inputs and outputs, secrets encrypted), to prove the check writes no state. */
async function storedResources(): Promise<unknown> {
  const resources = (JSON.parse(await e2e.exportState()) as { deployment: { resources: unknown[] } })
    .deployment.resources;
  return resources;
}

beforeAll(async () => {
  e2e = await startE2E({
    example: "demo",
    fixtures: fixtures(),
    config: {
      ...demoConfig(DEMO),
    },
  });
  const up = await e2e.stack.up({ onOutput: e2e.onOutput });
  expect(up.summary.resourceChanges).toMatchObject({ create: 7 });
});

afterAll(async () => {
  await e2e?.stop();
});

describe("keylink-drift, in order: each case starts from the stack the previous one left", () => {
  it("reports no drift after a fresh up, and exits 0", async () => {
    const text = await drift();
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toBe("No drift in stack e2e: 6 resources match the cloud.\n");
    const json = await drift("--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      stack: "e2e",
      project: "keylink-demo",
      status: "no-drift",
      checked: 6,
      resources: [],
      errors: [],
    });
    const md = await drift("--markdown");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("No drift: 6 resources match the cloud.");
  });

  it("finds a change made by hand on each resource type, naming the field, without writing the state", async () => {
    const exported = await e2e.exportState();
    const cmkKeyId = resourcesOfType(exported, "Cmk")[0].id!.split(":").pop()!;
    await tencentClient("ap-guangzhou").call("UpdateKeyDescription", {
      KeyId: cmkKeyId,
      Description: "changed by hand",
    });
    await volcengineClient("cn-shanghai").call(
      "UpdateKey",
      { KeyringName: "orders", KeyName: "mrk-orders", Description: "replica changed by hand" },
      { method: "POST" },
    );
    await changeVpnByHand({
      VpnConnectionId: "vco-demo0001",
      IkeConfig: JSON.stringify({ IkeLifetime: 7200 }),
    });
    await vpc().call("DisassociateMacSecKey", { PhysicalConnectionId: PC, Ckn: DEMO.ckn });
    await macsecSettled();
    await alibabaClient("kms", HANGZHOU).call("DeleteKeyMaterial", { KeyId: BYOK_KEY });
    const before = await storedResources();

    const json = await drift("--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report).toMatchObject({ stack: "e2e", status: "drift", checked: 6, errors: [] });
    const byName = Object.fromEntries(report.resources.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual([
      "app-data-key",
      "branch-1-ipsec",
      "byok-material",
      "dc1-uplink-key",
      "orders-replica",
    ]);
    const field = (name: string, p: string) => byName[name].fields.find((f) => f.path === p);
    expect(byName["app-data-key"].type).toBe("Cmk");
    expect(field("app-data-key", "description")).toMatchObject({
      old: "Encrypts application data",
      live: "changed by hand",
      secret: false,
    });
    expect(field("orders-replica", "description")).toMatchObject({
      old: "Orders key, Shanghai replica",
      live: "replica changed by hand",
    });
    expect(field("branch-1-ipsec", "ikeConfig.ikeLifetime")).toMatchObject({ old: 28800, live: 7200 });
    expect(field("byok-material", "keyState")).toMatchObject({ old: "Enabled", live: "PendingImport" });
    expect(field("dc1-uplink-key", "status")).toMatchObject({ old: "Associated", live: "Disassociated" });

    const text = await drift();
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Drift in stack e2e: 5 of 6 resources differ from the cloud\.\n/);
    expect(text.stdout).toContain("Cmk app-data-key");
    expect(text.stdout).toContain('  description: "Encrypts application data" → "changed by hand"\n');
    expect(text.stdout).toContain("  ikeConfig.ikeLifetime: 28800 → 7200\n");
    expect(text.stdout).toContain('  keyState: "Enabled" → "PendingImport"\n');

    const md = await drift("--markdown");
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("| resource | type | field | state | cloud |");
    expect(md.stdout).toContain(
      '| `app-data-key` | Cmk | `description` | `"Encrypts application data"` | `"changed by hand"` |',
    );
    expect(md.stdout).toContain(
      "| `branch-1-ipsec` | VpnConnectionConfig | `ikeConfig.ikeLifetime` | `28800` | `7200` |",
    );

    // The check refreshed nothing: the state is as it was.
    expect(await storedResources()).toEqual(before);
  });

  it("reports a PSK changed by hand as a secret field, never its value", async () => {
    await changeVpnByHand({ VpnConnectionId: "vco-demo0002", IkeConfig: JSON.stringify({ Psk: HAND_PSK }) });
    const json = await drift("--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    const branch2 = report.resources.find((r) => r.name === "branch-2-ipsec");
    expect(branch2?.fields.length).toBeGreaterThan(0);
    expect(branch2?.fields.every((f) => f.secret && f.old === "[secret]" && f.live === "[secret]")).toBe(
      true,
    );
    const text = await drift();
    expect(text.stdout).toMatch(
      /VpnConnectionConfig branch-2-ipsec[^\n]*\n {2}\S+: "\[secret\]" → "\[secret\]" \(secret, changed\)/,
    );
    await drift("--markdown");
    expectNoSecrets(driftOutput, SECRETS);
  });

  it("reports no drift once up --refresh repaired every change", async () => {
    await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    const text = await drift();
    expect(text).toMatchObject({ code: 0, stdout: "No drift in stack e2e: 6 resources match the cloud.\n" });
  });

  it("exits 2 with the reason on stderr when the cloud cannot be reached", async () => {
    await e2e.emulator.close();
    const text = await drift();
    expect(text.code).toBe(2);
    expect(text.stdout).toBe("");
    expect(text.stderr).toMatch(/^Drift check of stack e2e could not be completed:/);
    expect(text.stderr).toContain("ECONNREFUSED");
    const json = await drift("--json");
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "not-checked", resources: [] });
    expect(json.stderr).toContain("ECONNREFUSED");
    expectNoSecrets(driftOutput, SECRETS);
  });
});
