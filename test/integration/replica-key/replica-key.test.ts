// The ReplicaKey provider's functions against the emulator, through the real Volcengine client over HTTP.
import { forgetSharedReads } from "../../../src/common/shared-reads";
import { volcengineClient } from "../../../src/clouds/volcengine";
import * as provider from "../../../src/resources/replica-key/provider";
import { forgetTakeovers } from "../../../src/resources/common/taken-over";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";
import { readsIn } from "../../support/request-counts";
import { DISABLED_ID, PRIMARY_ID, PRIMARY_KEYS, SINGLE_ID } from "../../support/volcengine-kms";

const REPLICA_ID = `cn-shanghai:${PRIMARY_ID}`;

const FIXTURES = { volcengineKms: PRIMARY_KEYS };

interface Key {
  ID: string;
  KeyState: string;
  Description: string;
  ScheduleDeleteTime: string;
  MultiRegionConfiguration: { MultiRegionKeyType: string; ReplicaKeys: Array<{ Region: string }> } | null;
}

const inProcess = useInProcessEmulator({ unset: ["VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"] });
let emulator: InProcessEmulator;

beforeEach(async () => {
  emulator = inProcess();
  // Each test is a deployment of its own (one provider process in Pulumi).
  forgetTakeovers();
  await emulator.admin.setDurations({ replicaCreate: 100 });
  await emulator.admin.loadFixtures(FIXTURES);
  await emulator.admin.clearRequests();
  // Each test is a deployment of its own: forget the regions read by the last one.
  forgetSharedReads();
});

const common = {
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
  description: "replica key",
  timeoutSeconds: 20,
};
const byName = { keyringName: "test", keyName: "mrk-test", ...common };

/** Checks the inputs as Pulumi would, then creates. */
async function checkedCreate(news: Record<string, unknown>) {
  const checked = await provider.check({}, news);
  expect(checked.failures ?? []).toEqual([]);
  return provider.create(checked.inputs as Record<string, unknown>);
}

async function describeIn(region: string, keyId = PRIMARY_ID): Promise<Key | undefined> {
  try {
    return (
      await volcengineClient(region).call<{ Key: Key }>("DescribeKey", { KeyID: keyId }, { retry: false })
    ).Key;
  } catch (e) {
    if ((e as { code?: string }).code === "Not Found") return undefined;
    throw e;
  }
}

async function requestsFor(action: string) {
  const log = (await emulator.admin.requests()) as {
    entries: Array<{ action: string; region: string; code?: string }>;
  };
  return log.entries.filter((e) => e.action === action);
}

