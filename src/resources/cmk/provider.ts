import type * as pulumi from "@pulumi/pulumi";
import { CloudError, isCloudError } from "../../clouds/errors";
import { ALIAS_EXISTS_CODES, CMK_LIMIT_CODES, PENDING_WINDOW_DAYS } from "../../clouds/facts/tencent-kms";
import { TencentClient, tencentClient } from "../../clouds/tencent";
import { processMemory } from "../../common/process-memory";
import { resolveSettings } from "../../config";
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
  type CmkQuota,
  type LiveKey,
  DEFAULT_TIMEOUT_SECONDS,
  checkKeyByAlias,
  checkedKeyCreated,
  createKey,
  describeKey,
  findKey,
  findKeyForRead,
  findKeyByAlias,
  forgetCheckedKeys,
  getQuota,
  keysCreatedSince,
  listKeyUsages,
  waitAliasFree,
  waitKeyPendingDeletion,
} from "./cloud";
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
import {
  KeyCall,
  adoptFailures,
  adoptHint,
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
  keyUsageFailure,
  quotaFailure,
  readBack,
  replacedFields,
  updateCalls,
} from "./rules";
import { Inputs, createResourceId, inputsSchema, parseResourceId } from "./schema";
import { operationDeadline, type Remaining } from "../common/deadline";

// CRUD of the Tencent Cloud KMS CMK: reads live state through cloud.ts, decides with rules.ts, writes.
export { configure } from "../common/configure";

function parse(news: Record<string, unknown>): Inputs {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs) throw new Error(`Invalid Cmk inputs: ${failures.map((f) => f.reason).join("; ")}`);
  return inputs;
}

