import { ALIAS_MAX, PENDING_WINDOW_DAYS, isApiAlias } from "../../clouds/facts/tencent-kms";
import { excerpt, isUnknown, type Failure } from "../common/check";
import type { CmkQuota, LiveKey } from "./cloud";
import type { Inputs, KeyType, KeyUsage, Outputs } from "./schema";

// The Cmk resource's decisions, as pure functions of (prior state, new inputs, live key). No I/O.

/** Changing one of these needs a new key: the cloud cannot change them on an existing key. */
export const REPLACE_FIELDS = ["region", "keyUsage", "type"] as const;
/** Changed in place: UpdateAlias, UpdateKeyDescription, EnableKey/DisableKey. */
export const UPDATE_FIELDS = ["alias", "description", "enabled"] as const;
/**
 * Recorded in state without a cloud call: the deletion window is only used on delete, `api` only decides how a
 * key is created (every call after CreateKey uses API 3.0), `timeoutSeconds` only bounds retries and waits.
 */
export const STATE_FIELDS = ["pendingWindowInDays", "api", "timeoutSeconds"] as const;

const changed = (a: unknown, b: unknown): boolean => isUnknown(b) || a !== b;

export interface CmkDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Compares the recorded state with the new (checked) inputs. Unknown values count as changed. Aliases are
 * unique per account and region, so a replacement that keeps its alias in the same region must delete the
 * old key first (its delete renames the alias away); otherwise the new key is created first, so there is never
 * a moment without a key.
 */
export function diffCmk(olds: Record<string, unknown>, news: Record<string, unknown>): CmkDiff {
  const all = [...REPLACE_FIELDS, ...UPDATE_FIELDS, ...STATE_FIELDS];
  const replaces = REPLACE_FIELDS.filter((f) => changed(olds[f], news[f]));
  return {
    changes: all.some((f) => changed(olds[f], news[f])),
    replaces,
    deleteBeforeReplace:
      replaces.length > 0 && !changed(olds.alias, news.alias) && !changed(olds.region, news.region),
  };
}

/** Replacement fields that differ between old and new inputs (check: a replacement needs a new key). */
export function replacedFields(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return REPLACE_FIELDS.filter((f) => olds[f] !== undefined && changed(olds[f], news[f]));
}

/** Whether the planned change creates a key: a create (no old inputs) or a replacement. */
export function createsKey(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return olds.alias === undefined || replacedFields(olds, news).length > 0;
}

/**
 * Whether the alias must be free before the plan runs: a create, an alias change (in place or by a
 * replacement), or a move to another region (aliases are unique per region).
 */
export function claimsAlias(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return olds.alias === undefined || olds.alias !== news.alias || olds.region !== news.region;
}

/**
 * The quota the provider predicts: the account's CmkLimit, or the configured value when one is set (an override
 * for accounts whose answer is wrong or missing). One quota for both APIs: they create the same keys, and the
 * legacy CreateKey page (https://cloud.tencent.com/document/product/573/8893) states "1000 per user and region,
 * raisable by ticket" above an error table whose 4510 says "(200)"; no page documents a second, legacy-only limit,
 * so the table's number is read as an older value of the same quota, which GetServiceStatus now reports.
 */
export function effectiveQuota(status: CmkQuota, configured: number | undefined): CmkQuota {
  return configured === undefined ? status : { limit: configured, used: status.used };
}

/**
 * Why CreateKey would refuse the KeyUsage: it must be one that ListAlgorithms offers in the region
 * (https://www.tencentcloud.com/document/api/1030/35177; CreateKey says the full list comes from there).
 */
export function keyUsageFailure(keyUsage: string, offered: string[], region: string): Failure | undefined {
  if (offered.includes(keyUsage)) return undefined;
  return {
    property: "keyUsage",
    reason:
      `keyUsage: ${excerpt(keyUsage)} is not offered in ${region}; ListAlgorithms lists ` +
      `${offered.join(", ") || "none"}. Choose one of those.`,
  };
}

