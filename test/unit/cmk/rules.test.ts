import fc from "fast-check";
import type { LiveKey } from "../../../src/resources/cmk/cloud";
import {
  adoptFailures,
  adoptionTarget,
  afterCalls,
  afterCreateCalls,
  aliasConflict,
  aliasTakenFailure,
  claimsAlias,
  createsKey,
  deleteCalls,
  diffCmk,
  effectiveQuota,
  isTombstone,
  keyUsageFailure,
  quotaFailure,
  readBack,
  tombstoneAlias,
  updateCalls,
} from "../../../src/resources/cmk/rules";
import { Inputs } from "../../../src/resources/cmk/schema";
import { UNKNOWN } from "../../../src/resources/common/check";

const KEY_ID = "23e80852-1e38-11e9-b129-5cb9019b4b01";
const inputs: Inputs = {
  region: "ap-guangzhou",
  alias: "app-key",
  description: "d",
  keyUsage: "ENCRYPT_DECRYPT",
  type: "kms-generated",
  enabled: true,
  pendingWindowInDays: 7,
  api: "3.0",
};
const live: LiveKey = {
  KeyId: KEY_ID,
  Alias: "app-key",
  Description: "d",
  KeyState: "Enabled",
  KeyUsage: "ENCRYPT_DECRYPT",
  Origin: "TENCENT_KMS",
  CreateTime: 1_700_000_000,
};
const state = { ...inputs, keyId: KEY_ID, keyState: "Enabled", origin: "TENCENT_KMS", createTime: 1 };

