import { randomUUID } from "node:crypto";
import {
  type AlgorithmInfo,
  CREATE_TYPE,
  DEFAULT_ALGORITHMS,
  DEFAULT_CMK_LIMIT,
  DESCRIPTION_MAX_BYTES,
  KEY_STATES,
  type KeyState,
  LEGACY_KEY_USAGE,
  ALIAS_MAX,
  type Origin,
  PENDING_WINDOW_DAYS,
  isApiAlias,
  keyUsagesOf,
} from "../../../clouds/facts/tencent-kms";
import { beginTransition, type Managed, statusAt } from "../../managed-state";
import { kmsErrors, legacyErrors } from "./errors";

// Tencent Cloud KMS as the emulator sees it: CMKs per account and region, with the rules of API 3.0
// (2019-01-18, https://www.tencentcloud.com/document/api/1030/32199 and its sibling pages) and of the legacy
// API 2.0 CreateKey (https://cloud.tencent.com/document/product/573/8893). The facts (alias pattern, limits,
// quota) come from src/clouds/facts/tencent-kms.ts; the rules are here. No HTTP: routes.ts reads the wire.

export type { KeyState, Origin };

/** What ListAlgorithms answers (https://www.tencentcloud.com/document/api/1030/35177); fixtures may replace it. */
export interface Algorithms {
  SymmetricAlgorithms: AlgorithmInfo[];
  AsymmetricAlgorithms: AlgorithmInfo[];
  AsymmetricSignVerifyAlgorithms: AlgorithmInfo[];
}

function defaultAlgorithms(): Algorithms {
  return structuredClone(DEFAULT_ALGORITHMS) as unknown as Algorithms;
}

export const DAY_SECONDS = 86_400;

function tooLong(description: string): boolean {
  return Buffer.byteLength(description, "utf8") > DESCRIPTION_MAX_BYTES;
}

/** A key as the API shows it at the model's time: its state, and its deletion date while pending deletion. */
export interface KmsKey {
  Account: string;
  Region: string;
  KeyId: string;
  Alias: string;
  Description: string;
  KeyState: KeyState;
  KeyUsage: string;
  Origin: Origin;
  /** Unix seconds. */
  CreateTime: number;
  /** Unix seconds when the key disappears; 0 unless PendingDelete. */
  DeletionDate: number;
  /** Which API created the key (inventory only: both APIs see the same key). */
  CreatedWith: "3.0" | "legacy-v2";
  /** The legacy `type` (1 normal, 2 quantum) of a key created through API 2.0. API 3.0 does not show it. */
  LegacyType?: 1 | 2;
  /** Where CancelKeyDeletion returns an external key that never got key material. */
  StateBeforeDeletion?: KeyState;
}

/**
 * A key as stored (and in the state file). A scheduled deletion is a managed transition (managed-state.ts): the
 * key shows PendingDelete until its deletion date, then is Deleted, which the model removes.
 */
export interface StoredKey extends Omit<KmsKey, "KeyState" | "DeletionDate"> {
  State: Managed<KeyState | "Deleted">;
}

/** The stored form of a key given as the API shows it (fixtures, and state files of earlier versions). */
export function storedKey(k: KmsKey): StoredKey {
  const { KeyState: state, DeletionDate: deletionDate, ...rest } = k;
  return {
    ...rest,
    State:
      state === "PendingDelete"
        ? { status: "Deleted", transition: { during: "PendingDelete", until: deletionDate * 1000 } }
        : { status: state },
  };
}

export interface Scope {
  account: string;
  region: string;
}

/** API 3.0 CreateKey's parameters, as read from the wire. */
export interface CreateKeyRequest {
  alias: string;
  description: string;
  keyUsage: string;
  /** 1: material made by KMS; 2: EXTERNAL. */
  type: number;
}

/** The legacy CreateKey's parameters (query strings). */
export interface LegacyCreateKeyRequest {
  alias: string;
  description: string;
  keyUsage: string;
  type: string;
}

interface NewKey {
  alias: string;
  description: string;
  keyUsage: string;
  origin: Origin;
  createdWith: KmsKey["CreatedWith"];
  legacyType?: 1 | 2;
}

export interface ListFilter {
  /** 0 all, 1 Enabled, 2 Disabled, 3 PendingDelete, 4 PendingImport, 5 Archived (ListKeyDetail's numbering). */
  keyState: number;
  /** Substring of the KeyId or the Alias, case-insensitive ("模糊匹配"). */
  search?: string;
  origin?: Origin;
  /** Undefined means every usage; otherwise one ListAlgorithms offers. */
  keyUsage?: string;
  ascending: boolean;
}

export class TencentKmsModel {
  private keys = new Map<string, StoredKey>();
  /** The emulator clock at the last purge; every action purges first, so views are taken at the action's time. */
  private now = 0;
  /** CMKs per account and region (GetServiceStatus's CmkLimit), one quota for both APIs; fixtures may set it. */
  quota = DEFAULT_CMK_LIMIT;
  algorithms: Algorithms = defaultAlgorithms();

  reset(): void {
    this.keys.clear();
    this.quota = DEFAULT_CMK_LIMIT;
    this.algorithms = defaultAlgorithms();
  }

