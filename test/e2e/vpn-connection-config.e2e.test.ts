// VpnConnectionConfig through the real Pulumi CLI, on six IPsec connections made outside Pulumi: four on one VPN
// gateway (single-tunnel, dual-tunnel with BGP, two branches) and two on a second gateway. Adoption records the
// original settings (secret); no-change preview; drift (IKE lifetime, a tunnel's PSK) found and repaired; an
// in-place change sends only that block; single-tunnel settings on a dual-tunnel connection and a bad BGP tunnel
// block fail at preview; one change at a time per gateway while different gateways change in parallel; delete
// leaves a connection as it is, or restores it with restoreOnDelete; no PSK or credential in state or output.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { alibabaClient } from "../../src/clouds/alibaba";
import { waitFor } from "../../src/clouds/retry";
import type { LogEntry } from "../../src/emulator";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

const REGION = "cn-hangzhou";
// Long enough that a change on one gateway is still being applied when the other gateway's first change
// arrives, and that changes serialised by a lock are always at least this far apart.
const GATEWAY_UPDATE_MS = 1000;
const GW_A = "vpn-e2egwa01";
const GW_B = "vpn-e2egwb01";
const SINGLE = "vco-e2esingle01";
const DUAL = "vco-e2edual01";
const MASTER_TUNNEL = "tun-e2emaster01";
const SLAVE_TUNNEL = "tun-e2eslave01";
const BRANCHES_A = ["vco-e2ebranch01", "vco-e2ebranch02"];
const BRANCHES_B = ["vco-e2ebranch03", "vco-e2ebranch04"];
const BRANCHES = [...BRANCHES_A, ...BRANCHES_B];

/** PSKs the connections had before Pulumi (fixtures), the ones in stack config, and one set out of band. */
const FIXTURE_PSK = {
  single: "fixturePsk-single-Lq3W",
  master: "fixturePsk-master-Zt8R",
  slave: "fixturePsk-slave-Hc5N",
  ...Object.fromEntries(BRANCHES.map((id, i) => [id, `fixturePsk-branch${i + 1}-Vd2K`])),
} as Record<string, string>;
const CONFIG_PSK = {
  single: "cfgPsk-hq-9Xk2#pQ",
  master: "cfgPsk-master-4Tb7",
  slave: "cfgPsk-slave-8Mw1",
  ...Object.fromEntries(BRANCHES.map((id, i) => [id, `cfgPsk-branch${i + 1}-Rj6Y`])),
} as Record<string, string>;
const OOB_PSK = "oobPsk-master-3Fq8";
const ALL_PSKS = [...Object.values(FIXTURE_PSK), ...Object.values(CONFIG_PSK), OOB_PSK];

const branchFixture = (vpnConnectionId: string, vpnGatewayId: string) => ({
  vpnConnectionId,
  vpnGatewayId,
  name: vpnConnectionId,
  ikeConfig: { psk: FIXTURE_PSK[vpnConnectionId] },
});

const FIXTURES = {
  alibabaVpc: {
    vpnGateways: [
      { vpnGatewayId: GW_A, regionId: REGION, account: E2E_ACCOUNT.account, name: "hq-gateway" },
      { vpnGatewayId: GW_B, regionId: REGION, account: E2E_ACCOUNT.account, name: "branch-gateway" },
    ],
    vpnConnections: [
      { vpnConnectionId: SINGLE, vpnGatewayId: GW_A, name: "hq", ikeConfig: { psk: FIXTURE_PSK.single } },
      {
        vpnConnectionId: DUAL,
        vpnGatewayId: GW_A,
        name: "dc",
        tunnels: [
          { tunnelId: MASTER_TUNNEL, role: "master", ikeConfig: { psk: FIXTURE_PSK.master } },
          { tunnelId: SLAVE_TUNNEL, role: "slave", ikeConfig: { psk: FIXTURE_PSK.slave } },
        ],
      },
      ...BRANCHES_A.map((id) => branchFixture(id, GW_A)),
      ...BRANCHES_B.map((id) => branchFixture(id, GW_B)),
    ],
  },
};

