import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { TENCENT_REGION_PATTERN } from "../../../clouds/facts/tencent-kms";
import { kmsErrors, legacyErrors } from "./errors";
import { KmsKey, MAX_DESCRIPTION_BYTES, Origin, Scope, TencentKmsModel, isValidAlias } from "./model";

// Action handlers: parse the wire parameters, call the model, shape the payload. The wire layer adds
// RequestId and the envelope ({"Response": {...}} for 3.0, {code: 0, message: "", requestId, ...} for 2.0).

/** Common parameters a client may leave in the merged parameter map; never judged as unknown. */
const COMMON_PARAMS = new Set([
  "Action",
  "Version",
  "Region",
  "Timestamp",
  "Nonce",
  "SecretId",
  "Signature",
  "SignatureMethod",
  "Token",
  "Language",
  "RequestClient",
]);

/** The legacy API names regions by short codes; it also takes the full names. */
export const LEGACY_REGIONS: Record<string, string> = {
  gz: "ap-guangzhou",
  sh: "ap-shanghai",
  bj: "ap-beijing",
  cd: "ap-chengdu",
  cq: "ap-chongqing",
  nj: "ap-nanjing",
  hk: "ap-hongkong",
  sg: "ap-singapore",
  th: "ap-bangkok",
  in: "ap-mumbai",
  kr: "ap-seoul",
  jp: "ap-tokyo",
  usw: "na-siliconvalley",
  use: "na-ashburn",
  de: "eu-frankfurt",
};

const KEY_ID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

/** Reads API 3.0 parameters strictly, as the cloud does: unknown names and wrong types are refused. */
class Params {
  constructor(
    private readonly params: Record<string, unknown>,
    allowed: string[],
  ) {
    for (const name of Object.keys(params)) {
      if (!allowed.includes(name) && !COMMON_PARAMS.has(name)) throw kmsErrors.unknownParameter(name);
    }
  }

  has(name: string): boolean {
    return this.params[name] !== undefined && this.params[name] !== null;
  }

  string(name: string): string | undefined {
    const v = this.params[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string")
      throw kmsErrors.invalidParameter(`The parameter \`${name}\` must be a string.`);
    return v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === "") throw kmsErrors.missingParameter(name);
    return v;
  }

  integer(name: string): number | undefined {
    const v = this.params[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw kmsErrors.invalidParameter(`The parameter \`${name}\` must be a non-negative integer.`);
    }
    return v;
  }

  keyId(name = "KeyId"): string {
    const v = this.requiredString(name);
    if (!KEY_ID_PATTERN.test(v)) throw kmsErrors.invalidKeyId(v);
    return v;
  }
}

function scope3(req: ServiceRequest): Scope {
  if (!req.region) throw kmsErrors.missingParameter("Region");
  return { account: req.account, region: req.region };
}

function checkDescription(description: string, tooLong: (msg: string) => Error): void {
  if (Buffer.byteLength(description, "utf8") > MAX_DESCRIPTION_BYTES) {
    throw tooLong(`Description is longer than ${MAX_DESCRIPTION_BYTES} bytes.`);
  }
}

