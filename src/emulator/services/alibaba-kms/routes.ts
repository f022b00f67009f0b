import type { ActionHandler, ServiceRequest } from "../../types";
import { invalidParameter, missingParameter } from "./errors";
import {
  type AlibabaKms,
  KEY_SPECS,
  type KeyView,
  MAX_EXPIRE_UNIX,
  ORIGINS,
  PROTECTION_LEVELS,
} from "./model";
import { WRAPPING_ALGORITHMS } from "./wrapping-keys";

// Alibaba RPC parameters arrive as a flat map of strings. Each reader answers a missing value with
// MissingParameter and a malformed one with InvalidParameter, naming the parameter.

type Params = Record<string, unknown>;

function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  return String(v);
}

function reqString(p: Params, name: string): string {
  const v = optString(p, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

function optEnum<T extends string>(p: Params, name: string, values: readonly T[]): T | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v))
    throw invalidParameter(name, `expected one of ${values.join(", ")}`);
  return v as T;
}

function reqEnum<T extends string>(p: Params, name: string, values: readonly T[]): T {
  const v = optEnum(p, name, values);
  if (v === undefined) throw missingParameter(name);
  return v;
}

/** KeyMaterialExpireUnix: whole Unix seconds, 0 (or absent) = never, at most 2^53 - 1 (ImportKeyMaterial). */
function expireUnix(p: Params): number {
  const v = optString(p, "KeyMaterialExpireUnix");
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) throw invalidParameter("KeyMaterialExpireUnix", "expected whole Unix seconds");
  if (BigInt(v) > BigInt(MAX_EXPIRE_UNIX))
    throw invalidParameter("KeyMaterialExpireUnix", `must not be greater than ${MAX_EXPIRE_UNIX}`);
  return Number(v);
}

function base64Param(p: Params, name: string): Buffer {
  const v = reqString(p, name);
  const buf = Buffer.from(v, "base64");
  if (buf.length === 0 || buf.toString("base64").replace(/=+$/, "") !== v.replace(/=+$/, ""))
    throw invalidParameter(name, "expected Base64");
  return buf;
}

/** Alibaba's timestamps: ISO 8601 UTC without milliseconds, e.g. 2018-01-25T00:01:02Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function pendingWindow(p: Params): number {
  const v = reqString(p, "PendingWindowInDays");
  const days = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(days >= 7 && days <= 366)) throw invalidParameter("PendingWindowInDays", "expected 7 to 366 days");
  return days;
}

/**
 * A key's region is its endpoint's (kms.<region>.aliyuncs.com), which the wire layer reads from RegionId or the
 * Host header. A client pointed at the emulator's own address names neither: the emulator then stands for the
 * endpoint of cn-hangzhou, the region Alibaba's SDKs and documents use by default, so that an Arn always has a
 * region as a real one does.
 */
export const DEFAULT_KMS_REGION = "cn-hangzhou";
const regionOf = (req: ServiceRequest): string => req.region || DEFAULT_KMS_REGION;

/** DescribeKey's KeyMetadata (fields per the 2016-01-20 DescribeKey response model). */
export function keyMetadata(k: KeyView): Record<string, unknown> {
  return {
    Arn: `acs:kms:${k.region}:${k.account}:key/${k.keyId}`,
    AutomaticRotation: "Disabled",
    CreationDate: isoSeconds(k.creationDate),
    Creator: k.account,
    DKMSInstanceId: k.dkmsInstanceId,
    ...(k.deleteAt !== undefined ? { DeleteDate: isoSeconds(k.deleteAt) } : {}),
    DeletionProtection: "Disabled",
    DeletionProtectionDescription: "",
    Description: k.description,
    KeyId: k.keyId,
    KeySpec: k.keySpec,
    KeyState: k.state,
    KeyUsage: k.keyUsage,
    LastRotationDate: "",
    // Empty = never expires (or no material); kept after the material expired, so users see when it did.
    MaterialExpireTime: k.materialExpireAt !== undefined ? isoSeconds(k.materialExpireAt) : "",
    NextRotationDate: "",
    Origin: k.origin,
    PrimaryKeyVersion: k.keyId,
    ProtectionLevel: k.protectionLevel,
    RotationInterval: "",
  };
}

