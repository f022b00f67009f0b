import { UNKNOWN } from "../../../src/resources/common/check";
import {
  adoption,
  descriptionUpdate,
  diffReplicaKey,
  inputsFromLive,
  inputsOf,
  isGone,
  keyParams,
  namesFromTrn,
  primaryProblem,
  replicaRegionFailure,
  replicateHint,
  replicationPlanned,
  sameAsOld,
  stateFromLive,
} from "../../../src/resources/replica-key/rules";
import type { VolcKey } from "../../../src/resources/replica-key/cloud";
import {
  createResourceId,
  type Inputs,
  type Outputs,
  parseResourceId,
} from "../../../src/resources/replica-key/schema";

const KEY_ID = "39a0e7c6-b7dd-4c83-b400-3449bb95403a";
const PRIMARY_TRN = "trn:kms:cn-beijing:2100042018:keyrings/test/keys/mrk-test";
const REPLICA_TRN = "trn:kms:cn-shanghai:2100042018:keyrings/test/keys/mrk-test";

const byId: Inputs = {
  keyId: KEY_ID,
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
  description: "replica key",
  pendingWindowInDays: 7,
  timeoutSeconds: 300,
};
const byName: Inputs = {
  keyringName: "test",
  keyName: "mrk-test",
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
  description: "replica key",
  pendingWindowInDays: 7,
  timeoutSeconds: 300,
};

function key(over: Partial<VolcKey> = {}): VolcKey {
  return {
    ID: KEY_ID,
    KeyName: "mrk-test",
    KeySpec: "SYMMETRIC_256",
    KeyUsage: "ENCRYPT_DECRYPT",
    Description: "",
    KeyState: "Enable",
    Trn: PRIMARY_TRN,
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: "PRIMARY",
      PrimaryKey: { Trn: PRIMARY_TRN, Region: "cn-beijing" },
      ReplicaKeys: [],
    },
    ...over,
  };
}

function replica(over: Partial<VolcKey> = {}): VolcKey {
  return key({
    Trn: REPLICA_TRN,
    Description: "replica key",
    CreationDate: 1625818017,
    UpdateDate: 1625818017591,
    MultiRegionConfiguration: {
      MultiRegionKeyType: "REPLICA",
      PrimaryKey: { Trn: PRIMARY_TRN, Region: "cn-beijing" },
      ReplicaKeys: [{ Trn: REPLICA_TRN, Region: "cn-shanghai" }],
    },
    ...over,
  });
}

const state = (inputs: Inputs): Outputs => stateFromLive(inputs, replica());

describe("ReplicaKey identity", () => {
  it("round-trips the ID", () => {
    expect(createResourceId("cn-shanghai", KEY_ID)).toBe(`cn-shanghai:${KEY_ID}`);
    expect(parseResourceId(`cn-shanghai:${KEY_ID}`)).toEqual({ replicaRegion: "cn-shanghai", keyId: KEY_ID });
  });

  it.each(["", "cn-shanghai", ":abc", "cn-shanghai:"])("rejects the damaged ID %j with advice", (id) => {
    expect(() => parseResourceId(id)).toThrow(/pulumi state delete/);
    expect(() => parseResourceId(id)).toThrow(
      /pulumi import keylink:volcengine:ReplicaKey <name> <replicaRegion>:<keyId>/,
    );
  });

  it("reads keyring and key name from a TRN", () => {
    expect(namesFromTrn(REPLICA_TRN)).toEqual({ keyringName: "test", keyName: "mrk-test" });
    expect(namesFromTrn("nonsense")).toBeUndefined();
  });

  it("names the key either way in API parameters", () => {
    expect(keyParams({ keyId: KEY_ID })).toEqual({ KeyID: KEY_ID });
    expect(keyParams({ keyringName: "test", keyName: "mrk-test" })).toEqual({
      KeyringName: "test",
      KeyName: "mrk-test",
    });
  });
});