interface InventoryGateway {
  vpnGatewayId: string;
  status: string;
  changesAccepted: number;
  conflictsRejected: number;
  maxInFlight: number;
}
interface InventoryConnection {
  vpnConnectionId: string;
  ikeConfig: Record<string, unknown>;
  ipsecConfig: Record<string, unknown>;
  tunnels?: Array<{
    tunnelId: string;
    role: string;
    ikeConfig: Record<string, unknown>;
    bgpConfig: Record<string, unknown>;
  }>;
}
type Inventory = { alibabaVpc: { vpnGateways: InventoryGateway[]; vpnConnections: InventoryConnection[] } };

/** A DescribeVpnConnection answer, the parts the tests read (PSKs included: they stay in this process). */
interface Described {
  IkeConfig?: { Psk: string; IkeLifetime: number | string; IkeEncAlg: string };
  IpsecConfig?: { IpsecLifetime: number | string };
  EnableTunnelsBgp?: boolean;
  TunnelOptionsSpecification?: {
    TunnelOptions: Array<{
      TunnelId: string;
      Role: string;
      TunnelIkeConfig: { Psk: string; IkeLifetime: number | string; IkeEncAlg: string };
      TunnelBgpConfig: { TunnelCidr: string; LocalBgpIp: string };
    }>;
  };
}

let e2e: E2ESuite;
let proxy: RecordingProxy;

const vpc = () => alibabaClient("vpc", REGION);

function describeConnection(vpnConnectionId: string): Promise<Described> {
  return vpc().call<Described>("DescribeVpnConnection", { VpnConnectionId: vpnConnectionId });
}

async function tunnel(role: "master" | "slave") {
  const t = (await describeConnection(DUAL)).TunnelOptionsSpecification?.TunnelOptions.find(
    (x) => x.Role === role,
  );
  if (!t) throw new Error(`${DUAL} has no ${role} tunnel`);
  return t;
}

async function inventory(): Promise<Inventory["alibabaVpc"]> {
  return (await e2e.emulator.admin.inventory<Inventory>()).alibabaVpc;
}

async function gateway(id: string): Promise<InventoryGateway> {
  const gw = (await inventory()).vpnGateways.find((g) => g.vpnGatewayId === id);
  if (!gw) throw new Error(`no gateway ${id} in the emulator`);
  return gw;
}

async function connection(id: string): Promise<InventoryConnection> {
  const c = (await inventory()).vpnConnections.find((x) => x.vpnConnectionId === id);
  if (!c) throw new Error(`no connection ${id} in the emulator`);
  return c;
}

/** A change made outside Pulumi, through our real client, when the gateway takes one; waits until it applied. */
async function changeOutOfBand(vpnGatewayId: string, params: Record<string, unknown>): Promise<void> {
  const active = () =>
    waitFor(
      () => vpc().call<{ Status: string }>("DescribeVpnGateway", { VpnGatewayId: vpnGatewayId }),
      (g) => g.Status === "active",
      (g) => g.Status,
      { description: `${vpnGatewayId} active`, timeoutMs: 30_000, intervalMs: 100, maxIntervalMs: 200 },
    );
  await active();
  await vpc().call("ModifyVpnConnectionAttribute", params);
  await active();
}

/** One output of one resource, decrypted (`pulumi stack export --show-secrets`). */
async function decryptedOutput(name: string, output: string): Promise<unknown> {
  const exported = await e2e.stack.exportDecrypted();
  const resources = (
    exported.deployment as { resources: Array<{ urn: string; outputs?: Record<string, unknown> }> }
  ).resources;
  const value = resources.find((r) => r.urn.endsWith(`::${name}`))?.outputs?.[output];
  // A secret shows as {<secret signature>: ..., plaintext: "<JSON>"}.
  const plaintext = (value as { plaintext?: string } | undefined)?.plaintext;
  if (plaintext === undefined) throw new Error(`${name}.${output} is not a secret in the state`);
  return JSON.parse(plaintext);
}

/** Successful ModifyVpnConnectionAttribute calls in the emulator's request log, per gateway. */
async function modifiesByGateway(): Promise<Record<string, LogEntry[]>> {
  const report = await e2e.emulator.admin.requests();
  const out: Record<string, LogEntry[]> = {};
  for (const e of report.entries)
    if (e.action === "ModifyVpnConnectionAttribute" && e.status === 200 && e.lockKey)
      (out[e.lockKey] ??= []).push(e);
  return out;
}

