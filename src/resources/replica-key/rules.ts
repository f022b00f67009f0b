import type * as pulumi from "@pulumi/pulumi";
import { excerpt, isUnknown, type Failure } from "../common/check";
import { MAX_DESCRIPTION, PENDING_DELETE } from "../../clouds/facts/volcengine-kms";
import type { KeyParams, VolcKey } from "./cloud";
import { INPUT_NAMES, primaryRef, type Inputs, type Outputs, type PrimaryRef } from "./schema";

// What the provider predicts about Volcengine KMS replicas. Pure functions of inputs, old state and keys as
// DescribeKey shows them; provider.ts does the calls.

// ---- identity ----

/** Keyring and key name from a TRN "trn:kms:<region>:<account>:keyrings/<ring>/keys/<name>". */
export function namesFromTrn(trn: string | undefined): { keyringName: string; keyName: string } | undefined {
  const m = /:keyrings\/([^/]+)\/keys\/([^/]+)$/.exec(trn ?? "");
  return m ? { keyringName: m[1], keyName: m[2] } : undefined;
}

export function describeRef(ref: PrimaryRef): string {
  return "keyId" in ref ? `'${ref.keyId}'` : `'${ref.keyringName}/${ref.keyName}'`;
}

/** The input that names the primary key, for failures. */
export function refField(ref: PrimaryRef): string {
  return "keyId" in ref ? "keyId" : "keyName";
}

/** Whether `key` is the key `ref` names (both in the same region). */
export function refersTo(ref: PrimaryRef, key: VolcKey): boolean {
  if ("keyId" in ref) return key.ID === ref.keyId;
  const names = namesFromTrn(key.Trn);
  return names?.keyringName === ref.keyringName && names.keyName === ref.keyName;
}

/** ReplicateKey and DescribeKey parameters naming a key: KeyID, or KeyringName with KeyName. */
export function keyParams(ref: PrimaryRef): KeyParams {
  return "keyId" in ref ? { KeyID: ref.keyId } : { KeyringName: ref.keyringName, KeyName: ref.keyName };
}

// ---- states ----

export const multiRegionKeyType = (key: VolcKey): string | undefined =>
  key.MultiRegionConfiguration?.MultiRegionKeyType;

/** A replica that does not exist or is pending deletion is gone: Pulumi should create it again. */
export function isGone(key: VolcKey | undefined): boolean {
  return key === undefined || key.KeyState === PENDING_DELETE;
}

/**
 * Why ReplicateKey (https://www.volcengine.com/docs/6476/1438471) would refuse this primary, as a check failure naming
 * the input, or undefined when it can be replicated: it must exist in primaryRegion and be a multi-region primary
 * (not single-region, not a replica), and must not be pending deletion.
 *
 * The reference lists InvalidKeyStatus for ReplicateKey without naming the states it refuses, and no Volcengine
 * page says the primary must be Enable; an earlier rule refusing a Disable primary had no source and is dropped
 * (what the cloud may accept is not refused). A key pending deletion is refused: InvalidKeyStatus is the answer
 * of every key action but CancelKeyDeletion on such a key (UpdateKey, https://www.volcengine.com/docs/6476/1337068).
 */
export function primaryProblem(inputs: Inputs, primary: VolcKey | undefined): Failure | undefined {
  const ref = primaryRef(inputs);
  const property = refField(ref);
  const named = `Primary key ${describeRef(ref)} in ${inputs.primaryRegion}`;
  let reason: string | undefined;
  if (primary === undefined) {
    reason =
      `${named} does not exist. Check ${"keyId" in ref ? "keyId" : "keyringName and keyName"} and primaryRegion ` +
      `(the key must be in the region the request is signed for).`;
  } else if (!primary.MultiRegion || !primary.MultiRegionConfiguration) {
    reason =
      `${named} (ID ${primary.ID}) is a single-region key and cannot be replicated: only a multi-region key ` +
      `(created with MultiRegion=true) can. Name a multi-region primary key.`;
  } else if (multiRegionKeyType(primary) !== "PRIMARY") {
    const origin = primary.MultiRegionConfiguration.PrimaryKey;
    reason =
      `${named} (ID ${primary.ID}) is itself a replica and cannot be replicated. Replicate its primary ` +
      `${origin?.Trn ?? ""} in ${origin?.Region ?? "its primary region"} instead (set primaryRegion to it).`;
  } else if (primary.KeyState === PENDING_DELETE) {
    reason =
      `${named} (ID ${primary.ID}) is pending deletion and cannot be replicated. Cancel its deletion ` +
      `(CancelKeyDeletion) first.`;
  }
  return reason ? { property, reason: `${property}: ${reason}` } : undefined;
}

/**
 * Why ReplicateKey would refuse the replica region: it must be a region Volcengine KMS offers, as DescribeRegions
 * lists them (the SDK model service/kms/api_describe_regions.go of volcengine-go-sdk;
 * https://docs.byteplus.com/en/docs/kms/DescribeRegions), and not the primary's own (InvalidReplicaRegion).
 */
