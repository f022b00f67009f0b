// VpnConnectionConfig's provider functions against the emulator (in process, over HTTP, through the real
// Alibaba client). Out-of-band changes are made through the same client, as the console or another tool would.
import { forgetProcessMemory } from "../../../src/common/process-memory";
import { forgetSharedReads } from "../../../src/common/shared-reads";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { CloudError } from "../../../src/clouds/errors";
import { redact } from "../../../src/clouds/secrets";
import { UNKNOWN } from "../../../src/resources/common/check";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";
import * as provider from "../../../src/resources/vpn-connection-config/provider";

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const UPDATE_MS = 100;
const PSK = {
  single: "Orig-Single-PSK-1",
  master: "Orig-Master-PSK-2",
  slave: "Orig-Slave-PSK-3",
  sm: "Orig-Sm-PSK-4",
  newSingle: "New-Single-PSK-5!",
  newMaster: "New-Master-PSK-6?",
  drift: "Drifted-PSK-7#",
  multi: "Multi-Subnet-PSK-8",
};
const ALL_PSKS = Object.values(PSK);
const SECRET_OUTPUTS = ["presharedKeys", "livePresharedKeys", "originalSettings"];

/** Everything the provider let out that is not marked secret: errors, failures, diffs, non-secret outputs. */
const exposed: string[] = [];

function expose(value: unknown): void {
  exposed.push(typeof value === "string" ? value : JSON.stringify(value));
}

function plainOutputs(outs: Props | undefined): Props {
  return Object.fromEntries(Object.entries(outs ?? {}).filter(([k]) => !SECRET_OUTPUTS.includes(k)));
}

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
  resetEachTest: false,
  beforeClose: async (emu) => {
    // The secret test over everything the file saw, and what the emulator's inventory and request log hold.
    const all =
      exposed.join("\n") +
      JSON.stringify(await emu.admin.inventory()) +
      JSON.stringify(await emu.admin.requests());
    for (const psk of ALL_PSKS) expect(all).not.toContain(psk);
  },
});
let emu: InProcessEmulator;

beforeEach(async () => {
  emu = emulator();
  // A new deployment: no check or read reads shared from the last test (CHECK_SHARED_READ_MS and
  // REFRESH_SHARED_READ_MS), no gateway as the last test's change left it.
  forgetSharedReads();
  endDeployment();
  await emu.admin.reset();
  await emu.admin.setDurations({ vpnGatewayUpdate: UPDATE_MS });
  await emu.admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [
        { vpnGatewayId: "vpn-normal", regionId: REGION },
        { vpnGatewayId: "vpn-sm", regionId: REGION, vpnType: "NationalStandard" },
        { vpnGatewayId: "vpn-old", regionId: REGION, ikev1MultiSubnet: false },
      ],
      vpnConnections: [
        {
          vpnConnectionId: "vco-single",
          vpnGatewayId: "vpn-normal",
          name: "single",
          ikeConfig: { psk: PSK.single },
        },
        {
          vpnConnectionId: "vco-dual",
          vpnGatewayId: "vpn-normal",
          name: "dual",
          tunnels: [
            { tunnelId: "tun-m", role: "master", ikeConfig: { psk: PSK.master } },
            { tunnelId: "tun-s", role: "slave", ikeConfig: { psk: PSK.slave } },
          ],
        },
        {
          vpnConnectionId: "vco-bgp",
          vpnGatewayId: "vpn-normal",
          bgpConfig: { enableBgp: true, tunnelCidr: "169.254.70.0/30", localBgpIp: "169.254.70.1" },
        },
        { vpnConnectionId: "vco-a", vpnGatewayId: "vpn-normal" },
        { vpnConnectionId: "vco-b", vpnGatewayId: "vpn-normal" },
        { vpnConnectionId: "vco-sm", vpnGatewayId: "vpn-sm", ikeConfig: { psk: PSK.sm } },
        { vpnConnectionId: "vco-old", vpnGatewayId: "vpn-old", ikeConfig: { ikeVersion: "ikev1" } },
      ],
    },
  });
});

const client = () => alibabaClient("vpc", REGION);

async function describe_(id: string): Promise<Props> {
  return client().call<Props>("DescribeVpnConnection", { VpnConnectionId: id });
}

/** Lets the emulator's gateway finish an out-of-band change: its clock moves past the change's duration. */
async function settle(): Promise<void> {
  await emu.admin.advanceClock(UPDATE_MS);
}

