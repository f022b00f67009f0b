import { tencentClient } from "../../../src/clouds/tencent";
import { forgetProcessMemory } from "../../../src/common/process-memory";
import { SHARED_LISTING_MAX_ITEMS, forgetSharedReads } from "../../../src/common/shared-reads";
import { forgetDeployment } from "../../../src/resources/cmk/moves";
import * as provider from "../../../src/resources/cmk/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";

// The reads of check (issue #13): the checks of a deployment's Cmks in one region find the holders of their
// aliases in one listing of the region's keys (ListKeyDetail) instead of one alias search each. The listing serves
// the checks for CHECK_SHARED_READ_MS; a region it cannot list whole takes the alias searches; a key this process
// creates joins the listing, and one it renames (or a create that failed) makes the next check list again.

const REGION = "ap-guangzhou";

const emulator = useInProcessEmulator({ unset: ["KEYLINK_TENCENT_CMK_QUOTA"] });

beforeEach(async () => {
  // Each test is a deployment of its own (a new provider process).
  forgetSharedReads();
  forgetDeployment();
  forgetProcessMemory("tencent-kms-deployment");
  await provider.configure({ get: () => undefined });
  await tencentClient(REGION).call("CreateKey", { Alias: "taken" });
  await emulator().admin.clearRequests();
});

const check = (alias: string) => provider.check({}, { region: REGION, alias });
const listings = async () => (await emulator().admin.requests()).byAction.ListKeyDetail ?? 0;
/** Tencent refuses the next call of `action`, as for credentials whose policy does not allow it. */
const refuseOnce = (action: string) =>
  emulator().admin.injectFault({
    cloud: "tencent",
    action,
    code: "UnauthorizedOperation",
    httpStatus: 200,
    count: 1,
  });

it("checks the aliases of 3 new Cmks of one region with 1 listing", async () => {
  const [a, b, taken] = await Promise.all([check("check-a"), check("check-b"), check("taken")]);
  expect(a.failures ?? []).toEqual([]);
  expect(b.failures ?? []).toEqual([]);
  expect(taken.failures).toEqual([
    { property: "alias", reason: expect.stringContaining("'taken' is already used by CMK") },
  ]);
  // Before the listing: one ListKeyDetail search per alias (3).
  expect(await listings()).toBe(1);
});

it("searches each alias when the region cannot be listed", async () => {
  await refuseOnce("ListKeyDetail");
  const taken = await check("taken");
  expect(taken.failures?.map((f) => f.property)).toEqual(["alias"]);
  expect((await check("check-a")).failures ?? []).toEqual([]);
  // The refused listing is tried once for the window, then each alias is searched.
  expect(await listings()).toBe(3);
});

it(`searches each alias in a region of more than ${SHARED_LISTING_MAX_ITEMS} keys`, async () => {
  const many = Array.from({ length: SHARED_LISTING_MAX_ITEMS }, (_, i) => ({
    region: REGION,
    alias: `k${i}`,
  }));
  await emulator().admin.loadFixtures({ tencentKms: { quota: 1000, keys: many } });
  await emulator().admin.clearRequests();
  expect((await check("taken")).failures?.map((f) => f.property)).toEqual(["alias"]);
  expect((await check("k7")).failures?.map((f) => f.property)).toEqual(["alias"]);
  // The listing (one page: the region is too large to list whole), then one search per alias.
  expect(await listings()).toBe(3);
});

it("shows the checks after it a key this process created, without listing again", async () => {
  const inputs = (await check("check-a")).inputs as Record<string, unknown>;
  const { id } = await provider.create(inputs);
  expect((await check("check-b")).failures ?? []).toEqual([]);
  expect((await check("check-a")).failures).toEqual([
    {
      property: "alias",
      reason: expect.stringContaining(`'check-a' is already used by CMK ${id.split(":")[1]}`),
    },
  ]);
  expect(await listings()).toBe(1);
});

it("lists again after a create that failed: a key may exist even so", async () => {
  await refuseOnce("CreateKey");
  const inputs = (await check("check-a")).inputs as Record<string, unknown>;
  await expect(provider.create(inputs)).rejects.toThrow(/UnauthorizedOperation/);
  expect((await check("check-b")).failures ?? []).toEqual([]);
  expect(await listings()).toBe(2);
});
