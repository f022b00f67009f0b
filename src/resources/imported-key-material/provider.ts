import type * as pulumi from "@pulumi/pulumi";
import { alibabaClient, type AlibabaClient } from "../../clouds/alibaba";
import { CloudError, isCloudError, isNotFound } from "../../clouds/errors";
import { waitFor } from "../../clouds/retry";
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
import { warn } from "../common/warn";
import { materialFingerprint, wrapKeyMaterial } from "./material";
import {
  cloudExpireUnix,
  expiryFailure,
  importNeeded,
  keyFailures,
  keyNotFoundFailure,
  type LiveKey,
  materialChangeFailure,
  wrappingFailure,
  materialPresent,
  planDiff,
  refreshedExpireAt,
} from "./rules";
import {
  decodeMaterial,
  DEFAULT_TIMEOUT_SECONDS,
  expireUnixOf,
  type Inputs,
  inputSchema,
  type Outputs,
  parseResourceId,
  resourceId,
} from "./schema";

// CRUD for ImportedKeyMaterial: reads the key with DescribeKey, asks rules.ts what KMS would allow and what the
// key needs, and imports with GetParametersForImport + ImportKeyMaterial.

interface KeyMetadata {
  KeyId: string;
  Origin: string;
  KeySpec: string;
  KeyState: string;
  MaterialExpireTime?: string;
  DKMSInstanceId?: string;
}

interface ImportParameters {
  ImportToken: string;
  PublicKey: string;
}

const kms = (region: string): AlibabaClient => alibabaClient("kms", region);

