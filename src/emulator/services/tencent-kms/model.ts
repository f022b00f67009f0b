import { randomUUID } from "node:crypto";
import {
  type AlgorithmInfo,
  DEFAULT_ALGORITHMS,
  DEFAULT_CMK_LIMIT,
  keyUsagesOf,
} from "../../../clouds/facts/tencent-kms";
import { kmsErrors } from "./errors";

// Tencent Cloud KMS as the emulator sees it: CMKs per account and region, with the rules of API 3.0
// (2019-01-18, https://www.tencentcloud.com/document/api/1030/32199 and its sibling pages) and of the legacy
// API 2.0 CreateKey (https://cloud.tencent.com/document/product/573/8893). No HTTP here: routes.ts parses and
// shapes.

export type KeyState = "Enabled" | "Disabled" | "PendingDelete" | "PendingImport" | "Archived";
export const KEY_STATES: readonly KeyState[] = [
  "Enabled",
  "Disabled",
  "PendingDelete",
  "PendingImport",
  "Archived",
];
export type Origin = "TENCENT_KMS" | "EXTERNAL";

/** What ListAlgorithms answers (https://www.tencentcloud.com/document/api/1030/35177); fixtures may replace it. */
export interface Algorithms {
  SymmetricAlgorithms: AlgorithmInfo[];
  AsymmetricAlgorithms: AlgorithmInfo[];
  AsymmetricSignVerifyAlgorithms: AlgorithmInfo[];
}

function defaultAlgorithms(): Algorithms {
  return structuredClone(DEFAULT_ALGORITHMS) as unknown as Algorithms;
}

/** API 3.0 alias rule: 1-60 of [A-Za-z0-9_-], first a letter or digit; "kms-" is reserved for cloud products. */
export function isValidAlias(alias: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/.test(alias) && !alias.startsWith("kms-");
}

export const MAX_DESCRIPTION_BYTES = 1024;
/**
 * CMKs per account and region, as GetServiceStatus reports it in CmkLimit; overridable by fixtures. Both APIs
 * create the same keys and count against this one quota: the legacy CreateKey page states "1000 per user and
 * region, raisable by ticket", and the "(200)" in its error table (4510) is read as an older value of the same
 * quota, since no page documents a second, API-specific limit.
 */
export const DEFAULT_QUOTA = DEFAULT_CMK_LIMIT;
export const DAY_SECONDS = 86_400;

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

export interface Scope {
  account: string;
  region: string;
}

export interface NewKey {
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
  /** Undefined means every usage. */
  keyUsage?: string;
  ascending: boolean;
}

export class TencentKmsModel {
  private keys = new Map<string, KmsKey>();
  quota = DEFAULT_QUOTA;
  algorithms: Algorithms = defaultAlgorithms();

  reset(): void {
    this.keys.clear();
    this.quota = DEFAULT_QUOTA;
    this.algorithms = defaultAlgorithms();
  }

  /** The KeyUsage values CreateKey accepts: those ListAlgorithms offers. */
  keyUsages(): string[] {
    return keyUsagesOf(this.algorithms);
  }

  all(): KmsKey[] {
    return [...this.keys.values()];
  }

  /** Keys whose deletion date has passed are gone for good. Returns whether anything was removed. */
  purge(nowMs: number): boolean {
    let removed = false;
    for (const [id, k] of this.keys) {
      if (k.KeyState === "PendingDelete" && k.DeletionDate * 1000 <= nowMs) {
        this.keys.delete(id);
        removed = true;
      }
    }
    return removed;
  }

  /** Every key of the account in the region, oldest first. */
  inScope(scope: Scope): KmsKey[] {
    return this.all()
      .filter((k) => k.Account === scope.account && k.Region === scope.region)
      .sort((a, b) => a.CreateTime - b.CreateTime);
  }

  find(scope: Scope, keyId: string): KmsKey {
    const k = this.keys.get(keyId);
    if (!k || k.Account !== scope.account || k.Region !== scope.region) throw kmsErrors.cmkNotFound(keyId);
    return k;
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

  create(scope: Scope, spec: NewKey, nowMs: number): KmsKey {
    const key: KmsKey = {
      Account: scope.account,
      Region: scope.region,
      KeyId: randomUUID(),
      Alias: spec.alias,
      Description: spec.description,
      // An external key has no key material until ImportKeyMaterial.
      KeyState: spec.origin === "EXTERNAL" ? "PendingImport" : "Enabled",
      KeyUsage: spec.keyUsage,
      Origin: spec.origin,
      CreateTime: Math.floor(nowMs / 1000),
      DeletionDate: 0,
      CreatedWith: spec.createdWith,
      ...(spec.legacyType !== undefined ? { LegacyType: spec.legacyType } : {}),
    };
    this.keys.set(key.KeyId, key);
    return key;
  }

  updateAlias(scope: Scope, keyId: string, alias: string): void {
    const k = this.find(scope, keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    if (k.Alias === alias) return;
    if (this.aliasHolder(scope, alias)) throw kmsErrors.aliasAlreadyExists(alias);
    k.Alias = alias;
  }

  updateDescription(scope: Scope, keyId: string, description: string): void {
    const k = this.find(scope, keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    k.Description = description;
  }

  /** Enabled and Disabled toggle (idempotently); other states need their own action first. */
  setEnabled(scope: Scope, keyId: string, enabled: boolean): void {
    const k = this.find(scope, keyId);
    if (k.KeyState !== "Enabled" && k.KeyState !== "Disabled")
      throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    k.KeyState = enabled ? "Enabled" : "Disabled";
  }

  /**
   * Only a key that is not enabled can be scheduled ("未被禁用的CMK不能被计划删除"): Disabled, PendingImport and
   * Archived keys can; an Enabled one gets CmkShouldBeDisabled; a key already pending deletion CmkStateNotSupport.
   */
  scheduleDeletion(scope: Scope, keyId: string, days: number, nowMs: number): KmsKey {
    const k = this.find(scope, keyId);
    if (k.KeyState === "Enabled") throw kmsErrors.cmkShouldBeDisabled(keyId);
    if (k.KeyState === "PendingDelete") throw kmsErrors.cmkStateNotSupport(keyId, k.KeyState);
    k.StateBeforeDeletion = k.KeyState;
    k.KeyState = "PendingDelete";
    k.DeletionDate = Math.floor(nowMs / 1000) + days * DAY_SECONDS;
    return k;
  }

  /**
   * A cancelled deletion leaves the key Disabled (not its former state, which the official documents do not
   * state; a Tencent blog says "密钥将恢复为禁用状态"), so nothing starts using it again by surprise. An external
   * key that never got key material goes back to PendingImport, since Disabled would claim material it lacks.
   */
  cancelDeletion(scope: Scope, keyId: string): void {
    const k = this.find(scope, keyId);
    if (k.KeyState !== "PendingDelete") throw kmsErrors.cmkNotPendingDelete(keyId);
    k.KeyState = k.StateBeforeDeletion === "PendingImport" ? "PendingImport" : "Disabled";
    k.DeletionDate = 0;
    delete k.StateBeforeDeletion;
  }

  list(scope: Scope, filter: ListFilter): KmsKey[] {
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

  /** Adds a key as given (fixtures and the state file). */
  put(key: KmsKey): void {
    this.keys.set(key.KeyId, key);
  }
}