describe("ReplicaKey: which primaries can be replicated", () => {
  it("accepts an Enable multi-region primary", () => {
    expect(primaryProblem(byId, key())).toBeUndefined();
  });

  it("names keyId or keyName when the primary does not exist", () => {
    expect(primaryProblem(byId, undefined)).toEqual({
      property: "keyId",
      reason: expect.stringMatching(
        /^keyId: Primary key '39a0e7c6.*' in cn-beijing does not exist. Check keyId/,
      ),
    });
    expect(primaryProblem(byName, undefined)?.reason).toMatch(
      /^keyName: Primary key 'test\/mrk-test' in cn-beijing does not exist. Check keyringName and keyName and primaryRegion/,
    );
  });

  it("refuses a single-region key", () => {
    const p = primaryProblem(byName, key({ MultiRegion: false, MultiRegionConfiguration: null }));
    expect(p?.property).toBe("keyName");
    expect(p?.reason).toMatch(/single-region key and cannot be replicated.*MultiRegion=true/);
  });

  it("refuses a replica and points at its primary", () => {
    const p = primaryProblem(
      { ...byId, primaryRegion: "cn-shanghai", replicaRegion: "cn-guangzhou" },
      replica(),
    );
    expect(p?.reason).toMatch(
      /is itself a replica.*Replicate its primary trn:kms:cn-beijing:.* in cn-beijing/,
    );
  });

  it("refuses a primary pending deletion, and no other state (no source names one)", () => {
    const p = primaryProblem(byId, key({ KeyState: "PendingDelete" }));
    expect(p?.reason).toMatch(/is pending deletion and cannot be replicated.*CancelKeyDeletion/);
    for (const state of ["Enable", "Disable", "Archived", "PendingImport"])
      expect(primaryProblem(byId, key({ KeyState: state }))).toBeUndefined();
  });

  it("replicaRegionFailure: a region DescribeRegions lists passes; another fails naming the list", () => {
    expect(replicaRegionFailure("cn-shanghai", ["cn-beijing", "cn-shanghai"])).toBeUndefined();
    expect(replicaRegionFailure("eu-west-9", ["cn-beijing", "cn-shanghai"])).toEqual({
      property: "replicaRegion",
      reason: expect.stringMatching(
        /not offered in 'eu-west-9' \(DescribeRegions lists cn-beijing, cn-shanghai\)/,
      ),
    });
  });
});

describe("ReplicaKey: adopting a replica found after Conflict", () => {
  const primary = key();

  it("adopts a live replica of this primary", () => {
    expect(adoption(replica(), primary, "cn-beijing", "cn-shanghai")).toEqual({ action: "adopt" });
    expect(adoption(replica({ KeyState: "Disable" }), primary, "cn-beijing", "cn-shanghai")).toEqual({
      action: "adopt",
    });
  });

  it("restores a replica of this primary that is pending deletion", () => {
    expect(adoption(replica({ KeyState: "PendingDelete" }), primary, "cn-beijing", "cn-shanghai")).toEqual({
      action: "restore",
    });
  });

  it.each([
    ["a single-region key", replica({ MultiRegion: false, MultiRegionConfiguration: null })],
    ["a primary", key({ Trn: REPLICA_TRN })],
    [
      "a replica of another primary",
      replica({
        MultiRegionConfiguration: {
          MultiRegionKeyType: "REPLICA",
          PrimaryKey: { Trn: PRIMARY_TRN.replace("cn-beijing", "cn-guangzhou"), Region: "cn-guangzhou" },
        },
      }),
    ],
    ["a key with another ID", replica({ ID: "00000000-0000-0000-0000-000000000000" })],
  ])("refuses %s, naming replicaRegion", (_label, existing) => {
    const d = adoption(existing, primary, "cn-beijing", "cn-shanghai");
    expect(d.action).toBe("refuse");
    expect(d.action === "refuse" && d.reason).toMatch(
      /^replicaRegion cn-shanghai already holds key .* which is not a replica of trn:kms:cn-beijing:/,
    );
  });
});

