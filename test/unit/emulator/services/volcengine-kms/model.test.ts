import { createModel } from "../../../../../src/emulator/services/volcengine-kms";
import { FIXTURE_ACCOUNT } from "../../../../../src/emulator/services/volcengine-kms/fixtures";
import type { ServiceContext, ServiceModel } from "../../../../../src/emulator/types";
import { serviceErrorOf } from "../../../../support/service-error";
import { serviceRequest } from "../../../../support/service-request";
import { DISABLED_ID, PRIMARY_ID, PRIMARY_KEYS, SINGLE_ID } from "../../../../support/volcengine-kms";

const REPLICA_DELAY = 500;

function context(): ServiceContext & { advance(ms: number): void; changes: number } {
  let now = Date.UTC(2025, 1, 5, 8, 0, 0);
  const c = {
    changes: 0,
    now: () => now,
    durationMs: (name: string) => (name === "replicaCreate" ? REPLICA_DELAY : 0),
    changed: () => {
      c.changes++;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
  return c;
}

function setup(): { model: ServiceModel; ctx: ReturnType<typeof context> } {
  const model = createModel();
  const ctx = context();
  model.loadFixtures(PRIMARY_KEYS, ctx);
  return { model, ctx };
}

const VOLCENGINE_KMS = {
  cloud: "volcengine",
  protocol: "volcengine",
  service: "kms",
  version: "2021-02-18",
} as const;

type Call = (action: string, params: Record<string, unknown>, region?: string, account?: string) => unknown;

function caller(model: ServiceModel, ctx: ServiceContext): Call {
  const handlers = model.actions("volcengine");
  return (action, params, region = "cn-beijing", account = FIXTURE_ACCOUNT) =>
    handlers[action](serviceRequest(VOLCENGINE_KMS, action, params, { region, account }), ctx);
}

interface KeyOut {
  ID: string;
  KeyName: string;
  KeyState: string;
  Description: string;
  Trn: string;
  ScheduleDeleteTime: string;
  MultiRegionConfiguration: {
    MultiRegionKeyType: string;
    PrimaryKey: { Trn: string; Region: string };
    ReplicaKeys: Array<{ Trn: string; Region: string }>;
  } | null;
}

const describe_ = (
  call: Call,
  region: string,
  params: Record<string, unknown> = { KeyID: PRIMARY_ID },
): KeyOut => (call("DescribeKey", params, region) as { Key: KeyOut }).Key;

describe("volcengine KMS model: ReplicateKey", () => {
  it("answers the replica as the ReplicateKey reference's example shows it and links it to the primary", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    const out = call("ReplicateKey", {
      KeyringName: "test",
      KeyName: "mrk-test",
      ReplicaRegion: "cn-shanghai",
      Description: "replica key",
    }) as { ReplicaKey: KeyOut };
    expect(out.ReplicaKey).toMatchObject({
      ID: PRIMARY_ID,
      KeyName: "mrk-test",
      KeySpec: "SYMMETRIC_256",
      KeyUsage: "ENCRYPT_DECRYPT",
      Description: "replica key",
      KeyState: "Enable",
      MultiRegion: true,
      Trn: `trn:kms:cn-shanghai:${FIXTURE_ACCOUNT}:keyrings/test/keys/mrk-test`,
      MultiRegionConfiguration: {
        MultiRegionKeyType: "REPLICA",
        PrimaryKey: {
          Trn: `trn:kms:cn-beijing:${FIXTURE_ACCOUNT}:keyrings/test/keys/mrk-test`,
          Region: "cn-beijing",
        },
        ReplicaKeys: [
          {
            Trn: `trn:kms:cn-shanghai:${FIXTURE_ACCOUNT}:keyrings/test/keys/mrk-test`,
            Region: "cn-shanghai",
          },
        ],
      },
    });
    const primary = describe_(call, "cn-beijing");
    expect(primary.MultiRegionConfiguration?.MultiRegionKeyType).toBe("PRIMARY");
    expect(primary.MultiRegionConfiguration?.ReplicaKeys.map((r) => r.Region)).toEqual(["cn-shanghai"]);
  });

  it("shows the replica in the replica region only after replicaCreate has passed", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
    expect(serviceErrorOf(() => describe_(call, "cn-shanghai")).code).toBe("Not Found");
    ctx.advance(REPLICA_DELAY);
    const replica = describe_(call, "cn-shanghai", { KeyringName: "test", KeyName: "mrk-test" });
    expect(replica.KeyState).toBe("Enable");
    expect(replica.Description).toBe("");
    expect(replica.MultiRegionConfiguration?.MultiRegionKeyType).toBe("REPLICA");
    expect(
      (model.inventory(ctx) as { accounts: Record<string, Record<string, { keyrings: string[] }>> }).accounts[
        FIXTURE_ACCOUNT
      ]["cn-shanghai"].keyrings,
    ).toEqual(["test"]);
  });

  it.each([
    ["no key reference", { ReplicaRegion: "cn-shanghai" }, "KeyID"],
    ["a keyring without a key name", { KeyringName: "test", ReplicaRegion: "cn-shanghai" }, "KeyName"],
    [
      "a 1-character keyring name",
      { KeyringName: "t", KeyName: "mrk-test", ReplicaRegion: "cn-shanghai" },
      "KeyringName",
    ],
    [
      "a 32-character key name",
      { KeyringName: "test", KeyName: "x".repeat(32), ReplicaRegion: "cn-shanghai" },
      "KeyName",
    ],
    [
      "a '.' in a key name",
      { KeyringName: "test", KeyName: "mrk.test", ReplicaRegion: "cn-shanghai" },
      "KeyName",
    ],
    ["no replica region", { KeyID: PRIMARY_ID }, "ReplicaRegion"],
    [
      "an 8193-character description",
      { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai", Description: "d".repeat(8193) },
      "Description",
    ],
  ])("rejects %s with InvalidParameter naming the field", (_label, params, field) => {
    const { model, ctx } = setup();
    const err = serviceErrorOf(() => caller(model, ctx)("ReplicateKey", params));
    expect([err.code, err.httpStatus]).toEqual(["InvalidParameter", 400]);
    expect(err.message).toBe(`The request parameter ${field} is invalid.`);
  });

  it("accepts names of 2 and 31 characters of [a-zA-Z0-9-_]", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    call("CreateKeyring", { KeyringName: "ab" });
    call("CreateKey", { KeyringName: "ab", KeyName: "A-_9".padEnd(31, "z"), MultiRegion: "true" });
    const out = call("ReplicateKey", {
      KeyringName: "ab",
      KeyName: "A-_9".padEnd(31, "z"),
      ReplicaRegion: "cn-shanghai",
    }) as { ReplicaKey: KeyOut };
    expect(out.ReplicaKey.KeyName).toHaveLength(31);
  });

  it.each(["cn-beijing", "mars-1"])("rejects replica region %s with InvalidReplicaRegion", (region) => {
    const { model, ctx } = setup();
    const err = serviceErrorOf(() =>
      caller(model, ctx)("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: region }),
    );
    expect([err.code, err.httpStatus, err.message]).toEqual([
      "InvalidReplicaRegion",
      400,
      `The replica region [${region}] is not valid`,
    ]);
  });

  it("replicates a Disable primary (no source refuses it) but not one pending deletion (InvalidKeyStatus)", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    expect(
      (call("ReplicateKey", { KeyID: DISABLED_ID, ReplicaRegion: "cn-shanghai" }) as { ReplicaKey: KeyOut })
        .ReplicaKey.KeyState,
    ).toBe("Enable");
    call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID });
    const err = serviceErrorOf(() =>
      call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" }),
    );
    expect([err.code, err.message]).toEqual([
      "InvalidKeyStatus",
      "Current key status: PendingDelete does not allow to perform this action",
    ]);
  });

  it("DescribeRegions lists the regions a replica may be created in", () => {
    const { model, ctx } = setup();
    expect(caller(model, ctx)("DescribeRegions", {})).toEqual({
      Regions: ["cn-beijing", "cn-shanghai", "cn-guangzhou", "cn-hongkong", "ap-southeast-1"].map(
        (RegionId) => ({
          RegionId,
        }),
      ),
    });
  });

  it("rejects a single-region key and a replica with InvalidOperation", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    expect(
      serviceErrorOf(() => call("ReplicateKey", { KeyID: SINGLE_ID, ReplicaRegion: "cn-shanghai" })).code,
    ).toBe("InvalidOperation");
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
    ctx.advance(REPLICA_DELAY);
    const err = serviceErrorOf(() =>
      call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-guangzhou" }, "cn-shanghai"),
    );
    expect(err.code).toBe("InvalidOperation");
  });

  it("answers a second replica in the same region with Conflict 409, even while the first propagates", () => {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
    const err = serviceErrorOf(() =>
      call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" }),
    );
    expect([err.code, err.httpStatus]).toEqual(["Conflict", 409]);
    // Another region is fine.
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-guangzhou" });
    ctx.advance(REPLICA_DELAY);
    expect(describe_(call, "cn-beijing").MultiRegionConfiguration?.ReplicaKeys.map((r) => r.Region)).toEqual([
      "cn-guangzhou",
      "cn-shanghai",
    ]);
  });

  it("answers an unknown key with Not Found 404", () => {
    const { model, ctx } = setup();
    const err = serviceErrorOf(() =>
      caller(model, ctx)("ReplicateKey", {
        KeyringName: "test",
        KeyName: "nope",
        ReplicaRegion: "cn-shanghai",
      }),
    );
    expect([err.code, err.httpStatus, err.message]).toEqual(["Not Found", 404, "Not found key [test/nope]."]);
  });

  it("keeps accounts apart", () => {
    const { model, ctx } = setup();
    const err = serviceErrorOf(() =>
      caller(model, ctx)(
        "ReplicateKey",
        { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" },
        "cn-beijing",
        "other",
      ),
    );
    expect(err.code).toBe("Not Found");
  });
});

