import type * as pulumi from "@pulumi/pulumi";
import { CloudError, isCloudError, isNotFound } from "../../clouds/errors";
import { isRetryable, waitFor, withRetry } from "../../clouds/retry";
import { TencentClient, tencentClient, tencentLegacyClient } from "../../clouds/tencent";
import { resolveSettings } from "../../config";
import { DEFAULT_CMK_LIMIT, keyUsagesOf } from "../../clouds/facts/tencent-kms";
import {
  checkResult,
  deferredNote,
  isUnknown,
  oldInputsFor,
  parseInputs,
  unknownFields,
} from "../common/check";
import { recordTakeover, wasTakenOver } from "../common/taken-over";
import { warn } from "../common/warn";
import {
  KeyCall,
  LiveKey,
  adoptFailures,
  adoptHint,
  adoptionTarget,
  afterCreateCalls,
  aliasConflict,
  aliasTakenFailure,
  claimsAlias,
  createsKey,
  deleteCalls,
  diffCmk,
  effectiveQuota,
  isGone,
  keyUsageFailure,
  quotaFailure,
  type CmkQuota,
  readBack,
  replacedFields,
  updateCalls,
} from "./rules";
import {
  PEERS_INPUT,
  anyUnchecked,
  claimantOf,
  heldByStackFailure,
  isReleased,
  judgeClaim,
  memory,
  openClaim,
  parsePeers,
  recordPlan,
  settleOpenClaims,
  transitAlias,
} from "./moves";
import { CmkInputs, LEGACY_KEY_USAGE, TYPE_NUMBER, cmkId, cmkInputSchema, parseCmkId } from "./schema";
import { processMemory } from "../../common/process-memory";

// CRUD of the Tencent Cloud KMS CMK. Reads live state with the clients, decides with rules.ts, writes.
// Every call after CreateKey uses API 3.0, whichever API created the key.

const DEFAULT_DEADLINE_MS = 120_000;
/** Pause between reads while an alias moves between two Cmks of the deployment. */
const MOVE_POLL_MS = 250;
export { configure } from "../common/configure";

function parse(news: Record<string, unknown>): CmkInputs {
  const { inputs, failures } = parseInputs(cmkInputSchema, news);
  if (!inputs) throw new Error(`Invalid Cmk inputs: ${failures.map((f) => f.reason).join("; ")}`);
  return inputs;
}

function deadlineMs(timeoutSeconds: unknown): number {
  return typeof timeoutSeconds === "number" ? timeoutSeconds * 1000 : DEFAULT_DEADLINE_MS;
}

const ALIAS_EXISTS = ["InvalidParameterValue.AliasAlreadyExists", "4500"];
const LIMIT_EXCEEDED = ["LimitExceeded.CmkLimitExceeded", "4510"];

interface ListKeyDetailResponse {
  TotalCount: number;
  KeyMetadatas?: LiveKey[];
}

/** The key holding `alias` in the region, in any state (ListKeyDetail's search is fuzzy: match exactly here). */
async function findByAlias(
  client: TencentClient,
  alias: string,
  deadline: number,
): Promise<LiveKey | undefined> {
  const limit = 200;
  for (let offset = 0; ; offset += limit) {
    const page = await client.call<ListKeyDetailResponse>(
      "ListKeyDetail",
      { SearchKeyAlias: alias, KeyState: 0, KeyUsage: "ALL", Origin: "ALL", Offset: offset, Limit: limit },
      { deadlineMs: deadline },
    );
    const hit = (page.KeyMetadatas ?? []).find((k) => k.Alias === alias);
    if (hit) return hit;
    if (offset + limit >= page.TotalCount) return undefined;
  }
}

// Per deployment (this provider process serves all of it): GetServiceStatus and ListAlgorithms once per region, and the aliases of the keys
// that resources checked earlier will create, per region, so that a deployment of several new keys is judged
// against the quota as a whole at preview.
interface ServiceMemory {
  status: Map<string, Promise<CmkQuota>>;
  usages: Map<string, Promise<string[]>>;
  pendingCreates: Map<string, Set<string>>;
}

