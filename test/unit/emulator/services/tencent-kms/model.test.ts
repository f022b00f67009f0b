import type { ServiceContext, ServiceModel, WireProtocol } from "../../../../../src/emulator/types";
import { createModel, FIXTURE_ACCOUNT } from "../../../../../src/emulator/services/tencent-kms";
import { LegacyServiceError } from "../../../../../src/emulator/services/tencent-kms/errors";
import { codeOf } from "../../../../support/service-error";
import { serviceRequest } from "../../../../support/service-request";

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

// Handler payloads are read field by field in the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = any;

interface Harness {
  model: ServiceModel;
  ctx: ServiceContext & { clock: number; changes: number };
  api(
    action: string,
    params?: Record<string, unknown>,
    opts?: { region?: string; account?: string },
  ): Payload;
  legacy(params: Record<string, string>, opts?: { region?: string; account?: string }): Payload;
}

function harness(): Harness {
  const model = createModel();
  const ctx = {
    clock: T0,
    changes: 0,
    now() {
      return this.clock;
    },
    durationMs: () => 0,
    changed() {
      this.changes++;
    },
  };
  const call = (
    protocol: WireProtocol,
    action: string,
    params: Record<string, unknown>,
    region: string,
    account: string,
  ) => {
    const handler = model.actions(protocol)[action];
    if (!handler) throw new Error(`no ${protocol} handler for ${action}`);
    const api = {
      cloud: "tencent",
      protocol,
      service: "kms",
      version: protocol === "tencent-tc3" ? "2019-01-18" : "",
    } as const;
    return handler(serviceRequest(api, action, params, { region, account }), ctx);
  };
  return {
    model,
    ctx,
    api: (action, params = {}, opts = {}) =>
      call("tencent-tc3", action, params, opts.region ?? "ap-guangzhou", opts.account ?? FIXTURE_ACCOUNT),
    legacy: (params, opts = {}) =>
      call("tencent-legacy", "CreateKey", params, opts.region ?? "gz", opts.account ?? FIXTURE_ACCOUNT),
  };
}

describe("tencentKms model: the service contract", () => {
  it("answers API 3.0 over tencent-tc3 and only the legacy CreateKey over tencent-legacy", () => {
    const m = createModel();
    expect(m.key).toBe("tencentKms");
    expect(m.cloud).toBe("tencent");
    expect(m.service).toBe("kms");
    expect(m.versions).toEqual(["2019-01-18"]);
    expect(m.protocols).toEqual(["tencent-tc3", "tencent-legacy"]);
    expect(Object.keys(m.actions("tencent-tc3"))).toEqual(
      expect.arrayContaining([
        "CreateKey",
        "DescribeKey",
        "DescribeKeys",
        "UpdateAlias",
        "UpdateKeyDescription",
        "EnableKey",
        "DisableKey",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "ListKeys",
        "ListKeyDetail",
      ]),
    );
    expect(Object.keys(m.actions("tencent-legacy"))).toEqual(["CreateKey"]);
    expect(m.actions("alibaba-rpc")).toEqual({});
  });
});