/** KeyMetadata as DescribeKey, DescribeKeys and ListKeyDetail return it. */
export function keyMetadata(k: KmsKey): Record<string, unknown> {
  return {
    KeyId: k.KeyId,
    Alias: k.Alias,
    CreateTime: k.CreateTime,
    Description: k.Description,
    KeyState: k.KeyState,
    KeyUsage: k.KeyUsage,
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

function page(p: Params): { offset: number; limit: number } {
  const offset = p.integer("Offset") ?? 0;
  const limit = p.integer("Limit") ?? 10;
  if (limit < 1 || limit > 200) throw kmsErrors.invalidParameterValue("Limit must be from 1 to 200.");
  return { offset, limit };
}

/** Role 1 asks for keys other cloud products created; the emulator has only user-created keys. */
function userRole(p: Params): boolean {
  const role = p.integer("Role") ?? 0;
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
      const p = new Params(req.params, ["Alias", "Description", "KeyUsage", "Type", "Tags", "HsmClusterId"]);
      const scope = scope3(req);
      const alias = p.requiredString("Alias");
      if (!isValidAlias(alias)) throw kmsErrors.invalidAlias(alias);
      const description = p.string("Description") ?? "";
      checkDescription(description, kmsErrors.invalidParameterValue);
      const keyUsage = p.string("KeyUsage") ?? "ENCRYPT_DECRYPT";
      if (!model.keyUsages().includes(keyUsage)) throw kmsErrors.invalidKeyUsage(keyUsage);
      const type = req.params.Type ?? 1;
      if (type !== 1 && type !== 2) throw kmsErrors.invalidType(type);
      // Imported key material is symmetric only.
      if (type === 2 && keyUsage !== "ENCRYPT_DECRYPT") throw kmsErrors.invalidKeyUsage(keyUsage);
      if (model.aliasHolder(scope, alias)) throw kmsErrors.aliasAlreadyExists(alias);
      if (model.count(scope) >= model.quota) throw kmsErrors.cmkLimitExceeded(model.quota);
      const origin: Origin = type === 2 ? "EXTERNAL" : "TENCENT_KMS";
      const k = model.create(scope, { alias, description, keyUsage, origin, createdWith: "3.0" }, ctx.now());
      ctx.changed();
      return {
        KeyId: k.KeyId,
        Alias: k.Alias,
        CreateTime: k.CreateTime,
        Description: k.Description,
        KeyState: k.KeyState,
        KeyUsage: k.KeyUsage,
        TagCode: 0,
        TagMsg: "",
      };
    }),

    DescribeKey: handler((req) => {
      const p = new Params(req.params, ["KeyId"]);
      return { KeyMetadata: keyMetadata(model.find(scope3(req), p.keyId())) };
    }),

    DescribeKeys: handler((req) => {
      new Params(req.params, ["KeyIds"]);
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
      const p = new Params(req.params, ["KeyId", "Alias"]);
      const keyId = p.keyId();
      const alias = p.requiredString("Alias");
      if (!isValidAlias(alias)) throw kmsErrors.invalidAlias(alias);
      model.updateAlias(scope3(req), keyId, alias);
      ctx.changed();
      return {};
    }),

    UpdateKeyDescription: handler((req, ctx) => {
      const p = new Params(req.params, ["KeyId", "Description"]);
      const keyId = p.keyId();
      const description = p.string("Description");
      if (description === undefined) throw kmsErrors.missingParameter("Description");
      checkDescription(description, kmsErrors.invalidParameterValue);
      model.updateDescription(scope3(req), keyId, description);
      ctx.changed();
      return {};
    }),

    EnableKey: handler((req, ctx) => {
      const p = new Params(req.params, ["KeyId"]);
      model.setEnabled(scope3(req), p.keyId(), true);
      ctx.changed();
      return {};
    }),

    DisableKey: handler((req, ctx) => {
      const p = new Params(req.params, ["KeyId"]);
      model.setEnabled(scope3(req), p.keyId(), false);
      ctx.changed();
      return {};
    }),

    ScheduleKeyDeletion: handler((req, ctx) => {
      const p = new Params(req.params, ["KeyId", "PendingWindowInDays"]);
      const keyId = p.keyId();
      const days = req.params.PendingWindowInDays;
      if (days === undefined || days === null) throw kmsErrors.missingParameter("PendingWindowInDays");
      if (typeof days !== "number" || !Number.isInteger(days) || days < 7 || days > 30) {
        throw kmsErrors.invalidPendingWindow(days);
      }
      const k = model.scheduleDeletion(scope3(req), keyId, days, ctx.now());
      ctx.changed();
      return { KeyId: k.KeyId, DeletionDate: k.DeletionDate };
    }),

    CancelKeyDeletion: handler((req, ctx) => {
      const p = new Params(req.params, ["KeyId"]);
      const keyId = p.keyId();
      model.cancelDeletion(scope3(req), keyId);
      ctx.changed();
      return { KeyId: keyId };
    }),

    // https://www.tencentcloud.com/document/api/1030/32186: whether KMS is on, and the CMK quota and its use.
    GetServiceStatus: handler((req) => {
      new Params(req.params, []);
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
      new Params(req.params, []);
      scope3(req);
      return structuredClone(model.algorithms);
    }),

    // ListKeys shows keys in use or usable soon: not PendingDelete nor Archived ones (its documentation).
    ListKeys: handler((req) => {
      const p = new Params(req.params, ["Offset", "Limit", "Role", "HsmClusterId"]);
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
      const p = new Params(req.params, [
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
      const keyState = p.integer("KeyState") ?? 0;
      if (keyState > 5) throw kmsErrors.invalidParameterValue("KeyState must be from 0 to 5.");
      const orderType = p.integer("OrderType") ?? 0;
      const origin = p.string("Origin") ?? "ALL";
      if (origin !== "ALL" && origin !== "TENCENT_KMS" && origin !== "EXTERNAL") {
        throw kmsErrors.invalidParameterValue(`Origin \`${origin}\` must be ALL, TENCENT_KMS or EXTERNAL.`);
      }
      // An empty KeyUsage filter means ENCRYPT_DECRYPT only (documented); "ALL" means every usage.
      const keyUsage = p.string("KeyUsage") || "ENCRYPT_DECRYPT";
      if (keyUsage !== "ALL" && !model.keyUsages().includes(keyUsage)) {
        throw kmsErrors.invalidKeyUsage(keyUsage);
      }
      const keys = userRole(p)
        ? model.list(scope3(req), {
            keyState,
            search: p.string("SearchKeyAlias") || undefined,
            origin: origin === "ALL" ? undefined : origin,
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
  if (Object.values(LEGACY_REGIONS).includes(region) || TENCENT_REGION_PATTERN.test(region)) return region;
  throw legacyErrors.invalidParameter(`unknown Region ${region}`);
}

/**
 * API 2.0: only CreateKey (https://cloud.tencent.com/document/product/573/8893). Parameters arrive as the query
 * strings.
 */
export function legacyActions(model: TencentKmsModel): Record<string, ActionHandler> {
  return {
    CreateKey: (req, ctx) => {
      if (model.purge(ctx.now())) ctx.changed();
      const scope: Scope = { account: req.account, region: legacyRegion(req.region) };
      const str = (name: string): string | undefined => {
        const v = req.params[name];
        return v === undefined || v === null ? undefined : String(v);
      };
      const alias = str("alias") ?? "";
      if (alias.length < 1 || alias.length > 32) {
        throw legacyErrors.invalidParameter("alias must be 1 to 32 characters");
      }
      const description = str("description") ?? "";
      checkDescription(description, (m) => legacyErrors.invalidParameter(m));
      const keyUsage = str("keyUsage") ?? "ENCRYPT/DECRYPT";
      if (keyUsage !== "ENCRYPT/DECRYPT") throw legacyErrors.keyUsage();
      const type = str("type") ?? "1";
      if (type !== "1" && type !== "2") throw legacyErrors.keySpec();
      if (model.aliasHolder(scope, alias)) throw legacyErrors.aliasExists();
      // One quota for both APIs (see DEFAULT_QUOTA in model.ts).
      if (model.count(scope) >= model.quota) throw legacyErrors.cmkLimit();
      const k = model.create(
        scope,
        {
          alias,
          description,
          // The same key as API 3.0 sees it: "ENCRYPT/DECRYPT" is 3.0's ENCRYPT_DECRYPT.
          keyUsage: "ENCRYPT_DECRYPT",
          origin: "TENCENT_KMS",
          createdWith: "legacy-v2",
          legacyType: type === "2" ? 2 : 1,
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
