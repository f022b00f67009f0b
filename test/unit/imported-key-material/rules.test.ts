import { UNKNOWN } from "../../../src/resources/common/check";
import {
  cloudExpireUnix,
  expiryFailure,
  importNeeded,
  keyFailures,
  type LiveKey,
  materialChangeFailure,
  planDiff,
  refreshedExpireAt,
  wrappingFailure,
} from "../../../src/resources/imported-key-material/rules";

const live = (over: Partial<LiveKey> = {}): LiveKey => ({
  keyId: "key-1",
  origin: "EXTERNAL",
  keySpec: "Aliyun_AES_256",
  keyState: "PendingImport",
  materialExpireUnix: 0,
  ...over,
});

const T = 1893456000; // 2030-01-01T00:00:00Z

describe("keyFailures: what KMS would refuse to import", () => {
  it("accepts an EXTERNAL key of a matching size", () => {
    expect(keyFailures(live(), 32)).toEqual([]);
    expect(keyFailures(live({ keySpec: "Aliyun_SM4" }), 16)).toEqual([]);
    expect(keyFailures(live({ keyState: "Enabled" }), undefined)).toEqual([]);
  });

  it("names Unsupported.Origin and says to create the key with Origin EXTERNAL", () => {
    const [f] = keyFailures(live({ origin: "Aliyun_KMS", keyState: "Enabled" }), 32);
    expect(f.property).toBe("keyId");
    expect(f.reason).toMatch(/Unsupported\.Origin/);
    expect(f.reason).toMatch(/Origin EXTERNAL/);
    expect(f.reason).toContain("key-1");
  });

  it("refuses keys pending deletion and specs without import", () => {
    expect(keyFailures(live({ keyState: "PendingDeletion" }), 32)[0].reason).toMatch(
      /PendingDeletion.*CancelKeyDeletion/,
    );
    const [f] = keyFailures(live({ keySpec: "RSA_2048" }), 32);
    expect(f).toMatchObject({ property: "keyId" });
    // KMS does import RSA/EC material: the message names the limit as this package's, not KMS's.
    expect(f.reason).toMatch(/KMS can import material of that spec, but this package imports only symmetric/);
    expect(f.reason).not.toMatch(/KMS imports material only/);
  });

  it("names keyMaterial when its size does not fit the spec", () => {
    const [f] = keyFailures(live({ keySpec: "Aliyun_SM4" }), 32);
    expect(f.property).toBe("keyMaterial");
    expect(f.reason).toMatch(/Aliyun_SM4, which needs 16 bytes \(128 bits\).*decodes to 32 bytes/);
    expect(keyFailures(live(), 16)[0].property).toBe("keyMaterial");
  });
});

describe("wrappingFailure: dedicated KMS instances refuse RSAES_OAEP_SHA_1", () => {
  it("fails RSAES_OAEP_SHA_1 for a key of a KMS instance, naming the instance and what to use", () => {
    const f = wrappingFailure(live({ dkmsInstanceId: "kst-hzz1234" }), "RSAES_OAEP_SHA_1");
    expect(f).toEqual({
      property: "wrappingAlgorithm",
      reason: expect.stringMatching(/dedicated KMS instance kst-hzz1234.*RSAES_OAEP_SHA_256/),
    });
  });

  it("passes the other algorithms in an instance, and every algorithm in the shared KMS", () => {
    expect(wrappingFailure(live({ dkmsInstanceId: "kst-hzz1234" }), "RSAES_OAEP_SHA_256")).toBeUndefined();
    expect(wrappingFailure(live({ dkmsInstanceId: "kst-hzz1234" }), "RSAES_PKCS1_V1_5")).toBeUndefined();
    expect(wrappingFailure(live(), "RSAES_OAEP_SHA_1")).toBeUndefined();
  });
});

describe("materialChangeFailure: only the first material", () => {
  it("fails on a different fingerprint for the same key, naming keyMaterial and what to do", () => {
    const f = materialChangeFailure("key-1", "aa", "bb");
    expect(f?.property).toBe("keyMaterial");
    expect(f?.reason).toMatch(/accepts only the material first imported/);
    expect(f?.reason).toMatch(/new KMS key with Origin EXTERNAL/);
  });

  it("passes the same material or unknown sides", () => {
    expect(materialChangeFailure("key-1", "aa", "aa")).toBeUndefined();
    expect(materialChangeFailure("key-1", undefined, "aa")).toBeUndefined();
    expect(materialChangeFailure("key-1", "aa", undefined)).toBeUndefined();
  });
});

describe("expiryFailure", () => {
  it("fails a new or changed expiry that is not in the future", () => {
    expect(expiryFailure(T - 1, undefined, T)?.property).toBe("expireAt");
    expect(expiryFailure(T, undefined, T)?.reason).toMatch(/InvalidParameter/);
    expect(expiryFailure(T - 5, T + 100, T)?.property).toBe("expireAt");
  });

  it("passes never, the future, and an unchanged expiry that has passed", () => {
    expect(expiryFailure(0, undefined, T)).toBeUndefined();
    expect(expiryFailure(T + 1, undefined, T)).toBeUndefined();
    expect(expiryFailure(T - 100, T - 100, T)).toBeUndefined();
  });
});