function serviceMemory(): ServiceMemory {
  return processMemory<ServiceMemory>("tencent-kms-deployment", () => ({
    status: new Map(),
    usages: new Map(),
    pendingCreates: new Map(),
  }));
}

/** Remembered per region: a failed call is forgotten, so the next check asks again. */
function once<T>(table: Map<string, Promise<T>>, region: string, load: () => Promise<T>): Promise<T> {
  let p = table.get(region);
  if (!p) {
    p = load();
    p.catch(() => table.delete(region));
    table.set(region, p);
  }
  return p;
}

/** The account's CMK quota and use in the region (GetServiceStatus: CmkLimit, CmkUserCount). */
function serviceQuota(client: TencentClient, region: string, deadline: number): Promise<CmkQuota> {
  return once(serviceMemory().status, region, async () => {
    const r = await client.call<{ CmkLimit?: number | null; CmkUserCount?: number | null }>(
      "GetServiceStatus",
      {},
      { deadlineMs: deadline },
    );
    return { limit: r.CmkLimit ?? DEFAULT_CMK_LIMIT, used: r.CmkUserCount ?? 0 };
  });
}

/** The KeyUsage values the region offers (ListAlgorithms). */
function offeredUsages(client: TencentClient, region: string, deadline: number): Promise<string[]> {
  return once(serviceMemory().usages, region, async () =>
    keyUsagesOf(await client.call("ListAlgorithms", {}, { deadlineMs: deadline })),
  );
}

function pendingCreates(region: string): Set<string> {
  const table = serviceMemory().pendingCreates;
  let set = table.get(region);
  if (!set) table.set(region, (set = new Set()));
  return set;
}

