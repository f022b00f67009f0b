import {
  LEGACY_COMMON_PARAMS,
  LEGACY_KEY_USAGE,
  LEGACY_REGION_CODES,
  ORIGINS,
  TENCENT_REGION_PATTERN,
} from "../../../clouds/facts/tencent-kms";
import { ParamReader } from "../../params";
import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { kmsErrors, legacyErrors } from "./errors";
import { KmsKey, Scope, TencentKmsModel } from "./model";

// Action handlers: read the wire parameters (ParamReader), call the model, which applies the cloud's rules, and
// shape the payload. The wire layer adds RequestId and the envelope ({"Response": {...}} for 3.0, {code: 0,
// message: "", requestId, ...} for 2.0).

/** Common parameters a client may leave in the merged parameter map; never judged as unknown. */
const COMMON_PARAMS = new Set([...LEGACY_COMMON_PARAMS, "Version", "Language", "RequestClient"]);

/** Short code → full region name: the legacy API takes both. */
const LEGACY_REGIONS: Record<string, string> = Object.fromEntries(
  Object.entries(LEGACY_REGION_CODES).map(([full, short]) => [short, full]),
);

const KEY_ID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

/**
 * API 3.0 parameters, read strictly as the cloud does: names outside `allowed` are refused (UnknownParameter),
 * wrong types and missing required ones get InvalidParameter and MissingParameter.
 */
function params3(req: ServiceRequest, allowed: string[]): ParamReader {
  for (const name of Object.keys(req.params)) {
    if (!allowed.includes(name) && !COMMON_PARAMS.has(name)) throw kmsErrors.unknownParameter(name);
  }
  return new ParamReader(req.params, {
    missing: "MissingParameter",
    invalid: "InvalidParameter",
    missingMessage: (name) => `The request is missing a required parameter \`${name}\`.`,
    invalidMessage: (name, expected) => `The parameter \`${name}\` must be ${expected}.`,
  });
}

function keyId(p: ParamReader, name = "KeyId"): string {
  const v = p.str(name, { required: true });
  if (!KEY_ID_PATTERN.test(v)) throw kmsErrors.invalidKeyId(v);
  return v;
}

function scope3(req: ServiceRequest): Scope {
  if (!req.region) throw kmsErrors.missingParameter("Region");
  return { account: req.account, region: req.region };
}

/** What CreateKey returns of the new key, and the start of its KeyMetadata. */
function keyBasics(k: KmsKey): Record<string, unknown> {
  return {
    KeyId: k.KeyId,
    Alias: k.Alias,
    CreateTime: k.CreateTime,
    Description: k.Description,
    KeyState: k.KeyState,
    KeyUsage: k.KeyUsage,
  };
}

/** KeyMetadata as DescribeKey, DescribeKeys and ListKeyDetail return it. */
export function keyMetadata(k: KmsKey): Record<string, unknown> {
  return {
    ...keyBasics(k),
    // DescribeKey's Type is the compliance standard (2 FIPS, 4 SM/国密), not CreateKey's Type; mainland
    // regions report 4. Whether a key is external shows in Origin.
    Type: 4,
    // An integer in the SDKs' KeyMetadata (tencentcloud-sdk-nodejs kms_models: `CreatorUin: number`, Go: uint64).
    // Emulator accounts are UINs; a fixture account that is not a number shows as 0 rather than breaking decoders.
    CreatorUin: /^\d{1,15}$/.test(k.Account) ? Number(k.Account) : 0,
    KeyRotationEnabled: false,
    Owner: "user",
    NextRotateTime: 0,
    DeletionDate: k.DeletionDate,
    Origin: k.Origin,
    ValidTo: 0,
    ResourceId: `creatorUin/${k.Account}/${k.KeyId}`,
  };
}

function page(p: ParamReader): { offset: number; limit: number } {
  const offset = p.int("Offset", { min: 0 }) ?? 0;
  const limit = p.int("Limit", { min: 0 }) ?? 10;
  if (limit < 1 || limit > 200) throw kmsErrors.invalidParameterValue("Limit must be from 1 to 200.");
  return { offset, limit };
}

/** Role 1 asks for keys other cloud products created; the emulator has only user-created keys. */
function userRole(p: ParamReader): boolean {
  const role = p.int("Role", { min: 0 }) ?? 0;
  if (role > 1) throw kmsErrors.invalidParameterValue("Role must be 0 or 1.");
  return role === 0;
}

