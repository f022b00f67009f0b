import { alibabaClient } from "../../../src/clouds/alibaba";
import { sleep } from "../../../src/clouds/retry";
import { CHECK_SHARED_READ_MS, SHARED_LISTING_MAX_ITEMS } from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/vpn-connection-config/provider";
import { Deployment } from "../../support/deployments";
import { useInProcessEmulator } from "../../support/in-process-emulator";
import { readsIn } from "../../support/request-counts";

// The reads of check, shared across one deployment's checks (issue #13): N connections of a region list the
// region's connections and its gateways once per check pass, not N times, and a listed connection or gateway needs
// no read of its own; in a region of more than SHARED_LISTING_MAX_ITEMS connections, each gateway's list once.
// The sharing lasts CHECK_SHARED_READ_MS and is kept apart per account and region.

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const GATEWAY = "vpn-many";
const N = 6;
const IDS = Array.from({ length: N }, (_, i) => `vco-many${i + 1}`);
const OTHER = { accessKeyId: "AKcheckreads", secret: "check-reads-secret", account: "2000000042" };

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
});
let deployment: Deployment;

beforeEach(async () => {
  const emu = emulator();
  await emu.admin.loadFixtures({
    accounts: [OTHER],
    alibabaVpc: {
      vpnGateways: [
        { vpnGatewayId: GATEWAY, regionId: REGION },
        { vpnGatewayId: "vpn-other", regionId: REGION, account: OTHER.account },
      ],
      vpnConnections: [
        ...IDS.map((id, i) => ({
          vpnConnectionId: id,
          vpnGatewayId: GATEWAY,
          customerGatewayId: `cgw-many${i + 1}`,
          localSubnet: [`10.${i + 1}.0.0/24`],
          remoteSubnet: [`192.168.${i + 1}.0/24`],
        })),
        { vpnConnectionId: "vco-other", vpnGatewayId: "vpn-other", localSubnet: ["10.99.0.0/24"] },
      ],
    },
  });
  // The client's modules load on the first call: not inside the window of the first shared read.
  await alibabaClient("vpc", REGION).call("DescribeVpnGateway", { VpnGatewayId: GATEWAY });
  await emu.admin.clearRequests();
  // Each test is a deployment of its own (its own planned settings and shared reads).
  deployment = new Deployment(expect.getState().currentTestName ?? "test");
});

afterEach(() => {
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
});

/** check() of a new resource moving connection `id` (the n-th) to a subnet of its own: the rules need the list. */
const check = (
  id: string,
  region = REGION,
): Promise<{ failures?: Array<{ property: string; reason: string }> }> => {
  const n = IDS.indexOf(id) + 1;
  const news: Props = { region, vpnConnectionId: id, localSubnet: [`10.${n}.1.0/24`] };
  return deployment.run(() => provider.check({}, news));
};

const requests = () => emulator().admin.requests();

it("checks N connections of one gateway one after another with 2 reads, not 3 per connection", async () => {
  for (const id of IDS) expect((await check(id)).failures).toBeUndefined();
  const report = await requests();
  // Before the shared reads: DescribeVpnConnection, DescribeVpnGateway and DescribeVpnConnections per check (18);
  // before the region's listings, 3.
  expect(report.byAction).toEqual({ DescribeVpnGateways: 1, DescribeVpnConnections: 1 });
});

it("checks the connections of 2 gateways with 1 listing of the connections and 1 of the gateways", async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [{ vpnGatewayId: "vpn-next", regionId: REGION }],
      vpnConnections: [
        { vpnConnectionId: "vco-next1", vpnGatewayId: "vpn-next", localSubnet: ["10.50.0.0/24"] },
      ],
    },
  });
  await emulator().admin.clearRequests();
  for (const id of IDS) expect((await check(id)).failures).toBeUndefined();
  const next = await deployment.run(() =>
    provider.check({}, { region: REGION, vpnConnectionId: "vco-next1", localSubnet: ["10.50.1.0/24"] }),
  );
  expect(next.failures).toBeUndefined();
  expect((await requests()).byAction).toEqual({ DescribeVpnGateways: 1, DescribeVpnConnections: 1 });
});