interface GatewayInventory {
  vpnGatewayId: string;
  changesAccepted: number;
  conflictsRejected: number;
  maxInFlight: number;
}

async function gatewayCounters(id: string): Promise<GatewayInventory> {
  const inv = await emu.admin.inventory<{ alibabaVpc: { vpnGateways: GatewayInventory[] } }>();
  return inv.alibabaVpc.vpnGateways.find((g) => g.vpnGatewayId === id)!;
}

/** The code of each ModifyVpnConnectionAttribute answer in the request log, "accepted" for a success. */
async function modifyAnswers(): Promise<string[]> {
  return (await emu.admin.requests()).entries
    .filter((e) => e.action === "ModifyVpnConnectionAttribute")
    .map((e) => e.code ?? "accepted");
}

async function modifyCount(): Promise<number> {
  return (await emu.admin.requests()).byAction.ModifyVpnConnectionAttribute ?? 0;
}

/**
 * The end of a `pulumi up`: the next operation is another deployment's, whose provider process has not seen the
 * gateway and its connections as this one's last change left them.
 */
function endDeployment(): void {
  forgetProcessMemory("lock-handovers");
  forgetProcessMemory("vpn-gateway-lists-unfit");
}

/** check, then create with the checked inputs, as one `pulumi up` does. */
async function adopt(news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
  const checked = await provider.check({}, news);
  expose(checked.failures ?? []);
  expect(checked.failures ?? []).toEqual([]);
  const inputs = checked.inputs as Props;
  const created = await provider.create(inputs);
  expose(plainOutputs(created.outs));
  endDeployment();
  return { id: created.id, outs: created.outs as Props, inputs };
}

async function failuresOf(news: Props): Promise<string[]> {
  const checked = await provider.check({}, news);
  expose(checked.failures ?? []);
  return (checked.failures ?? []).map((f) => f.property);
}

describe("VpnConnectionConfig check (live rules)", () => {
  it("accepts valid settings and normalises them", async () => {
    const checked = await provider.check(
      {},
      {
        region: REGION,
        vpnConnectionId: "vco-single",
        localSubnet: "10.9.0.0/16",
        ikeConfig: { psk: PSK.newSingle, ikeEncAlg: "aes256" },
      },
    );
    expect(checked.failures ?? []).toEqual([]);
    expect(checked.inputs).toMatchObject({
      localSubnet: ["10.9.0.0/16"],
      presharedKeys: { ikeConfig: PSK.newSingle },
    });
    expect((checked.inputs as Props).ikeConfig).toEqual({ ikeEncAlg: "aes256" });
  });

  it("reads the gateway type for SM-only rules", async () => {
    expect(
      await failuresOf({ region: REGION, vpnConnectionId: "vco-sm", ikeConfig: { ikeEncAlg: "aes" } }),
    ).toEqual(["ikeConfig.ikeEncAlg"]);
    expect(
      await failuresOf({
        region: REGION,
        vpnConnectionId: "vco-single",
        ipsecConfig: { ipsecEncAlg: "sm4" },
      }),
    ).toEqual(["ipsecConfig.ipsecEncAlg"]);
    expect(
      await failuresOf({
        region: REGION,
        vpnConnectionId: "vco-sm",
        ikeConfig: { ikeVersion: "ikev1", ikeEncAlg: "sm4", ikeAuthAlg: "sm3" },
        remoteCaCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      }),
    ).toEqual([]);
  });

  it("reads the tunnel mode for single- and dual-tunnel rules", async () => {
    expect(await failuresOf({ region: REGION, vpnConnectionId: "vco-dual", enableDpd: true })).toEqual([
      "enableDpd",
    ]);
    expect(
      await failuresOf({
        region: REGION,
        vpnConnectionId: "vco-single",
        tunnelOptionsSpecification: [{ role: "master" }],
      }),
    ).toEqual(["tunnelOptionsSpecification"]);
    expect(
      await failuresOf({
        region: REGION,
        vpnConnectionId: "vco-dual",
        tunnelOptionsSpecification: [{ tunnelId: "tun-x" }],
      }),
    ).toEqual(["tunnelOptionsSpecification[0].tunnelId"]);
  });

  it("finds a BGP tunnel block used by another connection of the gateway", async () => {
    const checked = await provider.check(
      {},
      {
        region: REGION,
        vpnConnectionId: "vco-a",
        bgpConfig: { enableBgp: true, tunnelCidr: "169.254.70.0/30", localBgpIp: "169.254.70.2" },
      },
    );
    expose(checked.failures);
    expect(checked.failures?.map((f) => f.property)).toEqual(["bgpConfig.tunnelCidr"]);
    expect(checked.failures?.[0].reason).toMatch(/vco-bgp/);
  });

  it("names an unknown connection, and names a bad PSK as the user wrote it without repeating it", async () => {
    expect(await failuresOf({ region: REGION, vpnConnectionId: "vco-nope" })).toEqual(["vpnConnectionId"]);
    const bad = "bad psk";
    const checked = await provider.check(
      {},
      {
        region: REGION,
        vpnConnectionId: "vco-dual",
        tunnelOptionsSpecification: [{ tunnelId: "tun-m" }],
        presharedKeys: { tunnels: { "tun-m": bad } },
      },
    );
    expect(checked.failures?.map((f) => f.property)).toEqual([
      "tunnelOptionsSpecification[0].tunnelIkeConfig.psk",
    ]);
    expect(JSON.stringify(checked.failures)).not.toContain(bad);
  });

  it("does not judge values unknown at preview", async () => {
    const before = (await emu.admin.requests()).byAction.DescribeVpnConnection ?? 0;
    const checked = await provider.check({}, { region: REGION, vpnConnectionId: UNKNOWN, name: "x" });
    expect(checked.failures ?? []).toEqual([]);
    expect((await emu.admin.requests()).byAction.DescribeVpnConnection ?? 0).toBe(before);
  });
});

