import { isCloudError, isNotFound } from "../../clouds/errors";
import {
  ALIAS_EXISTS_CODES,
  DEFAULT_CMK_LIMIT,
  LEGACY_KEY_USAGE,
  keyUsagesOf,
  type AlgorithmInfo,
} from "../../clouds/facts/tencent-kms";
import { isRetryable, waitFor, withRetry } from "../../clouds/retry";
import { type TencentClient, tencentClient, tencentLegacyClient, tencentScope } from "../../clouds/tencent";
import {
  CHECK_SHARED_READ_MS,
  REFRESH_SHARED_READ_MS,
  SHARED_LISTING_MAX_ITEMS,
  type SharedReads,
  listingOrNone,
  sharedReads,
} from "../../common/shared-reads";
import { type Inputs, TYPE_NUMBER } from "./schema";
import type { Remaining } from "../common/deadline";

// Everything the Cmk resource says to Tencent Cloud KMS: the wire types of API 3.0 (2019-01-18) and of the
// legacy API 2.0 CreateKey, the finders, the named waiters, and the one time budget of an operation.
// Every call after CreateKey uses API 3.0, whichever API created the key.

/** A key as DescribeKey and ListKeyDetail show it (API 3.0 KeyMetadata, the fields the resource uses). */
export interface LiveKey {
  KeyId: string;
  Alias: string;
  Description: string;
  KeyState: string;
  KeyUsage: string;
  Origin: string;
  CreateTime: number;
  DeletionDate?: number;
}

/** API 3.0 CreateKey's answer (https://www.tencentcloud.com/document/api/1030/32199). */
interface CreateKeyAnswer {
  KeyId: string;
  Alias: string;
  CreateTime: number;
  Description: string;
  KeyState: string;
  KeyUsage: string;
}

/** The legacy CreateKey's answer (https://cloud.tencent.com/document/product/573/8893), lower-case fields. */
interface LegacyCreateKeyAnswer {
  keyMetadata: {
    keyId: string;
    alias: string;
    createTime: number;
    description: string;
    keyState: string;
    keyUsage: string;
  };
}

/** ListKeyDetail's answer (https://cloud.tencent.com/document/api/573/34416). */
interface ListKeyDetailAnswer {
  TotalCount: number;
  KeyMetadatas?: LiveKey[];
}

/** GetServiceStatus's quota fields (https://www.tencentcloud.com/document/api/1030/32186); null on some accounts. */
interface ServiceStatusAnswer {
  CmkLimit?: number | null;
  CmkUserCount?: number | null;
}

/** ListAlgorithms's answer (https://www.tencentcloud.com/document/api/1030/35177). */
interface AlgorithmsAnswer {
  SymmetricAlgorithms?: AlgorithmInfo[];
  AsymmetricAlgorithms?: AlgorithmInfo[];
  AsymmetricSignVerifyAlgorithms?: AlgorithmInfo[];
}

/** The account's CMK quota in a region: CmkLimit keys, CmkUserCount used. */
export interface CmkQuota {
  limit: number;
  used: number;
}

