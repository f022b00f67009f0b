import type * as pulumi from "@pulumi/pulumi";
import { CloudError, isCloudError, isNotFound } from "../../clouds/errors";
import { waitFor, type WaitOptions } from "../../clouds/retry";
import { volcengineClient, type VolcengineClient } from "../../clouds/volcengine";
import {
  checkResult,
  deferredNote,
  oldInputsFor,
  parseInputs,
  unknownFields,
  type Failure,
} from "../common/check";
import { recordTakeover, wasTakenOver } from "../common/taken-over";
import { warn } from "../common/warn";
import {
  adoption,
  describeReplica,
  descriptionUpdate,
  diffReplicaKey,
  inputsFromLive,
  inputsOf,
  isGone,
  keyParams,
  namesFromTrn,
  parseReplicaId,
  primaryProblem,
  replicaId,
  replicaRegionFailure,
  replicateHint,
  replicationPlanned,
  sameAsOld,
  stateFromLive,
} from "./rules";
import {
  DEFAULT_PENDING_WINDOW_DAYS,
  DEFAULT_TIMEOUT_SECONDS,
  primaryRef,
  replicaKeyInputSchema,
  type ReplicaKeyInputs,
  type VolcKey,
} from "./schema";
import { processMemory } from "../../common/process-memory";

// CRUD of a Volcengine KMS replica key. Every call is signed for the region it is about: ReplicateKey and the
// primary's DescribeKey for primaryRegion, everything about the replica for replicaRegion.

/** The inputs that name the primary key and the regions: what the check of the primary reads. */
const PRIMARY_FIELDS = ["keyId", "keyringName", "keyName", "primaryRegion", "replicaRegion"];

/** Pause between reads while waiting for the replica region to show the replica. */
const POLL_INTERVAL_MS = 200;

export { configure } from "../common/configure";

function parse(news: Record<string, unknown>): ReplicaKeyInputs {
  const { inputs, failures } = parseInputs(replicaKeyInputSchema, news);
  if (!inputs) throw new Error(`Invalid ReplicaKey inputs: ${failures.map((f) => f.reason).join("; ")}`);
  return inputs;
}

