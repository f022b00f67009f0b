// The Cmk provider's functions against the emulator started in-process, through the real Tencent clients
// (API 3.0 over TC3, and the legacy v2 CreateKey). The helpers below play the engine's part: check, then
// create, or diff then update or replace.
import { tencentClient } from "../../../src/clouds/tencent";
import { forgetProcessMemory } from "../../../src/common/process-memory";
import { forgetSharedReads } from "../../../src/common/shared-reads";
import { forgetDeployment } from "../../../src/resources/cmk/moves";
import { forgetTakeovers } from "../../../src/resources/common/taken-over";
import * as provider from "../../../src/resources/cmk/provider";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";

type Props = Record<string, unknown>;

const REGION = "ap-guangzhou";
const emulator = useInProcessEmulator({ unset: ["KEYLINK_TENCENT_CMK_QUOTA"] });
let emu: InProcessEmulator;

beforeEach(async () => {
  emu = emulator();
  await provider.configure({ get: () => undefined });
  // Each test is a deployment of its own: forget what the last one read (quota, algorithms, pending creates, the
  // region's keys its checks listed).
  forgetProcessMemory("tencent-kms-deployment");
  forgetSharedReads();
});

const kms = () => tencentClient(REGION);

async function describeKey(keyId: string): Promise<Props> {
  return (await kms().call<{ KeyMetadata: Props }>("DescribeKey", { KeyId: keyId })).KeyMetadata;
}

/** The deletion date is the window after the schedule, which came within seconds of the creation. */
function expectWindow(meta: Props, days: number): void {
  const delta = (meta.DeletionDate as number) - (meta.CreateTime as number) - days * 86_400;
  expect(delta).toBeGreaterThanOrEqual(0);
  expect(delta).toBeLessThan(10);
}

/** Each `up` below is a deployment of its own: in Pulumi, a provider process of its own. */
function newDeployment(): void {
  forgetDeployment();
  forgetTakeovers();
  forgetSharedReads();
}

/** check + create, as `pulumi up` does for a new resource. */
async function up(args: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
  newDeployment();
  const checked = await provider.check({}, args);
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs as Props;
  const created = await provider.create(inputs);
  return { id: created.id, outs: created.outs as Props, inputs };
}

/** check + diff + update or replace, as `pulumi up` does for an existing resource. */
async function change(
  current: { id: string; outs: Props; inputs: Props },
  args: Props,
): Promise<{ id: string; outs: Props; inputs: Props; replaced: boolean; deleteBeforeReplace: boolean }> {
  newDeployment();
  const checked = await provider.check(current.inputs, args);
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs as Props;
  const d = await provider.diff(current.id, current.outs, inputs);
  if (!d.changes) return { ...current, replaced: false, deleteBeforeReplace: false };
  if (d.replaces && d.replaces.length > 0) {
    const dbr = d.deleteBeforeReplace === true;
    if (dbr) await provider.destroy(current.id, current.outs);
    const created = await provider.create(inputs);
    if (!dbr) await provider.destroy(current.id, current.outs);
    return { id: created.id, outs: created.outs as Props, inputs, replaced: true, deleteBeforeReplace: dbr };
  }
  const updated = await provider.update(current.id, current.outs, inputs);
  return { id: current.id, outs: updated.outs as Props, inputs, replaced: false, deleteBeforeReplace: false };
}

