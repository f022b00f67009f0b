import { isUnknown, type Failure } from "../common/check";
import {
  DEDICATED_KMS_UNSUPPORTED_WRAPPING,
  MATERIAL_BYTES,
  MATERIAL_STATES,
  type WrappingAlgorithm,
} from "../../clouds/facts/alibaba-kms";
import { expireUnixOf } from "./schema";

// What KMS allows for imported key material, predicted from the provider's side so that a refused change fails
// at preview, and what a difference between configuration and the live key means. Pure functions, no I/O.

/** The key as DescribeKey shows it, reduced to what the rules use. */
export interface LiveKey {
  keyId: string;
  origin: string;
  keySpec: string;
  keyState: string;
  /** MaterialExpireTime as Unix seconds; 0 = none shown (never expires, or no material). */
  materialExpireUnix: number;
  /** DKMSInstanceId: the dedicated KMS instance holding the key; empty for the shared KMS. */
  dkmsInstanceId?: string;
}

/** DescribeKey's MaterialExpireTime ("2030-01-01T00:00:00Z", empty = never) as Unix seconds, 0 = never. */
export function cloudExpireUnix(materialExpireTime: string | undefined): number {
  if (!materialExpireTime) return 0;
  const ms = Date.parse(materialExpireTime);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Whether the key holds usable material (Enabled or Disabled: PendingImport means none or expired). */
export function materialPresent(keyState: string): boolean {
  return MATERIAL_STATES.includes(keyState);
}

export function keyNotFoundFailure(keyId: string, region: string): Failure {
  return {
    property: "keyId",
    reason:
      `keyId: KMS has no key ${keyId} in ${region} (Forbidden.KeyNotFound). Check keyId and region; ` +
      `if the key was deleted, create a new key with Origin EXTERNAL and run 'pulumi refresh'.`,
  };
}

/** A key not of Origin EXTERNAL (`origin` when a read showed it): KMS answers Unsupported.Origin. */
export function notExternalFailure(keyId: string, origin?: string): Failure {
  return {
    property: "keyId",
    reason:
      `keyId: key ${keyId} ${origin ? `has Origin ${origin}` : "is not of Origin EXTERNAL"}; KMS imports ` +
      `material only into keys created with Origin EXTERNAL (Unsupported.Origin). Create the key with Origin EXTERNAL ` +
      `(e.g. 'aliyun kms CreateKey --Origin EXTERNAL') and set keyId to it.`,
  };
}

/** A key pending deletion: KMS answers Rejected.PendingDeletion. */
export function pendingDeletionFailure(keyId: string): Failure {
  return {
    property: "keyId",
    reason:
      `keyId: key ${keyId} is pending deletion (PendingDeletion); KMS refuses imports into it. ` +
      `Cancel the deletion (CancelKeyDeletion) or use another EXTERNAL key.`,
  };
}

/**
 * Why KMS would refuse to import `materialBytes` bytes into this key, if it would. Origin must be EXTERNAL
 * (else Unsupported.Origin), the key must not be pending deletion (Rejected.PendingDeletion), and the material
 * must have the size of the key spec (else InvalidKeyMaterial).
 */
export function keyFailures(live: LiveKey, materialBytes: number | undefined): Failure[] {
  const id = live.keyId;
  if (live.origin !== "EXTERNAL") return [notExternalFailure(id, live.origin)];
  if (live.keyState === "PendingDeletion") return [pendingDeletionFailure(id)];
  const needed = MATERIAL_BYTES[live.keySpec];
  if (needed === undefined) {
    // KMS imports asymmetric material too (RSA and EC into software-protected keys:
    // https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/import-key-material-into-an-asymmetric-key);
    // this package does not build that envelope, so the limit is named as its own.
    return [
      {
        property: "keyId",
        reason:
          `keyId: key ${id} has KeySpec ${live.keySpec}. KMS can import material of that spec, but this package ` +
          `imports only symmetric material (${Object.keys(MATERIAL_BYTES).join(" or ")} keys). Use an EXTERNAL key ` +
          `of one of those specs, or import asymmetric material with the KMS console or SDK.`,
      },
    ];
  }
  if (materialBytes !== undefined && materialBytes !== needed) {
    return [
      {
        property: "keyMaterial",
        reason:
          `keyMaterial: key ${id} is ${live.keySpec}, which needs ${needed} bytes (${needed * 8} bits) of ` +
          `material; keyMaterial decodes to ${materialBytes} bytes. Give material of that size or use a key ` +
          `of the matching spec.`,
      },
    ];
  }
  return [];
}

/**
 * A key in a dedicated KMS instance (DescribeKey shows its DKMSInstanceId) refuses RSAES_OAEP_SHA_1
 * (DEDICATED_KMS_UNSUPPORTED_WRAPPING).
 */
export function wrappingFailure(live: LiveKey, algorithm: WrappingAlgorithm): Failure | undefined {
  if (!live.dkmsInstanceId || algorithm !== DEDICATED_KMS_UNSUPPORTED_WRAPPING) return undefined;
  return {
    property: "wrappingAlgorithm",
    reason:
      `wrappingAlgorithm: key ${live.keyId} is in the dedicated KMS instance ${live.dkmsInstanceId}, which does ` +
      `not support ${DEDICATED_KMS_UNSUPPORTED_WRAPPING}. Use RSAES_OAEP_SHA_256 (the default) or RSAES_PKCS1_V1_5.`,
  };
}

/**
 * KMS accepts only the material first imported into a key: re-imports (new expiry, restoring expired or deleted
 * material) must use the same material. Different material for the same key can never be applied.
 */
export function materialChangeFailure(
  keyId: string,
  oldFingerprint: string | undefined,
  newFingerprint: string | undefined,
): Failure | undefined {
  if (!oldFingerprint || !newFingerprint || oldFingerprint === newFingerprint) return undefined;
  return {
    property: "keyMaterial",
    reason:
      `keyMaterial: differs from the material imported into key ${keyId}. KMS accepts only the material first ` +
      `imported into a key, so this change cannot be applied. Keep the original keyMaterial, or create a new ` +
      `KMS key with Origin EXTERNAL and set keyId to it (that replaces this resource).`,
  };
}

/**
 * A new or changed expiry must lie in the future: KMS answers InvalidParameter otherwise. An unchanged expiry
 * that has passed is not an error: the material expired as configured.
 */
export function expiryFailure(
  newUnix: number,
  oldUnix: number | undefined,
  nowUnix: number,
): Failure | undefined {
  if (newUnix === 0 || newUnix > nowUnix || newUnix === oldUnix) return undefined;
  return {
    property: "expireAt",
    reason:
      `expireAt: ${new Date(newUnix * 1000).toISOString()} is not in the future; KMS rejects an expiry earlier ` +
      `than now (InvalidParameter). Set a later time, or remove expireAt for material that never expires.`,
  };
}

export type ImportNeed = "none" | "restore" | "expiry";

/**
 * What the live key needs to match the configuration:
 * - "restore": the material is gone (deleted, or expired at another time than configured) and must be imported
 *   again;
 * - "expiry": the material is there with another expiry, so it is re-imported with the configured one;
 * - "none": it matches, or the material expired exactly when configured (the configuration asked for that; to
 *   restore it, configure a later expireAt), or the key is pending deletion (nothing can be imported).
 * This relies on DescribeKey keeping MaterialExpireTime after the material expired (the emulator does; if the
 * cloud clears it, the material is restored and KMS rejects the past expiry with InvalidParameter).
 */
export function importNeeded(
  live: Pick<LiveKey, "keyState" | "materialExpireUnix">,
  configuredUnix: number,
): ImportNeed {
  if (live.keyState === "PendingDeletion") return "none";
  if (!materialPresent(live.keyState)) {
    return live.materialExpireUnix !== 0 && live.materialExpireUnix === configuredUnix ? "none" : "restore";
  }
  return live.materialExpireUnix === configuredUnix ? "none" : "expiry";
}

/**
 * expireAt as the live key shows it, for read(): when the material is present with another expiry than
 * configured, the live one, in the form the user wrote (Unix seconds or ISO); otherwise the configured value.
 */
export function refreshedExpireAt(
  configured: string | number | undefined,
  live: Pick<LiveKey, "keyState" | "materialExpireUnix">,
): string | number | undefined {
  if (!materialPresent(live.keyState) || live.materialExpireUnix === expireUnixOf(configured))
    return configured;
  if (live.materialExpireUnix === 0) return undefined;
  if (typeof configured === "number" || (typeof configured === "string" && /^\d+$/.test(configured)))
    return live.materialExpireUnix;
  return new Date(live.materialExpireUnix * 1000).toISOString().replace(/\.000Z$/, "Z");
}

export interface DiffInputs {
  region?: unknown;
  keyId?: unknown;
  expireAt?: unknown;
  wrappingAlgorithm?: unknown;
  wrappingKeySpec?: unknown;
  timeoutSeconds?: unknown;
}

export interface DiffOlds extends DiffInputs {
  keyState?: unknown;
  materialExpireTime?: unknown;
  materialFingerprint?: unknown;
}

export interface DiffPlan {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** A change KMS cannot apply; diff reports it as an error at preview. */
  failure?: Failure;
}

const SETTINGS = ["expireAt", "wrappingAlgorithm", "wrappingKeySpec", "timeoutSeconds"] as const;

/**
 * Plans an update from the stored outputs (refreshed by read) and the new inputs:
 * - a new key or region replaces the resource (material is imported into the new key; the old key's material is
 *   deleted). When only the region changes, the same key would be touched by both, so the old is deleted first;
 * - different material for the same key is a failure (see materialChangeFailure);
 * - a new expiry, or live material that is gone, is an in-place update that re-imports the same material;
 * - other settings (wrapping, timeout) are recorded in place without touching the key.
 */
export function planDiff(olds: DiffOlds, news: DiffInputs, newFingerprint: string | undefined): DiffPlan {
  const replaces = (["region", "keyId"] as const).filter((k) => olds[k] !== news[k]);
  const sameKey = olds.keyId === news.keyId;
  const failure = sameKey
    ? materialChangeFailure(String(news.keyId), strOrUndefined(olds.materialFingerprint), newFingerprint)
    : undefined;
  const configuredUnix = isUnknown(news.expireAt)
    ? undefined
    : expireUnixOf(news.expireAt as string | number);
  const need =
    configuredUnix === undefined
      ? "expiry"
      : importNeeded(
          {
            keyState: String(olds.keyState ?? ""),
            materialExpireUnix: cloudExpireUnix(strOrUndefined(olds.materialExpireTime)),
          },
          configuredUnix,
        );
  const settingsChanged = SETTINGS.some((k) => olds[k] !== news[k]);
  return {
    changes: replaces.length > 0 || need !== "none" || settingsChanged || failure !== undefined,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameKey,
    failure,
  };
}

function strOrUndefined(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