export function replicaRegionFailure(replicaRegion: string, offered: string[]): Failure | undefined {
  if (offered.includes(replicaRegion)) return undefined;
  return {
    property: "replicaRegion",
    reason:
      `replicaRegion: Volcengine KMS is not offered in '${excerpt(replicaRegion)}' (DescribeRegions lists ` +
      `${offered.join(", ") || "none"}); choose one of those.`,
  };
}

export type Adoption = { action: "adopt" } | { action: "restore" } | { action: "refuse"; reason: string };

/**
 * What to do with a key found in the replica region when ReplicateKey answered Conflict (typically a create
 * retried after a timeout): adopt it when it is a replica of this very primary; restore it first when it is
 * pending deletion (a replica destroyed by an earlier run keeps its name until its window ends, and it is the
 * same key material, so cancelling the deletion gives the user what they asked for); refuse anything else.
 */
export function adoption(
  existing: VolcKey,
  primary: VolcKey,
  primaryRegion: string,
  replicaRegion: string,
): Adoption {
  const cfg = existing.MultiRegionConfiguration;
  const isOurs =
    multiRegionKeyType(existing) === "REPLICA" &&
    cfg?.PrimaryKey?.Region === primaryRegion &&
    cfg?.PrimaryKey?.Trn === primary.Trn &&
    existing.ID === primary.ID;
  if (!isOurs) {
    return {
      action: "refuse",
      reason:
        `replicaRegion ${replicaRegion} already holds key ${existing.Trn} (ID ${existing.ID}, ` +
        `${multiRegionKeyType(existing) ?? "single-region"}${cfg?.PrimaryKey?.Trn ? ` of ${cfg.PrimaryKey.Trn}` : ""}), ` +
        `which is not a replica of ${primary.Trn}. Choose another replicaRegion, or remove that key.`,
    };
  }
  return existing.KeyState === PENDING_DELETE ? { action: "restore" } : { action: "adopt" };
}

// ---- planning ----

/**
 * Whether applying `news` over the old inputs calls ReplicateKey (a create or a replacement), so that the
 * primary's eligibility must be checked at preview: "no" when the primary and both regions are unchanged,
 * "maybe" when only the way the primary is named changed (the live primary decides, see `sameAsOld`).
 */
export function replicationPlanned(olds: Partial<Inputs> | undefined, news: Inputs): "yes" | "no" | "maybe" {
  if (!olds || olds.primaryRegion === undefined || olds.replicaRegion === undefined) return "yes";
  if (olds.primaryRegion !== news.primaryRegion || olds.replicaRegion !== news.replicaRegion) return "yes";
  const byIdOld = olds.keyId !== undefined;
  const byIdNew = news.keyId !== undefined;
  if (byIdOld !== byIdNew) return "maybe";
  if (byIdNew) return olds.keyId === news.keyId ? "no" : "yes";
  return olds.keyringName === news.keyringName && olds.keyName === news.keyName ? "no" : "yes";
}

/** For a "maybe": the live primary (named the new way) is the key the old inputs named. */
export function sameAsOld(olds: Partial<Inputs>, primary: VolcKey): boolean {
  if (olds.keyId === undefined && (olds.keyringName === undefined || olds.keyName === undefined))
    return false;
  return refersTo(primaryRef(olds as Inputs), primary);
}

const REPLACING: Array<keyof Inputs> = ["primaryRegion", "replicaRegion"];
const UPDATABLE: Array<keyof Inputs> = ["description", "pendingWindowInDays", "timeoutSeconds"];
const NAMING = ["keyId", "keyringName", "keyName"] as const;

export interface ReplicaKeyDiff extends pulumi.dynamic.DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** What the user should know about the plan (warnings). */
  notes: string[];
}

/**
 * The diff of new inputs against the old state. A different primary or region means another key: replace. The
 * primary is compared by identity, not by form: switching from keyId to keyringName/keyName naming the same key
 * only updates the recorded inputs. Description is updated in place (UpdateKey in the replica region);
 * pendingWindowInDays and timeoutSeconds are the provider's own settings.
 *
 * Values not known yet (preview): a region not known yet is a replacement, as any change of it is (the worst
 * case is shown, as Terraform and Pulumi's bridged providers show a computed ForceNew field). The primary's name
 * is different: it names the same key in most plans (typically another resource's output being updated in
 * place), and only its identity decides. It is shown as an update, with a warning that `up` replaces the replica
 * if the name turns out to designate another primary key; `up` diffs again with the known value.
 */
