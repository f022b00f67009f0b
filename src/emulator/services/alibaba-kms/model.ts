import { createHash, KeyObject, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext } from "../../types";
import * as errors from "./errors";
import { takeWrappingKeyPair, unwrapKeyMaterial, WrappingAlgorithm } from "./wrapping-keys";

// Alibaba KMS (2016-01-20) as the emulator models it: customer master keys per account, with their origin, spec,
// state and, for EXTERNAL keys, the life of imported key material (GetParametersForImport, ImportKeyMaterial,
// DeleteKeyMaterial, expiry). KMS key ids are globally unique, so keys are found by id alone; the region a key
// was created in is recorded for its ARN. Nothing here touches HTTP.

export const KEY_SPECS = [
  "Aliyun_AES_256",
  "Aliyun_AES_128",
  "Aliyun_AES_192",
  "Aliyun_SM4",
  "RSA_2048",
  "RSA_3072",
  "EC_P256",
  "EC_P256K",
  "EC_SM2",
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];
export const ORIGINS = ["Aliyun_KMS", "EXTERNAL"] as const;
export type Origin = (typeof ORIGINS)[number];
export const KEY_STATES = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"] as const;
export type KeyState = (typeof KEY_STATES)[number];
export const PROTECTION_LEVELS = ["SOFTWARE", "HSM"] as const;

/**
 * Material sizes for EXTERNAL keys: Aliyun_AES_256 256 bits, Aliyun_SM4 128 bits (ImportKeyMaterial,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-importkeymaterial).
 * KMS also imports asymmetric material (RSA, EC private keys) into software-protected keys (its BYOK guide,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/import-key-material-into-an-asymmetric-key);
 * the emulator does not model that envelope format, so it creates EXTERNAL keys of these two specs only, and
 * says so.
 */
export const MATERIAL_BYTES: Partial<Record<KeySpec, number>> = { Aliyun_AES_256: 32, Aliyun_SM4: 16 };

/** An import token (and its public key) is valid for 24 hours (GetParametersForImport document). */
export const IMPORT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** KeyMaterialExpireUnix must not exceed this (ImportKeyMaterial: a Long, precise in JSON up to 2^53 - 1). */
export const MAX_EXPIRE_UNIX = 9007199254740991;
const MAX_TOKENS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

interface KmsKey {
  keyId: string;
  /** Owner: the account of the access key that created it (fixtures: the built-in account unless named). */
  account: string;
  region: string;
  origin: Origin;
  keySpec: KeySpec;
  keyUsage: string;
  description: string;
  protectionLevel: (typeof PROTECTION_LEVELS)[number];
  /** The dedicated KMS instance holding the key; empty for a key of the shared (default) KMS. */
  dkmsInstanceId: string;
  creationDate: number;
  /** Set by EnableKey/DisableKey; the reported state also depends on material and deletion. */
  enabled: boolean;
  /**
   * SHA-256 of the first material imported. Kept after the material expires or is deleted: KMS accepts only
   * that material again. The material itself is never stored.
   */
  materialSha256?: string;
  materialPresent: boolean;
  /** When an import completes (the key leaves PendingImport): the `kmsImport` duration after the call. */
  materialReadyAt?: number;
  /** Material expiry in epoch ms; undefined = never. Kept after expiry so DescribeKey shows when it expired. */
  materialExpireAt?: number;
  /** Set while PendingDeletion: when the key disappears. */
  deleteAt?: number;
  imports: number;
}

interface ImportToken {
  keyId: string;
  account: string;
  algorithm: WrappingAlgorithm;
  privateKey: KeyObject;
  expiresAt: number;
}

/** A key as DescribeKey reports it, in domain terms (routes render the wire shape). */
export interface KeyView {
  keyId: string;
  account: string;
  region: string;
  origin: Origin;
  keySpec: KeySpec;
  keyUsage: string;
  description: string;
  protectionLevel: string;
  dkmsInstanceId: string;
  creationDate: number;
  state: KeyState;
  materialExpireAt?: number;
  deleteAt?: number;
}

export interface ImportParameters {
  keyId: string;
  importToken: string;
  publicKeyDer: Buffer;
  tokenExpiresAt: number;
}

export interface CreateKeyCommand {
  origin: Origin;
  keySpec: KeySpec;
  keyUsage: string;
  description: string;
  protectionLevel: (typeof PROTECTION_LEVELS)[number];
  dkmsInstanceId: string;
}

export interface ImportCommand {
  keyId: string;
  encryptedKeyMaterial: Buffer;
  importToken: string;
  /** Unix seconds; 0 = never expires. */
  expireUnix: number;
}

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date");