// ------------------------------------------------------------------------------------------------ proxy

/** Parameters of the requests the provider sent, seen by a pass-through proxy in front of the emulator. */
interface RecordingProxy {
  url: string;
  modifies: Array<Record<string, string>>;
  close(): Promise<void>;
}

function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const modifies: Array<Record<string, string>> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
        const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
        if (params.Action === "ModifyVpnConnectionAttribute") modifies.push(params);
      }
      const forward = http.request(
        new URL(req.url ?? "/", target),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        modifies,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A request's own parameters: without the RPC protocol's signing and envelope parameters. */
function ownParams(params: Record<string, string>): string[] {
  const envelope = new Set([
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "RegionId",
    "ClientToken",
  ]);
  return Object.keys(params)
    .filter((k) => !envelope.has(k))
    .sort();
}

// ------------------------------------------------------------------------------------------------ suite

beforeAll(async () => {
  e2e = await startE2E({
    example: "vpn-connection-config",
    fixtures: FIXTURES,
    durations: { vpnGatewayUpdate: GATEWAY_UPDATE_MS },
    config: {
      "example:singleTunnelConnectionId": { value: SINGLE },
      "example:psk": { value: CONFIG_PSK.single, secret: true },
      "example:dualTunnelConnectionId": { value: DUAL },
      "example:masterPsk": { value: CONFIG_PSK.master, secret: true },
      "example:slavePsk": { value: CONFIG_PSK.slave, secret: true },
      "example:branchConnectionIds": { value: JSON.stringify(BRANCHES) },
      "example:branchPsks": {
        value: JSON.stringify(Object.fromEntries(BRANCHES.map((id) => [id, CONFIG_PSK[id]]))),
        secret: true,
      },
    },
  });
  // The provider talks to the emulator through the proxy; our own client (env) talks to it directly.
  proxy = await startRecordingProxy(e2e.emulator.url);
  await e2e.stack.setConfig("keylink:emulatorUrl", { value: proxy.url });
});

afterAll(async () => {
  await proxy?.close();
  await e2e?.stop();
});

describe("VpnConnectionConfig end to end, in order: each case starts from the stack the previous one left", () => {
  it("adopts and configures six connections on up, one change at a time per gateway, gateways in parallel", async () => {
    await e2e.emulator.admin.clearRequests();
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ create: 7 });

    // The emulator shows the settings, and the connections hold the PSKs from stack config.
    const single = await connection(SINGLE);
    expect(single.ikeConfig).toMatchObject({ ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeLifetime: 28800 });
    expect(single.ipsecConfig).toMatchObject({ ipsecEncAlg: "aes256", ipsecLifetime: 3600 });
    const dual = await connection(DUAL);
    expect(dual.tunnels?.map((t) => [t.tunnelId, t.ikeConfig.ikeEncAlg, t.bgpConfig])).toEqual([
      [
        MASTER_TUNNEL,
        "aes256",
        { localAsn: 65010, tunnelCidr: "169.254.20.0/30", localBgpIp: "169.254.20.1" },
      ],
      [
        SLAVE_TUNNEL,
        "aes256",
        { localAsn: 65010, tunnelCidr: "169.254.21.0/30", localBgpIp: "169.254.21.1" },
      ],
    ]);
    expect((await describeConnection(DUAL)).EnableTunnelsBgp).toBe(true);
    expect((await describeConnection(SINGLE)).IkeConfig?.Psk).toBe(CONFIG_PSK.single);
    expect((await tunnel("master")).TunnelIkeConfig.Psk).toBe(CONFIG_PSK.master);
    expect((await tunnel("slave")).TunnelIkeConfig.Psk).toBe(CONFIG_PSK.slave);
    for (const id of BRANCHES) expect((await describeConnection(id)).IkeConfig?.Psk).toBe(CONFIG_PSK[id]);

    // Never two changes in flight on one gateway: the model saw no change arrive while another was applied,
    // and no two ModifyVpnConnectionAttribute calls on a gateway overlapped.
    expect(await gateway(GW_A)).toMatchObject({ changesAccepted: 4, maxInFlight: 1, conflictsRejected: 0 });
    expect(await gateway(GW_B)).toMatchObject({ changesAccepted: 2, maxInFlight: 1, conflictsRejected: 0 });
    const report = await e2e.emulator.admin.requests();
    expect(report.maxInFlight[GW_A]).toBe(1);
    expect(report.maxInFlight[GW_B]).toBe(1);

    // The lock is per gateway: a change on B arrived while one on A was still being applied.
    const modifies = await modifiesByGateway();
    const a = modifies[GW_A].map((e) => e.at);
    const b = modifies[GW_B].map((e) => e.at);
    expect(a).toHaveLength(4);
    expect(b).toHaveLength(2);
    // Changes on one gateway are applied one after the other: each waits for the previous to be applied.
    const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]);
    for (const gap of [...gaps(a), ...gaps(b)]) expect(gap).toBeGreaterThanOrEqual(GATEWAY_UPDATE_MS);
    const overlapping = a.some((x) => b.some((y) => Math.abs(x - y) < GATEWAY_UPDATE_MS));
    expect(overlapping).toBe(true);
  });

  it("records the settings found at adoption in the secret originalSettings", async () => {
    const exported = await e2e.exportState();
    const hq = resourcesOfType(exported, "VpnConnectionConfig").find((r) => r.urn.endsWith("::hq-ipsec"));
    expect(hq?.id).toBe(`${REGION}:${SINGLE}`);
    // Encrypted in the CLI's export (a secret signature and a ciphertext), like the PSKs.
    expect(hq?.outputs?.originalSettings).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
    expect(hq?.outputs?.presharedKeys).toMatchObject({ ciphertext: expect.any(String) });
    // Decrypted (stack export --show-secrets): JSON text of the values from before the first change, PSK included.
    const originalOf = async (name: string) =>
      JSON.parse((await decryptedOutput(name, "originalSettings")) as string);
    const original = (await originalOf("hq-ipsec")) as {
      ikeConfig: Record<string, unknown>;
      ipsecConfig: Record<string, unknown>;
    };
    expect(original.ikeConfig).toMatchObject({
      psk: FIXTURE_PSK.single,
      ikeLifetime: 86400,
      ikeEncAlg: "aes",
    });
    expect(original.ipsecConfig).toMatchObject({ ipsecLifetime: 86400 });
    const dualOriginal = (await originalOf("dc-ipsec")) as {
      enableTunnelsBgp: boolean;
      tunnelOptionsSpecification: Array<{ role: string; tunnelIkeConfig: { psk: string } }>;
    };
    expect(dualOriginal.enableTunnelsBgp).toBe(false);
    expect(dualOriginal.tunnelOptionsSpecification.map((t) => [t.role, t.tunnelIkeConfig.psk])).toEqual([
      ["master", FIXTURE_PSK.master],
      ["slave", FIXTURE_PSK.slave],
    ]);
  });

  it("shows no changes on a second preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("finds an IKE lifetime and a tunnel PSK changed out of band on preview --refresh; up --refresh repairs", async () => {
    await changeOutOfBand(GW_A, {
      VpnConnectionId: SINGLE,
      IkeConfig: JSON.stringify({ IkeLifetime: 7200 }),
    });
    await changeOutOfBand(GW_A, {
      VpnConnectionId: DUAL,
      TunnelOptionsSpecification: [{ TunnelId: MASTER_TUNNEL, TunnelIkeConfig: { Psk: OOB_PSK } }],
    });
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 2 });
    expect(preview.stdout).toMatch(/~ ikeLifetime\s*: 7200 => 28800/);
    // The PSK drift shows on the secret property, never as a value.
    expect(preview.stdout).toMatch(/~ presharedKeys\s*: \[secret\] => \[secret\]/);
    expect(preview.stdout).not.toMatch(/__provider/);
    expectNoSecrets([preview.stdout, preview.stderr], ALL_PSKS);

    const up = await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
    expect((await describeConnection(SINGLE)).IkeConfig).toMatchObject({ IkeLifetime: 28800 });
    expect((await tunnel("master")).TunnelIkeConfig.Psk).toBe(CONFIG_PSK.master);
    expect(await gateway(GW_A)).toMatchObject({ maxInFlight: 1, conflictsRejected: 0 });
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("changes the IKE lifetime in place, sending only the IKE block to that one connection", async () => {
    await e2e.emulator.admin.clearRequests();
    proxy.modifies.length = 0;
    await e2e.stack.setConfig("example:ikeLifetime", { value: "43200" });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await connection(SINGLE)).ikeConfig).toMatchObject({ ikeLifetime: 43200, ikeEncAlg: "aes256" });

    const report = await e2e.emulator.admin.requests();
    expect(report.byAction.ModifyVpnConnectionAttribute).toBe(1);
    expect(proxy.modifies).toHaveLength(1);
    const [sent] = proxy.modifies;
    expect(sent.VpnConnectionId).toBe(SINGLE);
    expect(ownParams(sent)).toEqual(["IkeConfig", "VpnConnectionId"]);
    // The changed block goes whole, its other members at their current values (nothing reset).
    expect(JSON.parse(sent.IkeConfig)).toMatchObject({
      IkeLifetime: 43200,
      IkeVersion: "ikev2",
      IkeEncAlg: "aes256",
      IkeAuthAlg: "sha256",
      IkePfs: "group14",
    });
  });

  it("fails preview when single-tunnel settings target a dual-tunnel connection, naming the field, with no write", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:singleTunnelConnectionId", { value: DUAL });
    const message = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(message).toMatch(new RegExp(`ikeConfig: IPsec connection ${DUAL} is a dual-tunnel connection`));
    expect(message).toMatch(/tunnelOptionsSpecification/);
    expect(await e2e.writesSince()).toEqual([]);
    await e2e.stack.setConfig("example:singleTunnelConnectionId", { value: SINGLE });
  });

  it("fails preview on a BGP tunnel block outside 169.254.0.0/16, naming the field, with no write", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:masterTunnelCidr", { value: "172.16.20.0/30" });
    const message = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(message).toMatch(
      /tunnelOptionsSpecification\[0\]\.tunnelBgpConfig\.tunnelCidr: must be inside 169\.254\.0\.0\/16/,
    );
    expect(await e2e.writesSince()).toEqual([]);
    await e2e.stack.removeConfig("example:masterTunnelCidr");
  });

  it("keeps PSKs and credentials out of state and CLI output", async () => {
    const exported = await e2e.exportState();
    const resources = resourcesOfType(exported, "VpnConnectionConfig");
    expect(resources).toHaveLength(6);
    for (const r of resources) expect(String(r.inputs?.__provider).length).toBeLessThan(4096);
    const inv = await e2e.emulator.admin.inventory();
    expectNoSecrets([exported, JSON.stringify(inv), ...e2e.output], [...ALL_PSKS, E2E_ACCOUNT.secret]);
  });

  it("leaves a connection as it is when its resource is deleted without restoreOnDelete", async () => {
    await e2e.stack.setConfig("example:branchConnectionIds", { value: "[]" });
    await e2e.stack.setConfig("example:restoreOnDelete", { value: "true" });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ delete: 4, update: 2 });
    for (const id of BRANCHES) {
      const described = await describeConnection(id);
      expect(described.IkeConfig).toMatchObject({ Psk: CONFIG_PSK[id], IkeEncAlg: "aes256" });
    }
  });

  it("destroys with restoreOnDelete: the recorded settings are put back", async () => {
    await e2e.stack.destroy({ onOutput: e2e.onOutput });
    const single = await describeConnection(SINGLE);
    expect(single.IkeConfig).toMatchObject({ Psk: FIXTURE_PSK.single, IkeLifetime: 86400, IkeEncAlg: "aes" });
    expect(single.IpsecConfig).toMatchObject({ IpsecLifetime: 86400 });
    expect((await describeConnection(DUAL)).EnableTunnelsBgp).toBe(false);
    expect((await tunnel("master")).TunnelIkeConfig).toMatchObject({
      Psk: FIXTURE_PSK.master,
      IkeEncAlg: "aes",
    });
    expect((await tunnel("slave")).TunnelIkeConfig).toMatchObject({
      Psk: FIXTURE_PSK.slave,
      IkeEncAlg: "aes",
    });
    expect(await gateway(GW_A)).toMatchObject({ maxInFlight: 1, conflictsRejected: 0 });
    expectNoSecrets(e2e.output, [...ALL_PSKS, E2E_ACCOUNT.secret]);
  });
});
