import { forgetProcessMemory } from "../../../src/common/process-memory";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { sleep } from "../../../src/clouds/retry";
import {
  CHECK_SHARED_READ_MS,
  SHARED_LISTING_MAX_ITEMS,
  forgetSharedReads,
} from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";

// The reads of check (issue #13): the engine checks a deployment's resources one after another, so the new key
// sets of a region's physical connections list the region's connections once per check pass
// (CHECK_SHARED_READ_MS), not one read each; in a region of more than SHARED_LISTING_MAX_ITEMS connections, each
// connection is read once. The quota of three key sets is judged as before, and a write of the deployment makes the
// next check of that connection read it again.

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const [K1, K2, K3, K4] = ["1A", "2B", "3C", "4D"].map((b) => b.repeat(16));
const CAK = "C0FFEE00C0FFEE00C0FFEE00C0FFEE07";

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
});

beforeEach(async () => {
  // Each test is a deployment of its own (a new provider process).
  forgetSharedReads();
  forgetProcessMemory("macsec-pending-creates");
  await emulator().admin.setDurations({ macsecTransition: 20 });
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      physicalConnections: ["pc-check1", "pc-check2"].map((physicalConnectionId) => ({
        physicalConnectionId,
        region: REGION,
        macsecKeys: [{ ckn: K1, cak: CAK, cipherSuite: "GCM-AES-128" }],
      })),
    },
  });
  // The client's modules load on the first call: not inside the window of the first shared read.
  await alibabaClient("vpc", REGION).call("DescribePhysicalConnections", {});
  await emulator().admin.clearRequests();
});

const args = (pc: string, ckn: string): Props => ({
  region: REGION,
  physicalConnectionId: pc,
  cipherSuite: "GCM-AES-128",
  ckn,
  cak: CAK,
});
const check = (pc: string, ckn: string) => provider.check({}, args(pc, ckn));
const requests = () => emulator().admin.requests();

/** Checks K2 and K3 on each connection, one after another, as the engine checks a deployment; none fails. */
async function checkTwoOnEach(): Promise<void> {
  for (const pc of ["pc-check1", "pc-check2"])
    for (const ckn of [K2, K3]) expect((await check(pc, ckn)).failures ?? []).toEqual([]);
}

it("checks 4 new key sets on 2 connections one after another with 1 listing", async () => {
  await checkTwoOnEach();
  // Before the shared listing: one DescribePhysicalConnections per check (4).
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it("still judges the quota of three key sets, counting the deployment's own new key sets", async () => {
  expect((await check("pc-check1", K2)).failures ?? []).toEqual([]);
  expect((await check("pc-check1", K3)).failures ?? []).toEqual([]);
  const fourth = await check("pc-check1", K4);
  expect(fourth.failures?.[0]).toMatchObject({
    property: "ckn",
    reason: expect.stringContaining(`pc-check1 already holds 1 key set(s) (CKN ${K1}), and this deployment`),
  });
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it("reads again after the deployment wrote to the region, and after the window", async () => {
  const checked = await check("pc-check1", K2);
  await provider.create(checked.inputs as Props);
  await emulator().admin.clearRequests();
  // The connection now holds K1 and K2: the check sees K2 stored (not pending), and counts it.
  expect((await check("pc-check1", K3)).failures ?? []).toEqual([]);
  const fourth = await check("pc-check1", K4);
  expect(fourth.failures?.[0].reason).toContain(`already holds 2 key set(s) (CKN ${K1}, ${K2})`);
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
  await sleep(CHECK_SHARED_READ_MS);
  expect((await check("pc-check2", K2)).failures ?? []).toEqual([]);
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 2 });
});

it("after a write on one connection reads that connection alone; the listing still serves the others", async () => {
  expect((await check("pc-check2", K2)).failures ?? []).toEqual([]);
  const checked = await check("pc-check1", K2);
  await provider.create(checked.inputs as Props);
  await emulator().admin.clearRequests();
  expect((await check("pc-check2", K3)).failures ?? []).toEqual([]);
  expect((await requests()).entries).toEqual([]);
  const fourth = await check("pc-check1", K4);
  expect(fourth.failures ?? []).toEqual([]);
  expect((await check("pc-check1", K3)).failures?.[0].reason).toContain(
    `already holds 2 key set(s) (CKN ${K1}, ${K2})`,
  );
  // pc-check1 alone, once: DescribePhysicalConnections with its id.
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 1 });
});

it(`reads each connection once in a region of more than ${SHARED_LISTING_MAX_ITEMS} connections`, async () => {
  await emulator().admin.loadFixtures({
    alibabaVpc: {
      physicalConnections: Array.from({ length: SHARED_LISTING_MAX_ITEMS }, (_, i) => ({
        physicalConnectionId: `pc-many${i}`,
        region: REGION,
      })),
    },
  });
  await emulator().admin.clearRequests();
  await checkTwoOnEach();
  // The region's first page (too many to list), then each connection alone, once (before: one read per check, 4).
  expect((await requests()).byAction).toEqual({ DescribePhysicalConnections: 3 });
});
