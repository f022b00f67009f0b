// ReplicaKey through the real Pulumi CLI: replication signed for the right regions, no-change preview, a
// description changed out of band found and repaired, in-place description update, a new replica region replaces
// (the old replica is scheduled for deletion), a single-region primary refused at preview, a replica deleted out of
// band dropped by refresh and restored by up, destroy that deletes the replica, and no credential in output.
import { volcengineClient } from "../../src/clouds/volcengine";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

interface VolcKey {
  id: string;
  keyringName: string;
  keyName: string;
  keyState: string;
  multiRegionKeyType?: string;
  primaryRegion?: string;
  description: string;
}

type Inventory = { volcengineKms: { accounts: Record<string, Record<string, { keys: VolcKey[] }>> } };

const PRIMARY_REGION = "cn-beijing";
const ACCOUNT = E2E_ACCOUNT.account;

let e2e: E2ESuite;

/** The key named keyring/name in `region` of the E2E account, as the emulator holds it. */
async function keyIn(region: string, keyName = "mrk-orders"): Promise<VolcKey | undefined> {
  const inv = await e2e.emulator.admin.inventory<Inventory>();
  return inv.volcengineKms.accounts[ACCOUNT]?.[region]?.keys.find(
    (k) => k.keyringName === "orders" && k.keyName === keyName,
  );
}

/** Volcengine calls answered since the log was cleared, as "Action@signed-region". */
async function volcengineCalls(): Promise<string[]> {
  const report = await e2e.emulator.admin.requests();
  return report.entries.filter((e) => e.cloud === "volcengine").map((e) => `${e.action}@${e.region}`);
}

beforeAll(async () => {
  const key = { account: ACCOUNT, region: PRIMARY_REGION, keyringName: "orders" };
  e2e = await startE2E({
    example: "replica-key",
    fixtures: {
      volcengineKms: {
        keyrings: [{ account: ACCOUNT, region: PRIMARY_REGION, name: "orders" }],
        keys: [
          { ...key, keyName: "mrk-orders", multiRegion: true },
          { ...key, keyName: "orders-local", multiRegion: false },
        ],
      },
    },
    durations: { replicaCreate: 200 },
  });
});

afterAll(async () => {
  await e2e?.stop();
});