describe("Cmk against the emulator: create and read", () => {
  it("creates through API 3.0 and reads it back", async () => {
    const r = await up({ region: REGION, alias: "app-key", description: "for the app" });
    const keyId = r.outs.keyId as string;
    expect(r.id).toBe(`${REGION}:${keyId}`);
    expect(r.outs).toMatchObject({
      alias: "app-key",
      description: "for the app",
      keyUsage: "ENCRYPT_DECRYPT",
      type: "kms-generated",
      enabled: true,
      keyState: "Enabled",
      origin: "TENCENT_KMS",
      api: "3.0",
      pendingWindowInDays: 7,
    });
    expect(await describeKey(keyId)).toMatchObject({ Alias: "app-key", KeyState: "Enabled" });
    const read = await provider.read(r.id, r.outs);
    expect(read.id).toBe(r.id);
    expect(read.props).toEqual(r.outs);
  });

  it("creates through the legacy v2 CreateKey; the key is the same for API 3.0", async () => {
    const r = await up({ region: "ap-shanghai", alias: "legacy-key", api: "legacy-v2", type: "quantum" });
    const keyId = r.outs.keyId as string;
    const meta = (
      await tencentClient("ap-shanghai").call<{ KeyMetadata: Props }>("DescribeKey", { KeyId: keyId })
    ).KeyMetadata;
    expect(meta).toMatchObject({ Alias: "legacy-key", KeyUsage: "ENCRYPT_DECRYPT", Origin: "TENCENT_KMS" });
    expect(r.outs).toMatchObject({ api: "legacy-v2", type: "quantum", keyUsage: "ENCRYPT_DECRYPT" });
    const inventory = (await emu.admin.inventory()) as { tencentKms: { keys: Props[] } };
    expect(inventory.tencentKms.keys).toEqual([
      expect.objectContaining({
        keyId,
        region: "ap-shanghai",
        createdWith: "legacy-v2",
        legacyType: "quantum",
      }),
    ]);
    // Only CreateKey went through the legacy API (which names the region by its short code).
    const log = await emu.admin.requests();
    const legacy = log.entries.filter((e) => e.region === "sh").map((e) => e.action);
    expect(legacy).toEqual(["CreateKey"]);
  });

  it("creates a disabled key when enabled is false, and an external key waiting for material", async () => {
    const off = await up({ region: REGION, alias: "off", enabled: false });
    expect(off.outs).toMatchObject({ keyState: "Disabled", enabled: false });
    const ext = await up({ region: REGION, alias: "ext", type: "external" });
    expect(ext.outs).toMatchObject({
      keyState: "PendingImport",
      origin: "EXTERNAL",
      type: "external",
      enabled: true,
    });
  });

  it("retries a transient CreateKey failure and creates one key", async () => {
    await emu.admin.injectFault({ action: "CreateKey", cloud: "tencent", code: "InternalError", count: 1 });
    const r = await up({ region: REGION, alias: "retried" });
    const list = await kms().call<{ TotalCount: number }>("ListKeyDetail", { KeyUsage: "ALL", Limit: 10 });
    expect(list.TotalCount).toBe(1);
    expect(r.outs.alias).toBe("retried");
    const creates = (await emu.admin.requests()).entries.filter((e) => e.action === "CreateKey");
    expect(creates.map((e) => e.code)).toEqual(["InternalError", undefined]);
  });
});

describe("Cmk against the emulator: cloud reads of a create (issue #13)", () => {
  const isRead = (action: string) => /^(Describe|List|Get)/.test(action);

  it("creates ten keys with at most three cloud reads per resource, and outputs a fresh read agrees with", async () => {
    newDeployment();
    const specs: Props[] = Array.from({ length: 10 }, (_, i) => ({
      region: REGION,
      alias: `bulk-${i}`,
      description: i % 2 ? `key ${i}` : "",
      enabled: i % 3 !== 0,
      ...(i === 9 ? { api: "legacy-v2" } : {}),
      ...(i === 8 ? { type: "external" } : {}),
    }));
    await emu.admin.clearRequests();
    // As `pulumi up` does: each resource is checked, then created.
    const created: Array<{ id: string; outs: Props }> = [];
    for (const args of specs) {
      const checked = await provider.check({}, args);
      expect(checked.failures ?? []).toEqual([]);
      const r = await provider.create(checked.inputs as Props);
      created.push({ id: r.id, outs: r.outs as Props });
    }
    const reads = (await emu.admin.requests()).entries.filter((e) => isRead(e.action));
    // GetServiceStatus and ListAlgorithms once for the region, and one ListKeyDetail for the checks' aliases: a
    // key created joins it, but a DisableKey (i % 3 === 0) makes the next check list again.
    const disabledBeforeACheck = specs.slice(0, -1).filter((s) => s.enabled === false).length;
    expect(reads.length).toBe(2 + 1 + disabledBeforeACheck);
    expect(reads.length).toBeLessThanOrEqual(3 * specs.length);
    // What create reported without reading is what the cloud shows.
    for (const c of created) expect((await provider.read(c.id, c.outs)).props).toEqual(c.outs);
    expect(created.map((c) => c.outs.keyState)).toEqual([
      "Disabled",
      "Enabled",
      "Enabled",
      "Disabled",
      "Enabled",
      "Enabled",
      "Disabled",
      "Enabled",
      "PendingImport",
      "Disabled",
    ]);
  });
});