/**
 * How to take over an existing key. Pulumi's `import` resource option cannot work for a dynamic resource (the
 * provider host needs the serialized provider from a prior state to read anything), so adoption is an input.
 */
export function adoptHint(keyId: string): string {
  return `to manage that key with this resource, set adoptKeyId: "${keyId}" in its arguments`;
}

/**
 * The key a create takes over instead of calling CreateKey: adoptKeyId, but only when the resource does not
 * exist yet (no old inputs). Like Pulumi's `import` option it is ignored afterwards, so a replacement (say of
 * keyUsage) creates a new key rather than adopting the key it replaces.
 */
export function adoptionTarget(olds: Record<string, unknown>, news: Inputs): string | undefined {
  return olds.alias === undefined ? news.adoptKeyId : undefined;
}

/**
 * Why the key named by adoptKeyId cannot become this resource, if it cannot: it must exist in the region and not
 * be pending deletion, and what a key cannot change (usage, origin) must be what the inputs ask for; an Archived
 * key cannot be enabled without cancelling the archive. Alias, description and enabled are then applied.
 */
export function adoptFailures(inputs: Inputs, keyId: string, key: LiveKey | undefined): Failure[] {
  if (!key) {
    return [
      {
        property: "adoptKeyId",
        reason:
          `adoptKeyId: there is no CMK ${keyId} in ${inputs.region}. Check the key id and the region, or remove ` +
          `adoptKeyId to create a new key.`,
      },
    ];
  }
  if (key.KeyState === "PendingDelete") {
    return [
      {
        property: "adoptKeyId",
        reason:
          `adoptKeyId: CMK ${keyId} in ${inputs.region} is pending deletion and cannot be managed. Cancel its ` +
          `deletion (CancelKeyDeletion) first, or remove adoptKeyId to create a new key.`,
      },
    ];
  }
  const failures: Failure[] = [];
  if (key.KeyUsage !== inputs.keyUsage) {
    failures.push({
      property: "keyUsage",
      reason:
        `keyUsage: CMK ${keyId} (adoptKeyId) is ${key.KeyUsage}, and a key's usage cannot change; set keyUsage ` +
        `to "${key.KeyUsage}".`,
    });
  }
  const external = key.Origin === "EXTERNAL";
  if (external !== (inputs.type === "external")) {
    failures.push({
      property: "type",
      reason: external
        ? `type: CMK ${keyId} (adoptKeyId) holds imported key material (Origin EXTERNAL); set type to "external".`
        : `type: CMK ${keyId} (adoptKeyId) has key material made by KMS (Origin ${key.Origin}); set type to ` +
          `"kms-generated", or leave it out.`,
    });
  }
  if (key.KeyState === "Archived" && inputs.enabled) {
    failures.push({
      property: "enabled",
      reason:
        `enabled: CMK ${keyId} (adoptKeyId) is Archived; set enabled to false, or cancel the archive ` +
        `(CancelKeyArchive) first.`,
    });
  }
  return failures;
}

/** The check failure when the alias is held by a key other than the one being adopted, if it is. */
export function aliasConflict(
  alias: string,
  region: string,
  holder: LiveKey | undefined,
  adoptKeyId: string | undefined,
): Failure | undefined {
  return holder && holder.KeyId !== adoptKeyId ? aliasTakenFailure(alias, region, holder) : undefined;
}

/** The check failure when another key holds the alias (a key pending deletion still holds it). */
export function aliasTakenFailure(alias: string, region: string, holder: LiveKey): Failure {
  const what =
    holder.KeyState === "PendingDelete"
      ? `CMK ${holder.KeyId}, which is pending deletion${
          holder.DeletionDate ? ` until ${new Date(holder.DeletionDate * 1000).toISOString()}` : ""
        } and keeps its alias until then`
      : `CMK ${holder.KeyId} (${holder.KeyState})`;
  const todo =
    holder.KeyState === "PendingDelete"
      ? `choose another alias, or cancel that key's deletion (CancelKeyDeletion) and rename it (UpdateAlias)`
      : `choose another alias, rename that key, or ${adoptHint(holder.KeyId)}`;
  return {
    property: "alias",
    reason:
      `alias: '${alias}' is already used by ${what} in ${region}. ` +
      `Aliases are unique per account and region: ${todo}.`,
  };
}