export function apiActions(model: TencentKmsModel): Record<string, ActionHandler> {
  // Every handler first drops keys whose deletion date has passed (the clock is the emulator's).
  const handler =
    (fn: (req: ServiceRequest, ctx: ServiceContext) => unknown): ActionHandler =>
    (req, ctx) => {
      if (model.purge(ctx.now())) ctx.changed();
      return fn(req, ctx);
    };

  return {
    CreateKey: handler((req, ctx) => {
      const p = params3(req, ["Alias", "Description", "KeyUsage", "Type", "Tags", "HsmClusterId"]);
      const scope = scope3(req);
      const request = {
        alias: p.str("Alias", { required: true }),
        description: p.str("Description") ?? "",
        keyUsage: p.str("KeyUsage") ?? "ENCRYPT_DECRYPT",
        type: p.int("Type") ?? 1,
      };
      const k = model.createKey(scope, request, ctx.now());
      ctx.changed();
      return {
        ...keyBasics(k),
        TagCode: 0,
        TagMsg: "",
      };
    }),

    DescribeKey: handler((req) => {
      const p = params3(req, ["KeyId"]);
      return { KeyMetadata: keyMetadata(model.find(scope3(req), keyId(p))) };
    }),

    DescribeKeys: handler((req) => {
      params3(req, ["KeyIds"]);
      const scope = scope3(req);
      const ids = req.params.KeyIds;
      if (ids === undefined) throw kmsErrors.missingParameter("KeyIds");
      if (
        !Array.isArray(ids) ||
        ids.length < 1 ||
        ids.length > 100 ||
        ids.some((i) => typeof i !== "string")
      ) {
        throw kmsErrors.invalidParameter("KeyIds must be a list of 1 to 100 key ids.");
      }
      const found = model.inScope(scope).filter((k) => (ids as string[]).includes(k.KeyId));
      return { KeyMetadatas: found.map(keyMetadata) };
    }),

    UpdateAlias: handler((req, ctx) => {
      const p = params3(req, ["KeyId", "Alias"]);
      model.updateAlias(scope3(req), keyId(p), p.str("Alias", { required: true }));
      ctx.changed();
      return {};
    }),

    UpdateKeyDescription: handler((req, ctx) => {
      const p = params3(req, ["KeyId", "Description"]);
      const id = keyId(p);
      // Required, but may be empty (it clears the description).
      if (req.params.Description === undefined || req.params.Description === null) {
        throw kmsErrors.missingParameter("Description");
      }
      model.updateDescription(scope3(req), id, p.str("Description") ?? "");
      ctx.changed();
      return {};
    }),

    EnableKey: handler((req, ctx) => {
      const p = params3(req, ["KeyId"]);
      model.setEnabled(scope3(req), keyId(p), true);
      ctx.changed();
      return {};
    }),

    DisableKey: handler((req, ctx) => {
      const p = params3(req, ["KeyId"]);
      model.setEnabled(scope3(req), keyId(p), false);
      ctx.changed();
      return {};
    }),

    ScheduleKeyDeletion: handler((req, ctx) => {
      const p = params3(req, ["KeyId", "PendingWindowInDays"]);
      const id = keyId(p);
      const days = req.params.PendingWindowInDays;
      if (days === undefined || days === null) throw kmsErrors.missingParameter("PendingWindowInDays");
      if (typeof days !== "number" || !Number.isInteger(days)) throw kmsErrors.invalidPendingWindow(days);
      const k = model.scheduleDeletion(scope3(req), id, days, ctx.now());
      ctx.changed();
      return { KeyId: k.KeyId, DeletionDate: k.DeletionDate };
    }),

    CancelKeyDeletion: handler((req, ctx) => {
      const p = params3(req, ["KeyId"]);
      const id = keyId(p);
      model.cancelDeletion(scope3(req), id);
      ctx.changed();
      return { KeyId: id };
    }),

    // https://www.tencentcloud.com/document/api/1030/32186: whether KMS is on, and the CMK quota and its use.
    GetServiceStatus: handler((req) => {
      params3(req, []);
      const scope = scope3(req);
      return {
        ServiceEnabled: true,
        InvalidType: 1,
        UserLevel: 0,
        // A standard-edition account (UserLevel 0) has no flagship purchase: the SDK types these as number,
        // number and string, and the reference says the purchase id is empty, so 0, 0 and "" rather than null.
        ProExpireTime: 0,
        ProRenewFlag: 0,
        ProResourceId: "",
        ExclusiveVSMEnabled: false,
        ExclusiveHSMEnabled: false,
        SubscriptionInfo: "",
        CmkUserCount: model.count(scope),
        CmkLimit: model.quota,
        ExclusiveHSMList: [],
        IsAllowedDataKeyHosted: false,
        DataKeyLimit: 0,
        FreeDataKeyLimit: 0,
        DataKeyUsedCount: 0,
      };
    }),

    // https://www.tencentcloud.com/document/api/1030/35177: the key usages (algorithms) of the region.
    ListAlgorithms: handler((req) => {
      params3(req, []);
      scope3(req);
      return structuredClone(model.algorithms);
    }),

    // ListKeys shows keys in use or usable soon: not PendingDelete nor Archived ones (its documentation).
    ListKeys: handler((req) => {
      const p = params3(req, ["Offset", "Limit", "Role", "HsmClusterId"]);
      const { offset, limit } = page(p);
      const keys = userRole(p)
        ? model
            .list(scope3(req), { keyState: 0, ascending: false })
            .filter(
              (k) => k.KeyState === "Enabled" || k.KeyState === "Disabled" || k.KeyState === "PendingImport",
            )
        : [];
      return {
        Keys: keys.slice(offset, offset + limit).map((k) => ({ KeyId: k.KeyId })),
        TotalCount: keys.length,
      };
    }),

    ListKeyDetail: handler((req) => {
      const p = params3(req, [
        "Offset",
        "Limit",
        "Role",
        "OrderType",
        "KeyState",
        "SearchKeyAlias",
        "Origin",
        "KeyUsage",
        "TagFilters",
        "HsmClusterId",
        "MemberAccounts",
      ]);
      memberAccounts(req.params.MemberAccounts);
      const { offset, limit } = page(p);
      const keyState = p.int("KeyState", { min: 0 }) ?? 0;
      if (keyState > 5) throw kmsErrors.invalidParameterValue("KeyState must be from 0 to 5.");
      const orderType = p.int("OrderType", { min: 0 }) ?? 0;
      const origin = p.str("Origin") ?? "ALL";
      if (origin !== "ALL" && !(ORIGINS as readonly string[]).includes(origin)) {
        throw kmsErrors.invalidParameterValue(`Origin \`${origin}\` must be ALL, ${ORIGINS.join(" or ")}.`);
      }
      // An empty KeyUsage filter means ENCRYPT_DECRYPT only (documented); "ALL" means every usage.
      const keyUsage = p.str("KeyUsage") ?? "ENCRYPT_DECRYPT";
      const keys = userRole(p)
        ? model.list(scope3(req), {
            keyState,
            search: p.str("SearchKeyAlias"),
            origin: origin === "ALL" ? undefined : (origin as KmsKey["Origin"]),
            keyUsage: keyUsage === "ALL" ? undefined : keyUsage,
            ascending: orderType === 1,
          })
        : [];
      return { TotalCount: keys.length, KeyMetadatas: keys.slice(offset, offset + limit).map(keyMetadata) };
    }),
  };
}