describe("VpnConnectionConfig lifecycle", () => {
  it("adopts a single-tunnel connection: records the original, applies, reads back", async () => {
    const { id, outs } = await adopt({
      region: REGION,
      vpnConnectionId: "vco-single",
      name: "office",
      localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
      ikeConfig: { psk: PSK.newSingle, ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeLifetime: 3600 },
      bgpConfig: {
        enableBgp: true,
        localAsn: "123.456",
        tunnelCidr: "169.254.80.0/30",
        localBgpIp: "169.254.80.1",
      },
      autoConfigRoute: false,
    });
    expect(id).toBe(`${REGION}:vco-single`);
    expect(outs).toMatchObject({
      name: "office",
      ikeConfig: { ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeLifetime: 3600 },
      bgpConfig: { enableBgp: true, localAsn: 8061384 },
      presharedKeys: { ikeConfig: PSK.newSingle },
      livePresharedKeys: { ikeConfig: PSK.newSingle },
      vpnGatewayId: "vpn-normal",
      vpnType: "Normal",
      tunnelMode: "single",
      state: "active",
      autoConfigRoute: false,
      restoreOnDelete: false,
    });
    // Recorded as one secret JSON text: nothing but delete looks inside it.
    const original = JSON.parse(outs.originalSettings as string) as Props;
    expect(original.name).toBe("single");
    expect((original.ikeConfig as Props).psk).toBe(PSK.single);
    expect(JSON.stringify(plainOutputs(outs))).not.toContain(PSK.newSingle);
    const live = await describe_("vco-single");
    expect(live).toMatchObject({ State: "active", Name: "office", LocalSubnet: "10.1.0.0/24,10.2.0.0/24" });
    expect((live.IkeConfig as Props).Psk).toBe(PSK.newSingle);
    expect((await gatewayCounters("vpn-normal")).changesAccepted).toBe(1);
  });

  it("adopts a dual-tunnel connection by tunnelId and role", async () => {
    const { outs } = await adopt({
      region: REGION,
      vpnConnectionId: "vco-dual",
      enableTunnelsBgp: true,
      tunnelOptionsSpecification: [
        {
          tunnelId: "tun-m",
          tunnelIkeConfig: { psk: PSK.newMaster, ikeLifetime: 600 },
          tunnelBgpConfig: { localAsn: 65001, tunnelCidr: "169.254.90.0/30", localBgpIp: "169.254.90.1" },
        },
        {
          role: "slave",
          enableDpd: false,
          tunnelBgpConfig: { tunnelCidr: "169.254.91.0/30", localBgpIp: "169.254.91.1" },
        },
      ],
    });
    expect(outs).toMatchObject({
      tunnelMode: "dual",
      enableTunnelsBgp: true,
      presharedKeys: { tunnels: { "tun-m": PSK.newMaster } },
      livePresharedKeys: { tunnels: { "tun-m": PSK.newMaster, "tun-s": PSK.slave } },
    });
    expect(outs.tunnelOptionsSpecification).toEqual([
      {
        tunnelId: "tun-m",
        tunnelIkeConfig: { ikeLifetime: 600 },
        tunnelBgpConfig: { localAsn: 65001, tunnelCidr: "169.254.90.0/30", localBgpIp: "169.254.90.1" },
      },
      {
        role: "slave",
        enableDpd: false,
        tunnelBgpConfig: { tunnelCidr: "169.254.91.0/30", localBgpIp: "169.254.91.1" },
      },
    ]);
    const tunnels = ((await describe_("vco-dual")).TunnelOptionsSpecification as { TunnelOptions: Props[] })
      .TunnelOptions;
    expect(tunnels[1]).toMatchObject({ Role: "slave", EnableDpd: "false" });
  });

  it("updates only what changed, leaving unmanaged settings alone", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-single", name: "v1" });
    // Someone changes an unmanaged setting.
    await client().call("ModifyVpnConnectionAttribute", {
      VpnConnectionId: "vco-single",
      IkeConfig: JSON.stringify({ IkePfs: "group14" }),
    });
    await settle();
    const before = await modifyCount();
    const updated = await provider.update(id, outs, { ...inputs, name: "v2" });
    expose(plainOutputs(updated.outs));
    expect(await modifyCount()).toBe(before + 1);
    const live = await describe_("vco-single");
    expect(live.Name).toBe("v2");
    expect((live.IkeConfig as Props).IkePfs).toBe("group14");
    // Nothing to change: no write at all.
    await provider.update(id, updated.outs as Props, { ...inputs, name: "v2" });
    expect(await modifyCount()).toBe(before + 1);
  });

  it("changes several connections of one gateway concurrently, one at a time on the gateway", async () => {
    const ids = ["vco-single", "vco-a", "vco-b"];
    const adopted = [];
    for (const vpnConnectionId of ids)
      adopted.push(await adopt({ region: REGION, vpnConnectionId, name: `${vpnConnectionId}-1` }));
    await emu.admin.clearRequests();
    const start = await gatewayCounters("vpn-normal");
    await Promise.all(
      adopted.map((a, i) =>
        provider.update(a.id, a.outs, { ...a.inputs, name: `${ids[i]}-2`, effectImmediately: true }),
      ),
    );
    const end = await gatewayCounters("vpn-normal");
    expect(end.changesAccepted - start.changesAccepted).toBe(3);
    expect(end.conflictsRejected).toBe(0);
    expect(end.maxInFlight).toBe(1);
    const report = await emu.admin.requests();
    expect(report.maxInFlight["vpn-normal"]).toBe(1);
    expect(report.entries.filter((e) => e.code === "VpnTask.CONFLICT")).toEqual([]);
    for (const vpnConnectionId of ids)
      expect((await describe_(vpnConnectionId)).Name).toBe(`${vpnConnectionId}-2`);
  });

  it("would conflict without the lock (the emulator enforces the rule the lock respects)", async () => {
    await client().call(
      "ModifyVpnConnectionAttribute",
      { VpnConnectionId: "vco-a", Name: "x" },
      { retry: false },
    );
    const second = client().call(
      "ModifyVpnConnectionAttribute",
      { VpnConnectionId: "vco-b", Name: "y" },
      { retry: false },
    );
    await expect(second).rejects.toMatchObject({ code: "VpnTask.CONFLICT", errorClass: "busy" });
    expect(await gatewayCounters("vpn-normal")).toMatchObject({ conflictsRejected: 1, maxInFlight: 2 });
  });

  it("retries busy answers with the same write", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "before" });
    await emu.admin.injectFault({
      action: "ModifyVpnConnectionAttribute",
      code: "VpnTask.CONFLICT",
      count: 2,
    });
    const before = await gatewayCounters("vpn-normal");
    await provider.update(id, outs, { ...inputs, name: "after" });
    expect((await describe_("vco-a")).Name).toBe("after");
    expect((await gatewayCounters("vpn-normal")).changesAccepted - before.changesAccepted).toBe(1);
  });

  it("shows drift made out of band field by field, PSK included, and repairs it", async () => {
    const { id, outs, inputs } = await adopt({
      region: REGION,
      vpnConnectionId: "vco-single",
      name: "managed",
      ikeConfig: { psk: PSK.newSingle, ikeEncAlg: "aes256" },
    });
    await client().call("ModifyVpnConnectionAttribute", {
      VpnConnectionId: "vco-single",
      Name: "drifted",
      IkeConfig: JSON.stringify({ IkeEncAlg: "aes192", Psk: PSK.drift }),
    });
    await settle();
    await emu.admin.clearRequests();
    const read = await provider.read(id, outs);
    // One read per resource on refresh, the list of its gateway (shared with the gateway's other connections): the
    // gateway's type is state's, the connection staying on its gateway.
    expect((await emu.admin.requests()).entries.map((e) => e.action)).toEqual(["DescribeVpnConnections"]);
    expose(plainOutputs(read.props));
    expose(read.inputs ? plainOutputs(read.inputs) : {});
    expect(read.props).toMatchObject({
      name: "drifted",
      ikeConfig: { ikeEncAlg: "aes192" },
      presharedKeys: { ikeConfig: PSK.drift },
    });
    // A PSK only the cloud knew is now scrubbed from any message.
    expect(redact(`x ${PSK.drift} y`)).toBe("x [secret] y");
    expect(read.inputs).toEqual({
      region: REGION,
      vpnConnectionId: "vco-single",
      restoreOnDelete: false,
      name: "drifted",
      ikeConfig: { ikeEncAlg: "aes192" },
      presharedKeys: { ikeConfig: PSK.drift },
    });
    // A PSK only the cloud knew is now scrubbed from any message.
    expect(redact(`x ${PSK.drift} y`)).toBe("x [secret] y");
    const d = await provider.diff(id, read.props as Props, inputs);
    expose(d);
    // Unknown (not false): the engine then diffs the inputs itself, so the PSK change shows on presharedKeys.
    expect(d.changes).toBeUndefined();
    expect(d.replaces).toEqual([]);
    const updated = await provider.update(id, read.props as Props, inputs);
    expect(updated.outs).toMatchObject({ name: "managed", presharedKeys: { ikeConfig: PSK.newSingle } });
    expect(((await describe_("vco-single")).IkeConfig as Props).Psk).toBe(PSK.newSingle);
    expect((await provider.diff(id, updated.outs as Props, inputs)).changes).toBe(false);
    expect(await provider.diff(id, updated.outs as Props, { ...inputs, vpnConnectionId: "vco-a" })).toEqual({
      changes: true,
      replaces: ["vpnConnectionId"],
      deleteBeforeReplace: false,
    });
  });

  it("drops a connection that is gone from state", async () => {
    const { id, outs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "x" });
    await emu.admin.reset();
    await emu.admin.loadFixtures({
      alibabaVpc: { vpnGateways: [{ vpnGatewayId: "vpn-normal", regionId: REGION }] },
    });
    expect(await provider.read(id, outs)).toEqual({});
  });

  it("leaves the connection on delete, or restores the managed fields with restoreOnDelete", async () => {
    const kept = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "kept" });
    const before = await modifyCount();
    await provider.destroy(kept.id, kept.outs);
    expect(await modifyCount()).toBe(before);
    expect((await describe_("vco-a")).Name).toBe("kept");

    const restored = await adopt({
      region: REGION,
      vpnConnectionId: "vco-single",
      name: "temporary",
      ikeConfig: { psk: PSK.newSingle },
      restoreOnDelete: true,
    });
    await client().call("ModifyVpnConnectionAttribute", {
      VpnConnectionId: "vco-single",
      RemoteSubnet: "172.16.0.0/12",
    });
    await settle();
    await provider.destroy(restored.id, restored.outs);
    const live = await describe_("vco-single");
    expect(live.Name).toBe("single");
    expect((live.IkeConfig as Props).Psk).toBe(PSK.single);
    // Not managed by the resource: left as someone else set it.
    expect(live.RemoteSubnet).toBe("172.16.0.0/12");
  });

  it("restores from the settings object that earlier versions recorded, and refuses a record it cannot read", async () => {
    const restored = await adopt({
      region: REGION,
      vpnConnectionId: "vco-single",
      name: "temporary",
      restoreOnDelete: true,
    });
    const asObject = {
      ...restored.outs,
      originalSettings: JSON.parse(restored.outs.originalSettings as string),
    };
    // A refresh keeps the record in the form the state holds: rewriting it would show as a change.
    expect((await provider.read(restored.id, asObject)).props?.originalSettings).toEqual(
      asObject.originalSettings,
    );
    const before = await modifyCount();
    await expect(
      provider.destroy(restored.id, { ...restored.outs, originalSettings: "{not json" }),
    ).rejects.toThrow(
      /originalSettings in the stack's state is not the JSON .* Nothing was written. Set restoreOnDelete to false and run 'pulumi up'/,
    );
    expect(await modifyCount()).toBe(before);
    await provider.destroy(restored.id, asObject);
    expect((await describe_("vco-single")).Name).toBe("single");
  });

  it("surfaces a cloud refusal with its code, request id and the field to fix, without the PSK", async () => {
    const checked = await provider.check(
      {},
      {
        region: REGION,
        vpnConnectionId: "vco-old",
        localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
        ikeConfig: { psk: PSK.multi },
      },
    );
    // This gateway-version rule is not predictable from any read, so check passes and the cloud refuses.
    expect(checked.failures ?? []).toEqual([]);
    const err = await provider.create(checked.inputs as Props).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    const message = (err as Error).message;
    expose(message);
    expect(message).toMatch(/ModifyIkeV1WithMultiRoutes\.Invalid/);
    expect(message).toMatch(/request id /);
    expect(message).toMatch(/ikeConfig\.ikeVersion/);
    expect(message).toMatch(/vco-old/);
    expect(message).not.toContain(PSK.multi);
  });
});