/**
 * The check failure when a new key would exceed the CMK quota (keys pending deletion count). `pending` counts the
 * keys other resources checked earlier in this deployment will create in the region.
 */
export function quotaFailure(quota: CmkQuota, pending: number, region: string): Failure | undefined {
  if (quota.used + pending < quota.limit) return undefined;
  return {
    property: "region",
    reason:
      `region: the account already has ${quota.used} CMKs in ${region}` +
      (pending > 0 ? `, this deployment creates ${pending} more,` : "") +
      ` and its CMK quota is ${quota.limit}; schedule unused keys for deletion and wait for their deletion dates ` +
      `(keys pending deletion still count), or ask Tencent Cloud for a higher quota (the quota comes from ` +
      `GetServiceStatus; 'pulumi config set keylink:tencentCmkQuota <n>' overrides it).`,
  };
}

const TOMBSTONE_MARK = "-deleted-";
/** Tombstones are set by UpdateAlias, an API 3.0 call, whichever API created the key. */
const TOMBSTONE_MAX = ALIAS_MAX["3.0"];

function shortId(keyId: string): string {
  return keyId.replace(/[^A-Za-z0-9]/g, "").slice(0, 8);
}

function fallbackTombstone(keyId: string): string {
  return `deleted-${keyId.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, TOMBSTONE_MAX);
}

/**
 * The alias a key takes just before its deletion is scheduled, so that its own alias is free at once (a key
 * pending deletion keeps its alias and cannot be renamed). Unique per key, and within API 3.0's alias rule.
 */
export function tombstoneAlias(alias: string, keyId: string): string {
  const suffix = `${TOMBSTONE_MARK}${shortId(keyId)}`;
  const candidate = `${alias.slice(0, TOMBSTONE_MAX - suffix.length)}${suffix}`;
  return isApiAlias(candidate) ? candidate : fallbackTombstone(keyId);
}

/** Whether the alias is already this key's tombstone (an interrupted delete renamed it). */
export function isTombstone(alias: string, keyId: string): boolean {
  return alias.endsWith(`${TOMBSTONE_MARK}${shortId(keyId)}`) || alias === fallbackTombstone(keyId);
}

export type KeyCall =
  | { action: "UpdateAlias"; params: { KeyId: string; Alias: string } }
  | { action: "UpdateKeyDescription"; params: { KeyId: string; Description: string } }
  | { action: "EnableKey" | "DisableKey"; params: { KeyId: string } }
  | { action: "ScheduleKeyDeletion"; params: { KeyId: string; PendingWindowInDays: number } };

/**
 * The calls that bring the live key (found, so not pending deletion) to the inputs, judged against the live key
 * (not the old inputs), so an update also repairs drift. Throws when the key's state makes a change impossible.
 */
export function updateCalls(live: LiveKey, news: Inputs, id: string): KeyCall[] {
  const KeyId = live.KeyId;
  const calls: KeyCall[] = [];
  if (live.Alias !== news.alias) calls.push({ action: "UpdateAlias", params: { KeyId, Alias: news.alias } });
  if (live.Description !== news.description) {
    calls.push({ action: "UpdateKeyDescription", params: { KeyId, Description: news.description } });
  }
  if (news.enabled && live.KeyState === "Disabled") calls.push({ action: "EnableKey", params: { KeyId } });
  if (!news.enabled && live.KeyState === "Enabled") calls.push({ action: "DisableKey", params: { KeyId } });
  if (news.enabled && live.KeyState === "Archived") {
    throw new Error(
      `Cmk ${id}: enabled is true but the key is Archived; cancel the archive (CancelKeyArchive) first, ` +
        `or set enabled to false.`,
    );
  }
  return calls;
}

/** After CreateKey: a key created Enabled that should be disabled. An external key waits in PendingImport. */
export function afterCreateCalls(created: LiveKey, inputs: Inputs): KeyCall[] {
  return !inputs.enabled && created.KeyState === "Enabled"
    ? [{ action: "DisableKey", params: { KeyId: created.KeyId } }]
    : [];
}

/**
 * Delete: free the alias (rename to the tombstone), disable (API 3.0 refuses to schedule an enabled key),
 * then schedule the deletion. Steps already done (by an earlier, interrupted delete) are skipped.
 */
export function deleteCalls(live: LiveKey, pendingWindowInDays: number): KeyCall[] {
  if (live.KeyState === "PendingDelete") return [];
  const KeyId = live.KeyId;
  const calls: KeyCall[] = [];
  if (!isTombstone(live.Alias, KeyId)) {
    calls.push({ action: "UpdateAlias", params: { KeyId, Alias: tombstoneAlias(live.Alias, KeyId) } });
  }
  if (live.KeyState === "Enabled") calls.push({ action: "DisableKey", params: { KeyId } });
  calls.push({ action: "ScheduleKeyDeletion", params: { KeyId, PendingWindowInDays: pendingWindowInDays } });
  return calls;
}

/**
 * What read() reports: the key as the cloud shows it, and the inputs that would produce it. Settings the cloud
 * does not show (api, pendingWindowInDays, timeoutSeconds, a quantum type) keep their recorded values.
 */
export function readBack(
  live: LiveKey,
  region: string,
  prior: Record<string, unknown>,
): { inputs: Inputs; outputs: Outputs } {
  const priorType = prior.type as KeyType | undefined;
  // API 3.0 shows no quantum flag: a key that is not external keeps the recorded type.
  const type: KeyType =
    live.Origin === "EXTERNAL" ? "external" : priorType === "quantum" ? "quantum" : "kms-generated";
  // A key waiting for key material can be neither enabled nor disabled: keep what was asked.
  const enabled =
    live.KeyState === "Enabled" ||
    (live.KeyState === "PendingImport" && (typeof prior.enabled === "boolean" ? prior.enabled : true));
  const inputs: Inputs = {
    region,
    alias: live.Alias,
    description: live.Description,
    keyUsage: live.KeyUsage as KeyUsage,
    type,
    enabled,
    pendingWindowInDays:
      typeof prior.pendingWindowInDays === "number" ? prior.pendingWindowInDays : PENDING_WINDOW_DAYS.default,
    api: prior.api === "legacy-v2" ? "legacy-v2" : "3.0",
    ...(typeof prior.timeoutSeconds === "number" ? { timeoutSeconds: prior.timeoutSeconds } : {}),
  };
  return {
    inputs,
    outputs: {
      ...inputs,
      keyId: live.KeyId,
      keyState: live.KeyState,
      origin: live.Origin,
      createTime: live.CreateTime,
    },
  };
}

/**
 * The key as the cloud shows it once `calls` succeeded: what create and update report without reading the key
 * again (each call's answer is the cloud's acknowledgement of exactly that change).
 */
export function afterCalls(live: LiveKey, calls: KeyCall[]): LiveKey {
  return calls.reduce<LiveKey>((k, c) => {
    switch (c.action) {
      case "UpdateAlias":
        return { ...k, Alias: c.params.Alias };
      case "UpdateKeyDescription":
        return { ...k, Description: c.params.Description };
      case "EnableKey":
        return { ...k, KeyState: "Enabled" };
      case "DisableKey":
        return { ...k, KeyState: "Disabled" };
      case "ScheduleKeyDeletion":
        return { ...k, KeyState: "PendingDelete" };
    }
  }, live);
}
