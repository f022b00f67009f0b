import { randomUUID } from "node:crypto";
import {
  ENABLED,
  KMS_REGIONS,
  type KeyState,
  PENDING_DELETE,
  PENDING_WINDOW_DAYS,
} from "../../../clouds/facts/volcengine-kms";
import { beginTransition, type Managed, statusAt } from "../../managed-state";
import type { ServiceContext } from "../../types";
import { conflict, invalidKeyStatus, invalidOperation, invalidReplicaRegion, notFound } from "./errors";

// Volcengine KMS as the emulator models it: keyrings and keys per account and region, multi-region primaries
// and their replicas, and the rules of ReplicateKey (https://www.volcengine.com/docs/6476/1438471) and the key
// lifecycle actions. No HTTP here: routes.ts parses parameters into the commands below and shapes the answers.
// The facts (names, specs, regions, windows) come from src/clouds/facts/volcengine-kms.ts.

/** Whether a key can be read in its region: a replica propagates for the `replicaCreate` duration first. */
export type Visibility = "Visible" | "Propagating";

export interface KeyRef {
  Trn: string;
  Region: string;
}

export interface Keyring {
  ID: string;
  KeyringName: string;
  KeyringType: string;
  Description: string;
  /** Milliseconds, as the keyring documents show. */
  CreationDate: number;
  UpdateDate: number;
  UID: string;
}

export interface Key {
  ID: string;
  KeyringName: string;
  KeyName: string;
  KeySpec: string;
  KeyUsage: string;
  ProtectionLevel: string;
  Origin: string;
  Description: string;
  KeyState: KeyState;
  RotationState: string;
  MultiRegion: boolean;
  /** Set on a replica only: the primary it was replicated from. A multi-region key without it is a primary. */
  PrimaryKey?: KeyRef;
  Trn: string;
  /** Seconds, as in the ReplicateKey example (whose UpdateDate is in milliseconds). */
  CreationDate: number;
  UpdateDate: number;
  /** Seconds; set while PendingDelete. */
  ScheduleDeleteTime?: number;
  /**
   * A replica is answered by ReplicateKey at once but only appears in the replica region after
   * durationMs("replicaCreate"): callers must wait for it.
   */
  Visibility: Managed<Visibility>;
}

/** The Key structure of DescribeKey, ReplicateKey (as ReplicaKey), UpdateKey. */
export interface KeyPayload {
  ID: string;
  CreationDate: number;
  UpdateDate: number;
  KeyName: string;
  KeySpec: string;
  Description: string;
  KeyState: KeyState;
  KeyUsage: string;
  ProtectionLevel: string;
  Origin: string;
  RotationState: string;
  ScheduleDeleteTime: string;
  Trn: string;
  MultiRegion: boolean;
  MultiRegionConfiguration: {
    MultiRegionKeyType: "PRIMARY" | "REPLICA";
    PrimaryKey: KeyRef;
    ReplicaKeys: KeyRef[];
  } | null;
}

interface RegionState {
  keyrings: Record<string, Keyring>;
  keys: Record<string, Key>;
}

interface State {
  regions: string[];
  /** account → region → keyrings and keys. */
  accounts: Record<string, Record<string, RegionState>>;
}

export type KeySelector = { id: string } | { keyringName: string; keyName: string };

export interface Scope {
  account: string;
  region: string;
}

export function keyTrn(region: string, account: string, keyringName: string, keyName: string): string {
  return `trn:kms:${region}:${account}:keyrings/${keyringName}/keys/${keyName}`;
}