const fixtureKey = z
  .object({
    keyId: z.string().min(1),
    account: z.string().min(1).optional(),
    region: z.string().min(1),
    origin: z.enum(ORIGINS).default("Aliyun_KMS"),
    keySpec: z.enum(KEY_SPECS).default("Aliyun_AES_256"),
    /** Default: PendingImport for EXTERNAL keys, Enabled otherwise. */
    keyState: z.enum(KEY_STATES).optional(),
    keyUsage: z.string().default("ENCRYPT/DECRYPT"),
    description: z.string().default(""),
    protectionLevel: z.enum(PROTECTION_LEVELS).default("SOFTWARE"),
    /** A key of a dedicated KMS instance (kst-...); absent for the shared KMS. */
    dkmsInstanceId: z.string().min(1).optional(),
    creationDate: isoDate.optional(),
    /** For an EXTERNAL key whose material is already imported: SHA-256 (hex) of that material. */
    keyMaterialSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be the lower-case hex SHA-256 of the material")
      .optional(),
    materialExpireTime: isoDate.optional(),
    /** For a PendingDeletion key; default seven days from now. */
    deleteDate: isoDate.optional(),
  })
  .strict()
  .superRefine((k, c) => {
    const state = k.keyState ?? (k.origin === "EXTERNAL" ? "PendingImport" : "Enabled");
    if (k.origin === "EXTERNAL" && MATERIAL_BYTES[k.keySpec] === undefined)
      c.addIssue({
        code: "custom",
        path: ["keySpec"],
        message:
          `the emulator models EXTERNAL keys of ${Object.keys(MATERIAL_BYTES).join(", ")} only ` +
          `(KMS also imports RSA and EC material; the emulator does not model it)`,
      });
    if (k.origin !== "EXTERNAL" && state === "PendingImport")
      c.addIssue({
        code: "custom",
        path: ["keyState"],
        message: "only an EXTERNAL key can be PendingImport",
      });
    if (k.origin === "EXTERNAL" && (state === "Enabled" || state === "Disabled") && !k.keyMaterialSha256)
      c.addIssue({
        code: "custom",
        path: ["keyMaterialSha256"],
        message: `an EXTERNAL key in state ${state} has material: give its SHA-256 (hex)`,
      });
  });

const fixturesSchema = z.object({ keys: z.array(fixtureKey).default([]) }).strict();

