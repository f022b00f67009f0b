import { ENABLED, PENDING_DELETE } from "../../clouds/facts/volcengine-kms";
import { isNotFound } from "../../clouds/errors";
import { sleep, waitFor } from "../../clouds/retry";
import { volcengineClient, volcengineScope } from "../../clouds/volcengine";
import { CHECK_SHARED_READ_MS, sharedReads } from "../../common/shared-reads";
import type { Remaining } from "../common/deadline";
import { isGone } from "./rules";

// Everything ReplicaKey says to Volcengine KMS (2021-02-18): the wire types, the finders and the named waiters.
// Every call is signed for the region it is about: ReplicateKey and the primary's DescribeKey for the primary
// region, everything about the replica for the replica region. None of the actions used takes an idempotency
// token (ReplicateKey, https://www.volcengine.com/docs/6476/1438471; UpdateKey,
// https://www.volcengine.com/docs/6476/1337068; ScheduleKeyDeletion, https://www.volcengine.com/docs/6476/1337059):
// a retried ReplicateKey answers Conflict, which create turns into adoption.

/** A Volcengine KMS key as DescribeKey and ReplicateKey answer it (the fields this resource reads). */
export interface VolcKey {
  ID: string;
  KeyName: string;
  KeySpec?: string;
  KeyUsage?: string;
  Description?: string;
  KeyState: string;
  Trn: string;
  CreationDate?: number;
  UpdateDate?: number;
  /** RFC 3339, empty when no deletion is scheduled. */
  ScheduleDeleteTime?: string;
  MultiRegion?: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType?: string;
    PrimaryKey?: { Trn?: string; Region?: string };
    ReplicaKeys?: Array<{ Trn?: string; Region?: string }>;
  } | null;
}

/** DescribeKey and ReplicateKey name a key by KeyID, or by KeyringName with KeyName. */
export type KeyParams = { KeyID: string } | { KeyringName: string; KeyName: string };

/** Shortest pause between reads while waiting for the replica region. */
const POLL_INTERVAL_MS = 200;
/**
 * The first read of a replica just replicated comes after this pause: the replica region never shows it with
 * the ReplicateKey answer (eventual consistency), so a read at once is always wasted.
 */
const FIRST_READ_AFTER_MS = 500;