describe("ReplicaKey check (preview)", () => {
  it("accepts an Enable multi-region primary", async () => {
    const res = await provider.check({}, byName);
    expect(res.failures ?? []).toEqual([]);
    expect(res.inputs).toMatchObject({ ...byName, pendingWindowInDays: 7 });
  });

  it.each([
    ["a single-region key", { keyId: SINGLE_ID }, "keyId", /single-region key and cannot be replicated/],
    ["a missing key", { keyringName: "test", keyName: "nope" }, "keyName", /does not exist/],
  ])("fails for %s, naming the field", async (_label, ref, property, reason) => {
    const res = await provider.check({}, { ...common, ...ref });
    expect(res.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("accepts a Disable primary: no source says ReplicateKey refuses one", async () => {
    expect((await provider.check({}, { ...common, keyId: DISABLED_ID })).failures ?? []).toEqual([]);
  });

  it("fails for a replicaRegion KMS does not offer (DescribeRegions, read once per deployment)", async () => {
    const res = await provider.check({}, { ...byName, replicaRegion: "eu-west-9" });
    expect(res.failures).toEqual([
      {
        property: "replicaRegion",
        reason: expect.stringMatching(/not offered in 'eu-west-9' \(DescribeRegions lists cn-beijing/),
      },
    ]);
    await provider.check({}, { ...byName, replicaRegion: "cn-guangzhou" });
    expect(await requestsFor("DescribeRegions")).toHaveLength(1);
  });

  it("fails for a replica used as a primary", async () => {
    await checkedCreate(byName);
    const res = await provider.check(
      {},
      { ...byName, primaryRegion: "cn-shanghai", replicaRegion: "cn-guangzhou" },
    );
    expect(res.failures?.[0].reason).toMatch(/is itself a replica.*in cn-beijing/);
  });

  it("fails when an unrelated key holds the name in the replica region", async () => {
    await emulator.admin.loadFixtures({
      volcengineKms: { keys: [{ region: "cn-shanghai", keyringName: "test", keyName: "mrk-test" }] },
    });
    const res = await provider.check({}, byName);
    expect(res.failures).toEqual([
      { property: "replicaRegion", reason: expect.stringMatching(/already holds key .* not a replica of/) },
    ]);
  });

  it("reads the primary once for its replicas checked one after another, a ReplicateKey in between", async () => {
    const regions = ["cn-shanghai", "cn-guangzhou", "cn-hongkong"];
    const primaryReads = async () =>
      (await requestsFor("DescribeKey")).filter((e) => e.region === "cn-beijing").length;
    for (const replicaRegion of regions)
      expect((await provider.check({}, { ...byName, replicaRegion })).failures ?? []).toEqual([]);
    // Before the shared read: one DescribeKey of the primary per check (3).
    expect(await primaryReads()).toBe(1);
    await provider.create((await provider.check({}, byName)).inputs as Record<string, unknown>);
    await emulator.admin.clearRequests();
    // The primary now lists the cn-shanghai replica, which no rule reads; the replica region's key is its own.
    expect((await provider.check({}, byName)).failures ?? []).toEqual([]);
    expect(await primaryReads()).toBe(0);
  });

  it("does not judge the primary again when nothing about it changes", async () => {
    const created = await checkedCreate(byName);
    await volcengineClient("cn-beijing").call("DisableKey", { KeyID: PRIMARY_ID });
    const olds = { ...byName, pendingWindowInDays: 7 };
    expect((await provider.check(olds, { ...byName, description: "x" })).failures ?? []).toEqual([]);
    // Naming the same primary by ID is no replacement either.
    const byId = { ...common, keyId: PRIMARY_ID };
    expect((await provider.check(olds, byId)).failures ?? []).toEqual([]);
    expect(
      await provider.diff(created.id, created.outs ?? {}, { ...byId, pendingWindowInDays: 7 }),
    ).toMatchObject({
      replaces: [],
    });
  });
});

describe("ReplicaKey create", () => {
  it("replicates by name, waits for the replica region, and signs each call for its region", async () => {
    // Longer than the pause before the first read, so that the wait has something to wait for.
    await emulator.admin.setDurations({ replicaCreate: 1000 });
    const { id, outs } = await checkedCreate(byName);
    expect(id).toBe(REPLICA_ID);
    expect(outs).toMatchObject({
      ...byName,
      replicaKeyId: PRIMARY_ID,
      trn: "trn:kms:cn-shanghai:1234567890:keyrings/test/keys/mrk-test",
      keyState: "Enable",
      multiRegionKeyType: "REPLICA",
      primaryKeyTrn: "trn:kms:cn-beijing:1234567890:keyrings/test/keys/mrk-test",
      primaryKeyRegion: "cn-beijing",
      description: "replica key",
    });
    expect((await requestsFor("ReplicateKey")).map((e) => e.region)).toEqual(["cn-beijing"]);
    const replicaReads = (await requestsFor("DescribeKey")).filter((e) => e.region === "cn-shanghai");
    // At least one read saw nothing yet (the replica propagates), then two in a row saw it Enable.
    expect(replicaReads.some((e) => e.code === "Not Found")).toBe(true);
    expect(replicaReads.filter((e) => e.code === undefined).length).toBeGreaterThanOrEqual(2);
    const primary = await describeIn("cn-beijing");
    expect(primary?.MultiRegionConfiguration?.ReplicaKeys.map((r) => r.Region)).toEqual(["cn-shanghai"]);
  });

  it("reads the cloud at most three times per replica on average, two reads in a row seeing it Enable", async () => {
    // The benchmark's propagation time (scripts/bench.ts).
    await emulator.admin.setDurations({ replicaCreate: 500 });
    const regions = ["cn-shanghai", "cn-guangzhou", "cn-hongkong"];
    const accepted = [];
    for (const replicaRegion of regions) {
      const res = await provider.check({}, { ...byName, replicaRegion });
      expect(res.failures ?? []).toEqual([]);
      accepted.push(res.inputs as Record<string, unknown>);
    }
    await emulator.admin.clearRequests();
    for (const a of accepted) expect((await provider.create(a)).outs?.keyState).toBe("Enable");
    const report = await emulator.admin.requests();
    for (const region of regions) {
      const reads = report.entries.filter((e) => e.action === "DescribeKey" && e.region === region);
      expect(reads.filter((e) => e.code === undefined).length).toBeGreaterThanOrEqual(2);
    }
    expect(readsIn(report) / regions.length).toBeLessThanOrEqual(3);
  });

  it("replicates by key ID", async () => {
    const { id, outs } = await checkedCreate({ ...common, keyId: PRIMARY_ID, description: "" });
    expect(id).toBe(REPLICA_ID);
    expect(outs).toMatchObject({ keyId: PRIMARY_ID, description: "", keyState: "Enable" });
    expect(outs).not.toHaveProperty("keyName");
  });

  it("adopts a replica created out of band, and sets its description", async () => {
    await volcengineClient("cn-beijing").call("ReplicateKey", {
      KeyID: PRIMARY_ID,
      ReplicaRegion: "cn-shanghai",
      Description: "made by hand",
    });
    const { id, outs } = await checkedCreate(byName);
    expect(id).toBe(REPLICA_ID);
    expect(outs).toMatchObject({
      keyState: "Enable",
      description: "replica key",
      multiRegionKeyType: "REPLICA",
    });
    expect((await requestsFor("ReplicateKey")).map((e) => e.code)).toEqual([undefined, "Conflict"]);
    expect((await describeIn("cn-shanghai"))?.Description).toBe("replica key");
  });

  it("adopts the replica of a create that timed out, when retried", async () => {
    await emulator.admin.setDurations({ replicaCreate: 60_000 });
    await expect(provider.create({ ...byName, timeoutSeconds: 1 })).rejects.toThrow(
      /Timed out .* waiting for replica key .* to be Enable in cn-shanghai.*timeoutSeconds/,
    );
    await emulator.admin.advanceClock(60_000);
    const { id, outs } = await provider.create(byName);
    expect(id).toBe(REPLICA_ID);
    expect(outs?.keyState).toBe("Enable");
  });

  it("restores its own replica left pending deletion by an earlier destroy", async () => {
    const first = await checkedCreate(byName);
    await provider.destroy(first.id, first.outs ?? {});
    expect((await describeIn("cn-shanghai"))?.KeyState).toBe("PendingDelete");
    const again = await checkedCreate(byName);
    expect(again.outs?.keyState).toBe("Enable");
    expect((await requestsFor("CancelKeyDeletion")).map((e) => e.region)).toEqual(["cn-shanghai"]);
  });

  it("refuses to adopt a key that is not a replica of this primary", async () => {
    await emulator.admin.loadFixtures({
      volcengineKms: { keys: [{ region: "cn-shanghai", keyringName: "test", keyName: "mrk-test" }] },
    });
    await expect(provider.create(byName)).rejects.toThrow(
      /Cannot create the replica: replicaRegion cn-shanghai already holds key .* single-region/,
    );
  });

  it("keeps the cloud's code and request id and adds what to do", async () => {
    await volcengineClient("cn-beijing").call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID });
    await expect(provider.create(byName)).rejects.toThrow(
      /Volcengine ReplicateKey failed with InvalidKeyStatus: .*request id .*in a state ReplicateKey refuses.*CancelKeyDeletion/,
    );
    await expect(provider.create({ ...byName, replicaRegion: "eu-west-9" })).rejects.toThrow(
      /InvalidReplicaRegion.*replicaRegion 'eu-west-9' cannot hold a replica/,
    );
  });

  it("retries ReplicateKey while it is throttled", async () => {
    await emulator.admin.injectFault({
      cloud: "volcengine",
      action: "ReplicateKey",
      code: "Reject.Throttling.Action",
      httpStatus: 403,
      message: "The request of Action: ReplicateKey upper limit is exceeded.",
      count: 2,
    });
    const { outs } = await checkedCreate(byName);
    expect(outs?.keyState).toBe("Enable");
    expect((await requestsFor("ReplicateKey")).map((e) => e.code)).toEqual([
      "Reject.Throttling.Action",
      "Reject.Throttling.Action",
      undefined,
    ]);
  });
});

describe("ReplicaKey read, update, delete", () => {
  it("shows a description changed out of band as drift, and update repairs it", async () => {
    const { id, outs } = await checkedCreate(byName);
    await volcengineClient("cn-shanghai").call("UpdateKey", {
      KeyringName: "test",
      KeyName: "mrk-test",
      Description: "tampered",
    });
    const read = await provider.read(id, outs ?? {});
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ description: "tampered", keyState: "Enable" });
    expect(read.inputs).toMatchObject({ ...byName, description: "tampered" });

    const checked = await provider.check(read.inputs ?? {}, byName);
    const diff = await provider.diff(id, read.props ?? {}, checked.inputs ?? {});
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider.update(id, read.props ?? {}, checked.inputs ?? {});
    expect(updated.outs).toMatchObject({ description: "replica key" });
    expect((await describeIn("cn-shanghai"))?.Description).toBe("replica key");
    expect((await requestsFor("UpdateKey")).map((e) => e.region)).toEqual(["cn-shanghai", "cn-shanghai"]);
  });

  it("replaces on a change of replicaRegion", async () => {
    const { id, outs } = await checkedCreate(byName);
    const diff = await provider.diff(id, outs ?? {}, {
      ...byName,
      replicaRegion: "cn-guangzhou",
      pendingWindowInDays: 7,
    });
    expect(diff.replaces).toEqual(["replicaRegion"]);
  });

  it("destroy leaves the replica pending deletion with the window asked for; read then finds it gone", async () => {
    const { id, outs } = await checkedCreate({ ...byName, pendingWindowInDays: 30 });
    const before = Date.now();
    await provider.destroy(id, outs ?? {});
    const replica = await describeIn("cn-shanghai");
    expect(replica?.KeyState).toBe("PendingDelete");
    expect(Date.parse(replica?.ScheduleDeleteTime ?? "")).toBeGreaterThanOrEqual(
      before + 30 * 86400_000 - 5000,
    );
    expect((await requestsFor("ScheduleKeyDeletion")).map((e) => e.region)).toEqual(["cn-shanghai"]);
    // The primary is untouched and no longer lists it.
    const primary = await describeIn("cn-beijing");
    expect(primary?.KeyState).toBe("Enable");
    expect(primary?.MultiRegionConfiguration?.ReplicaKeys).toEqual([]);
    expect(await provider.read(id, outs ?? {})).toEqual({});
    // A second destroy has nothing to do.
    await provider.destroy(id, outs ?? {});
    expect(await requestsFor("ScheduleKeyDeletion")).toHaveLength(1);
  });

  it("treats a replica deleted out of band as gone", async () => {
    const { id, outs } = await checkedCreate(byName);
    // GET, with the window as a query string.
    await volcengineClient("cn-shanghai").call(
      "ScheduleKeyDeletion",
      { KeyID: PRIMARY_ID, PendingWindowInDays: 7 },
      { method: "GET" },
    );
    expect(await provider.read(id, outs ?? {})).toEqual({});
    await expect(provider.update(id, outs ?? {}, { ...byName, description: "x" })).rejects.toThrow(
      /is gone .*pulumi refresh/,
    );
    await emulator.admin.advanceClock(7 * 86_400_000);
    expect(await describeIn("cn-shanghai")).toBeUndefined();
    await provider.destroy(id, outs ?? {});
  });
});

