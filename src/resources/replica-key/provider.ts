import type * as pulumi from "@pulumi/pulumi";
import { CloudError, isCloudError, isNotFound } from "../../clouds/errors";
import { PENDING_WINDOW_DAYS } from "../../clouds/facts/volcengine-kms";
import {
  checkResult,
  deferredNote,
  oldInputsFor,
  parseInputs,
  unknownFields,
  type Failure,
} from "../common/check";
import { operationDeadline, type Remaining } from "../common/deadline";
import { recordTakeover, wasTakenOver } from "../common/taken-over";
import { warn } from "../common/warn";
import {
  cancelDeletion,
  checkPrimary,
  describeKey,
  findReplica,
  kmsRegions,
  replicateKey,
  scheduleDeletion,
  updateDescription,
  type VolcKey,
  waitDescription,
  waitKeyVisible,
  waitReplicaDeleting,
  waitReplicaEnabled,
  waitReplicaRestored,
} from "./cloud";
import {
  adoption,
  describeRef,
  descriptionUpdate,
  diffReplicaKey,
  inputsFromLive,
  inputsOf,
  keyParams,
  namesFromTrn,
  primaryProblem,
  replicaRegionFailure,
  replicateHint,
  replicationPlanned,
  sameAsOld,
  stateFromLive,
} from "./rules";
import {
  createResourceId,
  DEFAULT_TIMEOUT_SECONDS,
  type Inputs,
  inputsSchema,
  parseResourceId,
  primaryRef,
} from "./schema";

// CRUD of a Volcengine KMS replica key: asks rules.ts what the cloud would allow and what the replica needs, and
// cloud.ts to call and wait.

/** The inputs that name the primary key and the regions: what the check of the primary reads. */
const PRIMARY_FIELDS = ["keyId", "keyringName", "keyName", "primaryRegion", "replicaRegion"];

export { configure } from "../common/configure";

function parse(news: Record<string, unknown>): Inputs {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs)
    throw new Error(
      `ReplicaKey inputs are invalid: ${failures.map((f) => f.reason).join("; ")}. Correct them and run ` +
        `'pulumi up' again.`,
    );
  return inputs;
}

/** The replica's keyring and name: the primary's (a replica keeps them, in its own region). */
function replicaNames(primary: VolcKey): { KeyringName: string; KeyName: string } | { KeyID: string } {
  const names = namesFromTrn(primary.Trn);
  return names ? { KeyringName: names.keyringName, KeyName: names.keyName } : { KeyID: primary.ID };
}

export async function check(
  givenOlds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, news);
  const { inputs, failures } = parseInputs(inputsSchema, news);
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
  const remaining = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  const primary = await checkPrimary(inputs.primaryRegion, keyParams(primaryRef(inputs)), remaining);
  if (planned === "maybe" && primary && sameAsOld(oldInputs, primary))
    return checkResult(news, inputs, failures);
  const problem = primaryProblem(inputs, primary);
  const regionProblem = problem
    ? undefined
    : replicaRegionFailure(inputs.replicaRegion, await kmsRegions(inputs.primaryRegion, remaining));
  if (problem) failures.push(problem);
  else if (regionProblem) failures.push(regionProblem);
  else if (primary) failures.push(...(await replicaRegionProblems(inputs, primary, remaining)));
  return checkResult(news, inputs, failures);
}