describe("ReplicaKey: when ReplicateKey will be called", () => {
  it("is called on create", () => {
    expect(replicationPlanned(undefined, byId)).toBe("yes");
    expect(replicationPlanned({}, byId)).toBe("yes");
  });

  it("is not called when the primary and regions are unchanged", () => {
    expect(replicationPlanned(byId, { ...byId, description: "other" })).toBe("no");
    expect(replicationPlanned(byName, byName)).toBe("no");
  });

  it("is called when the primary or a region changes", () => {
    expect(replicationPlanned(byId, { ...byId, keyId: "00000000-0000-0000-0000-000000000000" })).toBe("yes");
    expect(replicationPlanned(byName, { ...byName, keyName: "mrk-other" })).toBe("yes");
    expect(replicationPlanned(byId, { ...byId, replicaRegion: "cn-guangzhou" })).toBe("yes");
    expect(replicationPlanned(byId, { ...byId, primaryRegion: "cn-guangzhou" })).toBe("yes");
  });

  it("depends on the live primary when only the way it is named changes", () => {
    expect(replicationPlanned(byId, byName)).toBe("maybe");
    expect(sameAsOld(byId, key())).toBe(true);
    expect(sameAsOld(byName, key())).toBe(true);
    expect(sameAsOld(byId, key({ ID: "00000000-0000-0000-0000-000000000000" }))).toBe(false);
    expect(sameAsOld({}, key())).toBe(false);
  });
});

