import {
  KEY_SPECS,
  KEY_USAGES,
  MAX_EXPIRE_UNIX,
  ORIGINS,
  PENDING_WINDOW_DAYS,
  PROTECTION_LEVELS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
} from "../../../clouds/facts/alibaba-kms";
import { ParamReader } from "../../params";
import type { ActionHandler, ServiceRequest } from "../../types";
import { invalidParameter } from "./errors";
import type { AlibabaKms, KeyView } from "./model";

// Alibaba RPC parameters arrive as a flat map of strings, read with the emulator's ParamReader: a missing value
// answers Missing<Param> (the POP gateway's form), a malformed one InvalidParameter, naming the parameter.

function reader(req: ServiceRequest): ParamReader {
  return new ParamReader(req.params, {
    missing: (name) => `Missing${name}`,
    invalid: "InvalidParameter",
    missingMessage: (name) => `${name} is mandatory for this action.`,
    invalidMessage: (name, expected) => `The specified parameter ${name} is not valid: expected ${expected}.`,
  });
}

/** EncryptedKeyMaterial: standard Base64 (of the RSA ciphertext). */
function base64(p: ParamReader, name: string): Buffer {
  const v = p.str(name, { required: true });
  const buf = Buffer.from(v, "base64");
  if (buf.length === 0 || buf.toString("base64").replace(/=+$/, "") !== v.replace(/=+$/, ""))
    throw invalidParameter(name, "expected Base64");
  return buf;
}

/** Alibaba's timestamps: ISO 8601 UTC without milliseconds, e.g. 2018-01-25T00:01:02Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
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
  const keyId = (req: ServiceRequest): string => reader(req).str("KeyId", { required: true });
  return {
    CreateKey: (req, ctx) => {
      const p = reader(req);
      const view = kms.createKey(ctx, req.account, regionOf(req), {
        origin: (p.str("Origin", { oneOf: ORIGINS }) as (typeof ORIGINS)[number]) ?? "Aliyun_KMS",
        keySpec: (p.str("KeySpec", { oneOf: KEY_SPECS }) as (typeof KEY_SPECS)[number]) ?? "Aliyun_AES_256",
        keyUsage: p.str("KeyUsage", { oneOf: KEY_USAGES }) ?? "ENCRYPT/DECRYPT",
        description: p.str("Description") ?? "",
        protectionLevel:
          (p.str("ProtectionLevel", { oneOf: PROTECTION_LEVELS }) as (typeof PROTECTION_LEVELS)[number]) ??
          "SOFTWARE",
        dkmsInstanceId: p.str("DKMSInstanceId") ?? "",
      });
      return { KeyMetadata: keyMetadata(view) };
    },

    DescribeKey: (req, ctx) => ({ KeyMetadata: keyMetadata(kms.describeKey(ctx, req.account, keyId(req))) }),

    GetParametersForImport: (req, ctx) => {
      const p = reader(req);
      const id = p.str("KeyId", { required: true });
      const algorithm = p.str("WrappingAlgorithm", {
        required: true,
        oneOf: [...WRAPPING_ALGORITHMS, "SM2PKE"],
      });
      const spec = p.str("WrappingKeySpec", { required: true, oneOf: WRAPPING_KEY_SPECS });
      // EC_SM2 with SM2PKE is documented for HSM keys (GetParametersForImport); Node has no SM2 encryption, so
      // the emulator does not model it, and its answer says it is the emulator's limit, not KMS's.
      if (spec === "EC_SM2" || algorithm === "SM2PKE")
        throw invalidParameter(
          "WrappingKeySpec",
          "the emulator models RSA_2048 with the RSAES_* algorithms only (KMS also offers EC_SM2 with SM2PKE for HSM keys)",
        );
      const out = kms.getParametersForImport(
        ctx,
        req.account,
        id,
        algorithm as (typeof WRAPPING_ALGORITHMS)[number],
      );
      return {
        KeyId: out.keyId,
        ImportToken: out.importToken,
        PublicKey: out.publicKeyDer.toString("base64"),
        TokenExpireTime: isoSeconds(out.tokenExpiresAt),
      };
    },

    ImportKeyMaterial: (req, ctx) => {
      const p = reader(req);
      kms.importKeyMaterial(ctx, req.account, {
        keyId: p.str("KeyId", { required: true }),
        encryptedKeyMaterial: base64(p, "EncryptedKeyMaterial"),
        importToken: p.str("ImportToken", { required: true }),
        // Whole Unix seconds, 0 (or absent) = never.
        expireUnix: p.int("KeyMaterialExpireUnix", { min: 0, max: MAX_EXPIRE_UNIX }) ?? 0,
      });
      return {};
    },

    DeleteKeyMaterial: (req, ctx) => {
      kms.deleteKeyMaterial(ctx, req.account, keyId(req));
      return {};
    },

    ScheduleKeyDeletion: (req, ctx) => {
      const days = reader(req).int("PendingWindowInDays", { required: true, ...PENDING_WINDOW_DAYS });
      kms.scheduleKeyDeletion(ctx, req.account, keyId(req), days);
      return {};
    },

    CancelKeyDeletion: (req, ctx) => {
      kms.cancelKeyDeletion(ctx, req.account, keyId(req));
      return {};
    },

    EnableKey: (req, ctx) => {
      kms.setEnabled(ctx, req.account, keyId(req), true);
      return {};
    },

    DisableKey: (req, ctx) => {
      kms.setEnabled(ctx, req.account, keyId(req), false);
      return {};
    },
  };
}