it(`checks with each gateway's list in a region of more than ${SHARED_LISTING_MAX_ITEMS} connections`, async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [{ vpnGatewayId: "vpn-next", regionId: REGION }],
      vpnConnections: Array.from({ length: SHARED_LISTING_MAX_ITEMS }, (_, i) => ({
        vpnConnectionId: `vco-next${i}`,
        vpnGatewayId: "vpn-next",
        localSubnet: [`10.200.${i}.0/24`],
      })),
    },
  });
  await emulator().admin.clearRequests();
  for (const id of IDS) expect((await check(id)).failures).toBeUndefined();
  // The region's first page (too many to list), then as before: the first connection read alone, its gateway's
  // list once; the gateways listed once.
  expect((await requests()).byAction).toEqual({
    DescribeVpnConnections: 2,
    DescribeVpnConnection: 1,
    DescribeVpnGateways: 1,
  });
});

it("checks with each gateway's own read when the gateways cannot be listed", async () => {
  await emulator().admin.injectFault({
    action: "DescribeVpnGateways",
    code: "Forbidden.RAM",
    httpStatus: 403,
  });
  for (const id of IDS) expect((await check(id)).failures).toBeUndefined();
  // The refused listing is tried once for the window, not once per check.
  expect((await requests()).byAction).toEqual({
    DescribeVpnGateways: 1,
    DescribeVpnGateway: 1,
    DescribeVpnConnections: 1,
  });
});

it("shares the reads in flight: N checks at once read the gateway and the listing once", async () => {
  const results = await deployment.run(() =>
    Promise.all(
      IDS.map((id, i) =>
        provider.check({}, { region: REGION, vpnConnectionId: id, localSubnet: [`10.${i + 1}.1.0/24`] }),
      ),
    ),
  );
  for (const r of results) expect(r.failures).toBeUndefined();
  const report = await requests();
  // Before the region's listings, no list was answered yet when they started: each read its own connection (N).
  expect(report.byAction).toEqual({ DescribeVpnGateways: 1, DescribeVpnConnections: 1 });
});

it("sees a change to the gateway made after the window: the first read is not kept beyond it", async () => {
  expect((await check(IDS[0])).failures).toBeUndefined();
  // The account falls overdue: the gateway is financially locked.
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      vpnGateways: [{ vpnGatewayId: GATEWAY, regionId: REGION, businessStatus: "FinancialLocked" }],
    },
  });
  await emulator().admin.clearRequests();
  // Within the window the check pass's first answers serve (nothing is read); create would read again.
  expect((await check(IDS[1])).failures).toBeUndefined();
  expect(readsIn(await requests())).toBe(0);
  await sleep(CHECK_SHARED_READ_MS);
  expect((await check(IDS[2])).failures).toEqual([
    {
      property: "vpnConnectionId",
      reason: expect.stringMatching(/VPN gateway vpn-many .* financially locked/),
    },
  ]);
  expect((await requests()).byAction).toEqual({ DescribeVpnGateways: 1, DescribeVpnConnections: 1 });
});

it("keeps the shared reads of another account and another region apart", async () => {
  // The other account reads the list of its gateway.
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = OTHER.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = OTHER.secret;
  const other = await deployment.run(() =>
    provider.check({}, { region: REGION, vpnConnectionId: "vco-other", localSubnet: ["10.99.1.0/24"] }),
  );
  expect(other.failures).toBeUndefined();
  // The built-in account cannot see that connection, whatever the other account read a moment ago.
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  const mine = await deployment.run(() =>
    provider.check({}, { region: REGION, vpnConnectionId: "vco-other", localSubnet: ["10.99.1.0/24"] }),
  );
  expect(mine.failures?.[0]).toMatchObject({
    property: "vpnConnectionId",
    reason: expect.stringMatching(/no IPsec connection vco-other in region cn-hangzhou/),
  });
  // The built-in account's list of its gateway does not answer for another region either.
  expect((await check(IDS[0])).failures).toBeUndefined();
  expect((await check(IDS[1], "cn-shanghai")).failures?.[0]).toMatchObject({
    property: "vpnConnectionId",
    reason: expect.stringMatching(/no IPsec connection vco-many2 in region cn-shanghai/),
  });
});