describe("Cmk against the emulator: preview failures", () => {
  it("an alias taken by another key fails check naming alias", async () => {
    const other = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "taken" });
    const r = await provider.check({}, { region: REGION, alias: "taken" });
    expect(r.failures).toEqual([
      {
        property: "alias",
        reason: expect.stringContaining(
          `'taken' is already used by CMK ${other.KeyId} (Enabled) in ${REGION}`,
        ),
      },
    ]);
    // The same alias elsewhere is fine.
    expect((await provider.check({}, { region: "ap-beijing", alias: "taken" })).failures).toBeUndefined();
  });

  it("an alias held by a key pending deletion (deleted out of band) fails check", async () => {
    const { KeyId } = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "ghost" });
    await kms().call("DisableKey", { KeyId });
    await kms().call("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    const r = await provider.check({}, { region: REGION, alias: "ghost" });
    expect(r.failures?.[0].property).toBe("alias");
    expect(r.failures?.[0].reason).toMatch(/pending deletion until .* and keeps its alias/);
  });

  it("renaming onto a taken alias fails check; renaming in place works", async () => {
    await kms().call("CreateKey", { Alias: "someone-else" });
    const r = await up({ region: REGION, alias: "mine" });
    await expect(change(r, { region: REGION, alias: "someone-else" })).rejects.toThrow(/"property":"alias"/);
    const renamed = await change(r, { region: REGION, alias: "mine-2" });
    expect(renamed.replaced).toBe(false);
    expect((await describeKey(r.outs.keyId as string)).Alias).toBe("mine-2");
  });

  it("a full quota (configured, keys pending deletion included) fails check for a create", async () => {
    await emu.admin.loadFixtures({
      tencentKms: {
        quota: 2,
        keys: [
          { region: REGION, alias: "q1" },
          { region: REGION, alias: "q2", keyState: "PendingDelete" },
        ],
      },
    });
    await provider.configure({ get: (k: string) => (k === "keylink:tencentCmkQuota" ? "2" : undefined) });
    const r = await provider.check({}, { region: REGION, alias: "q3" });
    expect(r.failures).toEqual([
      {
        property: "region",
        reason: expect.stringMatching(/already has 2 CMKs in ap-guangzhou and its CMK quota is 2/),
      },
    ]);
    // The cloud agrees.
    await expect(kms().call("CreateKey", { Alias: "q3" })).rejects.toMatchObject({
      code: "LimitExceeded.CmkLimitExceeded",
    });
    // Other regions have their own quota.
    expect((await provider.check({}, { region: "ap-beijing", alias: "q3" })).failures).toBeUndefined();
  });

  it("the quota is GetServiceStatus's CmkLimit, one for both APIs, read once per region per deployment", async () => {
    await emu.admin.loadFixtures({ tencentKms: { quota: 3, keys: [{ region: REGION, alias: "k0" }] } });
    expect((await provider.check({}, { region: REGION, alias: "new-1" })).failures).toBeUndefined();
    expect(
      (await provider.check({}, { region: REGION, alias: "new-2", api: "legacy-v2" })).failures,
    ).toBeUndefined();
    // The third new key of this deployment would be the fourth in the region.
    const third = await provider.check({}, { region: REGION, alias: "new-3" });
    expect(third.failures).toEqual([
      {
        property: "region",
        reason: expect.stringMatching(
          /already has 1 CMKs in ap-guangzhou, this deployment creates 2 more,.*quota is 3/,
        ),
      },
    ]);
    // A second check of the same resource does not count it twice.
    expect(
      (await provider.check({}, { region: REGION, alias: "new-2", api: "legacy-v2" })).failures,
    ).toBeUndefined();
    const statusCalls = (await emu.admin.requests()).entries.filter((e) => e.action === "GetServiceStatus");
    expect(statusCalls).toHaveLength(1);
  });

  it("keyUsage is judged against ListAlgorithms of the region, read once per deployment", async () => {
    await emu.admin.loadFixtures({
      tencentKms: {
        algorithms: {
          SymmetricAlgorithms: [{ KeyUsage: "ENCRYPT_DECRYPT", Algorithm: "SM4" }],
          AsymmetricAlgorithms: [{ KeyUsage: "ASYMMETRIC_DECRYPT_RSA_3072", Algorithm: "RSA_3072" }],
          AsymmetricSignVerifyAlgorithms: [],
        },
      },
    });
    // A usage the package never listed is accepted because the region offers it ...
    const ok = await up({ region: REGION, alias: "rsa-3072", keyUsage: "ASYMMETRIC_DECRYPT_RSA_3072" });
    expect(ok.outs.keyUsage).toBe("ASYMMETRIC_DECRYPT_RSA_3072");
    // ... and one the region does not offer fails at preview, naming what it offers.
    const r = await provider.check(
      {},
      { region: REGION, alias: "sm2", keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" },
    );
    expect(r.failures).toEqual([
      {
        property: "keyUsage",
        reason: expect.stringMatching(
          /not offered in ap-guangzhou; ListAlgorithms lists ENCRYPT_DECRYPT, ASYMMETRIC_DECRYPT_RSA_3072/,
        ),
      },
    ]);
    await expect(
      kms().call("CreateKey", { Alias: "sm2", KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" }),
    ).rejects.toMatchObject({
      code: "InvalidParameterValue.InvalidKeyUsage",
    });
    const calls = (await emu.admin.requests()).entries.filter((e) => e.action === "ListAlgorithms");
    expect(calls).toHaveLength(1);
  });

  it("a key in a finance-zone region (ap-shanghai-fsi) is created, read and deleted", async () => {
    const r = await up({ region: "ap-shanghai-fsi", alias: "fsi-key" });
    expect(r.id).toMatch(/^ap-shanghai-fsi:/);
    const read = await provider.read(r.id, r.outs);
    expect(read.props).toMatchObject({ region: "ap-shanghai-fsi", alias: "fsi-key" });
    await provider.destroy(r.id, r.outs);
  });
});

describe("Cmk against the emulator: update, replace, drift, destroy", () => {
  it("a replacement that keeps the alias deletes first and frees the alias", async () => {
    const r = await up({ region: REGION, alias: "rotating" });
    const oldKeyId = r.outs.keyId as string;
    const next = await change(r, {
      region: REGION,
      alias: "rotating",
      keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2",
    });
    expect(next).toMatchObject({ replaced: true, deleteBeforeReplace: true });
    expect(next.outs).toMatchObject({
      alias: "rotating",
      keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2",
      keyState: "Enabled",
    });
    expect(next.outs.keyId).not.toBe(oldKeyId);
    const old = await describeKey(oldKeyId);
    expect(old.KeyState).toBe("PendingDelete");
    expect(old.Alias).toMatch(/^rotating-deleted-/);
  });

  it("a replacement with a new alias creates first", async () => {
    const r = await up({ region: REGION, alias: "blue" });
    const next = await change(r, { region: REGION, alias: "green", type: "external" });
    expect(next).toMatchObject({ replaced: true, deleteBeforeReplace: false });
    expect((await describeKey(r.outs.keyId as string)).KeyState).toBe("PendingDelete");
  });

  it("out-of-band DisableKey and UpdateKeyDescription show as drift, and update repairs them", async () => {
    const args = { region: REGION, alias: "drifty", description: "managed" };
    const r = await up(args);
    const keyId = r.outs.keyId as string;
    await kms().call("DisableKey", { KeyId: keyId });
    await kms().call("UpdateKeyDescription", { KeyId: keyId, Description: "hand edited" });

    const refreshed = await provider.read(r.id, r.outs);
    expect(refreshed.props).toMatchObject({
      enabled: false,
      description: "hand edited",
      keyState: "Disabled",
    });
    expect(refreshed.inputs).toMatchObject({ enabled: false, description: "hand edited" });

    const state = { id: r.id, outs: refreshed.props as Props, inputs: refreshed.inputs as Props };
    const d = await provider.diff(
      r.id,
      state.outs,
      (await provider.check(state.inputs, args)).inputs as Props,
    );
    expect(d).toMatchObject({ changes: true, replaces: [] });
    const repaired = await change(state, args);
    expect(repaired.outs).toMatchObject({ enabled: true, description: "managed", keyState: "Enabled" });
    expect(await describeKey(keyId)).toMatchObject({ KeyState: "Enabled", Description: "managed" });
  });

  it("update toggles enabled and records pendingWindowInDays without a call", async () => {
    const r = await up({ region: REGION, alias: "toggle" });
    const off = await change(r, { region: REGION, alias: "toggle", enabled: false, pendingWindowInDays: 30 });
    expect(off.outs).toMatchObject({ enabled: false, keyState: "Disabled", pendingWindowInDays: 30 });
    await provider.destroy(off.id, off.outs);
    const meta = await describeKey(r.outs.keyId as string);
    expectWindow(meta, 30);
  });

  it("destroy leaves the key PendingDelete with its alias freed, and the resource gone", async () => {
    const r = await up({ region: REGION, alias: "short-lived", pendingWindowInDays: 10 });
    const keyId = r.outs.keyId as string;
    await provider.destroy(r.id, r.outs);
    const meta = await describeKey(keyId);
    expect(meta.KeyState).toBe("PendingDelete");
    expect(meta.Alias).not.toBe("short-lived");
    expectWindow(meta, 10);
    expect(await provider.read(r.id, r.outs)).toEqual({});
    // Destroy again is a no-op, and the alias can be used again at once.
    await provider.destroy(r.id, r.outs);
    const again = await up({ region: REGION, alias: "short-lived" });
    expect(again.outs.keyId).not.toBe(keyId);
  });

  it("a key scheduled for deletion or removed out of band is gone for read", async () => {
    const r = await up({ region: REGION, alias: "vanishing" });
    const keyId = r.outs.keyId as string;
    await kms().call("DisableKey", { KeyId: keyId });
    await kms().call("ScheduleKeyDeletion", { KeyId: keyId, PendingWindowInDays: 7 });
    expect(await provider.read(r.id, r.outs)).toEqual({});
    await emu.admin.advanceClock(7 * 86_400_000);
    expect(await provider.read(r.id, r.outs)).toEqual({});
    await expect(provider.update(r.id, r.outs, r.inputs)).rejects.toThrow(/no longer exists.*pulumi refresh/);
  });

  it("import: read with only the id gives inputs that a program can match", async () => {
    const { KeyId } = await kms().call<{ KeyId: string }>("CreateKey", {
      Alias: "adopted",
      Description: "d",
    });
    const read = await provider.read(`${REGION}:${KeyId}`, {});
    expect(read.inputs).toEqual({
      region: REGION,
      alias: "adopted",
      description: "d",
      keyUsage: "ENCRYPT_DECRYPT",
      type: "kms-generated",
      enabled: true,
      pendingWindowInDays: 7,
      api: "3.0",
    });
    const d = await provider.diff(
      read.id!,
      read.props!,
      (await provider.check(read.inputs!, { region: REGION, alias: "adopted", description: "d" }))
        .inputs as Props,
    );
    expect(d.changes).toBe(false);
  });
});

describe("Cmk against the emulator: adopting an existing key (adoptKeyId)", () => {
  it("takes the key over without CreateKey and applies alias, description and enabled", async () => {
    const { KeyId } = await kms().call<{ KeyId: string }>("CreateKey", {
      Alias: "made-by-hand",
      Description: "old",
    });
    await kms().call("DisableKey", { KeyId });
    await emu.admin.clearRequests();
    const r = await up({
      region: REGION,
      alias: "adopted-key",
      description: "now managed",
      adoptKeyId: KeyId,
    });
    expect(r.id).toBe(`${REGION}:${KeyId}`);
    expect(r.outs).toMatchObject({
      keyId: KeyId,
      alias: "adopted-key",
      description: "now managed",
      enabled: true,
    });
    expect(await describeKey(KeyId)).toMatchObject({ Alias: "adopted-key", KeyState: "Enabled" });
    const actions = (await emu.admin.requests()).entries.map((e) => e.action);
    expect(actions).not.toContain("CreateKey");
    expect(actions).toEqual(expect.arrayContaining(["UpdateAlias", "UpdateKeyDescription", "EnableKey"]));
    // Afterwards adoptKeyId changes nothing: the next preview is clean.
    const next = await change(r, {
      region: REGION,
      alias: "adopted-key",
      description: "now managed",
      adoptKeyId: KeyId,
    });
    expect(next.replaced).toBe(false);
    expect((await provider.diff(r.id, r.outs, next.inputs)).changes).toBe(false);
  });

  it("check accepts the alias held by the adopted key, and needs no quota", async () => {
    const { KeyId } = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "keep-me" });
    process.env.KEYLINK_TENCENT_CMK_QUOTA = "1";
    try {
      const r = await provider.check({}, { region: REGION, alias: "keep-me", adoptKeyId: KeyId });
      expect(r.failures).toBeUndefined();
      expect(
        (await provider.check({}, { region: REGION, alias: "keep-me" })).failures?.map((f) => f.property),
      ).toEqual(["alias", "region"]);
    } finally {
      delete process.env.KEYLINK_TENCENT_CMK_QUOTA;
    }
  });

  it("check refuses a missing key, one pending deletion, and another key's alias, naming the field", async () => {
    const a = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "a-key" });
    const b = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "b-key" });
    const missing = await provider.check({}, { region: REGION, alias: "x", adoptKeyId: "no-such-key" });
    expect(missing.failures?.map((f) => f.property)).toEqual(["adoptKeyId"]);
    const taken = await provider.check({}, { region: REGION, alias: "b-key", adoptKeyId: a.KeyId });
    expect(taken.failures).toEqual([{ property: "alias", reason: expect.stringContaining(b.KeyId) }]);
    await kms().call("DisableKey", { KeyId: b.KeyId });
    await kms().call("ScheduleKeyDeletion", { KeyId: b.KeyId, PendingWindowInDays: 7 });
    const pending = await provider.check({}, { region: REGION, alias: "c-key", adoptKeyId: b.KeyId });
    expect(pending.failures?.map((f) => f.property)).toEqual(["adoptKeyId"]);
    await expect(provider.create({ region: REGION, alias: "c-key", adoptKeyId: b.KeyId })).rejects.toThrow(
      /adoptKeyId: .*pending deletion/,
    );
  });

  it("a replacement after adoption creates a new key", async () => {
    const { KeyId } = await kms().call<{ KeyId: string }>("CreateKey", { Alias: "swap" });
    const r = await up({ region: REGION, alias: "swap", adoptKeyId: KeyId });
    const next = await change(r, {
      region: REGION,
      alias: "swap",
      keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2",
      adoptKeyId: KeyId,
    });
    expect(next.replaced).toBe(true);
    expect(next.outs.keyId).not.toBe(KeyId);
    expect((await describeKey(KeyId)).KeyState).toBe("PendingDelete");
  });
});