/** Default of `timeoutSeconds`: one deadline for the whole operation. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** DescribeKey: the key in any state, or undefined when it does not exist. */
export async function describeKey(
  client: TencentClient,
  keyId: string,
  left: Remaining,
): Promise<LiveKey | undefined> {
  try {
    const r = await client.call<{ KeyMetadata: LiveKey }>(
      "DescribeKey",
      { KeyId: keyId },
      { deadlineMs: left() },
    );
    return r.KeyMetadata;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * The key, or undefined when it is gone for the resource: deleted, or pending deletion (nothing but
 * CancelKeyDeletion can use it again, and its deletion date removes it).
 */
export async function findKey(
  client: TencentClient,
  keyId: string,
  left: Remaining,
): Promise<LiveKey | undefined> {
  return usable(await describeKey(client, keyId, left));
}

/** The key, unless it is pending deletion: then it is gone for the resource. */
const usable = (key: LiveKey | undefined) => (key && key.KeyState !== "PendingDelete" ? key : undefined);

/**
 * The region's keys by id; undefined when it holds more than SHARED_LISTING_MAX_ITEMS or the listing failed
 * (refused, throttled past retries).
 */
const readRegionKeys = () =>
  sharedReads<Map<string, LiveKey> | undefined>("cmk-read-region-keys", REFRESH_SHARED_READ_MS);

/**
 * Finder, for read (refresh, import): `findKey`'s answer, taken from one ListKeyDetail page of the region's keys
 * read less than REFRESH_SHARED_READ_MS ago or now (kept apart per endpoint, account and region), so that a
 * refresh of a region's Cmks lists the region once instead of describing each key. ListKeyDetail answers the
 * same KeyMetadata as DescribeKey; a key the listing does not show (a region of more than
 * SHARED_LISTING_MAX_ITEMS keys, a key not listed yet, a listing that failed) is described on its own, so a
 * missing key is never taken for a deleted one.
 */
export async function findKeyForRead(
  region: string,
  keyId: string,
  left: Remaining,
): Promise<LiveKey | undefined> {
  const client = tencentClient(region);
  const listed = await sharedRegionKeys(readRegionKeys(), client, region, left);
  return usable(listed?.get(keyId) ?? (await describeKey(client, keyId, left)));
}

/** The region's keys as `table` holds them from a listing sent less than its window ago, else listed now. */
async function sharedRegionKeys(
  table: SharedReads<Map<string, LiveKey> | undefined>,
  client: TencentClient,
  region: string,
  left: Remaining,
): Promise<Map<string, LiveKey> | undefined> {
  return table.read(
    await tencentScope(region),
    listingOrNone(() => listRegionKeys(client, left)),
  );
}

async function listRegionKeys(
  client: TencentClient,
  left: Remaining,
): Promise<Map<string, LiveKey> | undefined> {
  const page = await client.call<ListKeyDetailAnswer>(
    "ListKeyDetail",
    { KeyState: 0, KeyUsage: "ALL", Origin: "ALL", Offset: 0, Limit: SHARED_LISTING_MAX_ITEMS },
    { deadlineMs: left() },
  );
  if (page.TotalCount > SHARED_LISTING_MAX_ITEMS) return undefined;
  return new Map((page.KeyMetadatas ?? []).map((k) => [k.KeyId, k]));
}

/** The region's keys by id as check listed them; undefined as for readRegionKeys. */
const checkedRegionKeys = () =>
  sharedReads<Map<string, LiveKey> | undefined>("cmk-check-region-keys", CHECK_SHARED_READ_MS);

/**
 * For check: `findKeyByAlias`'s answer, taken from one ListKeyDetail page of the region's keys listed by the
 * deployment's checks less than CHECK_SHARED_READ_MS ago or now (kept apart per endpoint, account and region), so
 * that a check pass over a region's Cmks lists the region once instead of searching each alias. A region of more
 * than SHARED_LISTING_MAX_ITEMS keys, or a listing that failed, takes the alias search. A key this process
 * creates joins the listing (checkedKeyCreated); another write of it (an alias moved, a create that failed) forgets
 * the listing (forgetCheckedKeys).
 */
export async function checkKeyByAlias(
  region: string,
  alias: string,
  left: Remaining,
): Promise<LiveKey | undefined> {
  const client = tencentClient(region);
  const listed = await sharedRegionKeys(checkedRegionKeys(), client, region, left);
  if (!listed) return findKeyByAlias(client, alias, left);
  return [...listed.values()].find((k) => k.Alias === alias);
}

/** Forgets check's listing of `region`'s keys: a write of this process created a key or moved an alias there. */
export async function forgetCheckedKeys(region: string): Promise<void> {
  checkedRegionKeys().forget(await tencentScope(region));
}

/** Adds a key this process just created to check's listing of `region`'s keys: the next check sees its alias. */
export async function checkedKeyCreated(region: string, key: LiveKey): Promise<void> {
  checkedRegionKeys().amend(await tencentScope(region), (keys) => keys && new Map(keys).set(key.KeyId, key));
}

/**
 * The key holding `alias` in the region, in any state: a key pending deletion keeps its alias. ListKeyDetail's
 * search is fuzzy, so the alias is matched exactly here.
 */
export async function findKeyByAlias(
  client: TencentClient,
  alias: string,
  left: Remaining,
): Promise<LiveKey | undefined> {
  const limit = 200;
  for (let offset = 0; ; offset += limit) {
    const page = await client.call<ListKeyDetailAnswer>(
      "ListKeyDetail",
      { SearchKeyAlias: alias, KeyState: 0, KeyUsage: "ALL", Origin: "ALL", Offset: offset, Limit: limit },
      { deadlineMs: left() },
    );
    const hit = (page.KeyMetadatas ?? []).find((k) => k.Alias === alias);
    if (hit) return hit;
    if (offset + limit >= page.TotalCount) return undefined;
  }
}

/** The keys of the region created at or after `sinceS` (Unix seconds), newest first, at most `limit`. */
export async function keysCreatedSince(
  client: TencentClient,
  sinceS: number,
  limit: number,
  left: Remaining,
): Promise<LiveKey[]> {
  // OrderType 0: newest first.
  const page = await client.call<ListKeyDetailAnswer>(
    "ListKeyDetail",
    { KeyState: 0, KeyUsage: "ALL", Origin: "ALL", OrderType: 0, Offset: 0, Limit: limit },
    { deadlineMs: left() },
  );
  return (page.KeyMetadatas ?? []).filter((k) => k.CreateTime >= sinceS);
}

/** The account's CMK quota and use in the client's region (GetServiceStatus). */
export async function getQuota(client: TencentClient, left: Remaining): Promise<CmkQuota> {
  const r = await client.call<ServiceStatusAnswer>("GetServiceStatus", {}, { deadlineMs: left() });
  return { limit: r.CmkLimit ?? DEFAULT_CMK_LIMIT, used: r.CmkUserCount ?? 0 };
}

/** The KeyUsage values the client's region offers (ListAlgorithms). */
export async function listKeyUsages(client: TencentClient, left: Remaining): Promise<string[]> {
  return keyUsagesOf(await client.call<AlgorithmsAnswer>("ListAlgorithms", {}, { deadlineMs: left() }));
}

/** One CreateKey through the API the inputs name, without retries; the new key as its answer shows it. */
async function createKeyOnce(inputs: Inputs, left: Remaining): Promise<LiveKey> {
  const type = TYPE_NUMBER[inputs.api][inputs.type];
  const description = inputs.description || undefined;
  if (inputs.api === "legacy-v2") {
    const { keyMetadata: k } = await tencentLegacyClient(inputs.region).call<LegacyCreateKeyAnswer>(
      "CreateKey",
      { alias: inputs.alias, description, keyUsage: LEGACY_KEY_USAGE, type },
      { retry: false },
    );
    return {
      KeyId: k.keyId,
      Alias: k.alias,
      Description: k.description ?? "",
      KeyState: k.keyState,
      // The same key as API 3.0 sees it: the legacy API's only usage is 3.0's ENCRYPT_DECRYPT.
      KeyUsage: "ENCRYPT_DECRYPT",
      Origin: "TENCENT_KMS",
      CreateTime: k.createTime,
    };
  }
  const r = await tencentClient(inputs.region).call<CreateKeyAnswer>(
    "CreateKey",
    { Alias: inputs.alias, Description: description, KeyUsage: inputs.keyUsage, Type: type },
    { retry: false, deadlineMs: left() },
  );
  return {
    KeyId: r.KeyId,
    Alias: r.Alias,
    Description: r.Description ?? "",
    KeyState: r.KeyState,
    KeyUsage: r.KeyUsage,
    Origin: inputs.type === "external" ? "EXTERNAL" : "TENCENT_KMS",
    CreateTime: r.CreateTime,
  };
}

/**
 * CreateKey, retried. It is not idempotent, but the alias is unique and was free before the first attempt: when an
 * attempt fails in a way that may have created the key anyway (a lost answer), the key holding the alias is this
 * create's key. Any other failure, "alias taken" on the first attempt included, is the caller's.
 */
export function createKey(inputs: Inputs, left: Remaining): Promise<LiveKey> {
  const client = tencentClient(inputs.region);
  return withRetry(
    async (attempt) => {
      try {
        return await createKeyOnce(inputs, left);
      } catch (e) {
        if (isRetryable(e) || (attempt > 0 && isCloudError(e, ...ALIAS_EXISTS_CODES))) {
          const holder = await findKeyByAlias(client, inputs.alias, left).catch(() => undefined);
          if (holder) return holder;
        }
        throw e;
      }
    },
    { deadlineMs: left() },
  );
}

const describeState = (k: LiveKey | undefined): string => (k ? `${k.KeyState}, alias ${k.Alias}` : "gone");

/** Waits until the key is gone for the resource (pending deletion or deleted). */
export function waitKeyPendingDeletion(
  client: TencentClient,
  keyId: string,
  left: Remaining,
): Promise<unknown> {
  return waitFor(
    () => findKey(client, keyId, left),
    (k) => k === undefined,
    describeState,
    {
      description: `CMK ${keyId} to be pending deletion`,
      timeoutMs: left(),
      intervalMs: 200,
    },
  );
}

/** Pause between reads while an alias moves between two Cmks of one deployment. */
const ALIAS_POLL_MS = 250;

export interface AliasWait {
  /** The key that may hold the alias already (an update), if any. */
  ownKeyId?: string;
  /** The error that ends the wait when the holder will never give the alias up; undefined while it may. */
  never: (holder: LiveKey) => Error | undefined;
  /** Called on each read that finds the alias held by a key that may give it up (e.g. to move the own key aside). */
  onHeld?: (holder: LiveKey) => Promise<void>;
  /** What is awaited, for the timeout message. */
  description: string;
}

/** Waits until `alias` is free in the client's region, or held by `ownKeyId`. */
export async function waitAliasFree(
  client: TencentClient,
  alias: string,
  left: Remaining,
  w: AliasWait,
): Promise<void> {
  const held = (k: LiveKey | undefined): k is LiveKey => k !== undefined && k.KeyId !== w.ownKeyId;
  await waitFor(
    async () => {
      const holder = await findKeyByAlias(client, alias, left);
      if (held(holder)) {
        const never = w.never(holder);
        if (never) throw never;
        await w.onHeld?.(holder);
      }
      return holder;
    },
    (k) => !held(k),
    (k) => (held(k) ? `held by CMK ${k.KeyId}` : "free"),
    {
      description: w.description,
      timeoutMs: left(),
      intervalMs: ALIAS_POLL_MS,
      maxIntervalMs: ALIAS_POLL_MS,
    },
  );
}