export function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export class AlibabaKms {
  private keys = new Map<string, KmsKey>();
  private tokens = new Map<string, ImportToken>();
  private tokensIssued = 0;

  reset(): void {
    this.keys.clear();
    this.tokens.clear();
    this.tokensIssued = 0;
  }

  /** Applies what time has done to a key (material expiry, end of a deletion window). Undefined = gone. */
  private settle(key: KmsKey, ctx: ServiceContext): KmsKey | undefined {
    const now = ctx.now();
    if (key.deleteAt !== undefined && now >= key.deleteAt) {
      this.keys.delete(key.keyId);
      ctx.changed();
      return undefined;
    }
    if (key.materialPresent && key.materialExpireAt !== undefined && now >= key.materialExpireAt) {
      key.materialPresent = false;
      key.materialReadyAt = undefined;
      ctx.changed();
    }
    return key;
  }

  private stateOf(key: KmsKey, now: number): KeyState {
    if (key.deleteAt !== undefined) return "PendingDeletion";
    if (key.origin === "EXTERNAL" && (!key.materialPresent || (key.materialReadyAt ?? 0) > now))
      return "PendingImport";
    return key.enabled ? "Enabled" : "Disabled";
  }

  private find(ctx: ServiceContext, account: string, keyId: string): KmsKey {
    const key = this.keys.get(keyId);
    const live = key && key.account === account ? this.settle(key, ctx) : undefined;
    if (!live) throw errors.keyNotFound(keyId);
    return live;
  }

  private view(key: KmsKey, now: number): KeyView {
    return {
      keyId: key.keyId,
      account: key.account,
      region: key.region,
      origin: key.origin,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage,
      description: key.description,
      protectionLevel: key.protectionLevel,
      dkmsInstanceId: key.dkmsInstanceId,
      creationDate: key.creationDate,
      state: this.stateOf(key, now),
      materialExpireAt: key.materialExpireAt,
      deleteAt: key.deleteAt,
    };
  }

  private requireExternal(key: KmsKey): void {
    if (key.origin !== "EXTERNAL") throw errors.unsupportedOrigin();
  }

  createKey(ctx: ServiceContext, account: string, region: string, cmd: CreateKeyCommand): KeyView {
    if (cmd.origin === "EXTERNAL" && MATERIAL_BYTES[cmd.keySpec] === undefined)
      throw errors.invalidParameter(
        "KeySpec",
        `the emulator models Origin EXTERNAL for ${Object.keys(MATERIAL_BYTES).join(", ")} only ` +
          `(KMS also imports RSA and EC material into software keys; the emulator does not model it)`,
      );
    const key: KmsKey = {
      keyId: randomUUID(),
      account,
      region,
      ...cmd,
      creationDate: ctx.now(),
      enabled: true,
      materialPresent: false,
      imports: 0,
    };
    this.keys.set(key.keyId, key);
    ctx.changed();
    return this.view(key, ctx.now());
  }

  describeKey(ctx: ServiceContext, account: string, keyId: string): KeyView {
    return this.view(this.find(ctx, account, keyId), ctx.now());
  }

  getParametersForImport(
    ctx: ServiceContext,
    account: string,
    keyId: string,
    algorithm: WrappingAlgorithm,
  ): ImportParameters {
    const key = this.find(ctx, account, keyId);
    this.requireExternal(key);
    const now = ctx.now();
    if (this.stateOf(key, now) === "PendingDeletion") throw errors.rejectedState("PendingDeletion");
    // "Dedicated KMS does not support RSAES_OAEP_SHA_1" (GetParametersForImport,
    // https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getparametersforimport).
    if (key.dkmsInstanceId && algorithm === "RSAES_OAEP_SHA_1")
      throw errors.invalidParameter(
        "WrappingAlgorithm",
        `RSAES_OAEP_SHA_1 is not supported for a key of a dedicated KMS instance (${key.dkmsInstanceId})`,
      );
    this.pruneTokens(now);
    const pair = takeWrappingKeyPair();
    const importToken = randomBytes(96).toString("base64");
    const tokenExpiresAt = now + IMPORT_TOKEN_TTL_MS;
    this.tokens.set(importToken, {
      keyId,
      account,
      algorithm,
      privateKey: pair.privateKey,
      expiresAt: tokenExpiresAt,
    });
    this.tokensIssued++;
    return { keyId, importToken, publicKeyDer: pair.publicKeyDer, tokenExpiresAt };
  }

  private pruneTokens(now: number): void {
    for (const [t, tok] of this.tokens) if (tok.expiresAt <= now) this.tokens.delete(t);
    for (const t of this.tokens.keys()) {
      if (this.tokens.size < MAX_TOKENS) break;
      this.tokens.delete(t);
    }
  }

  importKeyMaterial(ctx: ServiceContext, account: string, cmd: ImportCommand): void {
    const key = this.find(ctx, account, cmd.keyId);
    this.requireExternal(key);
    const now = ctx.now();
    if (this.stateOf(key, now) === "PendingDeletion") throw errors.rejectedState("PendingDeletion");

    // A token is bound to the key (and account) it was issued for; reusing it within its life is allowed.
    const token = this.tokens.get(cmd.importToken);
    if (!token || token.keyId !== key.keyId || token.account !== account) throw errors.invalidImportToken();
    if (now >= token.expiresAt) throw errors.expiredImportToken();

    if (cmd.expireUnix !== 0 && cmd.expireUnix * 1000 <= now)
      throw errors.invalidParameter(
        "KeyMaterialExpireUnix",
        "the expiration time is earlier than the current time",
      );

    const material = unwrapKeyMaterial(token.privateKey, token.algorithm, cmd.encryptedKeyMaterial);
    if (!material)
      throw errors.invalidKeyMaterial(
        `EncryptedKeyMaterial does not decrypt with the import token's public key under ${token.algorithm}`,
      );
    const size = MATERIAL_BYTES[key.keySpec];
    if (material.length !== size)
      throw errors.invalidKeyMaterial(
        `a ${key.keySpec} key needs ${(size ?? 0) * 8}-bit material, got ${material.length * 8} bits`,
      );
    // Re-importing is allowed (to restore expired or deleted material, or to change the expiry) only with the
    // material first imported. Alibaba documents the rule but not its error; InvalidKeyMaterial is the code its
    // ImportKeyMaterial document lists for material it refuses.
    const digest = sha256Hex(material);
    if (key.materialSha256 !== undefined && key.materialSha256 !== digest)
      throw errors.invalidKeyMaterial("it differs from the key material previously imported into this key");

    key.materialSha256 = digest;
    key.materialExpireAt = cmd.expireUnix === 0 ? undefined : cmd.expireUnix * 1000;
    if (!key.materialPresent) {
      key.materialPresent = true;
      key.materialReadyAt = now + ctx.durationMs("kmsImport");
    }
    key.imports++;
    ctx.changed();
  }

  deleteKeyMaterial(ctx: ServiceContext, account: string, keyId: string): void {
    const key = this.find(ctx, account, keyId);
    this.requireExternal(key);
    // A key pending deletion keeps its state and deletion date (DeleteKeyMaterial document). Deleting material
    // that is already gone is a no-op, as a repeated delete should be.
    if (key.deleteAt !== undefined || !key.materialPresent) return;
    key.materialPresent = false;
    key.materialReadyAt = undefined;
    key.materialExpireAt = undefined;
    ctx.changed();
  }

  scheduleKeyDeletion(
    ctx: ServiceContext,
    account: string,
    keyId: string,
    pendingWindowInDays: number,
  ): KeyView {
    const key = this.find(ctx, account, keyId);
    if (key.deleteAt !== undefined) throw errors.rejectedState("PendingDeletion");
    key.deleteAt = ctx.now() + pendingWindowInDays * DAY_MS;
    ctx.changed();
    return this.view(key, ctx.now());
  }

  cancelKeyDeletion(ctx: ServiceContext, account: string, keyId: string): void {
    const key = this.find(ctx, account, keyId);
    if (key.deleteAt === undefined) throw errors.rejectedState(this.stateOf(key, ctx.now()));
    // Alibaba restores a cancelled key to Enabled; an EXTERNAL key without material is PendingImport instead.
    key.deleteAt = undefined;
    key.enabled = true;
    ctx.changed();
  }

  setEnabled(ctx: ServiceContext, account: string, keyId: string, enabled: boolean): void {
    const key = this.find(ctx, account, keyId);
    const state = this.stateOf(key, ctx.now());
    if (state === "PendingDeletion" || state === "PendingImport") throw errors.rejectedState(state);
    key.enabled = enabled;
    ctx.changed();
  }

  loadFixtures(fixtures: unknown, ctx: ServiceContext): void {
    const parsed = fixturesSchema.safeParse(fixtures ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      throw new Error(`alibabaKms${where}: ${issue.message}`);
    }
    const now = ctx.now();
    parsed.data.keys.forEach((k, i) => {
      if (this.keys.has(k.keyId))
        throw new Error(`alibabaKms.keys[${i}].keyId: key ${k.keyId} already exists`);
    });
    for (const k of parsed.data.keys) {
      const state = k.keyState ?? (k.origin === "EXTERNAL" ? "PendingImport" : "Enabled");
      const hasMaterial = k.origin !== "EXTERNAL" || state === "Enabled" || state === "Disabled";
      this.keys.set(k.keyId, {
        keyId: k.keyId,
        account: k.account ?? DEFAULT_ACCOUNT.account,
        region: k.region,
        origin: k.origin,
        keySpec: k.keySpec,
        keyUsage: k.keyUsage,
        description: k.description,
        protectionLevel: k.protectionLevel,
        dkmsInstanceId: k.dkmsInstanceId ?? "",
        creationDate: k.creationDate ? Date.parse(k.creationDate) : now,
        enabled: state !== "Disabled",
        materialSha256: k.keyMaterialSha256,
        materialPresent: hasMaterial || (state === "PendingDeletion" && k.keyMaterialSha256 !== undefined),
        materialExpireAt: k.materialExpireTime ? Date.parse(k.materialExpireTime) : undefined,
        deleteAt:
          state === "PendingDeletion"
            ? k.deleteDate
              ? Date.parse(k.deleteDate)
              : now + 7 * DAY_MS
            : undefined,
        imports: 0,
      });
    }
    ctx.changed();
  }

  /** The state file. Import tokens (and their private keys) are left out: a restart invalidates them. */
  toJSON(): unknown {
    return { keys: [...this.keys.values()] };
  }

  fromJSON(state: unknown): void {
    this.reset();
    const keys = (state as { keys?: unknown })?.keys;
    if (!Array.isArray(keys)) return;
    for (const k of keys as KmsKey[]) if (k && typeof k.keyId === "string") this.keys.set(k.keyId, { ...k });
  }

  /** What exists, masked: the material shows only as a short SHA-256 prefix, enough to tell materials apart. */
  inventory(ctx: ServiceContext): unknown {
    const now = ctx.now();
    const keys = [];
    for (const key of [...this.keys.values()]) {
      const live = this.settle(key, ctx);
      if (!live) continue;
      keys.push({
        keyId: live.keyId,
        account: live.account,
        region: live.region,
        origin: live.origin,
        keySpec: live.keySpec,
        keyState: this.stateOf(live, now),
        material:
          live.origin !== "EXTERNAL"
            ? "managed"
            : live.materialSha256
              ? `sha256:${live.materialSha256.slice(0, 12)}`
              : "none",
        materialPresent: live.origin !== "EXTERNAL" || live.materialPresent,
        materialExpireTime:
          live.materialExpireAt !== undefined ? new Date(live.materialExpireAt).toISOString() : "",
        deleteDate: live.deleteAt !== undefined ? new Date(live.deleteAt).toISOString() : "",
        imports: live.imports,
      });
    }
    return { keys, importTokensIssued: this.tokensIssued, importTokensLive: this.tokens.size };
  }
}
