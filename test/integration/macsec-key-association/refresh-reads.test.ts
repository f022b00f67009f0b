import { alibabaClient } from "../../../src/clouds/alibaba";
import { sleep } from "../../../src/clouds/retry";
import {
  SHARED_LISTING_MAX_ITEMS,
  REFRESH_SHARED_READ_MS,
  forgetSharedReads,
} from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";
import { readsIn } from "../../support/request-counts";

// The reads of refresh (issue #13): the key sets of a region's physical connections, read by one refresh, list
// the region's connections once, not each connection per key set; in a region of more connections than
// SHARED_LISTING_MAX_ITEMS, each connection is read once for its key sets. The sharing lasts
// REFRESH_SHARED_READ_MS, is kept apart per account and region, and never hides a key set that is gone.

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const PC = "pc-refresh1";
const ACTIVE = "1A".repeat(16);
const STANDBY = "2B".repeat(16);
const CAK = "C0FFEE00C0FFEE00C0FFEE00C0FFEE05";
const OTHER = { accessKeyId: "AKrefreshmacsec", secret: "refresh-macsec-secret", account: "2000000044" };

const keySet = (ckn: string, status: "Associated" | "Disassociated") => ({
  ckn,
  cak: CAK,
  cipherSuite: "GCM-AES-128" as const,
  status,
});

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
});

async function connectionWith(...macsecKeys: Array<ReturnType<typeof keySet>>): Promise<void> {
  await emulator().admin.loadFixtures({
    alibabaVpc: { physicalConnections: [{ physicalConnectionId: PC, region: REGION, macsecKeys }] },
  });
}

beforeEach(async () => {
  // Each test is a refresh of its own (a new provider process): no connection shared from the last test.
  forgetSharedReads();
  await emulator().admin.loadFixtures({
    accounts: [OTHER],
    alibabaVpc: {
      physicalConnections: [
        {
          physicalConnectionId: "pc-other",
          region: REGION,
          account: OTHER.account,
          macsecKeys: [keySet(ACTIVE, "Associated")],
        },
      ],
    },
  });
  await connectionWith(keySet(ACTIVE, "Associated"), keySet(STANDBY, "Disassociated"));
  // The client's modules load on the first call: not inside the window of the first shared read.
  await alibabaClient("vpc", REGION).call("DescribePhysicalConnections", {});
  await emulator().admin.clearRequests();
});

afterEach(() => {
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
});

/** read() of key set `ckn` of `pc` as the state recorded it. */
const read = (ckn: string, pc = PC, region = REGION) =>
  provider.read(`${region}:${pc}:${ckn}`, {
    region,
    physicalConnectionId: pc,
    ckn,
    cak: CAK,
    cipherSuite: "GCM-AES-128",
    active: ckn === ACTIVE,
  } as Props);

const requests = () => emulator().admin.requests();

it("reads the 2 key sets of one connection at once with 1 call", async () => {
  const [active, standby] = await Promise.all([read(ACTIVE), read(STANDBY)]);
  expect(active.props).toMatchObject({ ckn: ACTIVE, status: "Associated", activeCkn: ACTIVE, active: true });
  expect(standby.props).toMatchObject({
    ckn: STANDBY,
    status: "Disassociated",
    activeCkn: ACTIVE,
    active: false,
  });
  // Before the shared reads: one DescribePhysicalConnections per key set (2).
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it("reads the key sets of 3 connections of a region at once with 1 call", async () => {
  const others = ["pc-refresh2", "pc-refresh3"];
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      physicalConnections: others.map((physicalConnectionId) => ({
        physicalConnectionId,
        region: REGION,
        macsecKeys: [keySet(ACTIVE, "Associated")],
      })),
    },
  });
  await emulator().admin.clearRequests();
  const read4 = await Promise.all([read(ACTIVE), read(STANDBY), ...others.map((pc) => read(ACTIVE, pc))]);
  expect(read4.map((r) => r.props?.status)).toEqual([
    "Associated",
    "Disassociated",
    "Associated",
    "Associated",
  ]);
  // Before the region's listing: one DescribePhysicalConnections per connection (3).
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it(`reads each connection on its own in a region of more than ${SHARED_LISTING_MAX_ITEMS}`, async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      physicalConnections: Array.from({ length: SHARED_LISTING_MAX_ITEMS }, (_, i) => ({
        physicalConnectionId: `pc-many${i}`,
        region: REGION,
        macsecKeys: [keySet(ACTIVE, "Associated")],
      })),
    },
  });
  await emulator().admin.clearRequests();
  const read3 = await Promise.all([read(ACTIVE), read(STANDBY), read(ACTIVE, "pc-many7")]);
  expect(read3.map((r) => r.props?.status)).toEqual(["Associated", "Disassociated", "Associated"]);
  // The first page says the region has too many to list: then one read per connection.
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 3 });
});

it("still reports a key set that is gone, and the key sets of a connection that is gone", async () => {
  await emulator().admin.reset();
  await connectionWith(keySet(ACTIVE, "Associated"));
  await emulator().admin.clearRequests();
  const [active, standby] = await Promise.all([read(ACTIVE), read(STANDBY)]);
  expect(active.props).toMatchObject({ ckn: ACTIVE, status: "Associated" });
  expect(standby).toEqual({});
  expect(await read(ACTIVE, "pc-gone1")).toEqual({});
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 2 });
});

it("does not use an answer older than the window", async () => {
  expect((await read(ACTIVE)).props).toMatchObject({ status: "Associated" });
  await emulator().admin.reset();
  await connectionWith(keySet(ACTIVE, "Associated"));
  await emulator().admin.clearRequests();
  // Within the window the connection read a moment ago serves (it is what any read is by the time it is written).
  expect((await read(STANDBY)).props).toMatchObject({ status: "Disassociated" });
  expect(readsIn(await requests())).toBe(0);
  await sleep(REFRESH_SHARED_READ_MS);
  expect(await read(STANDBY)).toEqual({});
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it("keeps the connections of another account and another region apart", async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = OTHER.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = OTHER.secret;
  expect((await read(ACTIVE, "pc-other")).props).toMatchObject({ status: "Associated" });
  // The built-in account cannot see that connection, whatever the other account read a moment ago.
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  expect(await read(ACTIVE, "pc-other")).toEqual({});
  // The built-in account's connection does not answer for another region either.
  expect((await read(ACTIVE)).props).toMatchObject({ status: "Associated" });
  expect(await read(ACTIVE, PC, "cn-shanghai")).toEqual({});
});
