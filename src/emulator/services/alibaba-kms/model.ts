import { createHash, KeyObject, randomBytes, randomUUID } from "node:crypto";
import {
  DEDICATED_KMS_UNSUPPORTED_WRAPPING,
  IMPORT_TOKEN_TTL_MS,
  type KeySpec,
  type KeyState,
  MATERIAL_BYTES,
  type Origin,
  PROTECTION_LEVELS,
  type WrappingAlgorithm,
} from "../../../clouds/facts/alibaba-kms";
import { beginTransition, type Managed, statusAt } from "../../managed-state";
import type { ServiceContext } from "../../types";
import * as errors from "./errors";
import { takeWrappingKeyPair, unwrapKeyMaterial } from "./wrapping-keys";

// Alibaba KMS (2016-01-20) as the emulator models it: customer master keys per account, with their origin, spec,
// state and, for EXTERNAL keys, the life of imported key material (GetParametersForImport, ImportKeyMaterial,
// DeleteKeyMaterial, expiry). KMS key ids are globally unique, so keys are found by id alone; the region a key
// was created in is recorded for its ARN. Nothing here touches HTTP; the facts (specs, sizes, token life) come
// from src/clouds/facts/alibaba-kms.ts.

/**
 * An EXTERNAL key's material: Present, Absent (never imported, expired or deleted), or Importing for the
 * `kmsImport` duration after ImportKeyMaterial (the key shows PendingImport until the import completes).
 */
export type MaterialStatus = "Present" | "Absent" | "Importing";

/** A key scheduled for deletion: PendingDeletion for its window, then Deleted (removed when next seen). */
export type Deletion = "PendingDeletion" | "Deleted";

const MAX_TOKENS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KmsKey {
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
  material: Managed<MaterialStatus>;
  /** Material expiry in epoch ms; undefined = never. Kept after expiry so DescribeKey shows when it expired. */
  materialExpireAt?: number;
  /**
   * Set by ScheduleKeyDeletion: the key shows PendingDeletion until the window ends, then it is Deleted (gone).
   */
  deletion?: Managed<Deletion>;
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
export type KeyView = Pick<
  KmsKey,
  | "keyId"
  | "account"
  | "region"
  | "origin"
  | "keySpec"
  | "keyUsage"
  | "description"
  | "protectionLevel"
  | "dkmsInstanceId"
  | "creationDate"
  | "materialExpireAt"
> & { state: KeyState; deleteAt?: number };

export interface ImportParameters {
  keyId: string;
  importToken: string;
  publicKeyDer: Buffer;
  tokenExpiresAt: number;
}

/** What CreateKey sets on the new key. */
export type CreateKeyCommand = Pick<
  KmsKey,
  "origin" | "keySpec" | "keyUsage" | "description" | "protectionLevel" | "dkmsInstanceId"
>;

export interface ImportCommand {
  keyId: string;
  encryptedKeyMaterial: Buffer;
  importToken: string;
  /** Unix seconds; 0 = never expires. */
  expireUnix: number;
}

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
    if (key.deletion && statusAt(key.deletion, now) === "Deleted") {
      this.keys.delete(key.keyId);
      ctx.changed();
      return undefined;
    }
    if (
      key.material.status === "Present" &&
      key.materialExpireAt !== undefined &&
      now >= key.materialExpireAt
    ) {
      key.material = { status: "Absent" };
      ctx.changed();
    }
    return key;
  }

  private stateOf(key: KmsKey, now: number): KeyState {
    if (key.deletion) return "PendingDeletion";
    if (key.origin === "EXTERNAL" && statusAt(key.material, now) !== "Present") return "PendingImport";
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
      deleteAt: key.deletion?.transition?.until,
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
      material: { status: "Absent" },
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
    if (key.dkmsInstanceId && algorithm === DEDICATED_KMS_UNSUPPORTED_WRAPPING)
      throw errors.invalidParameter(
        "WrappingAlgorithm",
        `${algorithm} is not supported for a key of a dedicated KMS instance (${key.dkmsInstanceId})`,
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
    if (key.material.status === "Absent")
      beginTransition(key.material, "Importing", "Present", now, ctx.durationMs("kmsImport"));
    key.imports++;
    ctx.changed();
  }

  deleteKeyMaterial(ctx: ServiceContext, account: string, keyId: string): void {
    const key = this.find(ctx, account, keyId);
    this.requireExternal(key);
    // A key pending deletion keeps its state and deletion date (DeleteKeyMaterial document). Deleting material
    // that is already gone is a no-op, as a repeated delete should be.
    if (key.deletion || key.material.status === "Absent") return;
    key.material = { status: "Absent" };
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
    if (key.deletion) throw errors.rejectedState("PendingDeletion");
    key.deletion = { status: "Deleted" };
    beginTransition(key.deletion, "PendingDeletion", "Deleted", ctx.now(), pendingWindowInDays * DAY_MS);
    ctx.changed();
    return this.view(key, ctx.now());
  }

  cancelKeyDeletion(ctx: ServiceContext, account: string, keyId: string): void {
    const key = this.find(ctx, account, keyId);
    if (!key.deletion) throw errors.rejectedState(this.stateOf(key, ctx.now()));
    // Alibaba restores a cancelled key to Enabled; an EXTERNAL key without material is PendingImport instead.
    key.deletion = undefined;
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

  /** Adds keys as they are (fixtures); an id already taken throws, naming the key's index. */
  addKeys(keys: KmsKey[], ctx: ServiceContext): void {
    keys.forEach((k, i) => {
      if (this.keys.has(k.keyId))
        throw new Error(`alibabaKms.keys[${i}].keyId: key ${k.keyId} already exists`);
    });
    for (const k of keys) this.keys.set(k.keyId, k);
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
    for (const k of keys as StoredKey[])
      if (k && typeof k.keyId === "string") this.keys.set(k.keyId, fromStored(k));
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
        materialPresent: live.origin !== "EXTERNAL" || live.material.status !== "Absent",
        materialExpireTime:
          live.materialExpireAt !== undefined ? new Date(live.materialExpireAt).toISOString() : "",
        deleteDate: live.deletion?.transition ? new Date(live.deletion.transition.until).toISOString() : "",
        imports: live.imports,
      });
    }
    return { keys, importTokensIssued: this.tokensIssued, importTokensLive: this.tokens.size };
  }
}

/**
 * A key as a state file holds it: files written before the managed-state mechanism have materialPresent,
 * materialReadyAt and deleteAt instead of material and deletion.
 */
type StoredKey = KmsKey & { materialPresent?: boolean; materialReadyAt?: number; deleteAt?: number };

function fromStored(k: StoredKey): KmsKey {
  const { materialPresent, materialReadyAt, deleteAt, ...key } = k;
  if (!key.material) {
    key.material = { status: materialPresent ? "Present" : "Absent" };
    if (materialPresent && materialReadyAt !== undefined)
      key.material.transition = { during: "Importing", until: materialReadyAt };
  }
  if (!key.deletion && deleteAt !== undefined)
    key.deletion = { status: "Deleted", transition: { during: "PendingDeletion", until: deleteAt } };
  return key;
}