describe("volcengine KMS model: key lifecycle", () => {
  function withReplica(): { model: ServiceModel; ctx: ReturnType<typeof context>; call: Call } {
    const { model, ctx } = setup();
    const call = caller(model, ctx);
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai", Description: "r" });
    ctx.advance(REPLICA_DELAY);
    return { model, ctx, call };
  }

  it("updates a replica's description in the replica region only", () => {
    const { call } = withReplica();
    const out = call(
      "UpdateKey",
      { KeyringName: "test", KeyName: "mrk-test", Description: "changed" },
      "cn-shanghai",
    ) as { Key: KeyOut };
    expect(out.Key.Description).toBe("changed");
    expect(describe_(call, "cn-beijing").Description).toBe("");
  });

  it("UpdateKey requires KeyringName and KeyName, as the SDK's UpdateKeyInput does", () => {
    const { call } = withReplica();
    const missing = serviceErrorOf(() =>
      call("UpdateKey", { KeyID: PRIMARY_ID, Description: "x" }, "cn-shanghai"),
    );
    expect([missing.code, missing.message]).toEqual([
      "MissingParameter",
      "The request is missing KeyringName parameter.",
    ]);
    expect(
      serviceErrorOf(() => call("UpdateKey", { KeyringName: "test", Description: "x" }, "cn-shanghai"))
        .message,
    ).toMatch(/missing KeyName/);
  });

  it("renames a single-region key but refuses to rename a multi-region one", () => {
    const { call } = withReplica();
    const out = call("UpdateKey", { KeyringName: "test", KeyName: "single", NewKeyName: "single-2" }) as {
      Key: KeyOut;
    };
    expect(out.Key.Trn).toBe(`trn:kms:cn-beijing:${FIXTURE_ACCOUNT}:keyrings/test/keys/single-2`);
    expect(
      serviceErrorOf(() =>
        call("UpdateKey", { KeyringName: "test", KeyName: "mrk-test", NewKeyName: "other" }, "cn-shanghai"),
      ).code,
    ).toBe("InvalidOperation");
    expect(
      serviceErrorOf(() =>
        call("UpdateKey", { KeyringName: "test", KeyName: "single-2", NewKeyName: "mrk-test" }),
      ).code,
    ).toBe("Conflict");
  });

  it("schedules deletion with a 7 day default window and drops the replica from the set", () => {
    const { ctx, call } = withReplica();
    call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID }, "cn-shanghai");
    const replica = describe_(call, "cn-shanghai");
    expect(replica.KeyState).toBe("PendingDelete");
    // A string in the SDKs' model: RFC 3339 in Beijing time; empty while no deletion is scheduled.
    expect(replica.ScheduleDeleteTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(Date.parse(replica.ScheduleDeleteTime)).toBe((Math.floor(ctx.now() / 1000) + 7 * 86400) * 1000);
    expect(describe_(call, "cn-beijing").ScheduleDeleteTime).toBe("");
    expect(describe_(call, "cn-beijing").MultiRegionConfiguration?.ReplicaKeys).toEqual([]);
    expect(serviceErrorOf(() => call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID }, "cn-shanghai")).code).toBe(
      "InvalidKeyStatus",
    );
    expect(
      serviceErrorOf(() =>
        call("UpdateKey", { KeyringName: "test", KeyName: "mrk-test", Description: "x" }, "cn-shanghai"),
      ).code,
    ).toBe("InvalidKeyStatus");
    // The name stays taken while pending deletion.
    expect(
      serviceErrorOf(() => call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" })).code,
    ).toBe("Conflict");
  });

  it.each([
    ["6", false],
    [7, true],
    ["30", true],
    [31, false],
    ["seven", false],
  ])("PendingWindowInDays %j accepted: %s", (days, ok) => {
    const { call } = withReplica();
    const run = (): unknown =>
      call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID, PendingWindowInDays: days }, "cn-shanghai");
    if (ok) expect(run()).toEqual({});
    else expect(serviceErrorOf(run).message).toBe("The request parameter PendingWindowInDays is invalid.");
  });

  it("cancels a deletion back to Enable and into the set; the key is gone once its window ends", () => {
    const { ctx, call } = withReplica();
    call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID, PendingWindowInDays: 7 }, "cn-shanghai");
    call("CancelKeyDeletion", { KeyID: PRIMARY_ID }, "cn-shanghai");
    expect(describe_(call, "cn-shanghai").KeyState).toBe("Enable");
    expect(describe_(call, "cn-beijing").MultiRegionConfiguration?.ReplicaKeys).toHaveLength(1);
    expect(serviceErrorOf(() => call("CancelKeyDeletion", { KeyID: PRIMARY_ID }, "cn-shanghai")).code).toBe(
      "InvalidKeyStatus",
    );
    call("ScheduleKeyDeletion", { KeyID: PRIMARY_ID, PendingWindowInDays: 7 }, "cn-shanghai");
    ctx.advance(7 * 86_400_000);
    expect(serviceErrorOf(() => describe_(call, "cn-shanghai")).code).toBe("Not Found");
    // The region is free again.
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
  });

  it("enables and disables keys, refusing keys pending deletion", () => {
    const { call } = withReplica();
    call("EnableKey", { KeyID: DISABLED_ID });
    expect(describe_(call, "cn-beijing", { KeyID: DISABLED_ID }).KeyState).toBe("Enable");
    call("DisableKey", { KeyringName: "test", KeyName: "mrk-off" });
    call("DisableKey", { KeyID: DISABLED_ID });
    expect(describe_(call, "cn-beijing", { KeyID: DISABLED_ID }).KeyState).toBe("Disable");
    call("ScheduleKeyDeletion", { KeyID: DISABLED_ID });
    expect(serviceErrorOf(() => call("EnableKey", { KeyID: DISABLED_ID })).code).toBe("InvalidKeyStatus");
  });

  it("describes a single-region key without a multi-region configuration", () => {
    const { call } = withReplica();
    expect(describe_(call, "cn-beijing", { KeyID: SINGLE_ID }).MultiRegionConfiguration).toBeNull();
  });
});