function timeoutMs(inputs: Pick<Inputs, "timeoutSeconds">): number {
  return (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
}

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

/** DescribeKey; undefined when the key does not exist. */
async function describeKey(
  region: string,
  keyId: string,
  deadlineMs?: number,
): Promise<KeyMetadata | undefined> {
  try {
    const res = await kms(region).call<{ KeyMetadata: KeyMetadata }>(
      "DescribeKey",
      { KeyId: keyId },
      { deadlineMs },
    );
    return res.KeyMetadata;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function failuresError(failures: Failure[]): Error {
  return new Error(failures.map((f) => f.reason).join("\n"));
}

/** Parses inputs that check() has already accepted; throws the failures otherwise. */
function parsed(news: Record<string, unknown>): Inputs & { material: Buffer } {
  const { inputs, failures } = parseInputs(inputSchema, news);
  if (!inputs)
    throw failuresError(
      failures.length > 0 ? failures : [{ property: "(inputs)", reason: "inputs are not known" }],
    );
  registerSecrets(inputs.keyMaterial);
  return { ...inputs, material: decodeMaterial(inputs.keyMaterial) as Buffer };
}

/** The key, checked to accept this material; throws with the rule's message otherwise. */
async function importableKey(inputs: Inputs & { material: Buffer }): Promise<KeyMetadata> {
  const meta = await describeKey(inputs.region, inputs.keyId, timeoutMs(inputs));
  if (!meta) throw failuresError([keyNotFoundFailure(inputs.keyId, inputs.region)]);
  const live = liveKey(meta);
  const failures = keyFailures(live, inputs.material.length);
  const wrapping = wrappingFailure(live, inputs.wrappingAlgorithm);
  if (wrapping) failures.push(wrapping);
  if (failures.length > 0) throw failuresError(failures);
  return meta;
}

const TOKEN_CODES = ["ExpiredImportToken", "InvalidImportToken"];

/**
 * GetParametersForImport, wrap locally, ImportKeyMaterial. A token that KMS calls expired or invalid (a slow run,
 * an emulator restart) is replaced by fresh parameters once; a second refusal is reported.
 */
async function importMaterial(inputs: Inputs & { material: Buffer }): Promise<void> {
  const client = kms(inputs.region);
  const deadlineMs = timeoutMs(inputs);
  const expireUnix = expireUnixOf(inputs.expireAt) ?? 0;
  for (let attempt = 0; ; attempt++) {
    const params = await client.call<ImportParameters>(
      "GetParametersForImport",
      {
        KeyId: inputs.keyId,
        WrappingAlgorithm: inputs.wrappingAlgorithm,
        WrappingKeySpec: inputs.wrappingKeySpec,
      },
      { deadlineMs },
    );
    try {
      await client.call(
        "ImportKeyMaterial",
        {
          KeyId: inputs.keyId,
          EncryptedKeyMaterial: wrapKeyMaterial(inputs.material, params.PublicKey, inputs.wrappingAlgorithm),
          ImportToken: params.ImportToken,
          KeyMaterialExpireUnix: expireUnix,
        },
        { deadlineMs },
      );
      return;
    } catch (e) {
      if (isCloudError(e, ...TOKEN_CODES) && attempt === 0) continue;
      throw withImportHint(e, inputs.keyId);
    }
  }
}

function withImportHint(e: unknown, keyId: string): unknown {
  if (!(e instanceof CloudError)) return e;
  if (e.code === "InvalidKeyMaterial")
    return e.withHint(
      `keyMaterial: KMS refused the material for key ${keyId}. A key accepts only the material first imported ` +
        `into it, of the size its KeySpec needs; keep that material, or create a new KMS key with Origin ` +
        `EXTERNAL and set keyId to it`,
    );
  if (e.code === "InvalidParameter")
    return e.withHint(
      `expireAt: KMS needs an expiry later than its current time; set a later expireAt or remove it`,
    );
  if (TOKEN_CODES.includes(e.code))
    return e.withHint(`Fresh import parameters were also refused; run 'pulumi up' again`);
  return e;
}

/** Waits until KMS reports the material in place (the key leaves PendingImport). */
async function waitForMaterial(inputs: Inputs): Promise<KeyMetadata> {
  return waitFor(
    async () => {
      const meta = await describeKey(inputs.region, inputs.keyId, timeoutMs(inputs));
      if (!meta) throw failuresError([keyNotFoundFailure(inputs.keyId, inputs.region)]);
      return meta;
    },
    (meta) => materialPresent(meta.KeyState),
    (meta) => `KeyState ${meta.KeyState}`,
    {
      description: `the key material of KMS key ${inputs.keyId} to be imported`,
      timeoutMs: timeoutMs(inputs),
      intervalMs: 100,
      failed: (meta) =>
        meta.KeyState === "PendingDeletion"
          ? `KMS key ${inputs.keyId} was scheduled for deletion during the import; cancel the deletion or use another EXTERNAL key.`
          : undefined,
    },
  );
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
  const { inputs, failures } = parseInputs(inputSchema, news);
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
    const meta = await describeKey(inputs.region, inputs.keyId, timeoutMs(inputs));
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
  await importableKey(inputs);
  await importMaterial(inputs);
  const meta = await waitForMaterial(inputs);
  return { id: resourceId(inputs.region, inputs.keyId), outs: outputs(inputs, meta) };
}

export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  registerSecrets(props.keyMaterial as string);
  const { region, keyId } = parseResourceId(id);
  const meta = await describeKey(region, keyId, timeoutMs(props as Pick<Inputs, "timeoutSeconds">));
  // A key that is gone or pending deletion cannot hold material any more: the resource is gone.
  if (!meta || meta.KeyState === "PendingDeletion") return {};
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
  let meta = await importableKey(inputs);
  if (importNeeded(liveKey(meta), expireUnixOf(inputs.expireAt) ?? 0) !== "none") {
    await importMaterial(inputs);
    meta = await waitForMaterial(inputs);
  }
  return { outs: outputs(inputs, meta) };
}

export async function destroy(id: string, props: Record<string, unknown>): Promise<void> {
  registerSecrets(props.keyMaterial as string);
  const { region, keyId } = parseResourceId(id);
  try {
    await kms(region).call(
      "DeleteKeyMaterial",
      { KeyId: keyId },
      { deadlineMs: timeoutMs(props as Pick<Inputs, "timeoutSeconds">) },
    );
  } catch (e) {
    // Already gone with its key, or the key is being deleted (KMS leaves it as it is): nothing to remove.
    if (isNotFound(e) || isCloudError(e, "Rejected.PendingDeletion")) return;
    throw e;
  }
}