// Per deployment (this provider process serves all of it): GetServiceStatus and ListAlgorithms once per region,
// and the aliases of the keys that resources checked earlier will create, per region, so that a deployment of
// several new keys is judged against the quota as a whole at preview.
interface ServiceMemory {
  /** The quota per region, and when it was read (Unix seconds): a create refused later names newer keys. */
  status: Map<string, Promise<CmkQuota & { readAt: number }>>;
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

function serviceQuota(
  client: TencentClient,
  region: string,
  left: Remaining,
): Promise<CmkQuota & { readAt: number }> {
  return once(serviceMemory().status, region, async () => {
    const readAt = Math.floor(Date.now() / 1000);
    return { ...(await getQuota(client, left)), readAt };
  });
}

function offeredUsages(client: TencentClient, region: string, left: Remaining): Promise<string[]> {
  return once(serviceMemory().usages, region, () => listKeyUsages(client, left));
}

function pendingCreates(region: string): Set<string> {
  const table = serviceMemory().pendingCreates;
  let set = table.get(region);
  if (!set) table.set(region, (set = new Set()));
  return set;
}

/**
 * A cloud error with what to do about it. `subject` names the resource: "Cmk <id>" for a key that exists,
 * "Cmk (new key, alias 'x')" for a create.
 */
function withAdvice(e: unknown, subject: string, region: string): unknown {
  if (!(e instanceof CloudError)) return e;
  if (e.code === "FailedOperation.CmkUsedByCloudProduct") {
    return e.withHint(`${subject}: a Tencent Cloud product uses this key; detach it there first.`);
  }
  return e.withHint(`${subject} in ${region}: run 'pulumi refresh' to see the key's current state.`);
}

/** The known values that tell a Cmk apart, for messages about one whose inputs are not all known. */
function described(news: Record<string, unknown>): string {
  const known = ["alias", "region", "adoptKeyId"].filter(
    (f) => typeof news[f] === "string" && !isUnknown(news[f]),
  );
  return known.length > 0 ? `(${known.map((f) => `${f} ${String(news[f])}`).join(", ")})` : "";
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The calls in order; afterwards check's listing of the region's keys no longer shows them (forgetCheckedKeys). */
async function run(region: string, calls: KeyCall[], left: Remaining): Promise<void> {
  const client = tencentClient(region);
  try {
    for (const c of calls) await client.call(c.action, c.params, { deadlineMs: left() });
  } finally {
    if (calls.length > 0) await forgetCheckedKeys(region);
  }
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
  const parsed = parseInputs(inputsSchema, news);
  if (!parsed.inputs) return checkResult(news, undefined, parsed.failures);
  // adoptKeyId only matters to the create of a new resource: dropped otherwise, so a replacement creates a key.
  const adoptKeyId = adoptionTarget(olds, parsed.inputs);
  const inputs: Inputs = { ...parsed.inputs, adoptKeyId };
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
  const left = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  if (adoptKeyId !== undefined) {
    live.push(...adoptFailures(inputs, adoptKeyId, await describeKey(client, adoptKeyId, left)));
  }
  if (claimsAlias(olds, inputs)) {
    const holder = await checkKeyByAlias(inputs.region, inputs.alias, left);
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
      await offeredUsages(client, inputs.region, left),
      inputs.region,
    );
    if (failure) live.push(failure);
  }
  // Adopting creates no key, so it needs no quota.
  if (adoptKeyId === undefined && createsKey(olds, inputs)) {
    const quota = effectiveQuota(
      await serviceQuota(client, inputs.region, left),
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
 * every alias is freed. Throws, before any write, when the holder is not moving away: with the cloud's refusal
 * of the write that found the alias taken (`refused`, which keeps its code and request id) when there is one.
 * Returns `own` as it is afterwards.
 */
async function makeRoom(
  client: TencentClient,
  region: string,
  alias: string,
  own: LiveKey | undefined,
  left: Remaining,
  refused?: { error: CloudError; subject: string; outcome: string },
): Promise<LiveKey | undefined> {
  const m = memory();
  let current = own;
  let moved = false;
  await waitAliasFree(client, alias, left, {
    ownKeyId: own?.KeyId,
    never: (holder) => {
      if (isReleased(m, region, alias) || anyUnchecked(m)) return undefined;
      const ours = m.managed.has(holder.KeyId);
      const reason = (ours ? heldByStackFailure : aliasTakenFailure)(alias, region, holder).reason;
      if (!refused) return new Error(reason);
      // The alias was free when this deployment checked it: another deployment (or a person) took it since.
      return refused.error.withHint(
        `${refused.subject}: ${reason} It was free when this deployment checked it: another deployment or a ` +
          `person created or renamed CMK ${holder.KeyId} since. ${refused.outcome}; choose what to do, then run ` +
          `'pulumi up' again.`,
      );
    },
    onHeld: async (holder) => {
      if (!own || moved || claimantOf(m, region, own.Alias) === undefined) return;
      const temporary = transitAlias(own.KeyId);
      await run(region, [{ action: "UpdateAlias", params: { KeyId: own.KeyId, Alias: temporary } }], left);
      moved = true;
      current = { ...own, Alias: temporary };
      await warn(
        `Cmk ${region}:${own.KeyId}: alias '${own.Alias}' goes to another Cmk of this deployment; the key ` +
          `waits under the temporary alias '${temporary}' until CMK ${holder.KeyId} releases '${alias}'.`,
      );
    },
    description:
      `alias '${alias}' in ${region} to be released by the Cmk of this deployment that gives it up (run ` +
      `'pulumi up' with --parallel of at least the number of Cmks exchanging aliases)`,
  });
  return current;
}

export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  // The deployment learns which keys its resources hold (no adoptKeyId advice for them).
  if (typeof olds.keyId === "string") memory().managed.add(olds.keyId);
  return diffCmk(olds, news);
}

/**
 * The quota refusal of a create whose preview found room: names the keys created in the region since this
 * deployment read the quota (another deployment's, or a person's), keeping the cloud's code and request id.
 */
async function quotaTaken(
  e: CloudError,
  inputs: Inputs,
  subject: string,
  left: Remaining,
): Promise<CloudError> {
  const client = tencentClient(inputs.region);
  const readAt = await serviceMemory()
    .status.get(inputs.region)
    ?.catch(() => undefined);
  const since = readAt
    ? await keysCreatedSince(client, readAt.readAt, 20, left).catch(() => [] as LiveKey[])
    : [];
  const newer = since.map((k) => `CMK ${k.KeyId} (alias '${k.Alias}')`).join(", ");
  return e.withHint(
    `${subject}: the account's CMK quota in ${inputs.region} is used up` +
      (newer
        ? `; it had room when this deployment checked it, and since then ${newer} was created by another ` +
          `deployment or a person`
        : "") +
      `. Nothing was created. Delete unused keys (keys pending deletion count until their deletion dates), ` +
      `ask Tencent Cloud for a higher quota (and run 'pulumi config set keylink:tencentCmkQuota <n>' if ` +
      `GetServiceStatus does not show it yet), or remove this Cmk; then run 'pulumi up' again.`,
  );
}

/**
 * CreateKey, after the alias is free: a refusal because the alias is taken waits for a Cmk of this deployment
 * that gives it up, and fails (naming the holder) when the holder is another's key.
 */
async function createNewKey(inputs: Inputs, subject: string, left: Remaining): Promise<LiveKey> {
  const client = tencentClient(inputs.region);
  for (;;) {
    try {
      const key = await createKey(inputs, left);
      await checkedKeyCreated(inputs.region, key);
      return key;
    } catch (e) {
      // A key may exist even so (a lost answer): check's listing of the region no longer shows them all.
      await forgetCheckedKeys(inputs.region);
      if (isCloudError(e, ...CMK_LIMIT_CODES)) throw await quotaTaken(e, inputs, subject, left);
      if (!isCloudError(e, ...ALIAS_EXISTS_CODES)) throw withAdvice(e, subject, inputs.region);
      const refused = { error: e, subject, outcome: "Nothing was created" };
      await makeRoom(client, inputs.region, inputs.alias, undefined, left, refused);
    }
  }
}

/**
 * Takes over the key named by adoptKeyId (checked again: the key may have changed since the preview) and brings
 * its alias, description and enabled state to the inputs.
 */
async function adopt(inputs: Inputs, keyId: string, left: Remaining): Promise<pulumi.dynamic.CreateResult> {
  const client = tencentClient(inputs.region);
  const id = createResourceId(inputs.region, keyId);
  try {
    const key = await describeKey(client, keyId, left);
    const failures = adoptFailures(inputs, keyId, key);
    const conflict = aliasConflict(
      inputs.alias,
      inputs.region,
      await findKeyByAlias(client, inputs.alias, left),
      keyId,
    );
    if (conflict) failures.push(conflict);
    if (!key || failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
    const calls = updateCalls(key, inputs, id);
    await run(inputs.region, calls, left);
    // A resource of this deployment that held the key (renamed in the program) must not delete it afterwards.
    recordTakeover("cmk", id);
    return { id, outs: readBack(afterCalls(key, calls), inputs.region, inputs).outputs };
  } catch (e) {
    throw withAdvice(e, `Cmk ${id}`, inputs.region);
  }
}

export async function create(raw: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parse(raw);
  const left = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  if (inputs.adoptKeyId !== undefined) return adopt(inputs, inputs.adoptKeyId, left);
  const created = await createNewKey(inputs, `Cmk (new key, alias '${inputs.alias}')`, left);
  const id = createResourceId(inputs.region, created.KeyId);
  try {
    // CreateKey's answer shows the new key, and each later call acknowledges its change: no read is needed.
    const calls = afterCreateCalls(created, inputs);
    await run(inputs.region, calls, left);
    return { id, outs: readBack(afterCalls(created, calls), inputs.region, inputs).outputs };
  } catch (e) {
    // Pulumi records nothing when create fails: say which key now exists and how to adopt or remove it.
    const keyId = created.KeyId;
    const todo =
      `CMK ${keyId} was created in ${inputs.region} but could not be finished. ${capitalised(adoptHint(keyId))}; ` +
      `or schedule its deletion in the console and free the alias '${inputs.alias}'.`;
    throw e instanceof CloudError ? e.withHint(todo) : new Error(`${(e as Error).message}. ${todo}`);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  const { region, keyId } = parseResourceId(id);
  const live = await findKeyForRead(
    region,
    keyId,
    operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
  );
  if (!live) return {};
  const { inputs, outputs } = readBack(live, region, props);
  return { id, props: outputs, inputs };
}

export async function update(
  id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const { region, keyId } = parseResourceId(id);
  const inputs = parse(news);
  const left = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  const client = tencentClient(region);
  const subject = `Cmk ${id}`;
  const found = await findKey(client, keyId, left).catch((e: unknown) => {
    throw withAdvice(e, subject, region);
  });
  if (!found) {
    throw new Error(
      `${subject}: the key no longer exists or is pending deletion, so it cannot be changed. Run 'pulumi ` +
        `refresh' to drop it from the state, then 'pulumi up' creates a new one (or cancel the deletion with ` +
        `CancelKeyDeletion first to keep the key).`,
    );
  }
  memory().managed.add(keyId);
  let live = found;
  for (;;) {
    // UpdateAlias comes first: when the cloud refuses the alias, nothing else has changed yet.
    const calls = updateCalls(live, inputs, id);
    let refused: CloudError;
    try {
      await run(region, calls, left);
      return { outs: readBack(afterCalls(live, calls), region, inputs).outputs };
    } catch (e) {
      if (!isCloudError(e, ...ALIAS_EXISTS_CODES)) throw withAdvice(e, subject, region);
      refused = e;
    }
    // The alias is taken: wait for the Cmk of this deployment that gives it up, or fail with the refusal.
    const outcome = "Nothing else was changed";
    live =
      (await makeRoom(client, region, inputs.alias, live, left, { error: refused, subject, outcome })) ??
      live;
  }
}

export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  const { region, keyId } = parseResourceId(id);
  if (wasTakenOver("cmk", id)) {
    await warn(
      `Cmk ${id}: the key was adopted (adoptKeyId) by another Cmk of this deployment; the resource that held it ` +
        `is removed from the stack and the key is kept.`,
    );
    return;
  }
  const left = operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  const client = tencentClient(region);
  const window =
    typeof props.pendingWindowInDays === "number" ? props.pendingWindowInDays : PENDING_WINDOW_DAYS.default;
  try {
    const live = await findKey(client, keyId, left);
    if (!live) return;
    try {
      await run(region, deleteCalls(live, window), left);
    } catch (e) {
      // A ScheduleKeyDeletion retried after its answer was lost (a dropped connection) finds the key already
      // pending deletion, and fails: the deletion is done all the same.
      if ((await findKey(client, keyId, left)) === undefined) return;
      throw e;
    }
    await waitKeyPendingDeletion(client, keyId, left);
  } catch (e) {
    throw withAdvice(e, `Cmk ${id}`, region);
  }
}