/**
 * ListKeyDetail's MemberAccounts (`Array<MemberAccount>`, {MemberUin?, MemberAppId?} integers; documented at
 * https://cloud.tencent.com/document/api/573/34416) asks for the keys of trusted-service member accounts. Its
 * shape is checked; the emulator models no multi-account relationship, so the listing stays the caller's.
 */
function memberAccounts(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value))
    throw kmsErrors.invalidParameter("The parameter `MemberAccounts` must be an array of MemberAccount.");
  value.forEach((m: unknown, i) => {
    if (typeof m !== "object" || m === null || Array.isArray(m))
      throw kmsErrors.invalidParameter(
        `The parameter \`MemberAccounts.${i}\` must be a MemberAccount object.`,
      );
    for (const [k, v] of Object.entries(m)) {
      if (k !== "MemberUin" && k !== "MemberAppId")
        throw kmsErrors.unknownParameter(`MemberAccounts.${i}.${k}`);
      if (!Number.isSafeInteger(v) || (v as number) < 0)
        throw kmsErrors.invalidParameter(`The parameter \`MemberAccounts.${i}.${k}\` must be an integer.`);
    }
  });
}

/** The legacy `Region` parameter ("sh" or "ap-shanghai") as the region the key lives in. */
export function legacyRegion(region: string): string {
  if (!region) throw legacyErrors.invalidParameter("the parameter Region is missing");
  if (LEGACY_REGIONS[region]) return LEGACY_REGIONS[region];
  if (TENCENT_REGION_PATTERN.test(region)) return region;
  throw legacyErrors.invalidParameter(`unknown Region ${region}`);
}

/**
 * API 2.0: only CreateKey (https://cloud.tencent.com/document/product/573/8893). Parameters arrive as query
 * strings.
 */
export function legacyActions(model: TencentKmsModel): Record<string, ActionHandler> {
  return {
    CreateKey: (req, ctx) => {
      if (model.purge(ctx.now())) ctx.changed();
      const scope: Scope = { account: req.account, region: legacyRegion(req.region) };
      const p = new ParamReader(req.params, { missing: "4000", invalid: "4000", httpStatus: 200 });
      const k = model.createLegacyKey(
        scope,
        {
          alias: p.str("alias") ?? "",
          description: p.str("description") ?? "",
          keyUsage: p.str("keyUsage") ?? LEGACY_KEY_USAGE,
          type: p.str("type") ?? "1",
        },
        ctx.now(),
      );
      ctx.changed();
      return {
        keyMetadata: {
          keyId: k.KeyId,
          alias: k.Alias,
          createTime: k.CreateTime,
          description: k.Description,
          keyState: k.KeyState,
          keyUsage: "ENCRYPT/DECRYPT",
        },
      };
    },
  };
}