describe("diffCmk", () => {
  it("no change", () => {
    expect(diffCmk(state, { ...inputs })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each(["alias", "description", "enabled"])("%s updates in place", (field) => {
    const d = diffCmk(state, { ...inputs, [field]: field === "enabled" ? false : "other" });
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["pendingWindowInDays", 30],
    ["api", "legacy-v2"],
    ["timeoutSeconds", 60],
  ])("%s is recorded in place, never replaces", (field, value) => {
    expect(diffCmk(state, { ...inputs, [field]: value })).toMatchObject({ changes: true, replaces: [] });
  });

  it.each([
    ["keyUsage", "ASYMMETRIC_SIGN_VERIFY_SM2"],
    ["type", "external"],
  ])("%s replaces; keeping the alias deletes first", (field, value) => {
    expect(diffCmk(state, { ...inputs, [field]: value })).toEqual({
      changes: true,
      replaces: [field],
      deleteBeforeReplace: true,
    });
  });

  it("a replacement with a new alias, or into another region, creates first", () => {
    expect(diffCmk(state, { ...inputs, type: "external", alias: "new-alias" }).deleteBeforeReplace).toBe(
      false,
    );
    expect(diffCmk(state, { ...inputs, region: "ap-shanghai" })).toMatchObject({
      replaces: ["region"],
      deleteBeforeReplace: false,
    });
  });

  it("unknown values count as changed (an unknown alias on a replacement deletes first to be safe)", () => {
    expect(diffCmk(state, { ...inputs, keyUsage: UNKNOWN }).replaces).toEqual(["keyUsage"]);
    expect(diffCmk(state, { ...inputs, type: "external", alias: UNKNOWN }).deleteBeforeReplace).toBe(false);
    expect(diffCmk(state, { ...inputs, description: UNKNOWN })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });
});

describe("check decisions", () => {
  it("a create claims the alias and a quota slot", () => {
    expect(claimsAlias({}, inputs)).toBe(true);
    expect(createsKey({}, inputs)).toBe(true);
  });

  it("an in-place update claims neither, unless the alias changes", () => {
    expect(claimsAlias(inputs, { ...inputs, description: "x" })).toBe(false);
    expect(createsKey(inputs, { ...inputs, description: "x" })).toBe(false);
    expect(claimsAlias(inputs, { ...inputs, alias: "renamed" })).toBe(true);
    expect(createsKey(inputs, { ...inputs, alias: "renamed" })).toBe(false);
  });

  it("a replacement needs a quota slot (the old key still counts while pending deletion)", () => {
    expect(createsKey(inputs, { ...inputs, type: "external" })).toBe(true);
    expect(claimsAlias(inputs, { ...inputs, type: "external" })).toBe(false);
  });

  it("a move to another region claims the alias there", () => {
    expect(claimsAlias(inputs, { ...inputs, region: "ap-shanghai" })).toBe(true);
  });

  it("quota: GetServiceStatus's CmkLimit and CmkUserCount, the configured limit as an override", () => {
    expect(effectiveQuota({ limit: 1000, used: 3 }, undefined)).toEqual({ limit: 1000, used: 3 });
    expect(effectiveQuota({ limit: 1000, used: 3 }, 5000)).toEqual({ limit: 5000, used: 3 });
  });

  it("quotaFailure: the last free slot passes, the first one past the limit fails, pending creates count", () => {
    expect(quotaFailure({ limit: 1000, used: 999 }, 0, "ap-guangzhou")).toBeUndefined();
    const f = quotaFailure({ limit: 1000, used: 1000 }, 0, "ap-guangzhou")!;
    expect(f.property).toBe("region");
    expect(f.reason).toMatch(/1000 CMKs in ap-guangzhou/);
    expect(f.reason).toMatch(/pending deletion still count/);
    expect(f.reason).toMatch(/keylink:tencentCmkQuota/);
    expect(quotaFailure({ limit: 10, used: 8 }, 1, "ap-guangzhou")).toBeUndefined();
    expect(quotaFailure({ limit: 10, used: 8 }, 2, "ap-guangzhou")!.reason).toMatch(
      /this deployment creates 2 more/,
    );
  });

  it("keyUsageFailure: a usage ListAlgorithms offers passes; another fails naming the offered ones", () => {
    expect(keyUsageFailure("ENCRYPT_DECRYPT", ["ENCRYPT_DECRYPT"], "ap-guangzhou")).toBeUndefined();
    const f = keyUsageFailure(
      "ASYMMETRIC_DECRYPT_RSA_4096",
      ["ENCRYPT_DECRYPT", "ASYMMETRIC_DECRYPT_SM2"],
      "ap-shanghai-fsi",
    )!;
    expect(f.property).toBe("keyUsage");
    expect(f.reason).toMatch(
      /not offered in ap-shanghai-fsi; ListAlgorithms lists ENCRYPT_DECRYPT, ASYMMETRIC_DECRYPT_SM2/,
    );
  });

  it("aliasTakenFailure names alias, the holder and what to do", () => {
    const f = aliasTakenFailure("app-key", "ap-guangzhou", live);
    expect(f.property).toBe("alias");
    expect(f.reason).toMatch(new RegExp(`already used by CMK ${KEY_ID} \\(Enabled\\) in ap-guangzhou`));
    // Suggests the input that works, not the `import` resource option, which fails for dynamic resources.
    expect(f.reason).toMatch(/set adoptKeyId: "23e80852-1e38-11e9-b129-5cb9019b4b01"/);
    expect(f.reason).not.toMatch(/import/);
    const pending = aliasTakenFailure("app-key", "ap-guangzhou", {
      ...live,
      KeyState: "PendingDelete",
      DeletionDate: 1_700_604_800,
    });
    expect(pending.reason).toMatch(/pending deletion until 2023-11-21T22:13:20.000Z and keeps its alias/);
    expect(pending.reason).toMatch(/CancelKeyDeletion/);
  });
});

describe("adoption (adoptKeyId)", () => {
  const adopting = { ...inputs, adoptKeyId: KEY_ID };

  it("applies to the create of a new resource only, so a replacement creates a new key", () => {
    expect(adoptionTarget({}, adopting)).toBe(KEY_ID);
    expect(adoptionTarget({}, inputs)).toBeUndefined();
    expect(adoptionTarget({ ...inputs, adoptKeyId: KEY_ID }, adopting)).toBeUndefined();
    expect(adoptionTarget(inputs, { ...adopting, keyUsage: "ASYMMETRIC_DECRYPT_SM2" })).toBeUndefined();
  });

  it("accepts a live key whose usage and origin match; alias, description and enabled may differ", () => {
    expect(adoptFailures(adopting, KEY_ID, live)).toEqual([]);
    expect(
      adoptFailures(adopting, KEY_ID, { ...live, Alias: "old", Description: "x", KeyState: "Disabled" }),
    ).toEqual([]);
    expect(
      adoptFailures({ ...adopting, type: "external" }, KEY_ID, {
        ...live,
        Origin: "EXTERNAL",
        KeyState: "PendingImport",
      }),
    ).toEqual([]);
  });

  it("refuses a missing key or one pending deletion, on adoptKeyId", () => {
    const [missing] = adoptFailures(adopting, KEY_ID, undefined);
    expect(missing.property).toBe("adoptKeyId");
    expect(missing.reason).toMatch(new RegExp(`no CMK ${KEY_ID} in ap-guangzhou.*remove adoptKeyId`));
    const pending = adoptFailures(adopting, KEY_ID, { ...live, KeyState: "PendingDelete" });
    expect(pending).toHaveLength(1);
    expect(pending[0].property).toBe("adoptKeyId");
    expect(pending[0].reason).toMatch(/pending deletion.*CancelKeyDeletion/);
  });

  it("names the field to change when the key's usage, origin or archive state differs", () => {
    const f = adoptFailures(adopting, KEY_ID, {
      ...live,
      KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2",
      Origin: "EXTERNAL",
      KeyState: "Archived",
    });
    expect(f.map((x) => x.property)).toEqual(["keyUsage", "type", "enabled"]);
    expect(f[0].reason).toMatch(/set keyUsage to "ASYMMETRIC_SIGN_VERIFY_SM2"/);
    expect(f[1].reason).toMatch(/set type to "external"/);
    expect(f[2].reason).toMatch(/Archived.*enabled to false/);
    expect(adoptFailures({ ...adopting, type: "external" }, KEY_ID, live)[0].reason).toMatch(
      /set type to "kms-generated"/,
    );
    expect(adoptFailures({ ...adopting, enabled: false }, KEY_ID, { ...live, KeyState: "Archived" })).toEqual(
      [],
    );
  });

  it("lets the adopted key hold the alias; any other holder is a conflict", () => {
    expect(aliasConflict("app-key", "ap-guangzhou", live, KEY_ID)).toBeUndefined();
    expect(aliasConflict("app-key", "ap-guangzhou", undefined, KEY_ID)).toBeUndefined();
    expect(aliasConflict("app-key", "ap-guangzhou", live, undefined)?.property).toBe("alias");
    expect(aliasConflict("app-key", "ap-guangzhou", live, "another-key")?.reason).toMatch(
      new RegExp(`already used by CMK ${KEY_ID}`),
    );
  });
});

describe("update, create, delete plans", () => {
  it("updates alias, description and state against the live key (repairing drift)", () => {
    expect(updateCalls(live, inputs, "id")).toEqual([]);
    const drifted = { ...live, Description: "changed out of band", KeyState: "Disabled" };
    expect(updateCalls(drifted, inputs, "id")).toEqual([
      { action: "UpdateKeyDescription", params: { KeyId: KEY_ID, Description: "d" } },
      { action: "EnableKey", params: { KeyId: KEY_ID } },
    ]);
    expect(updateCalls(live, { ...inputs, alias: "b", enabled: false }, "id")).toEqual([
      { action: "UpdateAlias", params: { KeyId: KEY_ID, Alias: "b" } },
      { action: "DisableKey", params: { KeyId: KEY_ID } },
    ]);
  });

  it("a key waiting for key material is neither enabled nor disabled", () => {
    const pending = { ...live, KeyState: "PendingImport", Origin: "EXTERNAL" };
    expect(updateCalls(pending, { ...inputs, type: "external" }, "id")).toEqual([]);
    expect(updateCalls(pending, { ...inputs, type: "external", enabled: false }, "id")).toEqual([]);
    expect(afterCreateCalls(pending, { ...inputs, enabled: false })).toEqual([]);
  });

  it("refuses enabling an archived key", () => {
    expect(() => updateCalls({ ...live, KeyState: "Archived" }, inputs, "id")).toThrow(/CancelKeyArchive/);
    expect(updateCalls({ ...live, KeyState: "Archived" }, { ...inputs, enabled: false }, "id")).toEqual([]);
  });

  it("after create: disable when enabled is false", () => {
    expect(afterCreateCalls(live, inputs)).toEqual([]);
    expect(afterCreateCalls(live, { ...inputs, enabled: false })).toEqual([
      { action: "DisableKey", params: { KeyId: KEY_ID } },
    ]);
  });

  it("delete: free the alias, disable, schedule", () => {
    expect(deleteCalls(live, 9)).toEqual([
      { action: "UpdateAlias", params: { KeyId: KEY_ID, Alias: "app-key-deleted-23e80852" } },
      { action: "DisableKey", params: { KeyId: KEY_ID } },
      { action: "ScheduleKeyDeletion", params: { KeyId: KEY_ID, PendingWindowInDays: 9 } },
    ]);
  });

  it("delete resumes an interrupted delete and does nothing for a key already pending deletion", () => {
    const renamed = { ...live, Alias: "app-key-deleted-23e80852", KeyState: "Disabled" };
    expect(deleteCalls(renamed, 7)).toEqual([
      { action: "ScheduleKeyDeletion", params: { KeyId: KEY_ID, PendingWindowInDays: 7 } },
    ]);
    expect(deleteCalls({ ...live, KeyState: "PendingDelete" }, 7)).toEqual([]);
    expect(deleteCalls({ ...live, KeyState: "PendingImport" }, 7).map((c) => c.action)).toEqual([
      "UpdateAlias",
      "ScheduleKeyDeletion",
    ]);
  });

  it("tombstone aliases are valid API 3.0 aliases of at most 60 characters, distinct per key", () => {
    const aliasArb = fc
      .stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/)
      .filter((a) => !a.startsWith("kms-"));
    fc.assert(
      fc.property(aliasArb, fc.uuid(), fc.uuid(), (alias, k1, k2) => {
        const t = tombstoneAlias(alias, k1);
        expect(t.length).toBeLessThanOrEqual(60);
        expect(t).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
        expect(t.startsWith("kms-")).toBe(false);
        expect(t).not.toBe(alias);
        expect(isTombstone(t, k1)).toBe(true);
        if (k1.replace(/-/g, "").slice(0, 8) !== k2.replace(/-/g, "").slice(0, 8)) {
          expect(t).not.toBe(tombstoneAlias(alias, k2));
        }
      }),
    );
  });
});

describe("afterCalls", () => {
  it("is the key once each call's change is made", () => {
    const calls = updateCalls(live, { ...inputs, alias: "b", description: "new", enabled: false }, "id");
    expect(afterCalls(live, calls)).toEqual({
      ...live,
      Alias: "b",
      Description: "new",
      KeyState: "Disabled",
    });
    expect(
      afterCalls({ ...live, KeyState: "Disabled" }, [{ action: "EnableKey", params: { KeyId: KEY_ID } }]),
    ).toMatchObject({ KeyState: "Enabled" });
    expect(afterCalls(live, deleteCalls(live, 7))).toMatchObject({ KeyState: "PendingDelete" });
    expect(afterCalls(live, [])).toBe(live);
  });
});

describe("readBack", () => {
  it("reports the cloud's values and keeps what the cloud does not show", () => {
    const prior = {
      ...state,
      api: "legacy-v2",
      type: "quantum",
      pendingWindowInDays: 20,
      timeoutSeconds: 30,
    };
    const r = readBack({ ...live, Description: "drift", KeyState: "Disabled" }, "ap-guangzhou", prior);
    expect(r.inputs).toEqual({
      ...inputs,
      description: "drift",
      enabled: false,
      api: "legacy-v2",
      type: "quantum",
      pendingWindowInDays: 20,
      timeoutSeconds: 30,
    });
    expect(r.outputs).toMatchObject({
      keyId: KEY_ID,
      keyState: "Disabled",
      origin: "TENCENT_KMS",
      createTime: 1_700_000_000,
    });
  });

  it("an import (no prior state) gets the defaults; an external key reads as external", () => {
    const r = readBack({ ...live, Origin: "EXTERNAL", KeyState: "PendingImport" }, "ap-guangzhou", {});
    expect(r.inputs).toMatchObject({ type: "external", enabled: true, api: "3.0", pendingWindowInDays: 7 });
    expect(
      readBack({ ...live, KeyState: "PendingImport" }, "ap-guangzhou", { enabled: false }).inputs.enabled,
    ).toBe(false);
    expect(readBack({ ...live, KeyState: "Archived" }, "ap-guangzhou", state).inputs.enabled).toBe(false);
  });
});