/** Milliseconds left before the operation's deadline (at least one second, so a last call can still be made). */
function deadline(timeoutSeconds: number | undefined): () => number {
  const end = Date.now() + (timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  return () => Math.max(end - Date.now(), 1000);
}

/** DescribeKey, with "not found" as undefined. Throttling and transient failures are retried by the client. */
async function findKey(
  client: VolcengineClient,
  params: Record<string, string>,
  deadlineMs: number,
): Promise<VolcKey | undefined> {
  try {
    return (await client.call<{ Key: VolcKey }>("DescribeKey", params, { deadlineMs })).Key;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Polls until the key is visible and `done` holds; answers the key. */
async function waitForKey(
  read: () => Promise<VolcKey | undefined>,
  done: (k: VolcKey) => boolean,
  opts: Omit<WaitOptions<VolcKey | undefined>, "intervalMs">,
): Promise<VolcKey> {
  const key = await waitFor(read, (k) => k !== undefined && done(k), describeReplica, {
    intervalMs: POLL_INTERVAL_MS,
    ...opts,
  });
  return key as VolcKey;
}

/** The replica's keyring and name: the primary's (a replica keeps them, in its own region). */
function replicaNames(primary: VolcKey): Record<string, string> {
  const names = namesFromTrn(primary.Trn);
  return names ? { KeyringName: names.keyringName, KeyName: names.keyName } : { KeyID: primary.ID };
}

export async function check(
  givenOlds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, news);
  const { inputs, failures } = parseInputs(replicaKeyInputSchema, news);
  // The primary's eligibility needs its name and both regions: Pulumi's placeholder for a value not known yet is
  // never looked up (it even looks like a key ID).
  const unknown = unknownFields(news, PRIMARY_FIELDS);
  if (unknown.length > 0 && failures.length === 0) {
    const known = PRIMARY_FIELDS.filter((f) => typeof news[f] === "string" && !unknown.includes(f));
    const what = `ReplicaKey (${known.map((f) => `${f} ${String(news[f])}`).join(", ")})`;
    await warn(deferredNote(what, unknown, "the primary key"));
  }
  if (!inputs || unknown.length > 0) return checkResult(news, inputs, failures);
  const oldInputs = inputsOf(olds);
  const planned = replicationPlanned(oldInputs.primaryRegion === undefined ? undefined : oldInputs, inputs);
  if (planned === "no") return checkResult(news, inputs, failures);

  // ReplicateKey will be called: judge the primary as the cloud would, at preview.
  const remaining = deadline(inputs.timeoutSeconds);
  const primary = await findKey(
    volcengineClient(inputs.primaryRegion),
    keyParams(primaryRef(inputs)),
    remaining(),
  );
  if (planned === "maybe" && primary && sameAsOld(oldInputs, primary))
    return checkResult(news, inputs, failures);
  const problem = primaryProblem(inputs, primary);
  const regionProblem = problem
    ? undefined
    : replicaRegionFailure(inputs.replicaRegion, await kmsRegions(inputs.primaryRegion, remaining()));
  if (problem) failures.push(problem);
  else if (regionProblem) failures.push(regionProblem);
  else if (primary) failures.push(...(await replicaRegionProblems(inputs, primary, remaining())));
  return checkResult(news, inputs, failures);
}

// The regions KMS offers, read once per deployment (this provider process serves all of it). A failed read is
// forgotten.
function kmsRegions(signingRegion: string, deadlineMs: number): Promise<string[]> {
  const table = processMemory("volcengine-kms-regions", () => new Map<string, Promise<string[]>>());
  let p = table.get(signingRegion);
  if (!p) {
    p = volcengineClient(signingRegion)
      .call<{ Regions?: Array<{ RegionId?: string }> }>("DescribeRegions", {}, { deadlineMs })
      .then((r) => (r.Regions ?? []).map((x) => x.RegionId ?? "").filter(Boolean));
    p.catch(() => table.delete(signingRegion));
    table.set(signingRegion, p);
  }
  return p;
}

/** A key of the same name in the replica region that is not a replica of this primary blocks ReplicateKey. */
async function replicaRegionProblems(
  inputs: ReplicaKeyInputs,
  primary: VolcKey,
  deadlineMs: number,
): Promise<Failure[]> {
  let existing: VolcKey | undefined;
  try {
    existing = await findKey(volcengineClient(inputs.replicaRegion), replicaNames(primary), deadlineMs);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return [
      {
        property: "replicaRegion",
        reason: `replicaRegion: cannot read KMS in ${inputs.replicaRegion}: ${why}`,
      },
    ];
  }
  if (!existing) return [];
  const decision = adoption(existing, primary, inputs.primaryRegion, inputs.replicaRegion);
  return decision.action === "refuse"
    ? [{ property: "replicaRegion", reason: `replicaRegion: ${decision.reason}` }]
    : [];
}

export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const d = diffReplicaKey(olds, news);
  for (const note of d.notes) await warn(note);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parse(news);
  const remaining = deadline(inputs.timeoutSeconds);
  const where = inputs.replicaRegion;
  const replicas = volcengineClient(where);

  let replica: VolcKey;
  let created: VolcKey | undefined;
  try {
    const res = await volcengineClient(inputs.primaryRegion).call<{ ReplicaKey: VolcKey }>(
      "ReplicateKey",
      {
        ...keyParams(primaryRef(inputs)),
        ReplicaRegion: inputs.replicaRegion,
        Description: inputs.description === "" ? undefined : inputs.description,
      },
      { method: "POST", deadlineMs: remaining() },
    );
    created = res.ReplicaKey;
  } catch (e) {
    if (!isCloudError(e, "Conflict")) {
      const hint = e instanceof CloudError ? replicateHint(e.code, inputs) : undefined;
      throw hint && e instanceof CloudError ? e.withHint(hint) : e;
    }
  }
  if (created) {
    const keyId = created.ID;
    // The answer comes before the replica region shows the replica (eventual consistency): wait for it there.
    replica = await waitForKey(
      () => findKey(replicas, { KeyID: keyId }, remaining()),
      (k) => k.KeyState === "Enable",
      {
        description: `replica key ${keyId} to be Enable in ${where}`,
        timeoutMs: remaining(),
        consecutive: 2,
        failed: (k) =>
          k?.KeyState === "PendingDelete"
            ? `Replica key ${keyId} in ${where} was scheduled for deletion while being created; run 'pulumi up' again.`
            : undefined,
      },
    );
  } else {
    replica = await adopt(inputs, remaining);
    recordTakeover("replica", replicaId(inputs.replicaRegion, replica.ID));
  }

  const description = descriptionUpdate(replica, inputs);
  if (description !== undefined)
    replica = await writeDescription(replicas, replica, description, where, remaining);
  return { id: replicaId(inputs.replicaRegion, replica.ID), outs: stateFromLive(inputs, replica) };
}

/**
 * ReplicateKey answered Conflict: the replica region already holds the key (typically this create was retried
 * after a timeout). Adopt it once it is shown to be a replica of this primary; restore it if pending deletion.
 */
async function adopt(inputs: ReplicaKeyInputs, remaining: () => number): Promise<VolcKey> {
  const primary = await findKey(
    volcengineClient(inputs.primaryRegion),
    keyParams(primaryRef(inputs)),
    remaining(),
  );
  if (!primary) {
    throw new Error(
      `ReplicateKey answered Conflict, but primary key ${JSON.stringify(keyParams(primaryRef(inputs)))} is not in ` +
        `${inputs.primaryRegion} any more. Check keyId (or keyringName and keyName) and primaryRegion.`,
    );
  }
  const replicas = volcengineClient(inputs.replicaRegion);
  const names = replicaNames(primary);
  const existing = await waitForKey(
    () => findKey(replicas, names, remaining()),
    () => true,
    {
      description: `the key already in ${inputs.replicaRegion} (Conflict) to be visible`,
      timeoutMs: remaining(),
    },
  );
  const decision = adoption(existing, primary, inputs.primaryRegion, inputs.replicaRegion);
  if (decision.action === "refuse") throw new Error(`Cannot create the replica: ${decision.reason}`);
  if (decision.action === "restore") {
    await replicas.call("CancelKeyDeletion", { KeyID: primary.ID }, { deadlineMs: remaining() });
  }
  return waitForKey(
    () => findKey(replicas, { KeyID: primary.ID }, remaining()),
    (k) => k.KeyState !== "PendingDelete",
    {
      description: `replica key ${primary.ID} in ${inputs.replicaRegion} to be restored`,
      timeoutMs: remaining(),
    },
  );
}

/**
 * UpdateKey by KeyringName and KeyName: the reference (https://www.volcengine.com/docs/6476/1337068) takes them or
 * KeyID, the official SDK's UpdateKeyInput (volcengine-go-sdk service/kms/api_update_key.go) requires both names
 * and has no KeyID, so only the names satisfy both. A replica keeps its primary's names (its Trn shows them).
 */
async function writeDescription(
  client: VolcengineClient,
  key: VolcKey,
  description: string,
  where: string,
  remaining: () => number,
): Promise<VolcKey> {
  const keyId = key.ID;
  const names = namesFromTrn(key.Trn);
  if (!names)
    throw new Error(`Replica key ${keyId} in ${where} shows no keyring and key name (Trn '${key.Trn}').`);
  await client.call(
    "UpdateKey",
    { KeyringName: names.keyringName, KeyName: names.keyName, Description: description },
    { deadlineMs: remaining() },
  );
  return waitForKey(
    () => findKey(client, { KeyID: keyId }, remaining()),
    (k) => (k.Description ?? "") === description,
    { description: `replica key ${keyId} in ${where} to show its new description`, timeoutMs: remaining() },
  );
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  const { replicaRegion, keyId } = parseReplicaId(id);
  const old = inputsOf(props);
  const live = await findKey(
    volcengineClient(replicaRegion),
    { KeyID: keyId },
    deadline(old.timeoutSeconds)(),
  );
  if (!live || isGone(live)) return {};
  const inputs = inputsFromLive(old, live);
  return { id, props: { ...stateFromLive(inputs, live) }, inputs: { ...inputs } };
}

export async function update(
  id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = parse(news);
  const { replicaRegion, keyId } = parseReplicaId(id);
  const remaining = deadline(inputs.timeoutSeconds);
  const client = volcengineClient(replicaRegion);
  let live = await findKey(client, { KeyID: keyId }, remaining());
  if (!live || isGone(live)) {
    throw new Error(
      `Replica key ${keyId} in ${replicaRegion} is gone (deleted, or pending deletion). Run 'pulumi refresh' to ` +
        `drop it from the stack, then 'pulumi up' to replicate the key again.`,
    );
  }
  const description = descriptionUpdate(live, inputs);
  if (description !== undefined)
    live = await writeDescription(client, live, description, replicaRegion, remaining);
  return { outs: stateFromLive(inputs, live) };
}

/**
 * Schedules the replica's deletion in its region with the pending window (the official Terraform resource
 * leaves the replica behind; this one does not). Already gone or pending deletion counts as done.
 */
export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  const { replicaRegion, keyId } = parseReplicaId(id);
  if (wasTakenOver("replica", id)) {
    await warn(
      `Replica key ${keyId} in ${replicaRegion} was taken over by another ReplicaKey of this deployment; the ` +
        `resource that held it is removed from the stack and the replica is kept.`,
    );
    return;
  }
  const old = inputsOf(props);
  const remaining = deadline(old.timeoutSeconds);
  const client = volcengineClient(replicaRegion);
  if (isGone(await findKey(client, { KeyID: keyId }, remaining()))) return;
  try {
    await client.call(
      "ScheduleKeyDeletion",
      { KeyID: keyId, PendingWindowInDays: old.pendingWindowInDays ?? DEFAULT_PENDING_WINDOW_DAYS },
      { deadlineMs: remaining() },
    );
  } catch (e) {
    if (isNotFound(e)) return;
    // Scheduled by someone else in the meantime?
    if (isCloudError(e, "InvalidKeyStatus") && isGone(await findKey(client, { KeyID: keyId }, remaining())))
      return;
    throw e instanceof CloudError
      ? e.withHint(`Could not schedule the deletion of replica key ${keyId} in ${replicaRegion}`)
      : e;
  }
  await waitFor(() => findKey(client, { KeyID: keyId }, remaining()), isGone, describeReplica, {
    description: `replica key ${keyId} in ${replicaRegion} to be pending deletion`,
    timeoutMs: remaining(),
    intervalMs: POLL_INTERVAL_MS,
  });
}