describe("volcengine KMS model: fixtures and state", () => {
  it("names the field of an invalid fixture", () => {
    const model = createModel();
    expect(() =>
      model.loadFixtures({ keys: [{ region: "cn-beijing", keyringName: "r", keyName: "k" }] }, context()),
    ).toThrow(/volcengineKms\.keys\[0\]\.keyringName/);
    expect(() =>
      model.loadFixtures({ keys: [{ region: "eu-west-9", keyringName: "rr", keyName: "kk" }] }, context()),
    ).toThrow(/volcengineKms\.keys\[0\]\.region: 'eu-west-9'/);
    expect(() => model.loadFixtures({ keys: [], volume: 1 }, context())).toThrow(/volcengineKms/);
  });

  it("takes the known regions from fixtures", () => {
    const model = createModel();
    const ctx = context();
    model.loadFixtures(
      {
        regions: ["cn-beijing", "ap-southeast-3"],
        keys: [{ region: "cn-beijing", keyringName: "rr", keyName: "kk", multiRegion: true, id: PRIMARY_ID }],
      },
      ctx,
    );
    const call = caller(model, ctx);
    expect(
      serviceErrorOf(() => call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" })).code,
    ).toBe("InvalidReplicaRegion");
    call("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "ap-southeast-3" });
  });

  it("survives toJSON/fromJSON and reset", () => {
    const { model, ctx } = setup();
    caller(model, ctx)("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
    const copy = createModel();
    copy.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    ctx.advance(REPLICA_DELAY);
    expect(describe_(caller(copy, ctx), "cn-shanghai").MultiRegionConfiguration?.MultiRegionKeyType).toBe(
      "REPLICA",
    );
    copy.reset();
    expect(serviceErrorOf(() => describe_(caller(copy, ctx), "cn-beijing")).code).toBe("Not Found");
  });

  it("loads a state file written before the managed-state mechanism (VisibleAt)", () => {
    const { model, ctx } = setup();
    caller(model, ctx)("ReplicateKey", { KeyID: PRIMARY_ID, ReplicaRegion: "cn-shanghai" });
    // The old form: a key's Visibility was VisibleAt, the emulator-clock time from which it could be read.
    type Stored = { Visibility?: { transition?: { until: number } }; VisibleAt?: number };
    const old = JSON.parse(JSON.stringify(model.toJSON())) as {
      accounts: Record<string, Record<string, { keys: Record<string, Stored> }>>;
    };
    for (const regions of Object.values(old.accounts))
      for (const rs of Object.values(regions))
        for (const key of Object.values(rs.keys)) {
          key.VisibleAt = key.Visibility?.transition?.until ?? 0;
          delete key.Visibility;
        }
    expect(JSON.stringify(old)).toMatch(/VisibleAt/);
    const copy = createModel();
    copy.fromJSON(old);
    expect(serviceErrorOf(() => describe_(caller(copy, ctx), "cn-shanghai")).code).toBe("Not Found");
    expect(describe_(caller(copy, ctx), "cn-beijing").KeyState).toBe("Enable");
    ctx.advance(REPLICA_DELAY);
    expect(describe_(caller(copy, ctx), "cn-shanghai").KeyState).toBe("Enable");
    expect(JSON.stringify(copy.toJSON())).not.toMatch(/VisibleAt/);
  });

  it("marks state changed on writes", () => {
    const { model, ctx } = setup();
    const before = ctx.changes;
    caller(model, ctx)("DescribeKey", { KeyID: PRIMARY_ID });
    expect(ctx.changes).toBe(before);
    caller(model, ctx)("DisableKey", { KeyID: PRIMARY_ID });
    expect(ctx.changes).toBeGreaterThan(before);
  });
});
