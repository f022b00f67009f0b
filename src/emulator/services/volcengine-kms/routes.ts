import type { ActionHandler, ServiceRequest } from "../../types";
import { invalidParameter, missingParameter } from "./errors";
import { KEY_SPECS, KEY_USAGES, type KeySelector, type Scope, type VolcengineKmsStore } from "./model";

// Parameters arrive as the JSON body merged over the query: typed values from a POST JSON body, strings from a
// GET query. Each reader accepts both and answers a malformed value with InvalidParameter naming it.

type Params = Record<string, unknown>;

/** KeyringName and KeyName: 2 to 31 characters of [a-zA-Z0-9-_] (ReplicateKey, https://volcengine.com/docs/6476/1438471). */
const NAME = /^[a-zA-Z0-9_-]{2,31}$/;
const MAX_DESCRIPTION = 8192;

function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidParameter(name);
  return v;
}

function reqString(p: Params, name: string): string {
  const v = optString(p, name);
  if (v === undefined || v === "") throw invalidParameter(name);
  return v;
}

function name(p: Params, field: string): string {
  const v = reqString(p, field);
  if (!NAME.test(v)) throw invalidParameter(field);
  return v;
}

function description(p: Params): string | undefined {
  const v = optString(p, "Description");
  if (v !== undefined && v.length > MAX_DESCRIPTION) throw invalidParameter("Description");
  return v;
}

function optInt(p: Params, field: string): number | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw invalidParameter(field);
  return n;
}

function optBool(p: Params, field: string): boolean | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw invalidParameter(field);
}

function optEnum<T extends string>(p: Params, field: string, values: readonly T[]): T | undefined {
  const v = optString(p, field);
  if (v === undefined || v === "") return undefined;
  if (!(values as readonly string[]).includes(v)) throw invalidParameter(field);
  return v as T;
}

/** The key an action is about: KeyID, or KeyringName with KeyName ("二选一"). KeyID wins when both are sent. */
function keySelector(p: Params): KeySelector {
  const id = optString(p, "KeyID");
  if (id) return { id };
  if (p.KeyringName === undefined && p.KeyName === undefined) throw invalidParameter("KeyID");
  return { keyringName: name(p, "KeyringName"), keyName: name(p, "KeyName") };
}

/** PendingWindowInDays: 7 to 30 days, 7 when omitted. */
function pendingWindow(p: Params): number {
  const days = optInt(p, "PendingWindowInDays") ?? 7;
  if (days < 7 || days > 30) throw invalidParameter("PendingWindowInDays");
  return days;
}

const scopeOf = (req: ServiceRequest): Scope => ({ account: req.account, region: req.region });

export function routes(store: VolcengineKmsStore): Record<string, ActionHandler> {
  return {
    CreateKeyring: (req, ctx) => {
      const p = req.params;
      const ring = store.createKeyring(
        scopeOf(req),
        {
          keyringName: name(p, "KeyringName"),
          keyringType: optString(p, "KeyringType"),
          description: description(p),
        },
        ctx,
      );
      return { Keyring: ring };
    },

    CreateKey: (req, ctx) => {
      const p = req.params;
      const origin = optEnum(p, "Origin", ["CloudKMS", "External"] as const);
      const key = store.createKey(
        scopeOf(req),
        {
          keyringName: name(p, "KeyringName"),
          keyName: name(p, "KeyName"),
          keySpec: optEnum(p, "KeySpec", KEY_SPECS),
          keyUsage: optEnum(p, "KeyUsage", KEY_USAGES),
          protectionLevel: optEnum(p, "ProtectionLevel", ["SOFTWARE", "HSM"] as const),
          origin,
          description: description(p),
          multiRegion: optBool(p, "MultiRegion"),
        },
        ctx,
      );
      return { Key: store.render(scopeOf(req), key) };
    },

    // DescribeRegions (volcengine-go-sdk service/kms/api_describe_regions.go;
    // https://docs.byteplus.com/en/docs/kms/DescribeRegions): the regions KMS offers, wherever it is asked.
    DescribeRegions: () => ({ Regions: store.regions.map((RegionId) => ({ RegionId })) }),

    DescribeKey: (req, ctx) => {
      const key = store.findKey(scopeOf(req), keySelector(req.params), ctx);
      return { Key: store.render(scopeOf(req), key) };
    },

    ReplicateKey: (req, ctx) => {
      const p = req.params;
      const replica = store.replicateKey(
        scopeOf(req),
        { key: keySelector(p), replicaRegion: reqString(p, "ReplicaRegion"), description: description(p) },
        ctx,
      );
      return {
        ReplicaKey: store.render({ account: req.account, region: p.ReplicaRegion as string }, replica),
      };
    },

    // The reference (https://www.volcengine.com/docs/6476/1337068) takes KeyID or the names; the official SDK's
    // UpdateKeyInput (volcengine-go-sdk service/kms/api_update_key.go) requires KeyringName and KeyName and has no
    // KeyID. The emulator requires what the SDK requires, so a client that works here works with the SDK's form.
    UpdateKey: (req, ctx) => {
      const p = req.params;
      for (const field of ["KeyringName", "KeyName"])
        if (p[field] === undefined || p[field] === null || p[field] === "") throw missingParameter(field);
      const newKeyName =
        p.NewKeyName === undefined || p.NewKeyName === "" ? undefined : name(p, "NewKeyName");
      const key = store.updateKey(
        scopeOf(req),
        { key: keySelector(p), description: description(p), newKeyName },
        ctx,
      );
      return { Key: store.render(scopeOf(req), key) };
    },

    // ScheduleKeyDeletion and CancelKeyDeletion have no action-specific output.
    ScheduleKeyDeletion: (req, ctx) => {
      const p = req.params;
      store.scheduleKeyDeletion(
        scopeOf(req),
        { key: keySelector(p), pendingWindowInDays: pendingWindow(p) },
        ctx,
      );
      return {};
    },

    CancelKeyDeletion: (req, ctx) => {
      store.cancelKeyDeletion(scopeOf(req), { key: keySelector(req.params) }, ctx);
      return {};
    },

    EnableKey: (req, ctx) => {
      store.setEnabled(scopeOf(req), { key: keySelector(req.params), enabled: true }, ctx);
      return {};
    },

    DisableKey: (req, ctx) => {
      store.setEnabled(scopeOf(req), { key: keySelector(req.params), enabled: false }, ctx);
      return {};
    },
  };
}