/** DescribeKey; undefined when the region has no such key. Throttled and transient failures are retried. */
export async function describeKey(
  region: string,
  params: KeyParams,
  remaining: Remaining,
): Promise<VolcKey | undefined> {
  try {
    return (
      await volcengineClient(region).call<{ Key: VolcKey }>("DescribeKey", params, {
        deadlineMs: remaining(),
      })
    ).Key;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const checkedPrimaries = () =>
  sharedReads<VolcKey | undefined>("replica-check-primaries", CHECK_SHARED_READ_MS);

/**
 * For check: the primary key as a check read it less than CHECK_SHARED_READ_MS ago, else read now, so that the
 * replicas of one primary in several regions read it once per check pass. A ReplicateKey of this process leaves
 * it as good as new for check: it adds to the primary's list of replicas, which no rule reads.
 */
export async function checkPrimary(
  region: string,
  params: KeyParams,
  remaining: Remaining,
): Promise<VolcKey | undefined> {
  return checkedPrimaries().read(`${await volcengineScope(region)}|${JSON.stringify(params)}`, () =>
    describeKey(region, params, remaining),
  );
}

/** The replica, or undefined when it is gone or pending deletion (Pulumi should create it again). */
export async function findReplica(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<VolcKey | undefined> {
  const key = await describeKey(region, { KeyID: keyId }, remaining);
  return isGone(key) ? undefined : key;
}

/** ReplicateKey, in the primary's region; answers the replica as the primary's region sees it. */
export async function replicateKey(
  primaryRegion: string,
  params: KeyParams & { ReplicaRegion: string; Description?: string },
  remaining: Remaining,
): Promise<VolcKey> {
  const res = await volcengineClient(primaryRegion).call<{ ReplicaKey: VolcKey }>("ReplicateKey", params, {
    method: "POST",
    deadlineMs: remaining(),
  });
  return res.ReplicaKey;
}

/**
 * UpdateKey by KeyringName and KeyName: the reference takes them or KeyID, the official SDK's UpdateKeyInput
 * (volcengine-go-sdk service/kms/api_update_key.go) requires both names and has no KeyID, so only the names
 * satisfy both. A replica keeps its primary's names (its Trn shows them).
 */
export async function updateDescription(
  region: string,
  names: { keyringName: string; keyName: string },
  description: string,
  remaining: Remaining,
): Promise<void> {
  await volcengineClient(region).call(
    "UpdateKey",
    { KeyringName: names.keyringName, KeyName: names.keyName, Description: description },
    { deadlineMs: remaining() },
  );
}

export async function scheduleDeletion(
  region: string,
  keyId: string,
  pendingWindowInDays: number,
  remaining: Remaining,
): Promise<void> {
  await volcengineClient(region).call(
    "ScheduleKeyDeletion",
    { KeyID: keyId, PendingWindowInDays: pendingWindowInDays },
    { deadlineMs: remaining() },
  );
}

export async function cancelDeletion(region: string, keyId: string, remaining: Remaining): Promise<void> {
  await volcengineClient(region).call("CancelKeyDeletion", { KeyID: keyId }, { deadlineMs: remaining() });
}

/** The regions KMS offers (DescribeRegions), read once per deployment; a failed read is forgotten. */
export function kmsRegions(signingRegion: string, remaining: Remaining): Promise<string[]> {
  return sharedReads<string[]>("volcengine-kms-regions", Number.POSITIVE_INFINITY).read(signingRegion, () =>
    volcengineClient(signingRegion)
      .call<{ Regions?: Array<{ RegionId?: string }> }>("DescribeRegions", {}, { deadlineMs: remaining() })
      .then((r) => (r.Regions ?? []).map((x) => x.RegionId ?? "").filter(Boolean)),
  );
}

/** A short account of a key for wait messages. */
export function describeState(key: VolcKey | undefined): string {
  return key
    ? `${key.KeyState} (${key.MultiRegionConfiguration?.MultiRegionKeyType ?? "single-region"})`
    : "not visible yet";
}

interface KeyWait {
  description: string;
  consecutive?: number;
  failed?: (k: VolcKey | undefined) => string | undefined;
}

/** Polls DescribeKey until the key is visible and `done` holds; answers the key. */
async function waitForKey(
  region: string,
  params: KeyParams,
  done: (k: VolcKey) => boolean,
  remaining: Remaining,
  opts: KeyWait,
): Promise<VolcKey> {
  const key = await waitFor(
    () => describeKey(region, params, remaining),
    (k) => k !== undefined && done(k),
    describeState,
    { intervalMs: POLL_INTERVAL_MS, timeoutMs: remaining(), ...opts },
  );
  return key as VolcKey;
}

/**
 * Waits until the replica region shows the replica just replicated as Enable on two reads in a row (one read
 * can come from a node that has it while the next does not). The first read waits FIRST_READ_AFTER_MS.
 */
export async function waitReplicaEnabled(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<VolcKey> {
  await sleep(Math.min(FIRST_READ_AFTER_MS, remaining()));
  return waitForKey(region, { KeyID: keyId }, (k) => k.KeyState === ENABLED, remaining, {
    description: `replica key ${keyId} to be Enable in ${region}`,
    consecutive: 2,
    failed: (k) =>
      k?.KeyState === PENDING_DELETE
        ? `Replica key ${keyId} in ${region} was scheduled for deletion while being created; cancel the ` +
          `deletion (CancelKeyDeletion) or wait for it to end, then run 'pulumi up' again.`
        : undefined,
  });
}

/** Waits until the replica region shows a key of these names (the one a Conflict answer was about). */
export function waitKeyVisible(region: string, params: KeyParams, remaining: Remaining): Promise<VolcKey> {
  return waitForKey(region, params, () => true, remaining, {
    description: `the key already in ${region} (ReplicateKey answered Conflict) to be visible`,
  });
}

/** Waits until the replica is no longer pending deletion (after CancelKeyDeletion). */
export function waitReplicaRestored(region: string, keyId: string, remaining: Remaining): Promise<VolcKey> {
  return waitForKey(region, { KeyID: keyId }, (k) => k.KeyState !== PENDING_DELETE, remaining, {
    description: `replica key ${keyId} in ${region} to be restored`,
  });
}

/** Waits until the replica shows the description just written. */
export function waitDescription(
  region: string,
  keyId: string,
  description: string,
  remaining: Remaining,
): Promise<VolcKey> {
  return waitForKey(region, { KeyID: keyId }, (k) => (k.Description ?? "") === description, remaining, {
    description: `replica key ${keyId} in ${region} to show its new description`,
  });
}

/** Waits until the replica is gone or pending deletion. */
export async function waitReplicaDeleting(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<void> {
  await waitFor(() => describeKey(region, { KeyID: keyId }, remaining), isGone, describeState, {
    description: `replica key ${keyId} in ${region} to be pending deletion`,
    timeoutMs: remaining(),
    intervalMs: POLL_INTERVAL_MS,
  });
}