describe("tencentKms model: API 3.0 CreateKey", () => {
  it("creates an Enabled TENCENT_KMS key with a uuid-like KeyId that DescribeKey returns", () => {
    const h = harness();
    const r = h.api("CreateKey", { Alias: "app-key", Description: "d" });
    expect(r.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(r).toMatchObject({
      Alias: "app-key",
      KeyState: "Enabled",
      KeyUsage: "ENCRYPT_DECRYPT",
      TagCode: 0,
    });
    expect(r.CreateTime).toBe(T0 / 1000);
    const d = h.api("DescribeKey", { KeyId: r.KeyId }).KeyMetadata;
    expect(d).toMatchObject({ KeyId: r.KeyId, Alias: "app-key", Description: "d", Origin: "TENCENT_KMS" });
    expect(d.DeletionDate).toBe(0);
    expect(h.ctx.changes).toBeGreaterThan(0);
  });

  it("creates a Type 2 key as EXTERNAL in PendingImport", () => {
    const h = harness();
    const r = h.api("CreateKey", { Alias: "ext", Type: 2 });
    expect(r.KeyState).toBe("PendingImport");
    expect(h.api("DescribeKey", { KeyId: r.KeyId }).KeyMetadata.Origin).toBe("EXTERNAL");
  });

  it.each([
    ["no Alias", {}, "MissingParameter"],
    ["an empty Alias", { Alias: "" }, "MissingParameter"],
    ["an Alias starting with '-'", { Alias: "-starts-with-dash" }, "InvalidParameterValue.InvalidAlias"],
    ["an Alias with a space", { Alias: "has space" }, "InvalidParameterValue.InvalidAlias"],
    ["an Alias of 61 characters", { Alias: "a".repeat(61) }, "InvalidParameterValue.InvalidAlias"],
    ["the reserved 'kms-' prefix", { Alias: "kms-reserved" }, "InvalidParameterValue.InvalidAlias"],
    [
      "the legacy KeyUsage spelling",
      { Alias: "ok", KeyUsage: "ENCRYPT/DECRYPT" },
      "InvalidParameterValue.InvalidKeyUsage",
    ],
    ["Type 3", { Alias: "ok", Type: 3 }, "InvalidParameterValue.InvalidType"],
    [
      "an asymmetric external key",
      { Alias: "ok", Type: 2, KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" },
      "InvalidParameterValue.InvalidKeyUsage",
    ],
    [
      "a Description over 1024 bytes",
      { Alias: "ok", Description: "x".repeat(1025) },
      "InvalidParameterValue",
    ],
    ["an unknown parameter", { Alias: "ok", Bogus: 1 }, "UnknownParameter"],
    ["a numeric Alias", { Alias: 5 }, "InvalidParameter"],
  ])("refuses %s with %s", (_label, params, code) => {
    expect(codeOf(() => harness().api("CreateKey", params))).toBe(code);
  });

  it("accepts an alias of 60 characters and every asymmetric usage", () => {
    const h = harness();
    expect(h.api("CreateKey", { Alias: "a".repeat(60) }).Alias).toHaveLength(60);
    expect(h.api("CreateKey", { Alias: "sm2", KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" }).KeyUsage).toBe(
      "ASYMMETRIC_SIGN_VERIFY_SM2",
    );
  });

  it("keeps aliases unique per account and region", () => {
    const h = harness();
    h.api("CreateKey", { Alias: "dup" });
    expect(codeOf(() => h.api("CreateKey", { Alias: "dup" }))).toBe(
      "InvalidParameterValue.AliasAlreadyExists",
    );
    expect(h.api("CreateKey", { Alias: "dup" }, { region: "ap-shanghai" }).Alias).toBe("dup");
    expect(h.api("CreateKey", { Alias: "dup" }, { account: "other" }).Alias).toBe("dup");
  });

  it("a key pending deletion keeps its alias", () => {
    const h = harness();
    const { KeyId } = h.api("CreateKey", { Alias: "held" });
    h.api("DisableKey", { KeyId });
    h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    expect(codeOf(() => h.api("CreateKey", { Alias: "held" }))).toBe(
      "InvalidParameterValue.AliasAlreadyExists",
    );
  });

  it("stops at the quota, counting keys pending deletion, per account and region", () => {
    const h = harness();
    h.model.loadFixtures({ quota: 2 }, h.ctx);
    const { KeyId } = h.api("CreateKey", { Alias: "q1" });
    h.api("CreateKey", { Alias: "q2" });
    expect(codeOf(() => h.api("CreateKey", { Alias: "q3" }))).toBe("LimitExceeded.CmkLimitExceeded");
    h.api("DisableKey", { KeyId });
    h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    expect(codeOf(() => h.api("CreateKey", { Alias: "q3" }))).toBe("LimitExceeded.CmkLimitExceeded");
    expect(h.api("CreateKey", { Alias: "q3" }, { region: "ap-beijing" }).Alias).toBe("q3");
    // Once the deletion date passes the key is gone and its slot is free.
    h.ctx.clock += 7 * DAY_MS;
    expect(h.api("CreateKey", { Alias: "q3" }).Alias).toBe("q3");
  });

  it("defaults the quota to 1000", () => {
    const h = harness();
    expect((h.model.inventory(h.ctx) as { quota: number }).quota).toBe(1000);
  });
});

describe("tencentKms model: GetServiceStatus and ListAlgorithms", () => {
  it("GetServiceStatus reports CmkLimit and CmkUserCount of the account and region", () => {
    const h = harness();
    h.model.loadFixtures({ quota: 5 }, h.ctx);
    h.api("CreateKey", { Alias: "s1" });
    h.api("CreateKey", { Alias: "s2" }, { region: "ap-beijing" });
    const r = h.api("GetServiceStatus");
    expect(r).toMatchObject({ ServiceEnabled: true, InvalidType: 1, CmkLimit: 5, CmkUserCount: 1 });
    expect(h.api("GetServiceStatus", {}, { account: "other" }).CmkUserCount).toBe(0);
    expect(codeOf(() => h.api("GetServiceStatus", { Extra: 1 }))).toBe("UnknownParameter");
  });

  it("ListAlgorithms answers the three documented lists, and CreateKey accepts exactly their usages", () => {
    const h = harness();
    const r = h.api("ListAlgorithms");
    expect(Object.keys(r).sort()).toEqual([
      "AsymmetricAlgorithms",
      "AsymmetricSignVerifyAlgorithms",
      "SymmetricAlgorithms",
    ]);
    expect(r.SymmetricAlgorithms[0]).toEqual({ KeyUsage: "ENCRYPT_DECRYPT", Algorithm: "SM4" });
    h.model.loadFixtures(
      {
        algorithms: {
          SymmetricAlgorithms: [{ KeyUsage: "ENCRYPT_DECRYPT", Algorithm: "AES_256" }],
          AsymmetricAlgorithms: [{ KeyUsage: "ASYMMETRIC_DECRYPT_RSA_3072", Algorithm: "RSA_3072" }],
          AsymmetricSignVerifyAlgorithms: [],
        },
      },
      h.ctx,
    );
    expect(h.api("CreateKey", { Alias: "rsa3072", KeyUsage: "ASYMMETRIC_DECRYPT_RSA_3072" }).KeyUsage).toBe(
      "ASYMMETRIC_DECRYPT_RSA_3072",
    );
    expect(codeOf(() => h.api("CreateKey", { Alias: "sm2", KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" }))).toBe(
      "InvalidParameterValue.InvalidKeyUsage",
    );
  });

  it("takes the finance-zone region ids in fixtures", () => {
    const h = harness();
    h.model.loadFixtures({ keys: [{ region: "ap-shanghai-fsi", alias: "fsi" }] }, h.ctx);
    expect(h.api("ListKeyDetail", {}, { region: "ap-shanghai-fsi" }).TotalCount).toBe(1);
  });
});

describe("tencentKms model: key lifecycle", () => {
  function withKey() {
    const h = harness();
    const { KeyId } = h.api("CreateKey", { Alias: "life", Description: "first" });
    return { h, KeyId };
  }

  it("DescribeKey of an unknown or malformed key", () => {
    const h = harness();
    expect(codeOf(() => h.api("DescribeKey", { KeyId: "00000000-0000-0000-0000-000000000000" }))).toBe(
      "ResourceUnavailable.CmkNotFound",
    );
    expect(codeOf(() => h.api("DescribeKey", { KeyId: "bad id!" }))).toBe(
      "InvalidParameterValue.InvalidKeyId",
    );
    expect(codeOf(() => h.api("DescribeKey", {}))).toBe("MissingParameter");
  });

  it("a key is only visible in its own region and account", () => {
    const { h, KeyId } = withKey();
    expect(codeOf(() => h.api("DescribeKey", { KeyId }, { region: "ap-shanghai" }))).toBe(
      "ResourceUnavailable.CmkNotFound",
    );
    expect(codeOf(() => h.api("DescribeKey", { KeyId }, { account: "other" }))).toBe(
      "ResourceUnavailable.CmkNotFound",
    );
  });

  it("UpdateAlias and UpdateKeyDescription change the key, and refuse a taken alias", () => {
    const { h, KeyId } = withKey();
    h.api("CreateKey", { Alias: "other" });
    h.api("UpdateAlias", { KeyId, Alias: "renamed" });
    h.api("UpdateKeyDescription", { KeyId, Description: "second" });
    expect(h.api("DescribeKey", { KeyId }).KeyMetadata).toMatchObject({
      Alias: "renamed",
      Description: "second",
    });
    expect(codeOf(() => h.api("UpdateAlias", { KeyId, Alias: "other" }))).toBe(
      "InvalidParameterValue.AliasAlreadyExists",
    );
    expect(codeOf(() => h.api("UpdateAlias", { KeyId, Alias: "kms-x" }))).toBe(
      "InvalidParameterValue.InvalidAlias",
    );
    // Renaming to its own alias is a no-op, not a conflict.
    h.api("UpdateAlias", { KeyId, Alias: "renamed" });
  });

  it("Enable/Disable toggle idempotently", () => {
    const { h, KeyId } = withKey();
    h.api("DisableKey", { KeyId });
    h.api("DisableKey", { KeyId });
    expect(h.api("DescribeKey", { KeyId }).KeyMetadata.KeyState).toBe("Disabled");
    h.api("EnableKey", { KeyId });
    expect(h.api("DescribeKey", { KeyId }).KeyMetadata.KeyState).toBe("Enabled");
  });

  it("refuses to enable a key waiting for key material", () => {
    const h = harness();
    const { KeyId } = h.api("CreateKey", { Alias: "ext", Type: 2 });
    expect(codeOf(() => h.api("EnableKey", { KeyId }))).toBe("ResourceUnavailable.CmkStateNotSupport");
  });

  it("ScheduleKeyDeletion needs a disabled key and a window of 7 to 30 days", () => {
    const { h, KeyId } = withKey();
    expect(codeOf(() => h.api("ScheduleKeyDeletion", { KeyId }))).toBe("MissingParameter");
    expect(codeOf(() => h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 }))).toBe(
      "ResourceUnavailable.CmkShouldBeDisabled",
    );
    h.api("DisableKey", { KeyId });
    for (const days of [6, 31, 7.5, "7"]) {
      expect(codeOf(() => h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: days }))).toBe(
        "InvalidParameter.InvalidPendingWindowInDays",
      );
    }
    const r = h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 30 });
    expect(r).toEqual({ KeyId, DeletionDate: T0 / 1000 + 30 * 86_400 });
    const d = h.api("DescribeKey", { KeyId }).KeyMetadata;
    expect(d).toMatchObject({ KeyState: "PendingDelete", DeletionDate: r.DeletionDate });
    expect(codeOf(() => h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 }))).toBe(
      "ResourceUnavailable.CmkStateNotSupport",
    );
  });

  it("a key pending deletion refuses UpdateAlias, UpdateKeyDescription, EnableKey", () => {
    const { h, KeyId } = withKey();
    h.api("DisableKey", { KeyId });
    h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    for (const [action, params] of [
      ["UpdateAlias", { KeyId, Alias: "free-me" }],
      ["UpdateKeyDescription", { KeyId, Description: "x" }],
      ["EnableKey", { KeyId }],
    ] as const) {
      expect(codeOf(() => h.api(action, params))).toBe("ResourceUnavailable.CmkStateNotSupport");
    }
  });

  it("CancelKeyDeletion leaves the key Disabled (an external key without material: PendingImport)", () => {
    const { h, KeyId } = withKey();
    expect(codeOf(() => h.api("CancelKeyDeletion", { KeyId }))).toBe(
      "ResourceUnavailable.CmkNotPendingDelete",
    );
    h.api("DisableKey", { KeyId });
    h.api("EnableKey", { KeyId });
    h.api("DisableKey", { KeyId });
    h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    expect(h.api("CancelKeyDeletion", { KeyId })).toEqual({ KeyId });
    expect(h.api("DescribeKey", { KeyId }).KeyMetadata).toMatchObject({
      KeyState: "Disabled",
      DeletionDate: 0,
    });

    const ext = h.api("CreateKey", { Alias: "ext", Type: 2 }).KeyId;
    h.api("ScheduleKeyDeletion", { KeyId: ext, PendingWindowInDays: 7 });
    h.api("CancelKeyDeletion", { KeyId: ext });
    expect(h.api("DescribeKey", { KeyId: ext }).KeyMetadata.KeyState).toBe("PendingImport");
  });

  it("the key disappears at its deletion date (emulator clock)", () => {
    const { h, KeyId } = withKey();
    h.api("DisableKey", { KeyId });
    h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    h.ctx.clock += 7 * DAY_MS - 1000;
    expect(h.api("DescribeKey", { KeyId }).KeyMetadata.KeyState).toBe("PendingDelete");
    h.ctx.clock += 1000;
    expect(codeOf(() => h.api("DescribeKey", { KeyId }))).toBe("ResourceUnavailable.CmkNotFound");
    expect(h.api("CreateKey", { Alias: "life" }).Alias).toBe("life");
  });
});