describe("Cmk against the emulator: accounts and secrets", () => {
  const SECRET = "cmk-tencent-secret-Zq81xv";

  afterEach(() => {
    delete process.env.TENCENTCLOUD_SECRET_ID;
    delete process.env.TENCENTCLOUD_SECRET_KEY;
  });

  it("aliases are per account, and no error or output carries the access key secret", async () => {
    await emu.admin.loadFixtures({
      accounts: [{ accessKeyId: "AKIDcmktest", secret: SECRET, account: "200000001" }],
      tencentKms: { keys: [{ region: REGION, alias: "shared-name" }] },
    });
    process.env.TENCENTCLOUD_SECRET_ID = "AKIDcmktest";
    process.env.TENCENTCLOUD_SECRET_KEY = SECRET;
    // The fixture key belongs to the default account: this account may use the alias.
    const r = await up({ region: REGION, alias: "shared-name", api: "legacy-v2" });
    expect(JSON.stringify(r)).not.toContain(SECRET);
    const errors: string[] = [];
    const failed = await provider.check({}, { region: REGION, alias: "shared-name" });
    errors.push(JSON.stringify(failed.failures));
    await provider
      .create({ ...r.inputs, api: "3.0" })
      .catch((e: Error) => errors.push(`${e.message} ${e.stack}`));
    await provider
      .update(`${REGION}:00000000-0000-0000-0000-000000000000`, r.outs, r.inputs)
      .catch((e: Error) => errors.push(`${e.message} ${e.stack}`));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/already used by CMK/);
    for (const text of errors) expect(text).not.toContain(SECRET);
  });
});
