import { alibabaClient, type AlibabaClient } from "../../clouds/alibaba";
import { CloudError, isCloudError, isNotFound } from "../../clouds/errors";
import { waitFor } from "../../clouds/retry";
import type { Remaining } from "../common/deadline";
import { wrapKeyMaterial } from "./material";
import { keyNotFoundFailure, materialPresent, notExternalFailure, pendingDeletionFailure } from "./rules";
import type { Inputs } from "./schema";

// Everything ImportedKeyMaterial says to Alibaba Cloud KMS (2016-01-20): the wire types, the key finders, the
// import itself and the wait for the material. None of these actions takes a ClientToken
// (GetParametersForImport, ImportKeyMaterial, DeleteKeyMaterial, DescribeKey in the reference and in the SDK's
// request models), so none is sent.

/** DescribeKey's KeyMetadata, the fields this resource reads. */
export interface KeyMetadata {
  KeyId: string;
  Origin: string;
  KeySpec: string;
  KeyState: string;
  MaterialExpireTime?: string;
  DKMSInstanceId?: string;
}

/** GetParametersForImport's answer. */
interface ImportParameters {
  ImportToken: string;
  PublicKey: string;
}

const kms = (region: string): AlibabaClient => alibabaClient("kms", region);

/** DescribeKey; undefined when KMS has no such key. A key pending deletion is returned (check names it). */
export async function describeKey(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<KeyMetadata | undefined> {
  try {
    const res = await kms(region).call<{ KeyMetadata: KeyMetadata }>(
      "DescribeKey",
      { KeyId: keyId },
      { deadlineMs: remaining() },
    );
    return res.KeyMetadata;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The key, or undefined when it is gone or pending deletion: then it cannot hold material any more. */
export async function findKey(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<KeyMetadata | undefined> {
  const meta = await describeKey(region, keyId, remaining);
  return meta && meta.KeyState !== "PendingDeletion" ? meta : undefined;
}

const TOKEN_CODES = ["ExpiredImportToken", "InvalidImportToken"];

/**
 * GetParametersForImport, wrap locally, ImportKeyMaterial. A token that KMS calls expired or invalid (a slow run,
 * an emulator restart) is replaced by fresh parameters once; a second refusal is reported. GetParametersForImport
 * changes nothing: a key KMS cannot import into (gone, not EXTERNAL, pending deletion) is refused there, and the
 * refusal says which input to change.
 */
export async function importMaterial(
  inputs: Inputs,
  material: Buffer,
  expireUnix: number,
  remaining: Remaining,
): Promise<void> {
  const client = kms(inputs.region);
  for (let attempt = 0; ; attempt++) {
    const params = await client
      .call<ImportParameters>(
        "GetParametersForImport",
        {
          KeyId: inputs.keyId,
          WrappingAlgorithm: inputs.wrappingAlgorithm,
          WrappingKeySpec: inputs.wrappingKeySpec,
        },
        { deadlineMs: remaining() },
      )
      .catch((e: unknown) => {
        throw withKeyHint(e, inputs);
      });
    try {
      await client.call(
        "ImportKeyMaterial",
        {
          KeyId: inputs.keyId,
          EncryptedKeyMaterial: wrapKeyMaterial(material, params.PublicKey, inputs.wrappingAlgorithm),
          ImportToken: params.ImportToken,
          KeyMaterialExpireUnix: expireUnix,
        },
        { deadlineMs: remaining() },
      );
      return;
    } catch (e) {
      if (isCloudError(e, ...TOKEN_CODES) && attempt === 0) continue;
      throw withImportHint(e, inputs);
    }
  }
}

/** What a refusal about the key itself (by either import call) means for the inputs. */
function withKeyHint(e: unknown, inputs: Inputs): unknown {
  if (!(e instanceof CloudError)) return e;
  if (e.errorClass === "not-found") return e.withHint(keyNotFoundFailure(inputs.keyId, inputs.region).reason);
  if (e.code === "Unsupported.Origin") return e.withHint(notExternalFailure(inputs.keyId).reason);
  if (e.code === "Rejected.PendingDeletion") return e.withHint(pendingDeletionFailure(inputs.keyId).reason);
  return e;
}

/** What a refusal of ImportKeyMaterial means for the inputs. */
function withImportHint(e: unknown, inputs: Inputs): unknown {
  if (!(e instanceof CloudError)) return e;
  const keyId = inputs.keyId;
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
  return withKeyHint(e, inputs);
}

/**
 * Waits until KMS reports the material in place (the key leaves PendingImport). The first read comes at once:
 * an import usually completes with its call.
 */
export async function waitMaterialImported(
  region: string,
  keyId: string,
  remaining: Remaining,
): Promise<KeyMetadata> {
  return waitFor(
    async () => {
      const meta = await describeKey(region, keyId, remaining);
      if (!meta) throw new Error(keyNotFoundFailure(keyId, region).reason);
      return meta;
    },
    (meta) => materialPresent(meta.KeyState),
    (meta) => `KeyState ${meta.KeyState}`,
    {
      description: `the key material of KMS key ${keyId} to be imported`,
      timeoutMs: remaining(),
      intervalMs: 100,
      failed: (meta) =>
        meta.KeyState === "PendingDeletion"
          ? `keyId: KMS key ${keyId} was scheduled for deletion during the import; cancel the deletion ` +
            `(CancelKeyDeletion) or use another EXTERNAL key, then run 'pulumi up' again.`
          : undefined,
    },
  );
}

/** DeleteKeyMaterial; a key already gone, or pending deletion (KMS leaves it as it is), has nothing to remove. */
export async function deleteKeyMaterial(region: string, keyId: string, remaining: Remaining): Promise<void> {
  try {
    await kms(region).call("DeleteKeyMaterial", { KeyId: keyId }, { deadlineMs: remaining() });
  } catch (e) {
    if (isNotFound(e) || isCloudError(e, "Rejected.PendingDeletion")) return;
    throw e;
  }
}
