import type * as pulumi from "@pulumi/pulumi";
import { registerSecrets } from "../../clouds/secrets";
import {
  checkResult,
  deferredNote,
  isUnknown,
  oldInputsFor,
  parseInputs,
  sameInputs,
  unknownFields,
  type Failure,
} from "../common/check";
import { operationDeadline, type Remaining } from "../common/deadline";
import { warn } from "../common/warn";
import {
  deleteKeyMaterial,
  describeKey,
  findKey,
  importMaterial,
  type KeyMetadata,
  waitMaterialImported,
} from "./cloud";
import { materialFingerprint } from "./material";
import {
  cloudExpireUnix,
  expiryFailure,
  importNeeded,
  keyFailures,
  keyNotFoundFailure,
  type LiveKey,
  materialChangeFailure,
  wrappingFailure,
  planDiff,
  refreshedExpireAt,
} from "./rules";
import {
  createResourceId,
  decodeMaterial,
  DEFAULT_TIMEOUT_SECONDS,
  expireUnixOf,
  type Inputs,
  inputsSchema,
  type Outputs,
  parseResourceId,
} from "./schema";

// CRUD for ImportedKeyMaterial: reads the key with DescribeKey, asks rules.ts what KMS would allow and what the
// key needs, and imports with GetParametersForImport + ImportKeyMaterial.

function liveKey(meta: KeyMetadata): LiveKey {
  return {
    keyId: meta.KeyId,
    origin: meta.Origin,
    keySpec: meta.KeySpec,
    keyState: meta.KeyState,
    materialExpireUnix: cloudExpireUnix(meta.MaterialExpireTime),
    dkmsInstanceId: meta.DKMSInstanceId || undefined,
  };
}

function failuresError(failures: Failure[]): Error {
  return new Error(failures.map((f) => f.reason).join("\n"));
}

/** Parses inputs that check() has already accepted; throws the failures otherwise. */
function parsed(news: Record<string, unknown>): Inputs & { material: Buffer } {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs)
    throw failuresError(
      failures.length > 0 ? failures : [{ property: "(inputs)", reason: "inputs are not known" }],
    );
  registerSecrets(inputs.keyMaterial);
  return { ...inputs, material: decodeMaterial(inputs.keyMaterial) as Buffer };
}

/** The key, checked to accept this material; throws with the rule's message otherwise. */
async function importableKey(
  inputs: Inputs & { material: Buffer },
  remaining: Remaining,
): Promise<KeyMetadata> {
  const meta = await describeKey(inputs.region, inputs.keyId, remaining);
  if (!meta) throw failuresError([keyNotFoundFailure(inputs.keyId, inputs.region)]);
  const live = liveKey(meta);
  const failures = keyFailures(live, inputs.material.length);
  const wrapping = wrappingFailure(live, inputs.wrappingAlgorithm);
  if (wrapping) failures.push(wrapping);
  if (failures.length > 0) throw failuresError(failures);
  return meta;
}

function outputs(inputs: Inputs & { material: Buffer }, meta: KeyMetadata): Outputs {
  const { material, ...plain } = inputs;
  return {
    ...plain,
    keySpec: meta.KeySpec,
    keyState: meta.KeyState,
    origin: meta.Origin,
    materialExpireTime: meta.MaterialExpireTime ?? "",
    materialFingerprint: materialFingerprint(inputs.keyId, material),
  };
}

function fingerprintOf(keyId: unknown, keyMaterial: unknown): string | undefined {
  if (
    typeof keyId !== "string" ||
    typeof keyMaterial !== "string" ||
    isUnknown(keyId) ||
    isUnknown(keyMaterial)
  )
    return undefined;
  const bytes = decodeMaterial(keyMaterial);
  return bytes ? materialFingerprint(keyId, bytes) : undefined;
}

export { configure } from "../common/configure";

