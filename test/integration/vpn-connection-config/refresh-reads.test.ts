import { alibabaClient } from "../../../src/clouds/alibaba";
import { sleep } from "../../../src/clouds/retry";
import {
  SHARED_LISTING_MAX_ITEMS,
  REFRESH_SHARED_READ_MS,
  forgetSharedReads,
} from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/vpn-connection-config/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";
import { readsIn } from "../../support/request-counts";

// The reads of refresh (issue #13): N connections of a region, read by one refresh, list the region's
// connections once, not each connection, when the listing shows every setting; in a region of more connections
// than SHARED_LISTING_MAX_ITEMS, each gateway's connection list once. The sharing lasts REFRESH_SHARED_READ_MS,
// is kept apart per account and region, and never hides a connection that is gone.

const REGION = "cn-hangzhou";
const GATEWAY = "vpn-many";
const IDS = ["vco-many1", "vco-many2", "vco-many3", "vco-many4", "vco-many5"];
const OTHER = { accessKeyId: "AKrefreshreads", secret: "refresh-reads-secret", account: "2000000043" };

const connection = (id: string, i: number, name = id) => ({
  vpnConnectionId: id,
  vpnGatewayId: GATEWAY,
  name,
  customerGatewayId: `cgw-many${i + 1}`,
  localSubnet: [`10.${i + 1}.0.0/24`],
  remoteSubnet: [`192.168.${i + 1}.0/24`],
});

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
});

beforeEach(async () => {
  const emu = emulator();
  // Each test is a refresh of its own (a new provider process): no list shared from the last test.
  forgetSharedReads();
  await emu.admin.loadFixtures({
    accounts: [OTHER],
    alibabaVpc: {
      vpnGateways: [
        { vpnGatewayId: GATEWAY, regionId: REGION },
        { vpnGatewayId: "vpn-next", regionId: REGION },
        { vpnGatewayId: "vpn-other", regionId: REGION, account: OTHER.account },
      ],
      vpnConnections: [
        ...IDS.map((id, i) => connection(id, i)),
        { vpnConnectionId: "vco-other", vpnGatewayId: "vpn-other", localSubnet: ["10.99.0.0/24"] },
      ],
    },
  });
  // The client's modules load on the first call: not inside the window of the first shared read.
  await alibabaClient("vpc", REGION).call("DescribeVpnGateway", { VpnGatewayId: GATEWAY });
  await emu.admin.clearRequests();
});

afterEach(() => {
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
});

/** read() of connection `id` as the state recorded it: on `gateway`, of type Normal, managing its name. */
const read = (id: string, gateway = GATEWAY, region = REGION) =>
  provider.read(`${region}:${id}`, {
    region,
    vpnConnectionId: id,
    name: id,
    vpnGatewayId: gateway,
    vpnType: "Normal",
  });

const requests = () => emulator().admin.requests();

it("reads N connections of one gateway at once with 1 list call and no single read", async () => {
  const results = await Promise.all(IDS.map((id) => read(id)));
  results.forEach((r, i) => {
    expect(r.id).toBe(`${REGION}:${IDS[i]}`);
    expect(r.props).toMatchObject({
      name: IDS[i],
      vpnGatewayId: GATEWAY,
      vpnType: "Normal",
      state: "active",
    });
    expect(r.inputs).toMatchObject({ name: IDS[i], vpnConnectionId: IDS[i] });
  });
  // Before the shared reads: one DescribeVpnConnection per connection (5).
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 1 });
});

it("reads the connections of 2 gateways at once with 1 list call", async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: { vpnConnections: [{ ...connection("vco-next1", 5), vpnGatewayId: "vpn-next" }] },
  });
  await emulator().admin.clearRequests();
  const results = await Promise.all([...IDS.map((id) => read(id)), read("vco-next1", "vpn-next")]);
  expect(results.map((r) => r.props?.vpnGatewayId)).toEqual([...IDS.map(() => GATEWAY), "vpn-next"]);
  // Before the region's listing: one list per gateway (2).
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 1 });
});