export function diffReplicaKey(olds: Partial<Outputs>, news: Record<string, unknown>): ReplicaKeyDiff {
  const replaces: string[] = [];
  const changed: string[] = [];
  for (const k of REPLACING) if (isUnknown(news[k]) || news[k] !== olds[k]) replaces.push(k);
  for (const k of UPDATABLE) if (isUnknown(news[k]) || news[k] !== olds[k]) changed.push(k);

  const notes: string[] = [];
  const unknownNaming = NAMING.filter((k) => isUnknown(news[k]));
  const replicaKeyId = olds.replicaKeyId ?? olds.keyId;
  const oldNames = namesFromTrn(olds.trn) ?? { keyringName: olds.keyringName, keyName: olds.keyName };
  if (unknownNaming.length > 0) {
    changed.push(...unknownNaming);
    notes.push(
      `ReplicaKey ${olds.replicaRegion ?? ""}:${replicaKeyId ?? ""}: ${unknownNaming.join(", ")} not known until ` +
        `another resource is deployed. If it then names another primary key than ` +
        `${olds.trn ?? replicaKeyId ?? "the current one"}, 'pulumi up' replaces the replica.`,
    );
  } else if (news.keyId !== undefined) {
    if (news.keyId !== replicaKeyId) replaces.push("keyId");
  } else {
    for (const k of ["keyringName", "keyName"] as const) if (news[k] !== oldNames[k]) replaces.push(k);
  }
  for (const k of NAMING) {
    if (!replaces.includes(k) && !changed.includes(k) && news[k] !== olds[k]) changed.push(k);
  }
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false, notes };
}

// ---- state from the cloud ----

/** The input properties recorded in a state object. */
export function inputsOf(state: Record<string, unknown>): Partial<Inputs> {
  const out: Record<string, unknown> = {};
  for (const k of INPUT_NAMES) if (state[k] !== undefined) out[k] = state[k];
  return out as Partial<Inputs>;
}

/** Outputs: the inputs as given, and the replica as the replica region shows it. */
export function stateFromLive(inputs: Partial<Inputs>, replica: VolcKey): Outputs {
  const primary = replica.MultiRegionConfiguration?.PrimaryKey;
  return {
    ...(inputs as Inputs),
    replicaKeyId: replica.ID,
    trn: replica.Trn,
    keyState: replica.KeyState,
    keySpec: replica.KeySpec,
    keyUsage: replica.KeyUsage,
    multiRegionKeyType: multiRegionKeyType(replica),
    primaryKeyTrn: primary?.Trn,
    primaryKeyRegion: primary?.Region,
    creationDate: replica.CreationDate,
    updateDate: replica.UpdateDate,
  };
}

/**
 * The inputs that would produce the replica as it is now, for refresh: the description as the cloud has it, and
 * the primary as the replica's link names it (in the form the user used), so that a description changed out of
 * band shows as an update and a replica re-linked to another primary (or promoted) shows as a replacement.
 */
export function inputsFromLive(old: Partial<Inputs>, replica: VolcKey): Partial<Inputs> {
  const out: Partial<Inputs> = { ...old, description: replica.Description ?? "" };
  const link = replica.MultiRegionConfiguration?.PrimaryKey;
  if (multiRegionKeyType(replica) !== "REPLICA" || !link?.Region) {
    // No longer a replica: no primary region describes it but its own.
    out.primaryRegion = old.replicaRegion;
    return out;
  }
  out.primaryRegion = link.Region;
  const names = namesFromTrn(link.Trn);
  if (old.keyId === undefined && names) {
    out.keyringName = names.keyringName;
    out.keyName = names.keyName;
  }
  return out;
}

/** Whether the description must be written to reach the inputs. */
export function descriptionUpdate(replica: VolcKey, inputs: Inputs): string | undefined {
  return (replica.Description ?? "") === inputs.description ? undefined : inputs.description;
}

/** Hints for the cloud errors ReplicateKey can answer, naming the input to change. */
export function replicateHint(code: string, inputs: Inputs): string | undefined {
  const ref = describeRef(primaryRef(inputs));
  switch (code) {
    case "Not Found":
      return `No primary key ${ref} in ${inputs.primaryRegion}: check ${refField(primaryRef(inputs))} and primaryRegion`;
    case "InvalidOperation":
      return `Key ${ref} in ${inputs.primaryRegion} is not a multi-region primary key; only those can be replicated`;
    case "InvalidKeyStatus":
      return `Primary key ${ref} in ${inputs.primaryRegion} is in a state ReplicateKey refuses (pending deletion, or another the cloud names above); bring it back (CancelKeyDeletion, EnableKey) and run 'pulumi up' again`;
    case "InvalidReplicaRegion":
      return `replicaRegion '${inputs.replicaRegion}' cannot hold a replica of a key in ${inputs.primaryRegion}: use another region where Volcengine KMS is available`;
    case "InvalidParameter":
      return `Check keyId, keyringName, keyName (2 to 31 characters of [a-zA-Z0-9-_]) and description (at most ${MAX_DESCRIPTION} characters)`;
    default:
      return undefined;
  }
}
