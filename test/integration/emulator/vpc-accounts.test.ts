// Alibaba VPC objects belong to accounts, as the KMS keys do: a physical connection, VPN gateway or connection
// without an `account` in the fixtures is the built-in account's, and another account finds none of them (the
// cloud's not-found codes), so it can neither read a connection's PSK nor change it.
import { startEmulator } from "../../../src/emulator";
import { type PopError, alibaba, popError } from "../../support/emulator-clients";

const OTHER = { id: "other-key", secret: "other-secret" };
const FIXTURES = {
  accounts: [{ accessKeyId: OTHER.id, secret: OTHER.secret, account: "2100000000" }],
  alibabaVpc: {
    physicalConnections: [
      { physicalConnectionId: "pc-mine", region: "cn-hangzhou", macsecCapable: true },
      {
        physicalConnectionId: "pc-theirs",
        region: "cn-hangzhou",
        account: "2100000000",
        macsecCapable: true,
      },
    ],
    vpnGateways: [{ vpnGatewayId: "vpn-mine", regionId: "cn-hangzhou" }],
    vpnConnections: [
      {
        vpnConnectionId: "vco-mine",
        vpnGatewayId: "vpn-mine",
        localSubnet: ["10.0.0.0/16"],
        remoteSubnet: ["192.168.0.0/24"],
      },
    ],
  },
};

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: FIXTURES });
});
afterAll(async () => {
  await emulator?.close();
});

const RO = { method: "POST" as const };
const ids = (body: unknown) =>
  (
    body as { PhysicalConnectionSet: { PhysicalConnectionType: Array<{ PhysicalConnectionId: string }> } }
  ).PhysicalConnectionSet.PhysicalConnectionType.map((c) => c.PhysicalConnectionId);

it("each account lists only its own physical connections", async () => {
  const mine = await alibaba(emulator.url).request(
    "DescribePhysicalConnections",
    { RegionId: "cn-hangzhou" },
    RO,
  );
  const theirs = await alibaba(emulator.url, OTHER).request(
    "DescribePhysicalConnections",
    { RegionId: "cn-hangzhou" },
    RO,
  );
  expect(ids(mine)).toEqual(["pc-mine"]);
  expect(ids(theirs)).toEqual(["pc-theirs"]);
});

it("another account cannot associate a key on a connection that is not its own", async () => {
  const e: PopError = await popError(
    alibaba(emulator.url, OTHER).request(
      "AssociateMacSecKey",
      {
        RegionId: "cn-hangzhou",
        PhysicalConnectionId: "pc-mine",
        CipherSuite: "GCM-AES-128",
        Ckn: "1".repeat(32),
        Cak: "2".repeat(32),
      },
      RO,
    ),
  );
  expect(e.data.Code).toBe("ResourceNotFound.PhysicalConnectionId");
});

it("another account neither reads nor renames a VPN connection, nor sees its gateway", async () => {
  const other = alibaba(emulator.url, OTHER);
  const read = await popError(
    other.request("DescribeVpnConnection", { RegionId: "cn-hangzhou", VpnConnectionId: "vco-mine" }, RO),
  );
  expect([read.entry.response.statusCode, read.data.Code]).toEqual([
    404,
    "InvalidVpnConnectionInstanceId.NotFound",
  ]);
  const rename = await popError(
    other.request(
      "ModifyVpnConnectionAttribute",
      { RegionId: "cn-hangzhou", VpnConnectionId: "vco-mine", Name: "x" },
      RO,
    ),
  );
  expect(rename.data.Code).toBe("InvalidVpnConnectionInstanceId.NotFound");
  const gw = await popError(
    other.request("DescribeVpnGateway", { RegionId: "cn-hangzhou", VpnGatewayId: "vpn-mine" }, RO),
  );
  expect(gw.data.Code).toBe("InvalidVpnGatewayInstanceId.NotFound");
  const list = (await other.request("DescribeVpnConnections", { RegionId: "cn-hangzhou" }, RO)) as {
    TotalCount: number;
  };
  expect(list.TotalCount).toBe(0);
  // The owner (the built-in account, as the fixture names none) still sees it, unrenamed.
  const own = (await alibaba(emulator.url).request(
    "DescribeVpnConnection",
    { RegionId: "cn-hangzhou", VpnConnectionId: "vco-mine" },
    RO,
  )) as { Name: string };
  expect(own.Name).not.toBe("x");
});

it("a VPC call without RegionId is MissingRegionId, not an empty list", async () => {
  const e = await popError(alibaba(emulator.url).request("DescribeVpnConnections", {}, RO));
  expect([e.entry.response.statusCode, e.data.Code]).toEqual([400, "MissingRegionId"]);
});