describe("ReplicaKey diff", () => {
  const olds = state(byId);

  it("sees no change for the same inputs (ignoring __provider and outputs)", () => {
    expect(diffReplicaKey({ ...olds }, { ...byId, __provider: "x" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      notes: [],
    });
  });

  it("updates the description in place", () => {
    expect(diffReplicaKey(olds, { ...byId, description: "new" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      notes: [],
    });
  });

  it("updates the provider's own settings in place", () => {
    expect(diffReplicaKey(olds, { ...byId, pendingWindowInDays: 30 }).replaces).toEqual([]);
    expect(diffReplicaKey(olds, { ...byId, timeoutSeconds: 60 }).changes).toBe(true);
  });

  it.each([
    ["primaryRegion", { primaryRegion: "cn-guangzhou" }],
    ["replicaRegion", { replicaRegion: "cn-guangzhou" }],
    ["keyId", { keyId: "00000000-0000-0000-0000-000000000000" }],
  ])("replaces on a change of %s", (field, change) => {
    expect(diffReplicaKey(olds, { ...byId, ...change }).replaces).toEqual([field]);
  });

  it("replaces on a change of the primary's name", () => {
    const named = state(byName);
    expect(diffReplicaKey(named, { ...byName, keyName: "mrk-other" }).replaces).toEqual(["keyName"]);
    expect(diffReplicaKey(named, { ...byName, keyringName: "other" }).replaces).toEqual(["keyringName"]);
  });

  it("only updates the recorded inputs when the same primary is named the other way", () => {
    expect(diffReplicaKey(olds, byName)).toMatchObject({ changes: true, replaces: [], notes: [] });
    expect(diffReplicaKey(state(byName), byId)).toMatchObject({ changes: true, replaces: [], notes: [] });
  });

  it("replaces when a region is unknown at preview: every change of a region replaces", () => {
    expect(diffReplicaKey(olds, { ...byId, replicaRegion: UNKNOWN }).replaces).toEqual(["replicaRegion"]);
    expect(diffReplicaKey(olds, { ...byId, primaryRegion: UNKNOWN }).replaces).toEqual(["primaryRegion"]);
    expect(diffReplicaKey(olds, { ...byId, description: UNKNOWN })).toMatchObject({
      changes: true,
      replaces: [],
      notes: [],
    });
  });

  it.each([
    ["keyId", byId, { keyId: UNKNOWN }],
    ["keyName", byName, { keyName: UNKNOWN }],
    ["keyringName", byName, { keyringName: UNKNOWN }],
    ["keyringName, keyName", byName, { keyringName: UNKNOWN, keyName: UNKNOWN }],
  ])(
    "shows an unknown %s as an update with a warning, not a replacement (only its identity decides)",
    (fields, from, change) => {
      const d = diffReplicaKey(state(from), { ...from, ...change });
      expect(d).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
      expect(d.notes).toHaveLength(1);
      expect(d.notes[0]).toContain(`${fields} not known until another resource is deployed`);
      expect(d.notes[0]).toContain("'pulumi up' replaces the replica");
    },
  );

  it("switching to a name not known yet is an update too", () => {
    const d = diffReplicaKey(olds, { ...byName, keyName: UNKNOWN });
    expect(d).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("ReplicaKey state from the cloud", () => {
  it("records inputs and the replica's outputs", () => {
    expect(state(byName)).toEqual({
      ...byName,
      replicaKeyId: KEY_ID,
      trn: REPLICA_TRN,
      keyState: "Enable",
      keySpec: "SYMMETRIC_256",
      keyUsage: "ENCRYPT_DECRYPT",
      multiRegionKeyType: "REPLICA",
      primaryKeyTrn: PRIMARY_TRN,
      primaryKeyRegion: "cn-beijing",
      creationDate: 1625818017,
      updateDate: 1625818017591,
    });
    expect(inputsOf({ ...state(byName), __provider: "x" })).toEqual(byName);
  });

  it("treats a missing or pending-deletion replica as gone", () => {
    expect(isGone(undefined)).toBe(true);
    expect(isGone(replica({ KeyState: "PendingDelete" }))).toBe(true);
    expect(isGone(replica({ KeyState: "Disable" }))).toBe(false);
  });

  it("reports an out-of-band description as the input that would produce it", () => {
    expect(inputsFromLive(byId, replica({ Description: "changed" }))).toEqual({
      ...byId,
      description: "changed",
    });
    expect(descriptionUpdate(replica({ Description: "changed" }), byId)).toBe("replica key");
    expect(descriptionUpdate(replica(), byId)).toBeUndefined();
    expect(
      descriptionUpdate(replica({ Description: undefined }), { ...byId, description: "" }),
    ).toBeUndefined();
  });

  it("reports a re-linked primary in the form the user used", () => {
    const moved = replica({
      MultiRegionConfiguration: {
        MultiRegionKeyType: "REPLICA",
        PrimaryKey: {
          Trn: "trn:kms:cn-guangzhou:2100042018:keyrings/test/keys/mrk-test",
          Region: "cn-guangzhou",
        },
      },
    });
    expect(inputsFromLive(byName, moved)).toMatchObject({
      primaryRegion: "cn-guangzhou",
      keyName: "mrk-test",
    });
    expect(inputsFromLive(byId, moved)).toEqual({ ...byId, primaryRegion: "cn-guangzhou" });
    expect(diffReplicaKey(state(byId), inputsFromLive(byId, moved)).replaces).toEqual(["primaryRegion"]);
  });

  it("reports a replica promoted to primary as a change of primaryRegion", () => {
    const promoted = replica({
      MultiRegionConfiguration: {
        MultiRegionKeyType: "PRIMARY",
        PrimaryKey: { Trn: REPLICA_TRN, Region: "cn-shanghai" },
      },
    });
    expect(inputsFromLive(byId, promoted).primaryRegion).toBe("cn-shanghai");
  });

  it.each([
    ["Not Found", /No primary key '39a0e7c6.*' in cn-beijing: check keyId and primaryRegion/],
    ["InvalidOperation", /not a multi-region primary key/],
    ["InvalidKeyStatus", /in a state ReplicateKey refuses/],
    ["InvalidReplicaRegion", /replicaRegion 'cn-shanghai' cannot hold a replica/],
    ["InvalidParameter", /2 to 31 characters/],
  ])("hints what to change for %s", (code, hint) => {
    expect(replicateHint(code, byId)).toMatch(hint);
  });

  it("adds no hint to other errors", () => {
    expect(replicateHint("AccessDenied", byId)).toBeUndefined();
  });
});