async function describe(
  client: TencentClient,
  keyId: string,
  deadline: number,
): Promise<LiveKey | undefined> {
  try {
    const r = await client.call<{ KeyMetadata: LiveKey }>(
      "DescribeKey",
      { KeyId: keyId },
      { deadlineMs: deadline },
    );
    return r.KeyMetadata;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** A cloud error with what to do about it. */
function withAdvice(e: unknown, id: string, region: string, alias: string): unknown {
  if (!(e instanceof CloudError)) return e;
  if (ALIAS_EXISTS.includes(e.code)) {
    return e.withHint(
      `Cmk ${id}: alias '${alias}' is already used by another CMK in ${region} (a key pending deletion keeps ` +
        `its alias). Choose another alias or rename the key that holds it; if no resource of this stack manages ` +
        `that key, you may instead set adoptKeyId to its id to manage it with this resource.`,
    );
  }
  if (LIMIT_EXCEEDED.includes(e.code)) {
    return e.withHint(
      `Cmk ${id}: the account's CMK quota in ${region} is used up (keys pending deletion count). Delete unused ` +
        `keys and wait for their deletion dates, or ask Tencent Cloud for more and run 'pulumi config set keylink:tencentCmkQuota <n>'.`,
    );
  }
  if (e.code === "FailedOperation.CmkUsedByCloudProduct") {
    return e.withHint(`Cmk ${id}: a Tencent Cloud product uses this key; detach it there first.`);
  }
  return e.withHint(`Cmk ${id} in ${region}: run 'pulumi refresh' to see the key's current state.`);
}

/** The known values that tell a Cmk apart, for messages about one whose inputs are not all known. */
function described(news: Record<string, unknown>): string {
  const known = ["alias", "region", "adoptKeyId"].filter(
    (f) => typeof news[f] === "string" && !isUnknown(news[f]),
  );
  return known.length > 0 ? `(${known.map((f) => `${f} ${String(news[f])}`).join(", ")})` : "";
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

async function run(client: TencentClient, calls: KeyCall[], deadline: number): Promise<void> {
  for (const c of calls) await client.call(c.action, c.params, { deadlineMs: deadline });
}

export async function check(
  givenOlds: Record<string, unknown>,
  given: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, given);
  // The program's peers are for this check only: never stored in the resource's inputs.
  const peers = parsePeers(given[PEERS_INPUT]);
  const news = { ...given };
  delete news[PEERS_INPUT];
  const parsed = parseInputs(cmkInputSchema, news);
  if (!parsed.inputs) return checkResult(news, undefined, parsed.failures);
  // adoptKeyId only matters to the create of a new resource: dropped otherwise, so a replacement creates a key.
  const adoptKeyId = adoptionTarget(olds, parsed.inputs);
  const inputs: CmkInputs = { ...parsed.inputs, adoptKeyId };
  if (adoptKeyId === undefined) delete inputs.adoptKeyId;
  // Live rules judge known values only (the unknown marker would even pass as an alias); up checks again.
  const unknown = unknownFields(news, ["region", "alias", "api", "keyUsage", "type", "adoptKeyId"]);
  if (unknown.length > 0) {
    await warn(deferredNote(`Cmk ${described(news)}`, unknown, "the alias, the CMK quota and adoptKeyId"));
    return checkResult(news, inputs, []);
  }
  // What the cloud would refuse at create time must fail the preview: a taken alias and a full quota, or a key
  // to adopt that cannot be. An alias that another Cmk of this deployment gives up is not taken (moves.ts).
  const m = memory();
  const name = peers?.name ?? `${inputs.region}/${inputs.alias}`;
  const old =
    typeof olds.alias === "string" && typeof olds.region === "string"
      ? { region: olds.region, alias: olds.alias }
      : undefined;
  const replaced = old !== undefined && replacedFields(olds, inputs).length > 0;
  recordPlan(m, { name, old, region: inputs.region, alias: inputs.alias, replaced }, peers);
  const live: pulumi.dynamic.CheckFailure[] = settleOpenClaims(m);
  const client = tencentClient(inputs.region);
  const deadline = deadlineMs(inputs.timeoutSeconds);
  if (adoptKeyId !== undefined) {
    live.push(...adoptFailures(inputs, adoptKeyId, await describe(client, adoptKeyId, deadline)));
  }
  if (claimsAlias(olds, inputs)) {
    const holder = await findByAlias(client, inputs.alias, deadline);
    if (holder && holder.KeyId !== adoptKeyId) {
      const verdict = judgeClaim(m, name, inputs.region, inputs.alias, holder, peers?.batch);
      if (verdict.ok === false) live.push(verdict.failure);
      if (verdict.ok === "later") {
        openClaim(m, {
          claimant: name,
          region: inputs.region,
          alias: inputs.alias,
          holder,
          batch: peers?.batch ?? "",
        });
      }
    }
  }
  if (inputs.api === "3.0" && adoptKeyId === undefined && createsKey(olds, inputs)) {
    const failure = keyUsageFailure(
      inputs.keyUsage,
      await offeredUsages(client, inputs.region, deadline),
      inputs.region,
    );
    if (failure) live.push(failure);
  }
  // Adopting creates no key, so it needs no quota.
  if (adoptKeyId === undefined && createsKey(olds, inputs)) {
    const quota = effectiveQuota(
      await serviceQuota(client, inputs.region, deadline),
      resolveSettings().tencentCmkQuota,
    );
    const pending = pendingCreates(inputs.region);
    const others = [...pending].filter((a) => a !== inputs.alias).length;
    const failure = quotaFailure(quota, others, inputs.region);
    if (failure) live.push(failure);
    else pending.add(inputs.alias);
  }
  return checkResult(news, inputs, live);
}

/**
 * Waits until `alias` is free for `own` (undefined: a key still to be created), when the key holding it belongs
 * to a Cmk of this deployment that gives it up. If another Cmk of this deployment takes `own`'s current alias,
 * `own` first moves to a temporary alias: in a cycle (a swap) every key waits under its temporary alias, so
 * every alias is freed. Throws, before any write, when the holder is not moving away.
 */
async function makeRoom(
  client: TencentClient,
  region: string,
  alias: string,
  own: LiveKey | undefined,
  deadline: number,
): Promise<void> {
  const m = memory();
  const end = Date.now() + deadline;
  let moved = false;
  for (;;) {
    const holder = await findByAlias(client, alias, deadline);
    if (!holder || holder.KeyId === own?.KeyId) return;
    if (!isReleased(m, region, alias) && !anyUnchecked(m)) {
      const failure = m.managed.has(holder.KeyId)
        ? heldByStackFailure(alias, region, holder)
        : aliasTakenFailure(alias, region, holder);
      throw new Error(failure.reason);
    }
    if (own && !moved && claimantOf(m, region, own.Alias) !== undefined) {
      const temporary = transitAlias(own.KeyId);
      await client.call("UpdateAlias", { KeyId: own.KeyId, Alias: temporary }, { deadlineMs: deadline });
      moved = true;
      await warn(
        `Cmk ${region}:${own.KeyId}: alias '${own.Alias}' goes to another Cmk of this deployment; the key waits ` +
          `under the temporary alias '${temporary}' until CMK ${holder.KeyId} releases '${alias}'.`,
      );
    }
    if (Date.now() > end) {
      throw new Error(
        `alias: '${alias}' is still held by CMK ${holder.KeyId} in ${region} after ${Math.round(deadline / 1000)} ` +
          `s, waiting for the Cmk of this deployment that gives it up. Run 'pulumi up' again (with --parallel ` +
          `of at least the number of Cmks exchanging aliases), or raise timeoutSeconds.`,
      );
    }
    await new Promise((r) => setTimeout(r, MOVE_POLL_MS));
  }
}

export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  // The deployment learns which keys its resources hold (no adoptKeyId advice for them).
  if (typeof olds.keyId === "string") memory().managed.add(olds.keyId);
  const d = diffCmk(olds, news);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

async function createOnce(inputs: CmkInputs, deadline: number): Promise<string> {
  const type = TYPE_NUMBER[inputs.api][inputs.type];
  const description = inputs.description || undefined;
  if (inputs.api === "legacy-v2") {
    const body = await tencentLegacyClient(inputs.region).call<{ keyMetadata: { keyId: string } }>(
      "CreateKey",
      { alias: inputs.alias, description, keyUsage: LEGACY_KEY_USAGE, type },
      { retry: false },
    );
    return body.keyMetadata.keyId;
  }
  const r = await tencentClient(inputs.region).call<{ KeyId: string }>(
    "CreateKey",
    { Alias: inputs.alias, Description: description, KeyUsage: inputs.keyUsage, Type: type },
    { retry: false, deadlineMs: deadline },
  );
  return r.KeyId;
}

/**
 * CreateKey is not idempotent, but the alias is unique and was free just before: when an attempt fails in a way
 * that may have created the key anyway (a lost answer), the key holding the alias is this create's key.
 */
async function createKey(inputs: CmkInputs, deadline: number): Promise<string> {
  const client = tencentClient(inputs.region);
  await makeRoom(client, inputs.region, inputs.alias, undefined, deadline);
  return withRetry(
    async (attempt) => {
      try {
        return await createOnce(inputs, deadline);
      } catch (e) {
        if (isRetryable(e) || (attempt > 0 && isCloudError(e, ...ALIAS_EXISTS))) {
          const holder = await findByAlias(client, inputs.alias, deadline).catch(() => undefined);
          if (holder) return holder.KeyId;
        }
        throw e;
      }
    },
    { deadlineMs: deadline },
  );
}

/**
 * Takes over the key named by adoptKeyId (checked again: the key may have changed since the preview) and brings
 * its alias, description and enabled state to the inputs.
 */
async function adopt(
  inputs: CmkInputs,
  keyId: string,
  deadline: number,
): Promise<pulumi.dynamic.CreateResult> {
  const client = tencentClient(inputs.region);
  const id = cmkId(inputs.region, keyId);
  try {
    const key = await describe(client, keyId, deadline);
    const failures = adoptFailures(inputs, keyId, key);
    const conflict = aliasConflict(
      inputs.alias,
      inputs.region,
      await findByAlias(client, inputs.alias, deadline),
      keyId,
    );
    if (conflict) failures.push(conflict);
    if (!key || failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
    await run(client, updateCalls(key, inputs, id), deadline);
    // A resource of this deployment that held the key (renamed in the program) must not delete it afterwards.
    recordTakeover("cmk", id);
    const live = await describe(client, keyId, deadline);
    if (!live)
      throw new Error(`Cmk ${id}: the key disappeared while it was being adopted; run 'pulumi up' again.`);
    return { id, outs: readBack(live, inputs.region, inputs).outputs };
  } catch (e) {
    throw withAdvice(e, id, inputs.region, inputs.alias);
  }
}

export async function create(raw: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parse(raw);
  const deadline = deadlineMs(inputs.timeoutSeconds);
  if (inputs.adoptKeyId !== undefined) return adopt(inputs, inputs.adoptKeyId, deadline);
  const client = tencentClient(inputs.region);
  let keyId: string;
  try {
    keyId = await createKey(inputs, deadline);
  } catch (e) {
    throw withAdvice(e, `'${inputs.alias}'`, inputs.region, inputs.alias);
  }
  const id = cmkId(inputs.region, keyId);
  try {
    const created = await describe(client, keyId, deadline);
    if (!created) throw new Error(`CMK ${keyId} is not found right after CreateKey`);
    await run(client, afterCreateCalls(created, inputs), deadline);
    const live = await describe(client, keyId, deadline);
    if (!live) throw new Error(`CMK ${keyId} disappeared right after CreateKey`);
    return { id, outs: readBack(live, inputs.region, inputs).outputs };
  } catch (e) {
    // Pulumi records nothing when create fails: say which key now exists and how to adopt or remove it.
    const todo =
      `CMK ${keyId} was created in ${inputs.region} but could not be finished. ${capitalised(adoptHint(keyId))}; ` +
      `or schedule its deletion in the console and free the alias '${inputs.alias}'.`;
    throw e instanceof CloudError ? e.withHint(todo) : new Error(`${(e as Error).message}. ${todo}`);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  const { region, keyId } = parseCmkId(id);
  const live = await describe(tencentClient(region), keyId, deadlineMs(props.timeoutSeconds));
  if (!live || isGone(live)) return {};
  const { inputs, outputs } = readBack(live, region, props);
  return { id, props: outputs, inputs };
}

export async function update(
  id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const { region, keyId } = parseCmkId(id);
  const inputs = parse(news);
  const deadline = deadlineMs(inputs.timeoutSeconds);
  const client = tencentClient(region);
  try {
    const live = await describe(client, keyId, deadline);
    if (!live) {
      throw new Error(
        `Cmk ${id}: the key no longer exists. Run 'pulumi refresh' to drop it from the state, then 'pulumi up' ` +
          `creates a new one.`,
      );
    }
    memory().managed.add(keyId);
    if (live.Alias !== inputs.alias) await makeRoom(client, region, inputs.alias, live, deadline);
    const current = (await describe(client, keyId, deadline)) ?? live;
    await run(client, updateCalls(current, inputs, id), deadline);
    const after = await describe(client, keyId, deadline);
    if (!after) throw new Error(`Cmk ${id}: the key disappeared during the update; run 'pulumi refresh'.`);
    return { outs: readBack(after, region, inputs).outputs };
  } catch (e) {
    throw withAdvice(e, id, region, inputs.alias);
  }
}

export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  const { region, keyId } = parseCmkId(id);
  if (wasTakenOver("cmk", id)) {
    await warn(
      `Cmk ${id}: the key was adopted (adoptKeyId) by another Cmk of this deployment; the resource that held it ` +
        `is removed from the stack and the key is kept.`,
    );
    return;
  }
  const deadline = deadlineMs(props.timeoutSeconds);
  const client = tencentClient(region);
  const window = typeof props.pendingWindowInDays === "number" ? props.pendingWindowInDays : 7;
  try {
    const live = await describe(client, keyId, deadline);
    if (!live || isGone(live)) return;
    try {
      await run(client, deleteCalls(live, window), deadline);
    } catch (e) {
      // A ScheduleKeyDeletion retried after its answer was lost (a dropped connection) finds the key already
      // pending deletion, and fails: the deletion is done all the same.
      if (isGone(await describe(client, keyId, deadline))) return;
      throw e;
    }
    await waitFor(
      () => describe(client, keyId, deadline),
      (k) => isGone(k),
      (k) => (k ? `${k.KeyState}, alias ${k.Alias}` : "gone"),
      { description: `CMK ${keyId} to be pending deletion`, timeoutMs: deadline, intervalMs: 200 },
    );
  } catch (e) {
    throw withAdvice(e, id, region, typeof props.alias === "string" ? props.alias : "");
  }
}