/** A key of the same name in the replica region that is not a replica of this primary blocks ReplicateKey. */
async function replicaRegionProblems(
  inputs: Inputs,
  primary: VolcKey,
  remaining: Remaining,
): Promise<Failure[]> {
  let existing: VolcKey | undefined;
  try {
    existing = await describeKey(inputs.replicaRegion, replicaNames(primary), remaining);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return [
      {
        property: "replicaRegion",
        reason:
          `replicaRegion: cannot read KMS in ${inputs.replicaRegion} to check that it can hold the replica: ` +
          `${why}. Check the region and the credentials' access to it, then run the preview again.`,
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
  const remaining = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  const where = inputs.replicaRegion;

  let replica: VolcKey;
  let created: VolcKey | undefined;
  try {
    created = await replicateKey(
      inputs.primaryRegion,
      {
        ...keyParams(primaryRef(inputs)),
        ReplicaRegion: inputs.replicaRegion,
        Description: inputs.description === "" ? undefined : inputs.description,
      },
      remaining,
    );
  } catch (e) {
    if (!isCloudError(e, "Conflict")) {
      const hint = e instanceof CloudError ? replicateHint(e.code, inputs) : undefined;
      throw hint && e instanceof CloudError ? e.withHint(hint) : e;
    }
  }
  if (created) {
    // The answer comes before the replica region shows the replica (eventual consistency): wait for it there.
    replica = await waitReplicaEnabled(where, created.ID, remaining);
  } else {
    replica = await adopt(inputs, remaining);
    recordTakeover("replica", createResourceId(inputs.replicaRegion, replica.ID));
  }

  const description = descriptionUpdate(replica, inputs);
  if (description !== undefined) replica = await writeDescription(replica, description, where, remaining);
  return { id: createResourceId(inputs.replicaRegion, replica.ID), outs: stateFromLive(inputs, replica) };
}

/**
 * ReplicateKey answered Conflict: the replica region already holds the key (typically this create was retried
 * after a timeout). Adopt it once it is shown to be a replica of this primary; restore it if pending deletion.
 */
async function adopt(inputs: Inputs, remaining: Remaining): Promise<VolcKey> {
  const ref = primaryRef(inputs);
  const primary = await describeKey(inputs.primaryRegion, keyParams(ref), remaining);
  if (!primary) {
    throw new Error(
      `${"keyId" in ref ? "keyId" : "keyName"}: ReplicateKey answered Conflict, but primary key ` +
        `${describeRef(ref)} is not in ${inputs.primaryRegion} any more. Check keyId (or keyringName and ` +
        `keyName) and primaryRegion, then run 'pulumi up' again.`,
    );
  }
  const where = inputs.replicaRegion;
  const existing = await waitKeyVisible(where, replicaNames(primary), remaining);
  const decision = adoption(existing, primary, inputs.primaryRegion, where);
  if (decision.action === "refuse") throw new Error(`Cannot create the replica: ${decision.reason}`);
  if (decision.action === "restore") await cancelDeletion(where, primary.ID, remaining);
  return waitReplicaRestored(where, primary.ID, remaining);
}

async function writeDescription(
  key: VolcKey,
  description: string,
  where: string,
  remaining: Remaining,
): Promise<VolcKey> {
  const names = namesFromTrn(key.Trn);
  if (!names)
    throw new Error(
      `description: replica key ${key.ID} in ${where} shows no keyring and key name (Trn '${key.Trn}'), which ` +
        `UpdateKey needs to write the description. Set the description in the Volcengine console, or leave ` +
        `description as the key has it.`,
    );
  await updateDescription(where, names, description, remaining);
  return waitDescription(where, key.ID, description, remaining);
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  const { replicaRegion, keyId } = parseResourceId(id);
  const old = inputsOf(props);
  const live = await findReplica(
    replicaRegion,
    keyId,
    operationDeadline(old.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
  );
  if (!live) return {};
  const inputs = inputsFromLive(old, live);
  return { id, props: { ...stateFromLive(inputs, live) }, inputs: { ...inputs } };
}

export async function update(
  id: string,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = parse(news);
  const { replicaRegion, keyId } = parseResourceId(id);
  const remaining = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  let live = await findReplica(replicaRegion, keyId, remaining);
  if (!live) {
    throw new Error(
      `Replica key ${keyId} in ${replicaRegion} is gone (deleted, or pending deletion). Run 'pulumi refresh' to ` +
        `drop it from the stack, then 'pulumi up' to replicate the key again.`,
    );
  }
  const description = descriptionUpdate(live, inputs);
  if (description !== undefined) live = await writeDescription(live, description, replicaRegion, remaining);
  return { outs: stateFromLive(inputs, live) };
}

/**
 * Schedules the replica's deletion in its region with the pending window (the official Terraform resource
 * leaves the replica behind; this one does not). Already gone or pending deletion counts as done.
 */
export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  const { replicaRegion, keyId } = parseResourceId(id);
  if (wasTakenOver("replica", id)) {
    await warn(
      `Replica key ${keyId} in ${replicaRegion} was taken over by another ReplicaKey of this deployment; the ` +
        `resource that held it is removed from the stack and the replica is kept.`,
    );
    return;
  }
  const old = inputsOf(props);
  const remaining = operationDeadline(old.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  if (!(await findReplica(replicaRegion, keyId, remaining))) return;
  try {
    await scheduleDeletion(
      replicaRegion,
      keyId,
      old.pendingWindowInDays ?? PENDING_WINDOW_DAYS.default,
      remaining,
    );
  } catch (e) {
    if (isNotFound(e)) return;
    // Scheduled by someone else in the meantime?
    if (isCloudError(e, "InvalidKeyStatus") && !(await findReplica(replicaRegion, keyId, remaining))) return;
    throw e instanceof CloudError
      ? e.withHint(
          `Could not schedule the deletion of replica key ${keyId} in ${replicaRegion}; run 'pulumi destroy' ` +
            `again, or schedule it in the Volcengine console`,
        )
      : e;
  }
  await waitReplicaDeleting(replicaRegion, keyId, remaining);
}