it("reads the connections one after another within the window with 1 list call", async () => {
  for (const id of IDS) expect((await read(id)).props).toMatchObject({ name: id });
  expect(readsIn(await requests())).toBe(1);
});

it("gives the same answer as the single read", async () => {
  const listed = await read(IDS[0]);
  forgetSharedReads();
  // A listing refused, and no gateway recorded (a state written before vpnGatewayId was kept): the single read.
  await emulator().admin.injectFault({
    action: "DescribeVpnConnections",
    code: "Forbidden.RAM",
    httpStatus: 403,
    count: 1,
  });
  const alone = await provider.read(`${REGION}:${IDS[0]}`, {
    region: REGION,
    vpnConnectionId: IDS[0],
    name: IDS[0],
  });
  // (No gateway recorded: its type is read too.)
  expect((await requests()).byAction).toEqual({
    DescribeVpnConnections: 2,
    DescribeVpnConnection: 1,
    DescribeVpnGateway: 1,
  });
  expect(listed).toEqual(alone);
});

it(`reads each gateway's list once in a region of more than ${SHARED_LISTING_MAX_ITEMS} connections`, async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      vpnConnections: Array.from({ length: SHARED_LISTING_MAX_ITEMS }, (_, i) => ({
        vpnConnectionId: `vco-next${i}`,
        vpnGatewayId: "vpn-next",
        localSubnet: [`10.200.${i}.0/24`],
      })),
    },
  });
  await emulator().admin.clearRequests();
  const results = await Promise.all(IDS.map((id) => read(id)));
  for (const r of results) expect(r.props).toMatchObject({ vpnGatewayId: GATEWAY, state: "active" });
  // The region's first page, which says there are too many to list, then the gateway's list.
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 2 });
});

it("still reports a connection that is gone, reading it alone", async () => {
  await emulator().admin.reset();
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [{ vpnGatewayId: GATEWAY, regionId: REGION }],
      vpnConnections: IDS.slice(1).map((id, i) => connection(id, i + 1)),
    },
  });
  await emulator().admin.clearRequests();
  const [gone, ...kept] = await Promise.all(IDS.map((id) => read(id)));
  expect(gone).toEqual({});
  for (const r of kept) expect(r.props).toMatchObject({ vpnGatewayId: GATEWAY });
  // The list once, and the single read of the one it leaves out.
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 1, DescribeVpnConnection: 1 });
});

it("finds a connection on another gateway than the one recorded", async () => {
  const r = await read(IDS[0], "vpn-next");
  expect(r.props).toMatchObject({ name: IDS[0], vpnGatewayId: GATEWAY, vpnType: "Normal" });
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 1, DescribeVpnGateway: 1 });
});

it("does not use an answer older than the window", async () => {
  expect((await read(IDS[0])).props).toMatchObject({ name: IDS[0] });
  await emulator().admin.loadFixtures({ alibabaVpc: { vpnConnections: [connection(IDS[1], 1, "renamed")] } });
  await emulator().admin.clearRequests();
  // Within the window the list read a moment ago serves (it is what any read is by the time it is written).
  expect((await read(IDS[1])).props).toMatchObject({ name: IDS[1] });
  expect(readsIn(await requests())).toBe(0);
  await sleep(REFRESH_SHARED_READ_MS);
  expect((await read(IDS[1])).props).toMatchObject({ name: "renamed" });
  expect((await requests()).byAction).toEqual({ DescribeVpnConnections: 1 });
});

it("keeps the lists of another account and another region apart", async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = OTHER.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = OTHER.secret;
  expect((await read("vco-other", "vpn-other")).props).toMatchObject({ vpnGatewayId: "vpn-other" });
  // The built-in account cannot see that connection, whatever the other account read a moment ago.
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  expect(await read("vco-other", "vpn-other")).toEqual({});
  // The built-in account's list of its gateway does not answer for another region either.
  expect((await read(IDS[0])).props).toMatchObject({ name: IDS[0] });
  expect(await read(IDS[1], GATEWAY, "cn-shanghai")).toEqual({});
});