describe("importNeeded", () => {
  it.each([
    ["Enabled", 0, 0, "none"],
    ["Disabled", T, T, "none"],
    ["Enabled", 0, T, "expiry"],
    ["Enabled", T, 0, "expiry"],
    ["Enabled", T, T + 60, "expiry"],
    ["PendingImport", 0, 0, "restore"],
    ["PendingImport", 0, T, "restore"],
    ["PendingImport", T, T, "none"],
    ["PendingImport", T, T + 3600, "restore"],
    ["PendingImport", T, 0, "restore"],
    ["PendingDeletion", 0, 0, "none"],
  ])("state %s, live expiry %d, configured %d → %s", (keyState, liveUnix, configured, need) => {
    expect(
      importNeeded(
        { keyState: keyState as string, materialExpireUnix: liveUnix as number },
        configured as number,
      ),
    ).toBe(need);
  });
});

describe("refreshedExpireAt", () => {
  it("keeps the configured value when it matches or when the material is gone", () => {
    expect(refreshedExpireAt("2030-01-01T00:00:00Z", { keyState: "Enabled", materialExpireUnix: T })).toBe(
      "2030-01-01T00:00:00Z",
    );
    expect(
      refreshedExpireAt(undefined, { keyState: "PendingImport", materialExpireUnix: 0 }),
    ).toBeUndefined();
    expect(refreshedExpireAt(T, { keyState: "PendingImport", materialExpireUnix: 0 })).toBe(T);
  });

  it("shows a different live expiry in the form the user wrote", () => {
    expect(refreshedExpireAt(T, { keyState: "Enabled", materialExpireUnix: T + 60 })).toBe(T + 60);
    expect(refreshedExpireAt("1893456000", { keyState: "Enabled", materialExpireUnix: T + 60 })).toBe(T + 60);
    expect(
      refreshedExpireAt("2030-01-01T00:00:00Z", { keyState: "Enabled", materialExpireUnix: T + 60 }),
    ).toBe("2030-01-01T00:01:00Z");
    expect(refreshedExpireAt(undefined, { keyState: "Enabled", materialExpireUnix: T })).toBe(
      "2030-01-01T00:00:00Z",
    );
    expect(refreshedExpireAt(T, { keyState: "Enabled", materialExpireUnix: 0 })).toBeUndefined();
  });
});

describe("cloudExpireUnix", () => {
  it("reads DescribeKey's MaterialExpireTime", () => {
    expect(cloudExpireUnix("2030-01-01T00:00:00Z")).toBe(T);
    expect(cloudExpireUnix("")).toBe(0);
    expect(cloudExpireUnix(undefined)).toBe(0);
  });
});

describe("planDiff", () => {
  const olds = {
    region: "cn-hangzhou",
    keyId: "key-1",
    keyMaterial: "m",
    wrappingAlgorithm: "RSAES_OAEP_SHA_256",
    wrappingKeySpec: "RSA_2048",
    keyState: "Enabled",
    materialExpireTime: "",
    materialFingerprint: "fp1",
  };
  const news = {
    region: "cn-hangzhou",
    keyId: "key-1",
    keyMaterial: "m",
    wrappingAlgorithm: "RSAES_OAEP_SHA_256",
    wrappingKeySpec: "RSA_2048",
  };

  it("sees no change when nothing changed and the material is in place", () => {
    expect(planDiff(olds, news, "fp1")).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      failure: undefined,
    });
  });

  it("replaces on a new key id (create first) and on a new region for the same key (delete first)", () => {
    expect(planDiff(olds, { ...news, keyId: "key-2" }, "fp2")).toMatchObject({
      changes: true,
      replaces: ["keyId"],
      deleteBeforeReplace: false,
      failure: undefined,
    });
    expect(planDiff(olds, { ...news, region: "cn-shanghai" }, "fp1")).toMatchObject({
      changes: true,
      replaces: ["region"],
      deleteBeforeReplace: true,
    });
    expect(planDiff(olds, { ...news, keyId: UNKNOWN }, undefined).replaces).toEqual(["keyId"]);
  });

  it("fails different material for the same key", () => {
    expect(planDiff(olds, news, "fp2").failure?.property).toBe("keyMaterial");
  });

  it("updates in place for a new expiry, for material gone out of band, and for settings", () => {
    expect(planDiff(olds, { ...news, expireAt: T }, "fp1")).toMatchObject({ changes: true, replaces: [] });
    expect(planDiff({ ...olds, keyState: "PendingImport" }, news, "fp1")).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(planDiff(olds, { ...news, wrappingAlgorithm: "RSAES_OAEP_SHA_1" }, "fp1")).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(planDiff(olds, { ...news, timeoutSeconds: 60 }, "fp1").changes).toBe(true);
    expect(planDiff(olds, { ...news, expireAt: UNKNOWN }, "fp1").changes).toBe(true);
  });

  it("sees no change when the material expired exactly as configured", () => {
    const expired = {
      ...olds,
      expireAt: T,
      keyState: "PendingImport",
      materialExpireTime: "2030-01-01T00:00:00Z",
    };
    expect(planDiff(expired, { ...news, expireAt: T }, "fp1").changes).toBe(false);
    expect(planDiff(expired, { ...news, expireAt: T + 3600 }, "fp1").changes).toBe(true);
  });
});