  /** The KeyUsage values CreateKey accepts: those ListAlgorithms offers. */
  keyUsages(): string[] {
    return keyUsagesOf(this.algorithms);
  }

  all(): KmsKey[] {
    return [...this.keys.values()].map((k) => this.view(k));
  }

  /** What the state file keeps. */
  stored(): StoredKey[] {
    return [...this.keys.values()];
  }

  /** Moves the model to `nowMs`: keys whose deletion date has passed are gone for good. Whether any was removed. */
  purge(nowMs: number): boolean {
    this.now = nowMs;
    let removed = false;
    for (const [id, k] of this.keys) {
      if (statusAt(k.State, nowMs) === "Deleted") {
        this.keys.delete(id);
        removed = true;
      }
    }
    return removed;
  }

  private view(k: StoredKey): KmsKey {
    const { State: managed, ...rest } = k;
    // Purged keys are gone, so a stored key never shows Deleted.
    const state = statusAt(managed, this.now) as KeyState;
    const until = managed.transition?.until;
    return {
      ...rest,
      KeyState: state,
      DeletionDate: state === "PendingDelete" && until !== undefined ? Math.floor(until / 1000) : 0,
    };
  }

  private storedIn(scope: Scope, keyId: string): StoredKey {
    const k = this.keys.get(keyId);
    if (!k || k.Account !== scope.account || k.Region !== scope.region) throw kmsErrors.cmkNotFound(keyId);
    return k;
  }

  /** Every key of the account in the region, oldest first. */
  inScope(scope: Scope): KmsKey[] {
    return this.all()
      .filter((k) => k.Account === scope.account && k.Region === scope.region)
      .sort((a, b) => a.CreateTime - b.CreateTime);
  }

  find(scope: Scope, keyId: string): KmsKey {
    return this.view(this.storedIn(scope, keyId));
  }

  /**
   * Aliases are unique per account and region, and a key pending deletion keeps its alias until it is really
   * deleted: UpdateAlias is refused in PendingDelete, so nothing could free it otherwise, and AWS KMS behaves
   * the same way. A careful user must expect that re-creating an alias right after a plain delete fails.
   */
  aliasHolder(scope: Scope, alias: string): KmsKey | undefined {
    return this.inScope(scope).find((k) => k.Alias === alias);
  }

  /**
   * Keys pending deletion count against the quota: they still exist and CancelKeyDeletion can bring them back
   * (AWS counts them too). So a replacement does not get the deleted key's slot back before its deletion date.
   */
  count(scope: Scope): number {
    return this.inScope(scope).length;
  }

  /** API 3.0 CreateKey: the alias, description, usage and type rules, then the alias's uniqueness and the quota. */
  createKey(scope: Scope, r: CreateKeyRequest, nowMs: number): KmsKey {
    if (!isApiAlias(r.alias)) throw kmsErrors.invalidAlias(r.alias);
    if (tooLong(r.description)) throw kmsErrors.descriptionTooLong(DESCRIPTION_MAX_BYTES);
    if (!this.keyUsages().includes(r.keyUsage)) throw kmsErrors.invalidKeyUsage(r.keyUsage);
    const { kmsGenerated, external } = CREATE_TYPE["3.0"];
    if (r.type !== kmsGenerated && r.type !== external) throw kmsErrors.invalidType(r.type);
    // Imported key material is symmetric only.
    if (r.type === external && r.keyUsage !== "ENCRYPT_DECRYPT") throw kmsErrors.invalidKeyUsage(r.keyUsage);
    const taken = this.aliasHolder(scope, r.alias);
    if (taken) throw kmsErrors.aliasAlreadyExists(r.alias);
    if (this.count(scope) >= this.quota) throw kmsErrors.cmkLimitExceeded(this.quota);
    const origin: Origin = r.type === external ? "EXTERNAL" : "TENCENT_KMS";
    return this.add(scope, { ...r, origin, createdWith: "3.0" }, nowMs);
  }

  /** The legacy CreateKey: its own alias length, usage spelling and type numbers, then the same alias and quota. */
  createLegacyKey(scope: Scope, r: LegacyCreateKeyRequest, nowMs: number): KmsKey {
    if (r.alias.length < 1 || r.alias.length > ALIAS_MAX["legacy-v2"]) {
      throw legacyErrors.invalidParameter(`alias must be 1 to ${ALIAS_MAX["legacy-v2"]} characters`);
    }
    if (tooLong(r.description)) {
      throw legacyErrors.invalidParameter(`Description is longer than ${DESCRIPTION_MAX_BYTES} bytes.`);
    }
    if (r.keyUsage !== LEGACY_KEY_USAGE) throw legacyErrors.keyUsage();
    const { normal, quantum } = CREATE_TYPE["legacy-v2"];
    if (r.type !== String(normal) && r.type !== String(quantum)) throw legacyErrors.keySpec();
    if (this.aliasHolder(scope, r.alias)) throw legacyErrors.aliasExists();
    // One quota for both APIs (DEFAULT_CMK_LIMIT in the facts).
    if (this.count(scope) >= this.quota) throw legacyErrors.cmkLimit();
    return this.add(
      scope,
      {
        alias: r.alias,
        description: r.description,
        // The same key as API 3.0 sees it: "ENCRYPT/DECRYPT" is 3.0's ENCRYPT_DECRYPT.
        keyUsage: "ENCRYPT_DECRYPT",
        origin: "TENCENT_KMS",
        createdWith: "legacy-v2",
        legacyType: r.type === String(quantum) ? quantum : normal,
      },
      nowMs,
    );
  }