describe("VpnConnectionConfig reads around a change", () => {
  /** The calls of one operation, in the order the emulator answered them. */
  async function callsOf(run: () => Promise<unknown>): Promise<string[]> {
    await emu.admin.clearRequests();
    await run();
    return (await emu.admin.requests()).entries.map((e) => e.action);
  }

  const beforeWrite = (calls: string[]) =>
    calls.slice(0, calls.indexOf("ModifyVpnConnectionAttribute")).sort();

  it("reads the connection once, right before the write, and not the gateway", async () => {
    const checked = await provider.check({}, { region: REGION, vpnConnectionId: "vco-a", name: "first" });
    const inputs = checked.inputs as Props;
    let outs: Props = {};
    // check read the connection: create finds the gateway's lock without reading it again outside the lock.
    const created = await callsOf(async () => (outs = (await provider.create(inputs)).outs as Props));
    expect(beforeWrite(created)).toEqual(["DescribeVpnConnection"]);
    endDeployment();
    const updated = await callsOf(() =>
      provider.update(`${REGION}:vco-a`, outs, { ...inputs, name: "second" }),
    );
    expect(beforeWrite(updated)).toEqual(["DescribeVpnConnection"]);
    expect(updated.filter((a) => a === "ModifyVpnConnectionAttribute")).toHaveLength(1);
    // The wait after the write reads both each time: the connection shows the settings, the gateway is free.
    const after = updated.slice(updated.indexOf("ModifyVpnConnectionAttribute") + 1);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.filter((a) => a === "DescribeVpnGateway")).toHaveLength(after.length / 2);
    expect((await describe_("vco-a")).Name).toBe("second");
  });

  it("reads nothing before a change that follows its own change on the gateway", async () => {
    const a = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "a-1" });
    const b = await adopt({ region: REGION, vpnConnectionId: "vco-b", name: "b-1" });
    // One deployment changes two connections of one gateway, one after the other under the gateway's lock.
    const calls = await callsOf(() =>
      Promise.all([
        provider.update(a.id, a.outs, { ...a.inputs, name: "a-2" }),
        provider.update(b.id, b.outs, { ...b.inputs, name: "b-2" }),
      ]),
    );
    const first = calls.indexOf("ModifyVpnConnectionAttribute");
    const between = calls.slice(first + 1, calls.indexOf("ModifyVpnConnectionAttribute", first + 1));
    const count = (action: string) => between.filter((c) => c === action).length;
    // Between the two writes only the first change's wait, which reads the gateway and its connection list each
    // time: the second change takes both as that wait left them (it read its connection before).
    expect(count("DescribeVpnGateway")).toBeGreaterThan(0);
    expect(count("DescribeVpnConnections")).toBe(count("DescribeVpnGateway"));
    expect(count("DescribeVpnConnection")).toBe(0);
    expect(calls.filter((c) => c === "ModifyVpnConnectionAttribute")).toHaveLength(2);
    expect([(await describe_("vco-a")).Name, (await describe_("vco-b")).Name]).toEqual(["a-2", "b-2"]);
  });

  it("waits a moment before the first read after a change when nothing was learnt of the gateway's changes", async () => {
    const a = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "a-1" });
    // A new process: no gateway change seen yet.
    forgetProcessMemory("transition-ms");
    await emu.admin.clearRequests();
    await provider.update(a.id, a.outs, { ...a.inputs, name: "a-2" });
    const entries = (await emu.admin.requests()).entries;
    const write = entries.findIndex((e) => e.action === "ModifyVpnConnectionAttribute");
    const firstRead = entries.slice(write + 1).find((e) => e.action === "DescribeVpnGateway");
    // The gateway is updating right after the call: a read at once would only cost a call.
    expect(firstRead!.at - entries[write].at).toBeGreaterThanOrEqual(200);
  });

  it("reads the connection alone in its waits when the gateway's list cannot be read", async () => {
    const a = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "a-1" });
    await emu.admin.injectFault({ action: "DescribeVpnConnections", code: "Forbidden.RAM", httpStatus: 403 });
    try {
      const calls = await callsOf(() => provider.update(a.id, a.outs, { ...a.inputs, name: "a-2" }));
      const after = calls.slice(calls.indexOf("ModifyVpnConnectionAttribute") + 1);
      expect(after.filter((c) => c === "DescribeVpnConnections")).toHaveLength(1);
      expect(after.filter((c) => c === "DescribeVpnConnection").length).toBe(
        after.filter((c) => c === "DescribeVpnGateway").length,
      );
    } finally {
      await emu.admin.clearFaults();
    }
    expect((await describe_("vco-a")).Name).toBe("a-2");
  });
});

