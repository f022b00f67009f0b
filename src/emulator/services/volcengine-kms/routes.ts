import {
  KEY_SPECS,
  KEY_USAGES,
  MAX_DESCRIPTION,
  NAME_PATTERN,
  ORIGINS,
  PENDING_WINDOW_DAYS,
  PROTECTION_LEVELS,
} from "../../../clouds/facts/volcengine-kms";
import { ParamReader } from "../../params";
import type { ActionHandler, ServiceRequest } from "../../types";
import { invalidParameter } from "./errors";
import type { KeySelector, Scope, VolcengineKmsStore } from "./model";

// Parameters arrive as the JSON body merged over the query: typed values from a POST JSON body, strings from a
// GET query. ParamReader accepts both and answers with the codes and message templates of the KMS reference:
// InvalidParameter, also for a missing parameter (the only parameter code ReplicateKey and ScheduleKeyDeletion
// list), and MissingParameter where the SDK requires a parameter the reference makes optional (UpdateKey's
// names; the template is UpdateKeyring's, https://www.volcengine.com/docs/6476/1337077).

const INVALID = (name: string): string => `The request parameter ${name} is invalid.`;

function reader(req: ServiceRequest, missing = "InvalidParameter"): ParamReader {
  return new ParamReader(req.params, {
    missing,
    invalid: "InvalidParameter",
    missingMessage:
      missing === "MissingParameter" ? (name) => `The request is missing ${name} parameter.` : INVALID,
    invalidMessage: INVALID,
  });
}

const name = (p: ParamReader, field: string): string =>
  p.str(field, { required: true, pattern: NAME_PATTERN });
const description = (p: ParamReader): string | undefined =>
  p.str("Description", { maxLength: MAX_DESCRIPTION });

/** The key an action is about: KeyID, or KeyringName with KeyName ("二选一"). KeyID wins when both are sent. */
function keySelector(p: ParamReader): KeySelector {
  const id = p.str("KeyID");
  if (id) return { id };
  if (!p.has("KeyringName") && !p.has("KeyName")) throw invalidParameter("KeyID");
  return { keyringName: name(p, "KeyringName"), keyName: name(p, "KeyName") };
}

const scopeOf = (req: ServiceRequest): Scope => ({ account: req.account, region: req.region });

export function routes(store: VolcengineKmsStore): Record<string, ActionHandler> {
  const selected = (req: ServiceRequest): KeySelector => keySelector(reader(req));
  return {
    CreateKeyring: (req, ctx) => {
      const p = reader(req);
      const ring = store.createKeyring(
        scopeOf(req),
        {
          keyringName: name(p, "KeyringName"),
          keyringType: p.str("KeyringType"),
          description: description(p),
        },
        ctx,
      );
      return { Keyring: ring };
    },

    CreateKey: (req, ctx) => {
      const p = reader(req);
      const key = store.createKey(
        scopeOf(req),
        {
          keyringName: name(p, "KeyringName"),
          keyName: name(p, "KeyName"),
          keySpec: p.str("KeySpec", { oneOf: KEY_SPECS }),
          keyUsage: p.str("KeyUsage", { oneOf: KEY_USAGES }),
          protectionLevel: p.str("ProtectionLevel", { oneOf: PROTECTION_LEVELS }),
          origin: p.str("Origin", { oneOf: ORIGINS }),
          description: description(p),
          multiRegion: p.bool("MultiRegion"),
        },
        ctx,
      );
      return { Key: store.render(scopeOf(req), key) };
    },

    // DescribeRegions (volcengine-go-sdk service/kms/api_describe_regions.go;
    // https://docs.byteplus.com/en/docs/kms/DescribeRegions): the regions KMS offers, wherever it is asked.
    DescribeRegions: () => ({ Regions: store.regions.map((RegionId) => ({ RegionId })) }),

    DescribeKey: (req, ctx) => {
      const key = store.findKey(scopeOf(req), selected(req), ctx);
      return { Key: store.render(scopeOf(req), key) };
    },

    ReplicateKey: (req, ctx) => {
      const p = reader(req);
      const replicaRegion = p.str("ReplicaRegion", { required: true });
      const replica = store.replicateKey(
        scopeOf(req),
        { key: keySelector(p), replicaRegion, description: description(p) },
        ctx,
      );
      return { ReplicaKey: store.render({ account: req.account, region: replicaRegion }, replica) };
    },

    // The reference (https://www.volcengine.com/docs/6476/1337068) takes KeyID or the names; the official SDK's
    // UpdateKeyInput (volcengine-go-sdk service/kms/api_update_key.go) requires KeyringName and KeyName and has no
    // KeyID. The emulator requires what the SDK requires, so a client that works here works with the SDK's form.
    UpdateKey: (req, ctx) => {
      const p = reader(req, "MissingParameter");
      for (const field of ["KeyringName", "KeyName"]) p.str(field, { required: true });
      const newKeyName = p.str("NewKeyName", { pattern: NAME_PATTERN });
      const key = store.updateKey(
        scopeOf(req),
        { key: keySelector(p), description: description(p), newKeyName },
        ctx,
      );
      return { Key: store.render(scopeOf(req), key) };
    },

    // ScheduleKeyDeletion and CancelKeyDeletion have no action-specific output.
    ScheduleKeyDeletion: (req, ctx) => {
      const p = reader(req);
      const pendingWindowInDays =
        p.int("PendingWindowInDays", { min: PENDING_WINDOW_DAYS.min, max: PENDING_WINDOW_DAYS.max }) ??
        PENDING_WINDOW_DAYS.default;
      store.scheduleKeyDeletion(scopeOf(req), { key: keySelector(p), pendingWindowInDays }, ctx);
      return {};
    },

    CancelKeyDeletion: (req, ctx) => {
      store.cancelKeyDeletion(scopeOf(req), { key: selected(req) }, ctx);
      return {};
    },

    EnableKey: (req, ctx) => {
      store.setEnabled(scopeOf(req), { key: selected(req), enabled: true }, ctx);
      return {};
    },

    DisableKey: (req, ctx) => {
      store.setEnabled(scopeOf(req), { key: selected(req), enabled: false }, ctx);
      return {};
    },
  };
}