  private add(scope: Scope, spec: NewKey, nowMs: number): KmsKey {
    const key: StoredKey = {
      Account: scope.account,
      Region: scope.region,
      KeyId: randomUUID(),
      Alias: spec.alias,
      Description: spec.description,
      // An external key has no key material until ImportKeyMaterial.
      State: { status: spec.origin === "EXTERNAL" ? "PendingImport" : "Enabled" },
      KeyUsage: spec.keyUsage,
      Origin: spec.origin,
      CreateTime: Math.floor(nowMs / 1000),
      CreatedWith: spec.createdWith,
      ...(spec.legacyType !== undefined ? { LegacyType: spec.legacyType } : {}),
    };
    this.keys.set(key.KeyId, key);
    return this.view(key);
  }

  updateAlias(scope: Scope, keyId: string, alias: string): void {
    if (!isApiAlias(alias)) throw kmsErrors.invalidAlias(alias);
    const k = this.find(scope, keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    if (k.Alias === alias) return;
    if (this.aliasHolder(scope, alias)) throw kmsErrors.aliasAlreadyExists(alias);
    this.storedIn(scope, keyId).Alias = alias;
  }

  updateDescription(scope: Scope, keyId: string, description: string): void {
    if (tooLong(description)) throw kmsErrors.descriptionTooLong(DESCRIPTION_MAX_BYTES);
    const k = this.find(scope, keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    this.storedIn(scope, keyId).Description = description;
  }

  /** Enabled and Disabled toggle (idempotently); other states need their own action first. */
  setEnabled(scope: Scope, keyId: string, enabled: boolean): void {
    const k = this.find(scope, keyId);
    if (k.KeyState !== "Enabled" && k.KeyState !== "Disabled")
      throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    this.storedIn(scope, keyId).State = { status: enabled ? "Enabled" : "Disabled" };
  }

  /**
   * Only a key that is not enabled can be scheduled ("未被禁用的CMK不能被计划删除"): Disabled, PendingImport and
   * Archived keys can; an Enabled one gets CmkShouldBeDisabled; a key already pending deletion CmkStateNotSupport.
   */
  scheduleDeletion(scope: Scope, keyId: string, days: number, nowMs: number): KmsKey {
    if (days < PENDING_WINDOW_DAYS.min || days > PENDING_WINDOW_DAYS.max)
      throw kmsErrors.invalidPendingWindow(days);
    const k = this.find(scope, keyId);
    if (k.KeyState === "Enabled") throw kmsErrors.cmkShouldBeDisabled(keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    const stored = this.storedIn(scope, keyId);
    stored.StateBeforeDeletion = k.KeyState;
    // The deletion date is whole seconds, as DeletionDate shows it.
    const until = (Math.floor(nowMs / 1000) + days * DAY_SECONDS) * 1000;
    beginTransition(stored.State, "PendingDelete", "Deleted", nowMs, until - nowMs);
    return this.view(stored);
  }

  /**
   * A cancelled deletion leaves the key Disabled (not its former state, which the official documents do not
   * state; a Tencent blog says "密钥将恢复为禁用状态"), so nothing starts using it again by surprise. An external
   * key that never got key material goes back to PendingImport, since Disabled would claim material it lacks.
   */
  cancelDeletion(scope: Scope, keyId: string): void {
    const k = this.find(scope, keyId);
    if (k.KeyState !== "PendingDelete") throw kmsErrors.cmkNotPendingDelete(keyId);
    const stored = this.storedIn(scope, keyId);
    stored.State = { status: k.StateBeforeDeletion === "PendingImport" ? "PendingImport" : "Disabled" };
    delete stored.StateBeforeDeletion;
  }

  list(scope: Scope, filter: ListFilter): KmsKey[] {
    if (filter.keyUsage !== undefined && !this.keyUsages().includes(filter.keyUsage)) {
      throw kmsErrors.invalidKeyUsage(filter.keyUsage);
    }
    const search = filter.search?.toLowerCase();
    const keys = this.inScope(scope).filter(
      (k) =>
        (filter.keyState === 0 || KEY_STATES[filter.keyState - 1] === k.KeyState) &&
        (!search || k.Alias.toLowerCase().includes(search) || k.KeyId.toLowerCase().includes(search)) &&
        (!filter.origin || k.Origin === filter.origin) &&
        (!filter.keyUsage || k.KeyUsage === filter.keyUsage),
    );
    return filter.ascending ? keys : keys.reverse();
  }

  /** Adds a key as stored (the state file). */
  put(key: StoredKey): void {
    this.keys.set(key.KeyId, key);
  }
}