describe("VpnConnectionConfig beside another deployment and changes made by hand", () => {
  const OTHER_MS = 2000;

  /** Another deployment's change to a connection (vco-b), which keeps the gateway busy for OTHER_MS. */
  async function otherDeploymentChanges(name: string, vpnConnectionId = "vco-b"): Promise<void> {
    await emu.admin.setDurations({ vpnGatewayUpdate: OTHER_MS });
    await client().call(
      "ModifyVpnConnectionAttribute",
      { VpnConnectionId: vpnConnectionId, Name: name },
      { retry: false },
    );
    await emu.admin.setDurations({ vpnGatewayUpdate: UPDATE_MS });
  }

  /**
   * Runs `op` with its read of the connection held up by the emulator, and calls `meanwhile` while that read is
   * in flight: what happens when another deployment writes between this one's read and its write.
   */
  async function betweenReadAndWrite<T>(op: () => Promise<T>, meanwhile: () => Promise<void>): Promise<T> {
    await emu.admin.clearRequests();
    await emu.admin.injectFault({ action: "DescribeVpnConnection", latencyMs: 1000, count: 1 });
    const running = op();
    // op reads the connection first thing; the read is held for a second.
    await new Promise((r) => setTimeout(r, 300));
    await meanwhile();
    return running;
  }

  it("writes once another deployment's change in flight on the gateway is applied (refused as busy before)", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    await otherDeploymentChanges("theirs-1");
    const before = await gatewayCounters("vpn-normal");
    await provider.update(id, outs, { ...inputs, name: "ours-2" });
    const after = await gatewayCounters("vpn-normal");
    // The gateway is not read before writing: the cloud's busy answer is what makes the change wait.
    expect(after.conflictsRejected - before.conflictsRejected).toBe(1);
    expect(after.changesAccepted - before.changesAccepted).toBe(1);
    const modifies = (await emu.admin.requests()).entries.filter(
      (e) => e.action === "ModifyVpnConnectionAttribute" && e.code === undefined,
    );
    const [theirs, ours] = modifies.slice(-2);
    expect(ours.at - theirs.at).toBeGreaterThanOrEqual(OTHER_MS);
    expect((await describe_("vco-a")).Name).toBe("ours-2");
    expect((await describe_("vco-b")).Name).toBe("theirs-1");
  });

  it("retries the cloud's busy answer when another deployment writes between its read and its write", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    const before = await gatewayCounters("vpn-normal");
    await betweenReadAndWrite(
      () => provider.update(id, outs, { ...inputs, name: "ours-2" }),
      () => otherDeploymentChanges("theirs-2"),
    );
    const after = await gatewayCounters("vpn-normal");
    expect(after.conflictsRejected - before.conflictsRejected).toBeGreaterThanOrEqual(1);
    expect(after.changesAccepted - before.changesAccepted).toBe(2);
    const codes = await modifyAnswers();
    expect(codes[0]).toBe("accepted");
    expect(codes.slice(1, -1).every((c) => c === "VpnTask.CONFLICT")).toBe(true);
    expect(codes.slice(1)).toContain("VpnTask.CONFLICT");
    expect(codes[codes.length - 1]).toBe("accepted");
    expect((await describe_("vco-a")).Name).toBe("ours-2");
  });

  it("waits and writes again when another deployment's change follows this one's last change on the gateway", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    const changed = await provider.update(id, outs, { ...inputs, name: "ours-2" });
    // Right after: the next change of this deployment does not read the gateway before writing.
    await otherDeploymentChanges("theirs-4");
    await emu.admin.clearRequests();
    await provider.update(id, changed.outs as Props, { ...inputs, name: "ours-3" });
    const codes = await modifyAnswers();
    expect(codes[0]).toBe("VpnTask.CONFLICT");
    expect(codes[codes.length - 1]).toBe("accepted");
    expect((await describe_("vco-a")).Name).toBe("ours-3");
    expect((await describe_("vco-b")).Name).toBe("theirs-4");
  });

  it("does not overwrite a change another deployment made to the connection right after this one's last change", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    const changed = await provider.update(id, outs, { ...inputs, name: "ours-2" });
    // The next change starts from the connection as the last change's wait listed it; another deployment changes
    // that connection in between.
    await otherDeploymentChanges("theirs-5", "vco-a");
    await emu.admin.clearRequests();
    const err = await provider
      .update(id, changed.outs as Props, { ...inputs, name: "ours-3" })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/name of IPsec connection vco-a changed outside this deployment/);
    expect(await modifyAnswers()).toEqual(["VpnTask.CONFLICT"]);
    expect((await describe_("vco-a")).Name).toBe("theirs-5");
  });

  it("waits and writes again when the gateway answers IncorrectStatus while another change passes", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    await betweenReadAndWrite(
      () => provider.update(id, outs, { ...inputs, name: "ours-2" }),
      async () => {
        await otherDeploymentChanges("theirs-3");
        await emu.admin.injectFault({
          action: "ModifyVpnConnectionAttribute",
          code: "IncorrectStatus.VpnGateway",
          count: 1,
        });
      },
    );
    const codes = await modifyAnswers();
    // Theirs, ours refused, ours again once the gateway was active: no conflict in between.
    expect(codes).toEqual(["accepted", "IncorrectStatus.VpnGateway", "accepted"]);
    expect((await describe_("vco-a")).Name).toBe("ours-2");
  });

  it("fails an IncorrectStatus answer at once when the gateway is not passing through anything", async () => {
    const { id, outs, inputs } = await adopt({ region: REGION, vpnConnectionId: "vco-a", name: "ours-1" });
    await emu.admin.injectFault({
      action: "ModifyVpnConnectionAttribute",
      code: "IncorrectStatus.VpnGateway",
      count: 1,
    });
    const err = await provider.update(id, outs, { ...inputs, name: "ours-2" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as Error).message).toMatch(/IncorrectStatus\.VpnGateway.*vco-a/);
    expect((await describe_("vco-a")).Name).toBe("ours-1");
  });

  it("does not overwrite a connection changed by hand between preview and up: names the fields, writes nothing", async () => {
    const { id, outs, inputs } = await adopt({
      region: REGION,
      vpnConnectionId: "vco-single",
      name: "v1",
      ikeConfig: { psk: PSK.newSingle, ikeEncAlg: "aes256" },
    });
    // Preview: check and diff against the state.
    const news = { ...inputs, name: "v2" };
    const checked = await provider.check(inputs, news);
    expect(checked.failures ?? []).toEqual([]);
    expect((await provider.diff(id, outs, checked.inputs as Props)).changes).toBeUndefined();
    // Someone changes the connection by hand, then `up` runs the update.
    await client().call("ModifyVpnConnectionAttribute", {
      VpnConnectionId: "vco-single",
      Name: "by-hand",
      IkeConfig: JSON.stringify({ Psk: PSK.drift, IkeEncAlg: "aes256" }),
    });
    await settle();
    const before = await modifyCount();
    const err = await provider.update(id, outs, checked.inputs as Props).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expose(message);
    expect(message).toMatch(
      /VpnConnectionConfig cn-hangzhou:vco-single: name, ikeConfig\.psk of IPsec connection vco-single changed outside this deployment/,
    );
    expect(message).toMatch(/Nothing was written\. Run 'pulumi refresh'/);
    expect(message).not.toContain(PSK.drift);
    expect(await modifyCount()).toBe(before);
    expect((await describe_("vco-single")).Name).toBe("by-hand");
    // After a refresh the state holds the live values, and the same update goes through.
    const refreshed = await provider.read(id, outs);
    expose(plainOutputs(refreshed.props));
    const updated = await provider.update(id, refreshed.props as Props, checked.inputs as Props);
    expose(plainOutputs(updated.outs));
    expect(updated.outs).toMatchObject({ name: "v2", presharedKeys: { ikeConfig: PSK.newSingle } });
    expect(await modifyCount()).toBe(before + 1);
  });
});