describe("tencentKms model: listing", () => {
  function three() {
    const h = harness();
    const a = h.api("CreateKey", { Alias: "alpha" }).KeyId;
    h.ctx.clock += 1000;
    const b = h.api("CreateKey", { Alias: "beta", KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" }).KeyId;
    h.ctx.clock += 1000;
    const c = h.api("CreateKey", { Alias: "alpha-2" }).KeyId;
    h.api("DisableKey", { KeyId: c });
    h.api("ScheduleKeyDeletion", { KeyId: c, PendingWindowInDays: 7 });
    return { h, a, b, c };
  }

  it("ListKeys pages usable keys (not PendingDelete), newest first", () => {
    const { h, a, b } = three();
    const r = h.api("ListKeys", { Limit: 1 });
    expect(r).toEqual({ Keys: [{ KeyId: b }], TotalCount: 2 });
    expect(h.api("ListKeys", { Offset: 1, Limit: 1 }).Keys).toEqual([{ KeyId: a }]);
    expect(codeOf(() => h.api("ListKeys", { Limit: 201 }))).toBe("InvalidParameterValue");
    expect(h.api("ListKeys", { Role: 1 }).TotalCount).toBe(0);
  });

  it("ListKeyDetail filters by state, usage (default ENCRYPT_DECRYPT), origin and a fuzzy alias search", () => {
    const { h, a, b, c } = three();
    const ids = (params: Record<string, unknown>) =>
      h.api("ListKeyDetail", params).KeyMetadatas.map((k: { KeyId: string }) => k.KeyId);
    expect(ids({})).toEqual([c, a]);
    expect(ids({ KeyUsage: "ALL" })).toEqual([c, b, a]);
    expect(ids({ KeyUsage: "ALL", OrderType: 1 })).toEqual([a, b, c]);
    expect(ids({ KeyUsage: "ALL", KeyState: 3 })).toEqual([c]);
    expect(ids({ KeyUsage: "ALL", KeyState: 1 })).toEqual([b, a]);
    expect(ids({ SearchKeyAlias: "ALPHA" })).toEqual([c, a]);
    expect(ids({ SearchKeyAlias: a.slice(0, 8), KeyUsage: "ALL" })).toEqual([a]);
    expect(ids({ Origin: "EXTERNAL" })).toEqual([]);
    expect(h.api("ListKeyDetail", { KeyUsage: "ALL", Limit: 1 }).TotalCount).toBe(3);
    expect(codeOf(() => h.api("ListKeyDetail", { KeyState: 6 }))).toBe("InvalidParameterValue");
  });

  it("ListKeyDetail accepts the documented MemberAccounts, and checks its shape", () => {
    const { h, a, c } = three();
    const listed = h.api("ListKeyDetail", {
      MemberAccounts: [{ MemberUin: 100000000001, MemberAppId: 1250000000 }],
    });
    expect(listed.KeyMetadatas.map((k: { KeyId: string }) => k.KeyId)).toEqual([c, a]);
    expect(codeOf(() => h.api("ListKeyDetail", { MemberAccounts: "100000000001" }))).toBe("InvalidParameter");
    expect(codeOf(() => h.api("ListKeyDetail", { MemberAccounts: [{ MemberUin: "x" }] }))).toBe(
      "InvalidParameter",
    );
    expect(codeOf(() => h.api("ListKeyDetail", { MemberAccounts: [{ Uin: 1 }] }))).toBe("UnknownParameter");
  });

  it("KeyMetadata.CreatorUin is an integer, as the SDK models type it", () => {
    const { h } = three();
    const [first] = h.api("ListKeyDetail", { KeyUsage: "ALL" }).KeyMetadatas;
    expect(Number.isInteger(first.CreatorUin)).toBe(true);
  });

  it("DescribeKeys returns the keys found", () => {
    const { h, a, b } = three();
    const r = h.api("DescribeKeys", { KeyIds: [a, b, "00000000-0000-0000-0000-000000000000"] });
    expect(r.KeyMetadatas.map((k: { KeyId: string }) => k.KeyId).sort()).toEqual([a, b].sort());
    expect(codeOf(() => h.api("DescribeKeys", { KeyIds: [] }))).toBe("InvalidParameter");
  });
});

describe("tencentKms model: legacy API 2.0 CreateKey", () => {
  function legacyError(fn: () => unknown): { code: string; message: string; codeDesc: string } {
    try {
      fn();
    } catch (e) {
      if (e instanceof LegacyServiceError) return { code: e.code, message: e.message, codeDesc: e.codeDesc };
      throw e;
    }
    throw new Error("expected a legacy error");
  }

  it("creates a key shaped as the legacy CreateKey page's keyMetadata, the same key API 3.0 sees", () => {
    const h = harness();
    const r = h.legacy(
      { alias: "legacy-1", description: "from v2", keyUsage: "ENCRYPT/DECRYPT", type: "1" },
      { region: "sh" },
    );
    expect(Object.keys(r)).toEqual(["keyMetadata"]);
    expect(r.keyMetadata).toEqual({
      keyId: expect.any(String),
      alias: "legacy-1",
      createTime: T0 / 1000,
      description: "from v2",
      keyState: "Enabled",
      keyUsage: "ENCRYPT/DECRYPT",
    });
    const d = h.api("DescribeKey", { KeyId: r.keyMetadata.keyId }, { region: "ap-shanghai" }).KeyMetadata;
    expect(d).toMatchObject({
      Alias: "legacy-1",
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "TENCENT_KMS",
    });
  });

  it("defaults keyUsage and type, and allows the 'kms-' alias of the page's example", () => {
    const h = harness();
    expect(h.legacy({ alias: "kms-test-1" }).keyMetadata.keyUsage).toBe("ENCRYPT/DECRYPT");
  });

  it("maps short and full region names", () => {
    const h = harness();
    const { keyId } = h.legacy({ alias: "r1" }, { region: "bj" }).keyMetadata;
    expect(h.api("DescribeKey", { KeyId: keyId }, { region: "ap-beijing" }).KeyMetadata.Alias).toBe("r1");
    const full = h.legacy({ alias: "r2" }, { region: "ap-guangzhou" }).keyMetadata.keyId;
    expect(h.api("DescribeKey", { KeyId: full }).KeyMetadata.Alias).toBe("r2");
    expect(legacyError(() => h.legacy({ alias: "r3" }, { region: "zz" })).code).toBe("4000");
  });

  it.each([
    [{ alias: "" }, "4000"],
    [{ alias: "x".repeat(33) }, "4000"],
    [{ alias: "u", keyUsage: "ENCRYPT_DECRYPT" }, "4490"],
    [{ alias: "u", keyUsage: "SIGN" }, "4490"],
    [{ alias: "t", type: "3" }, "4520"],
    [{ alias: "t", type: "normal" }, "4520"],
  ])("refuses %j with %s", (params, code) => {
    expect(legacyError(() => harness().legacy(params)).code).toBe(code);
  });

  it("4490, 4500, 4510, 4520 carry the legacy CreateKey page's messages and module codes", () => {
    const h = harness();
    h.legacy({ alias: "taken" });
    expect(legacyError(() => h.legacy({ alias: "taken" }))).toEqual({
      code: "4500",
      message: "alias is already existed in your account, please input another unique one",
      codeDesc: "10480",
    });
    expect(legacyError(() => h.legacy({ alias: "u", keyUsage: "x" }))).toMatchObject({
      message: "string of KeyUsage must be ENCRYPT/DECRYPT",
      codeDesc: "10470",
    });
    expect(legacyError(() => h.legacy({ alias: "t", type: "9" }))).toMatchObject({
      message: "keySpec value error",
      codeDesc: "10620",
    });
  });

  it("an alias taken through API 3.0 is taken for the legacy API, and the other way round", () => {
    const h = harness();
    h.api("CreateKey", { Alias: "shared" });
    expect(legacyError(() => h.legacy({ alias: "shared" })).code).toBe("4500");
    h.legacy({ alias: "from-v2" });
    expect(codeOf(() => h.api("CreateKey", { Alias: "from-v2" }))).toBe(
      "InvalidParameterValue.AliasAlreadyExists",
    );
  });

  it("shares the account's one quota with API 3.0: no separate legacy limit of 200", () => {
    const h = harness();
    h.model.loadFixtures({ quota: 201 }, h.ctx);
    for (let i = 0; i < 200; i++) h.api("CreateKey", { Alias: `k${i}` });
    expect(h.legacy({ alias: "two-hundred-first" }).keyMetadata.alias).toBe("two-hundred-first");
    expect(legacyError(() => h.legacy({ alias: "one-more" }))).toMatchObject({
      code: "4510",
      message: "number of CMK in your account has reached the limit",
      codeDesc: "10610",
    });
    expect(h.legacy({ alias: "elsewhere" }, { region: "sh" }).keyMetadata.alias).toBe("elsewhere");
  });

  it("a lower fixture quota applies to the legacy API too", () => {
    const h = harness();
    h.model.loadFixtures({ quota: 1 }, h.ctx);
    h.legacy({ alias: "only" });
    expect(legacyError(() => h.legacy({ alias: "second" })).code).toBe("4510");
  });
});

describe("tencentKms model: fixtures, state, inventory", () => {
  it("loads keys with defaults and validates them naming the field", () => {
    const h = harness();
    h.model.loadFixtures(
      {
        quota: 5,
        keys: [
          { region: "ap-guangzhou", alias: "fx-1", keyId: "11111111-1111-1111-1111-111111111111" },
          { region: "ap-guangzhou", alias: "fx-2", keyState: "PendingDelete" },
          { region: "ap-guangzhou", alias: "fx-3", origin: "EXTERNAL" },
        ],
      },
      h.ctx,
    );
    expect(h.api("DescribeKey", { KeyId: "11111111-1111-1111-1111-111111111111" }).KeyMetadata.KeyState).toBe(
      "Enabled",
    );
    const listed = h.api("ListKeyDetail", { KeyUsage: "ALL", OrderType: 1 }).KeyMetadatas;
    expect(listed.map((k: { KeyState: string }) => k.KeyState)).toEqual([
      "Enabled",
      "PendingDelete",
      "PendingImport",
    ]);
    expect(listed[1].DeletionDate).toBe(T0 / 1000 + 7 * 86_400);
    expect(() => h.model.loadFixtures({ keys: [{ region: "ap-guangzhou", alias: "fx-1" }] }, h.ctx)).toThrow(
      /tencentKms\.keys\[0\]\.alias/,
    );
    expect(() => h.model.loadFixtures({ keys: [{ region: "gz", alias: "x" }] }, h.ctx)).toThrow(
      /tencentKms\.keys\[0\]\.region/,
    );
    expect(() => h.model.loadFixtures({ quota: -1 }, h.ctx)).toThrow(/tencentKms\.quota/);
    expect(() =>
      h.model.loadFixtures(
        { keys: [{ region: "ap-guangzhou", alias: "p", keyState: "PendingImport" }] },
        h.ctx,
      ),
    ).toThrow(/keyState/);
  });

  it("round-trips through toJSON/fromJSON and resets", () => {
    const h = harness();
    h.model.loadFixtures({ quota: 7 }, h.ctx);
    const { KeyId } = h.api("CreateKey", { Alias: "persist" });
    const state = JSON.parse(JSON.stringify(h.model.toJSON()));
    const other = createModel();
    other.fromJSON(state);
    expect(other.toJSON()).toEqual(h.model.toJSON());
    h.model.reset();
    expect(codeOf(() => h.api("DescribeKey", { KeyId }))).toBe("ResourceUnavailable.CmkNotFound");
    expect((h.model.inventory(h.ctx) as { quota: number }).quota).toBe(1000);
  });

  it("keeps a scheduled deletion as a managed transition, and loads the state files of earlier versions", () => {
    const h = harness();
    const { KeyId } = h.api("CreateKey", { Alias: "doomed" });
    h.api("DisableKey", { KeyId });
    const { DeletionDate } = h.api("ScheduleKeyDeletion", { KeyId, PendingWindowInDays: 7 });
    const saved = JSON.parse(JSON.stringify(h.model.toJSON()));
    expect(saved.keys[0].State).toEqual({
      status: "Deleted",
      transition: { during: "PendingDelete", until: DeletionDate * 1000 },
    });
    // The previous version wrote KeyState and DeletionDate.
    const written = { ...saved.keys[0], KeyState: "PendingDelete", DeletionDate };
    delete written.State;
    const old = createModel();
    old.fromJSON({ ...saved, keys: [written] });
    expect(old.toJSON()).toEqual(saved);
    const call = (m: ServiceModel, clock: number) =>
      m.actions("tencent-tc3").DescribeKey(
        {
          cloud: "tencent",
          protocol: "tencent-tc3",
          service: "kms",
          version: "2019-01-18",
          action: "DescribeKey",
          region: "ap-guangzhou",
          account: FIXTURE_ACCOUNT,
          params: { KeyId },
          requestId: "req-2",
        },
        { ...h.ctx, now: () => clock },
      ) as Payload;
    expect(call(old, T0).KeyMetadata).toMatchObject({ KeyState: "PendingDelete", DeletionDate });
    expect(codeOf(() => call(old, DeletionDate * 1000))).toBe("ResourceUnavailable.CmkNotFound");
  });

  it("inventory lists keys with their API of creation and counts per account and region", () => {
    const h = harness();
    h.api("CreateKey", { Alias: "inv-3" });
    h.legacy({ alias: "inv-2", type: "2" });
    const inv = h.model.inventory(h.ctx) as {
      cmkCount: Record<string, number>;
      keys: Record<string, unknown>[];
    };
    expect(inv.cmkCount).toEqual({ [`${FIXTURE_ACCOUNT}/ap-guangzhou`]: 2 });
    expect(inv.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ alias: "inv-3", createdWith: "3.0" }),
        expect.objectContaining({ alias: "inv-2", createdWith: "legacy-v2", legacyType: "quantum" }),
      ]),
    );
  });
});
