import { tencentClient } from "../../../src/clouds/tencent";
import { sleep } from "../../../src/clouds/retry";
import { REFRESH_SHARED_READ_MS, forgetSharedReads } from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/cmk/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";
import { readsIn } from "../../support/request-counts";

// The reads of refresh (issue #13): the Cmks of one region, read by one refresh, list the region's keys once
// (ListKeyDetail) instead of describing each key. The listing serves for REFRESH_SHARED_READ_MS, is kept apart
// per account and region, and never hides a key that is gone, nor one it does not show.

const REGION = "ap-guangzhou";
const OTHER = { accessKeyId: "AKIDrefreshcmk", secret: "refresh-cmk-secret", account: "100000000045" };

const emulator = useInProcessEmulator({
  unset: ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "KEYLINK_TENCENT_CMK_QUOTA"],
});

const kms = (region = REGION) => tencentClient(region);
const createKey = async (alias: string, region = REGION) =>
  (await kms(region).call<{ KeyId: string }>("CreateKey", { Alias: alias, Description: `${alias} key` }))
    .KeyId;

let keys: string[];

beforeEach(async () => {
  // Each test is a refresh of its own (a new provider process): no listing shared from the last test.
  forgetSharedReads();
  await provider.configure({ get: () => undefined });
  await emulator().admin.loadFixtures({ accounts: [OTHER] });
  keys = [];
  for (const alias of ["refresh-a", "refresh-b", "refresh-c"]) keys.push(await createKey(alias));
  await emulator().admin.clearRequests();
});

afterEach(() => {
  delete process.env.TENCENTCLOUD_SECRET_ID;
  delete process.env.TENCENTCLOUD_SECRET_KEY;
});

/** read() of key `keyId` as the state recorded it. */
const read = (keyId: string, region = REGION) =>
  provider.read(`${region}:${keyId}`, { region, alias: "recorded", description: "recorded" });

const requests = () => emulator().admin.requests();

it("reads 3 keys of one region at once with 1 call", async () => {
  const read3 = await Promise.all(keys.map((k) => read(k)));
  expect(read3.map((r) => [r.id, r.props?.alias, r.props?.description])).toEqual(
    ["refresh-a", "refresh-b", "refresh-c"].map((alias, i) => [
      `${REGION}:${keys[i]}`,
      alias,
      `${alias} key`,
    ]),
  );
  // Before the listing: one DescribeKey per key (3).
  expect((await requests()).byAction).toEqual({ ListKeyDetail: 1 });
});

it("reports a key pending deletion as gone, and describes a key the listing does not show", async () => {
  await kms().call("DisableKey", { KeyId: keys[1] });
  await kms().call("ScheduleKeyDeletion", { KeyId: keys[1], PendingWindowInDays: 7 });
  await emulator().admin.clearRequests();
  const [a, b, missing] = await Promise.all([
    read(keys[0]),
    read(keys[1]),
    read("00000000-0000-0000-0000-000000000000"),
  ]);
  expect(a.props).toMatchObject({ keyId: keys[0], keyState: "Enabled" });
  expect(b).toEqual({});
  expect(missing).toEqual({});
  expect((await requests()).byAction).toEqual({ ListKeyDetail: 1, DescribeKey: 1 });
});

it("does not use an answer older than the window", async () => {
  expect((await read(keys[0])).props).toMatchObject({ keyState: "Enabled" });
  await kms().call("DisableKey", { KeyId: keys[0] });
  await emulator().admin.clearRequests();
  // Within the window the listing of a moment ago serves (it is what any read is by the time it is written).
  expect((await read(keys[0])).props).toMatchObject({ keyState: "Enabled" });
  expect(readsIn(await requests())).toBe(0);
  await sleep(REFRESH_SHARED_READ_MS);
  expect((await read(keys[0])).props).toMatchObject({ keyState: "Disabled" });
  expect((await requests()).byAction).toEqual({ ListKeyDetail: 1 });
});

it("describes each key when the region cannot be listed", async () => {
  await emulator().admin.injectFault({
    cloud: "tencent",
    action: "ListKeyDetail",
    code: "UnauthorizedOperation",
    httpStatus: 200,
  });
  const read3 = await Promise.all(keys.map((k) => read(k)));
  expect(read3.map((r) => r.props?.keyId)).toEqual(keys);
  // The refused listing is tried once for the window, not once per key.
  expect((await requests()).byAction).toEqual({ ListKeyDetail: 1, DescribeKey: 3 });
});

it("keeps the keys of another account and another region apart", async () => {
  process.env.TENCENTCLOUD_SECRET_ID = OTHER.accessKeyId;
  process.env.TENCENTCLOUD_SECRET_KEY = OTHER.secret;
  const theirs = await createKey("refresh-theirs");
  expect((await read(theirs)).props).toMatchObject({ alias: "refresh-theirs" });
  // The built-in account cannot see that key, whatever the other account listed a moment ago.
  delete process.env.TENCENTCLOUD_SECRET_ID;
  delete process.env.TENCENTCLOUD_SECRET_KEY;
  expect(await read(theirs)).toEqual({});
  // The built-in account's key does not answer for another region either.
  expect((await read(keys[0])).props).toMatchObject({ alias: "refresh-a" });
  expect(await read(keys[0], "ap-shanghai")).toEqual({});
});