describe("ReplicaKey credentials", () => {
  const SECRET = "replica-test-secret-0123456789";

  afterEach(() => {
    delete process.env.VOLCENGINE_ACCESS_KEY;
    delete process.env.VOLCENGINE_SECRET_KEY;
  });

  it("works in the signing account's own keys and never shows the access key secret", async () => {
    await emulator.admin.loadFixtures({
      accounts: [{ accessKeyId: "AKLTreplica", secret: SECRET, account: "2100042018" }],
      volcengineKms: {
        keys: [
          {
            account: "2100042018",
            region: "cn-beijing",
            keyringName: "test",
            keyName: "mrk-test",
            id: PRIMARY_ID,
            multiRegion: true,
          },
        ],
      },
    });
    process.env.VOLCENGINE_ACCESS_KEY = "AKLTreplica";
    process.env.VOLCENGINE_SECRET_KEY = SECRET;
    const { outs } = await checkedCreate(byName);
    expect(outs?.trn).toBe("trn:kms:cn-shanghai:2100042018:keyrings/test/keys/mrk-test");
    const failure = await provider.create({ ...byName, keyName: "nope" }).catch((e: Error) => e);
    expect(String(failure)).toMatch(/Not Found.*No primary key 'test\/nope' in cn-beijing/);
    const checked = await provider.check({}, { ...byName, keyName: "mrk-off" });
    for (const text of [JSON.stringify(outs), String(failure), JSON.stringify(checked)]) {
      expect(text).not.toContain(SECRET);
    }
  });
});