function selectorText(sel: KeySelector): string {
  return "id" in sel ? sel.id : `${sel.keyringName}/${sel.keyName}`;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const DAY_MS = 86_400_000;

export class VolcengineKmsStore {
  private state: State = { regions: [...KMS_REGIONS], accounts: {} };

  reset(): void {
    this.state = { regions: [...KMS_REGIONS], accounts: {} };
  }

  toJSON(): State {
    return this.state;
  }

  fromJSON(state: unknown): void {
    const s = state as Partial<State> | undefined;
    this.state = {
      regions: Array.isArray(s?.regions) ? [...s.regions] : [...KMS_REGIONS],
      accounts: s?.accounts && typeof s.accounts === "object" ? s.accounts : {},
    };
    // State files written before the managed-state mechanism hold VisibleAt (ms) instead of Visibility.
    for (const regions of Object.values(this.state.accounts))
      for (const rs of Object.values(regions))
        for (const key of Object.values(rs.keys) as Array<Key & { VisibleAt?: number }>) {
          if (key.Visibility) continue;
          key.Visibility = { status: "Visible" };
          if (typeof key.VisibleAt === "number")
            key.Visibility.transition = { during: "Propagating", until: key.VisibleAt };
          delete key.VisibleAt;
        }
  }

  get regions(): readonly string[] {
    return this.state.regions;
  }

  setRegions(regions: string[]): void {
    this.state.regions = [...new Set(regions)];
  }

  private region(scope: Scope): RegionState {
    const acct = (this.state.accounts[scope.account] ??= {});
    return (acct[scope.region] ??= { keyrings: {}, keys: {} });
  }

  /** Ends deletions whose pending window has passed, everywhere in the account. */
  purge(account: string, ctx: ServiceContext): void {
    const nowS = seconds(ctx.now());
    for (const rs of Object.values(this.state.accounts[account] ?? {})) {
      for (const [id, key] of Object.entries(rs.keys)) {
        if (
          key.KeyState === PENDING_DELETE &&
          key.ScheduleDeleteTime !== undefined &&
          key.ScheduleDeleteTime <= nowS
        ) {
          delete rs.keys[id];
          ctx.changed();
        }
      }
    }
  }

  // ---- keyrings ----

  createKeyring(
    scope: Scope,
    cmd: { keyringName: string; keyringType?: string; description?: string },
    ctx: ServiceContext,
  ): Keyring {
    const rs = this.region(scope);
    if (rs.keyrings[cmd.keyringName]) throw conflict("keyring", cmd.keyringName);
    const now = ctx.now();
    const ring: Keyring = {
      ID: randomUUID(),
      KeyringName: cmd.keyringName,
      KeyringType: cmd.keyringType ?? "CustomKeyring",
      Description: cmd.description ?? "",
      CreationDate: now,
      UpdateDate: now,
      UID: scope.account,
    };
    rs.keyrings[cmd.keyringName] = ring;
    ctx.changed();
    return ring;
  }

  ensureKeyring(scope: Scope, keyringName: string, ctx: ServiceContext): Keyring {
    return this.region(scope).keyrings[keyringName] ?? this.createKeyring(scope, { keyringName }, ctx);
  }

  // ---- keys ----

  createKey(
    scope: Scope,
    cmd: {
      keyringName: string;
      keyName: string;
      id?: string;
      keySpec?: string;
      keyUsage?: string;
      protectionLevel?: string;
      origin?: string;
      description?: string;
      multiRegion?: boolean;
      keyState?: KeyState;
    },
    ctx: ServiceContext,
  ): Key {
    const rs = this.region(scope);
    if (!rs.keyrings[cmd.keyringName]) throw notFound("keyring", cmd.keyringName);
    if (this.byName(rs, cmd.keyringName, cmd.keyName))
      throw conflict("key", `${cmd.keyringName}/${cmd.keyName}`);
    const id = cmd.id ?? randomUUID();
    if (rs.keys[id]) throw conflict("key", id);
    const now = ctx.now();
    const origin = cmd.origin ?? "CloudKMS";
    const key: Key = {
      ID: id,
      KeyringName: cmd.keyringName,
      KeyName: cmd.keyName,
      KeySpec: cmd.keySpec ?? "SYMMETRIC_256",
      KeyUsage: cmd.keyUsage ?? "ENCRYPT_DECRYPT",
      ProtectionLevel: cmd.protectionLevel ?? "SOFTWARE",
      Origin: origin,
      Description: cmd.description ?? "",
      // A key of external origin waits for its material.
      KeyState: cmd.keyState ?? (origin === "External" ? "PendingImport" : "Enable"),
      RotationState: "Disable",
      MultiRegion: cmd.multiRegion ?? false,
      Trn: keyTrn(scope.region, scope.account, cmd.keyringName, cmd.keyName),
      CreationDate: seconds(now),
      UpdateDate: now,
      Visibility: { status: "Visible" },
    };
    if (key.KeyState === PENDING_DELETE)
      key.ScheduleDeleteTime = seconds(now + PENDING_WINDOW_DAYS.default * DAY_MS);
    rs.keys[id] = key;
    ctx.changed();
    return key;
  }

  private byName(rs: RegionState, keyringName: string, keyName: string): Key | undefined {
    return Object.values(rs.keys).find((k) => k.KeyringName === keyringName && k.KeyName === keyName);
  }

  /** A key the region answers for (replicas still propagating are not found). */
  findKey(scope: Scope, sel: KeySelector, ctx: ServiceContext): Key {
    this.purge(scope.account, ctx);
    // Reads do not create the region's (empty) state.
    const rs = this.state.accounts[scope.account]?.[scope.region];
    const key = !rs
      ? undefined
      : "id" in sel
        ? rs.keys[sel.id]
        : this.byName(rs, sel.keyringName, sel.keyName);
    if (!key || statusAt(key.Visibility, ctx.now()) !== "Visible") throw notFound("key", selectorText(sel));
    return key;
  }

  /** Live replicas of a primary, across the account's regions (a replica pending deletion has left the set). */
  private replicasOf(account: string, primaryTrn: string): KeyRef[] {
    const refs: KeyRef[] = [];
    for (const [region, rs] of Object.entries(this.state.accounts[account] ?? {})) {
      for (const k of Object.values(rs.keys)) {
        if (k.PrimaryKey?.Trn === primaryTrn && k.KeyState !== PENDING_DELETE)
          refs.push({ Trn: k.Trn, Region: region });
      }
    }
    return refs.sort((a, b) => a.Region.localeCompare(b.Region));
  }

  render(scope: Scope, key: Key): KeyPayload {
    let config: KeyPayload["MultiRegionConfiguration"] = null;
    if (key.MultiRegion) {
      const primary = key.PrimaryKey ?? { Trn: key.Trn, Region: scope.region };
      config = {
        MultiRegionKeyType: key.PrimaryKey ? "REPLICA" : "PRIMARY",
        PrimaryKey: primary,
        ReplicaKeys: this.replicasOf(scope.account, primary.Trn),
      };
    }
    return {
      ID: key.ID,
      CreationDate: key.CreationDate,
      UpdateDate: key.UpdateDate,
      KeyName: key.KeyName,
      KeySpec: key.KeySpec,
      Description: key.Description,
      KeyState: key.KeyState,
      KeyUsage: key.KeyUsage,
      ProtectionLevel: key.ProtectionLevel,
      Origin: key.Origin,
      RotationState: key.RotationState,
      ScheduleDeleteTime:
        key.ScheduleDeleteTime === undefined ? "" : beijingTime(key.ScheduleDeleteTime * 1000),
      Trn: key.Trn,
      MultiRegion: key.MultiRegion,
      MultiRegionConfiguration: config,
    };
  }

  /**
   * ReplicateKey, called in the primary's region. The replica keeps the primary's ID, keyring and name (the
   * reference's example; the official Terraform provider says the same), in a keyring created on demand in the replica region.
   */
  replicateKey(
    scope: Scope,
    cmd: { key: KeySelector; replicaRegion: string; description?: string },
    ctx: ServiceContext,
  ): Key {
    if (!this.state.regions.includes(cmd.replicaRegion) || cmd.replicaRegion === scope.region) {
      throw invalidReplicaRegion(cmd.replicaRegion);
    }
    const primary = this.findKey(scope, cmd.key, ctx);
    if (!primary.MultiRegion || primary.PrimaryKey) throw invalidOperation();
    // InvalidKeyStatus is documented without the states it refuses; only a key pending deletion is sure to be
    // (see primaryProblem in src/resources/replica-key/rules.ts for the sources read).
    if (primary.KeyState === PENDING_DELETE) throw invalidKeyStatus(primary.KeyState);

    const target: Scope = { account: scope.account, region: cmd.replicaRegion };
    const rs = this.region(target);
    // Any key with the same ID or name in the replica region blocks it, whether still propagating, live or
    // pending deletion (it holds the name until its window ends).
    if (rs.keys[primary.ID] || this.byName(rs, primary.KeyringName, primary.KeyName)) {
      throw conflict("key", primary.ID);
    }
    const now = ctx.now();
    this.ensureKeyring(target, primary.KeyringName, ctx);
    const replica: Key = {
      ...primary,
      // AWS-like: the description is not shared by the keys of a multi-region set; an omitted one is empty.
      Description: cmd.description ?? "",
      KeyState: ENABLED,
      PrimaryKey: { Trn: primary.Trn, Region: scope.region },
      Trn: keyTrn(cmd.replicaRegion, scope.account, primary.KeyringName, primary.KeyName),
      CreationDate: seconds(now),
      UpdateDate: now,
      ScheduleDeleteTime: undefined,
      Visibility: { status: "Visible" },
    };
    beginTransition(replica.Visibility, "Propagating", "Visible", now, ctx.durationMs("replicaCreate"));
    rs.keys[replica.ID] = replica;
    ctx.changed();
    return replica;
  }

  updateKey(
    scope: Scope,
    cmd: { key: KeySelector; description?: string; newKeyName?: string },
    ctx: ServiceContext,
  ): Key {
    const key = this.findKey(scope, cmd.key, ctx);
    if (key.KeyState === PENDING_DELETE) throw invalidKeyStatus(key.KeyState);
    if (cmd.newKeyName !== undefined && cmd.newKeyName !== key.KeyName) {
      // The keys of a multi-region set are linked by Trn, which holds the name; whether the real cloud renames
      // the whole set is unconfirmed, so a rename of a multi-region key is refused rather than guessed.
      if (key.MultiRegion) throw invalidOperation();
      const rs = this.region(scope);
      if (this.byName(rs, key.KeyringName, cmd.newKeyName)) {
        throw conflict("key", `${key.KeyringName}/${cmd.newKeyName}`);
      }
      key.KeyName = cmd.newKeyName;
      key.Trn = keyTrn(scope.region, scope.account, key.KeyringName, key.KeyName);
    }
    if (cmd.description !== undefined) key.Description = cmd.description;
    key.UpdateDate = ctx.now();
    ctx.changed();
    return key;
  }

  /**
   * ScheduleKeyDeletion. A replica pending deletion leaves its set at once (it is dropped from every key's
   * ReplicaKeys; CancelKeyDeletion brings it back), as the real cloud's behaviour here is unconfirmed and that
   * is what a reader of the primary would expect. Deleting a primary does not touch its replicas.
   */
  scheduleKeyDeletion(
    scope: Scope,
    cmd: { key: KeySelector; pendingWindowInDays: number },
    ctx: ServiceContext,
  ): Key {
    const key = this.findKey(scope, cmd.key, ctx);
    if (key.KeyState === PENDING_DELETE) throw invalidKeyStatus(key.KeyState);
    const now = ctx.now();
    key.KeyState = PENDING_DELETE;
    key.ScheduleDeleteTime = seconds(now + cmd.pendingWindowInDays * DAY_MS);
    key.UpdateDate = now;
    ctx.changed();
    return key;
  }

  /** CancelKeyDeletion returns the key to Enable (what the official Terraform provider waits for). */
  cancelKeyDeletion(scope: Scope, cmd: { key: KeySelector }, ctx: ServiceContext): Key {
    const key = this.findKey(scope, cmd.key, ctx);
    if (key.KeyState !== PENDING_DELETE) throw invalidKeyStatus(key.KeyState);
    key.KeyState = ENABLED;
    key.ScheduleDeleteTime = undefined;
    key.UpdateDate = ctx.now();
    ctx.changed();
    return key;
  }

  /** EnableKey and DisableKey; repeating the current state is accepted. */
  setEnabled(scope: Scope, cmd: { key: KeySelector; enabled: boolean }, ctx: ServiceContext): Key {
    const key = this.findKey(scope, cmd.key, ctx);
    if (key.KeyState !== "Enable" && key.KeyState !== "Disable") throw invalidKeyStatus(key.KeyState);
    key.KeyState = cmd.enabled ? "Enable" : "Disable";
    key.UpdateDate = ctx.now();
    ctx.changed();
    return key;
  }

  inventory(ctx: ServiceContext): unknown {
    const now = ctx.now();
    const accounts: Record<string, unknown> = {};
    for (const [account, regions] of Object.entries(this.state.accounts)) {
      const out: Record<string, unknown> = {};
      for (const [region, rs] of Object.entries(regions)) {
        out[region] = {
          keyrings: Object.keys(rs.keyrings).sort(),
          keys: Object.values(rs.keys).map((k) => ({
            id: k.ID,
            keyringName: k.KeyringName,
            keyName: k.KeyName,
            keyState: k.KeyState,
            multiRegionKeyType: k.MultiRegion ? (k.PrimaryKey ? "REPLICA" : "PRIMARY") : undefined,
            primaryRegion: k.PrimaryKey?.Region,
            description: k.Description,
            visible: statusAt(k.Visibility, now) === "Visible",
          })),
        };
      }
      accounts[account] = out;
    }
    return { regions: this.state.regions, accounts };
  }
}

/**
 * Key.ScheduleDeleteTime is a string in the SDKs' models (volcengine-go-sdk service/kms: `*string`), an RFC 3339
 * time in Beijing time as the API answers it (e.g. "2026-06-06T15:09:03.374+08:00"); empty when no deletion is
 * scheduled.
 */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace(/Z$/, "+08:00");
}