export async function check(
  givenOlds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, news);
  registerSecrets(news.keyMaterial as string, olds.keyMaterial as string);
  const { inputs, failures } = parseInputs(inputsSchema, news);
  const unknown = unknownFields(news, ["region", "keyId", "keyMaterial"]);
  if (unknown.length > 0 && failures.length === 0) {
    const what = isUnknown(news.keyId)
      ? "ImportedKeyMaterial"
      : `ImportedKeyMaterial for key ${String(news.keyId)}`;
    await warn(deferredNote(what, unknown, "the key (Origin EXTERNAL, its state and the material's size)"));
  }
  if (!inputs) return checkResult(news, undefined, failures);

  const isUpdate = typeof olds.keyId === "string";
  const newUnix = expireUnixOf(inputs.expireAt) ?? 0;
  const oldUnix = isUpdate ? expireUnixOf(olds.expireAt as string | number | undefined) : undefined;
  const expiry = isUnknown(news.expireAt)
    ? undefined
    : expiryFailure(newUnix, oldUnix, Math.floor(Date.now() / 1000));
  if (expiry) failures.push(expiry);
  if (isUpdate && olds.keyId === inputs.keyId) {
    const change = materialChangeFailure(
      inputs.keyId,
      fingerprintOf(olds.keyId, olds.keyMaterial),
      fingerprintOf(inputs.keyId, news.keyMaterial),
    );
    if (change) failures.push(change);
  }

  // Ask KMS about the key itself when it is known: a key that is missing, not EXTERNAL, pending deletion or of
  // another size would be refused at `up`, so it fails here, at preview.
  if (
    failures.length === 0 &&
    !isUnknown(news.region) &&
    !isUnknown(news.keyId) &&
    !sameInputs(olds, inputs as unknown as Record<string, unknown>)
  ) {
    const meta = await describeKey(
      inputs.region,
      inputs.keyId,
      operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
    );
    const bytes = isUnknown(news.keyMaterial) ? undefined : decodeMaterial(inputs.keyMaterial)?.length;
    failures.push(
      ...(meta ? keyFailures(liveKey(meta), bytes) : [keyNotFoundFailure(inputs.keyId, inputs.region)]),
    );
    const wrapping = meta && wrappingFailure(liveKey(meta), inputs.wrappingAlgorithm);
    if (wrapping) failures.push(wrapping);
  }
  return checkResult(news, inputs, failures);
}

export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  registerSecrets(news.keyMaterial as string, olds.keyMaterial as string);
  const plan = planDiff(olds, news, fingerprintOf(news.keyId, news.keyMaterial));
  // check() normally reports this first; diff compares with the stored fingerprint as well, in case the old
  // inputs did not carry the material.
  if (plan.failure) throw new Error(plan.failure.reason);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: plan.deleteBeforeReplace };
}

export async function create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parsed(news);
  const remaining = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  // Not read again before importing: check() judged the key from a read moments ago, and what may have changed
  // since (deleted, scheduled for deletion) is refused by GetParametersForImport, which changes nothing.
  await importMaterial(inputs, inputs.material, expireUnixOf(inputs.expireAt) ?? 0, remaining);
  const meta = await waitMaterialImported(inputs.region, inputs.keyId, remaining);
  return { id: createResourceId(inputs.region, inputs.keyId), outs: outputs(inputs, meta) };
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  registerSecrets(props.keyMaterial as string);
  const { region, keyId } = parseResourceId(id);
  const meta = await findKey(region, keyId, operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS));
  if (!meta) return {};
  const live = liveKey(meta);
  const expireAt = refreshedExpireAt(props.expireAt as string | number | undefined, live);
  const inputs: Record<string, unknown> = {
    region,
    keyId,
    keyMaterial: props.keyMaterial,
    expireAt,
    wrappingAlgorithm: props.wrappingAlgorithm,
    wrappingKeySpec: props.wrappingKeySpec,
    timeoutSeconds: props.timeoutSeconds,
  };
  for (const k of Object.keys(inputs)) if (inputs[k] === undefined) delete inputs[k];
  const refreshed: Record<string, unknown> = { ...props, expireAt };
  if (expireAt === undefined) delete refreshed.expireAt;
  return {
    id,
    props: {
      ...refreshed,
      region,
      keyId,
      keySpec: meta.KeySpec,
      keyState: meta.KeyState,
      origin: meta.Origin,
      materialExpireTime: meta.MaterialExpireTime ?? "",
    },
    inputs,
  };
}

export async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = parsed(news);
  registerSecrets(olds.keyMaterial as string);
  const change = materialChangeFailure(
    inputs.keyId,
    typeof olds.materialFingerprint === "string" ? olds.materialFingerprint : undefined,
    materialFingerprint(inputs.keyId, inputs.material),
  );
  if (change) throw failuresError([change]);
  const remaining = operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  let meta = await importableKey(inputs, remaining);
  const expireUnix = expireUnixOf(inputs.expireAt) ?? 0;
  if (importNeeded(liveKey(meta), expireUnix) !== "none") {
    await importMaterial(inputs, inputs.material, expireUnix, remaining);
    meta = await waitMaterialImported(inputs.region, inputs.keyId, remaining);
  }
  return { outs: outputs(inputs, meta) };
}

export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  registerSecrets(props.keyMaterial as string);
  const { region, keyId } = parseResourceId(id);
  await deleteKeyMaterial(region, keyId, operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS));
}
