import { forgetProcessMemory } from "../../../src/common/process-memory";
import { forgetSharedReads } from "../../../src/common/shared-reads";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { startEmulator } from "../../../src/emulator";
import * as provider from "../../../src/resources/vpn-connection-config/provider";

// The SameVpnAndCgw* rules of ModifyVpnConnectionAttribute at preview: connections of one VPN gateway and one
// customer gateway share the PSK and IKE settings and keep their selectors apart. check() predicts what the
// emulator (the cloud) refuses, naming the sibling, and counts what the deployment's other checks planned.

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const SHARED_PSK = "Shared-Cgw-PSK-1";
const NEW_PSK = "Rotated-Cgw-PSK-2";
let emu: Emulator;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, durations: { vpnGatewayUpdate: 50 } });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
});

afterAll(async () => {
  process.env = saved;
  await emu.close();
});

beforeEach(async () => {
  // A new deployment: no check reads shared from the last test (CHECK_SHARED_READ_MS).
  forgetSharedReads();
  await emu.admin.reset();
  await emu.admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [{ vpnGatewayId: "vpn-sib", regionId: REGION }],
      vpnConnections: ["vco-sib1", "vco-sib2"].map((id, i) => ({
        vpnConnectionId: id,
        vpnGatewayId: "vpn-sib",
        customerGatewayId: "cgw-branch",
        localSubnet: [`10.${i + 1}.0.0/24`],
        remoteSubnet: ["192.168.0.0/24"],
        ikeConfig: { psk: SHARED_PSK },
      })),
    },
  });
  // Each test is a deployment of its own.
  forgetProcessMemory("vpn-planned-settings");
});

const args = (id: string, extra: Props): Props => ({ region: REGION, vpnConnectionId: id, ...extra });

it("fails a PSK change on one of two connections to the same peer, naming the sibling, like the cloud", async () => {
  const r = await provider.check({}, args("vco-sib1", { presharedKeys: { ikeConfig: NEW_PSK } }));
  expect(r.failures).toEqual([
    {
      property: "ikeConfig.psk",
      reason: expect.stringMatching(
        /IPsec connection vco-sib2, which uses the same customer gateway cgw-branch/,
      ),
    },
  ]);
  expect(JSON.stringify(r.failures)).not.toContain(NEW_PSK);
  expect(JSON.stringify(r.failures)).not.toContain(SHARED_PSK);
  await expect(
    alibabaClient("vpc", REGION).call("ModifyVpnConnectionAttribute", {
      VpnConnectionId: "vco-sib1",
      IkeConfig: JSON.stringify({ Psk: NEW_PSK }),
    }),
  ).rejects.toMatchObject({ code: "VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs" });
});

it("fails overlapping selectors, and one deployment's planned subnets count for the next check", async () => {
  const overlap = await provider.check({}, args("vco-sib1", { localSubnet: ["10.2.0.0/25"] }));
  expect(overlap.failures?.map((f) => f.property)).toEqual(["localSubnet"]);
  expect(overlap.failures?.[0].reason).toMatch(/SameVpnAndCgwTrafficSelectorOverlap/);
  // vco-sib2 moves to 10.9.0.0/24 in this deployment: vco-sib1 may not take that block either.
  expect(
    (await provider.check({}, args("vco-sib2", { localSubnet: ["10.9.0.0/24"] }))).failures,
  ).toBeUndefined();
  const planned = await provider.check({}, args("vco-sib1", { localSubnet: ["10.9.0.0/24"] }));
  expect(planned.failures?.[0].reason).toMatch(/as it is now, or as this deployment leaves it/);
  // A block free now and after the deployment passes, and the cloud applies it.
  const ok = await provider.check({}, args("vco-sib1", { localSubnet: ["10.7.0.0/24"] }));
  expect(ok.failures).toBeUndefined();
  const created = await provider.create(ok.inputs as Props);
  expect(created.outs).toMatchObject({ localSubnet: ["10.7.0.0/24"] });
});

it("passes a change that keeps the shared settings (local and remote ids may differ)", async () => {
  const r = await provider.check(
    {},
    args("vco-sib1", { presharedKeys: { ikeConfig: SHARED_PSK }, ikeConfig: { localId: "branch-a" } }),
  );
  expect(r.failures).toBeUndefined();
  const created = await provider.create(r.inputs as Props);
  expect(created.outs).toMatchObject({ ikeConfig: { localId: "branch-a" } });
});