describe("ReplicaKey end to end, in order: each case starts from the stack the previous one left", () => {
  let keyId: string;

  it("replicates the primary into cn-shanghai on up, signing each call for the region it is about", async () => {
    await e2e.emulator.admin.clearRequests();
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    keyId = String(up.outputs.replicaKeyId.value);
    expect(keyId).toBe((await keyIn(PRIMARY_REGION))?.id);
    expect(up.outputs.keyState.value).toBe("Enable");
    expect(await keyIn("cn-shanghai")).toMatchObject({
      id: keyId,
      keyState: "Enable",
      multiRegionKeyType: "REPLICA",
      primaryRegion: PRIMARY_REGION,
      description: "Orders key, Shanghai replica",
    });
    const calls = await volcengineCalls();
    // ReplicateKey is the primary region's action; the replica is then read where it lives.
    expect(calls.filter((c) => c.startsWith("ReplicateKey"))).toEqual(["ReplicateKey@cn-beijing"]);
    expect(calls.slice(calls.indexOf("ReplicateKey@cn-beijing") + 1)).toContain("DescribeKey@cn-shanghai");
    // Besides the replicate and the key reads, only the region list (replicaRegion is checked against it).
    expect(
      calls.filter(
        (c) =>
          !c.startsWith("DescribeKey") && !c.startsWith("ReplicateKey") && !c.startsWith("DescribeRegions"),
      ),
    ).toEqual([]);
  });

  it("shows no changes on a second preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("finds a description changed out of band on preview --refresh, and up --refresh repairs it", async () => {
    await volcengineClient("cn-shanghai").call(
      "UpdateKey",
      // UpdateKey names the key by keyring and name, as the SDK's UpdateKeyInput does.
      { KeyringName: "orders", KeyName: "mrk-orders", Description: "changed by hand" },
      { method: "POST" },
    );
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ description\s*: "changed by hand" => "Orders key, Shanghai replica"/);
    await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect((await keyIn("cn-shanghai"))?.description).toBe("Orders key, Shanghai replica");
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("updates the description in place", async () => {
    await e2e.stack.setConfig("example:description", { value: "Orders key, replica for the east" });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(String(up.outputs.replicaKeyId.value)).toBe(keyId);
    expect(await keyIn("cn-shanghai")).toMatchObject({
      keyState: "Enable",
      description: "Orders key, replica for the east",
    });
  });

  it("replaces the replica when replicaRegion changes: new replica there, the old one pending deletion", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:replicaRegion", { value: "cn-guangzhou" });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(String(up.outputs.trn.value)).toBe(
      `trn:kms:cn-guangzhou:${ACCOUNT}:keyrings/orders/keys/mrk-orders`,
    );
    expect(await keyIn("cn-guangzhou")).toMatchObject({
      id: keyId,
      keyState: "Enable",
      multiRegionKeyType: "REPLICA",
      description: "Orders key, replica for the east",
    });
    expect((await keyIn("cn-shanghai"))?.keyState).toBe("PendingDelete");
    expect(await e2e.writesSince()).toEqual(["ReplicateKey", "ScheduleKeyDeletion"]);
    const calls = await volcengineCalls();
    expect(calls).toContain("ReplicateKey@cn-beijing");
    expect(calls).toContain("ScheduleKeyDeletion@cn-shanghai");
  });

  it("fails preview for a primary that is not multi-region, naming keyName, and makes no write", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:keyName", { value: "orders-local" });
    const message = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(message).toMatch(
      /keyName: Primary key 'orders\/orders-local' in cn-beijing .* is a single-region key/,
    );
    expect(await e2e.writesSince()).toEqual([]);
    expect(await keyIn("cn-guangzhou", "orders-local")).toBeUndefined();
    await e2e.stack.setConfig("example:keyName", { value: "mrk-orders" });
  });

  it("drops a replica deleted out of band on refresh, and up restores it", async () => {
    await volcengineClient("cn-guangzhou").call(
      "ScheduleKeyDeletion",
      { KeyID: keyId, PendingWindowInDays: 7 },
      { method: "POST" },
    );
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ create: 1 });
    await e2e.emulator.admin.clearRequests();
    const up = await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    // The pending replica still holds its name (ReplicateKey answers Conflict): it is verified as this primary's
    // replica and its deletion cancelled, which gives back the same key material.
    const calls = await volcengineCalls();
    expect(calls).toContain("ReplicateKey@cn-beijing");
    expect(calls).toContain("CancelKeyDeletion@cn-guangzhou");
    expect(await keyIn("cn-guangzhou")).toMatchObject({
      id: keyId,
      keyState: "Enable",
      description: "Orders key, replica for the east",
    });
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("keeps credentials out of state and CLI output", async () => {
    const exported = await e2e.exportState();
    const [replica] = resourcesOfType(exported, "ReplicaKey");
    expect(replica.id).toBe(`cn-guangzhou:${keyId}`);
    expect(replica.outputs?.primaryKeyRegion).toBe(PRIMARY_REGION);
    expect(String(replica.inputs?.__provider).length).toBeLessThan(4096);
    expectNoSecrets([exported, ...e2e.output], [E2E_ACCOUNT.secret]);
  });

  it("destroys: the replica is scheduled for deletion, not left behind, and the primary is untouched", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.destroy({ onOutput: e2e.onOutput });
    expect(await volcengineCalls()).toContain("ScheduleKeyDeletion@cn-guangzhou");
    expect(await e2e.writesSince()).toEqual(["ScheduleKeyDeletion"]);
    expect((await keyIn("cn-guangzhou"))?.keyState).toBe("PendingDelete");
    expect((await keyIn(PRIMARY_REGION))?.keyState).toBe("Enable");
  });
});