export function routes(kms: AlibabaKms): Record<string, ActionHandler> {
  return {
    CreateKey: (req, ctx) => {
      const p = req.params;
      const view = kms.createKey(ctx, req.account, regionOf(req), {
        origin: optEnum(p, "Origin", ORIGINS) ?? "Aliyun_KMS",
        keySpec: optEnum(p, "KeySpec", KEY_SPECS) ?? "Aliyun_AES_256",
        keyUsage: optEnum(p, "KeyUsage", ["ENCRYPT/DECRYPT", "SIGN/VERIFY"]) ?? "ENCRYPT/DECRYPT",
        description: optString(p, "Description") ?? "",
        protectionLevel: optEnum(p, "ProtectionLevel", PROTECTION_LEVELS) ?? "SOFTWARE",
        dkmsInstanceId: optString(p, "DKMSInstanceId") ?? "",
      });
      return { KeyMetadata: keyMetadata(view) };
    },

    DescribeKey: (req, ctx) => ({
      KeyMetadata: keyMetadata(kms.describeKey(ctx, req.account, reqString(req.params, "KeyId"))),
    }),

    GetParametersForImport: (req, ctx) => {
      const p = req.params;
      const keyId = reqString(p, "KeyId");
      const algorithm = reqEnum(p, "WrappingAlgorithm", [...WRAPPING_ALGORITHMS, "SM2PKE"] as const);
      const spec = reqEnum(p, "WrappingKeySpec", ["RSA_2048", "EC_SM2"] as const);
      // EC_SM2 with SM2PKE is documented for HSM keys (GetParametersForImport); Node has no SM2 encryption, so
      // the emulator does not model it, and its answer says it is the emulator's limit, not KMS's.
      if (spec === "EC_SM2" || algorithm === "SM2PKE")
        throw invalidParameter(
          "WrappingKeySpec",
          "the emulator models RSA_2048 with the RSAES_* algorithms only (KMS also offers EC_SM2 with SM2PKE for HSM keys)",
        );
      const out = kms.getParametersForImport(ctx, req.account, keyId, algorithm);
      return {
        KeyId: out.keyId,
        ImportToken: out.importToken,
        PublicKey: out.publicKeyDer.toString("base64"),
        TokenExpireTime: isoSeconds(out.tokenExpiresAt),
      };
    },

    ImportKeyMaterial: (req, ctx) => {
      const p = req.params;
      kms.importKeyMaterial(ctx, req.account, {
        keyId: reqString(p, "KeyId"),
        encryptedKeyMaterial: base64Param(p, "EncryptedKeyMaterial"),
        importToken: reqString(p, "ImportToken"),
        expireUnix: expireUnix(p),
      });
      return {};
    },

    DeleteKeyMaterial: (req, ctx) => {
      kms.deleteKeyMaterial(ctx, req.account, reqString(req.params, "KeyId"));
      return {};
    },

    ScheduleKeyDeletion: (req, ctx) => {
      kms.scheduleKeyDeletion(ctx, req.account, reqString(req.params, "KeyId"), pendingWindow(req.params));
      return {};
    },

    CancelKeyDeletion: (req, ctx) => {
      kms.cancelKeyDeletion(ctx, req.account, reqString(req.params, "KeyId"));
      return {};
    },

    EnableKey: (req, ctx) => {
      kms.setEnabled(ctx, req.account, reqString(req.params, "KeyId"), true);
      return {};
    },

    DisableKey: (req, ctx) => {
      kms.setEnabled(ctx, req.account, reqString(req.params, "KeyId"), false);
      return {};
    },
  };
}
