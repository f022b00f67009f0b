import { randomUUID } from "node:crypto";
import { z } from "zod";
import { TENCENT_REGION_PATTERN } from "../../../clouds/facts/tencent-kms";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext, ServiceModel, WireProtocol } from "../../types";
import { DAY_SECONDS, KEY_STATES, KmsKey, MAX_DESCRIPTION_BYTES, TencentKmsModel } from "./model";
import { apiActions, legacyActions } from "./routes";

/** Account that fixtures belong to unless they name one: the emulator's built-in `test` access key's account. */
export const FIXTURE_ACCOUNT = DEFAULT_ACCOUNT.account;

const fixtureKey = z.strictObject({
  account: z.string().min(1).optional(),
  /** Full region name, e.g. "ap-guangzhou". */
  region: z.string().regex(TENCENT_REGION_PATTERN, "a full region name such as ap-guangzhou"),
  keyId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,128}$/, "letters, digits and '-'")
    .optional(),
  // Fixtures may hold aliases API 3.0 would refuse today (legacy keys, "kms-" keys of cloud products).
  alias: z.string().min(1).max(60),
  description: z
    .string()
    .refine(
      (d) => Buffer.byteLength(d, "utf8") <= MAX_DESCRIPTION_BYTES,
      `at most ${MAX_DESCRIPTION_BYTES} bytes`,
    )
    .default(""),
  /** Default: PendingImport for an EXTERNAL key, Enabled otherwise. */
  keyState: z.enum(KEY_STATES).optional(),
  keyUsage: z
    .string()
    .regex(/^[A-Z0-9_]+$/)
    .default("ENCRYPT_DECRYPT"),
  origin: z.enum(["TENCENT_KMS", "EXTERNAL"]).default("TENCENT_KMS"),
  /** Unix seconds; default now. */
  createTime: z.number().int().nonnegative().optional(),
  /** Unix seconds, for a PendingDelete key; default seven days from now. */
  deletionDate: z.number().int().positive().optional(),
});

const algorithm = z.strictObject({
  KeyUsage: z.string().regex(/^[A-Z0-9_]+$/),
  Algorithm: z.string().min(1),
});

const fixturesSchema = z.strictObject({
  /** CMKs per account and region, for both APIs (GetServiceStatus's CmkLimit). Default 1000. */
  quota: z.number().int().nonnegative().optional(),
  /** What ListAlgorithms answers; the KeyUsage values CreateKey accepts. */
  algorithms: z
    .strictObject({
      SymmetricAlgorithms: z.array(algorithm),
      AsymmetricAlgorithms: z.array(algorithm),
      AsymmetricSignVerifyAlgorithms: z.array(algorithm),
    })
    .optional(),
  keys: z.array(fixtureKey).default([]),
});

const stateSchema = z.object({
  quota: z.number(),
  algorithms: fixturesSchema.shape.algorithms,
  keys: z.array(z.record(z.string(), z.unknown())),
});

export function createModel(): ServiceModel {
  const model = new TencentKmsModel();
  const api = apiActions(model);
  const legacy = legacyActions(model);

  function loadFixtures(fixtures: unknown, ctx: ServiceContext): void {
    const parsed = fixturesSchema.safeParse(fixtures ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      throw new Error(`tencentKms${path}: ${issue.message}`);
    }
    const f = parsed.data;
    if (f.quota !== undefined) model.quota = f.quota;
    if (f.algorithms !== undefined) model.algorithms = f.algorithms;
    const nowS = Math.floor(ctx.now() / 1000);
    f.keys.forEach((k, i) => {
      const scope = { account: k.account ?? FIXTURE_ACCOUNT, region: k.region };
      const where = `tencentKms.keys[${i}]`;
      if (model.aliasHolder(scope, k.alias)) {
        throw new Error(`${where}.alias: '${k.alias}' is already used in ${scope.account}/${scope.region}`);
      }
      if (k.keyId && model.all().some((other) => other.KeyId === k.keyId)) {
        throw new Error(`${where}.keyId: '${k.keyId}' already exists`);
      }
      const state = k.keyState ?? (k.origin === "EXTERNAL" ? "PendingImport" : "Enabled");
      if (state === "PendingImport" && k.origin !== "EXTERNAL") {
        throw new Error(`${where}.keyState: only an EXTERNAL key can be PendingImport`);
      }
      if (k.deletionDate !== undefined && state !== "PendingDelete") {
        throw new Error(`${where}.deletionDate: only a PendingDelete key has a deletion date`);
      }
      model.put({
        Account: scope.account,
        Region: scope.region,
        KeyId: k.keyId ?? randomUUID(),
        Alias: k.alias,
        Description: k.description,
        KeyState: state,
        KeyUsage: k.keyUsage,
        Origin: k.origin,
        CreateTime: k.createTime ?? nowS,
        DeletionDate: state === "PendingDelete" ? (k.deletionDate ?? nowS + 7 * DAY_SECONDS) : 0,
        CreatedWith: "3.0",
      });
    });
    ctx.changed();
  }

  return {
    key: "tencentKms",
    cloud: "tencent",
    service: "kms",
    protocols: ["tencent-tc3", "tencent-legacy"],
    versions: ["2019-01-18"],
    actions: (protocol: WireProtocol) =>
      protocol === "tencent-tc3" ? api : protocol === "tencent-legacy" ? legacy : {},
    loadFixtures,
    toJSON: () => ({ quota: model.quota, algorithms: model.algorithms, keys: model.all() }),
    fromJSON: (state: unknown) => {
      const s = stateSchema.parse(state);
      model.reset();
      model.quota = s.quota;
      if (s.algorithms) model.algorithms = s.algorithms;
      for (const k of s.keys) model.put(k as unknown as KmsKey);
    },
    reset: () => model.reset(),
    inventory: (ctx: ServiceContext) => {
      if (model.purge(ctx.now())) ctx.changed();
      const keys = model.all();
      const perScope: Record<string, number> = {};
      for (const k of keys)
        perScope[`${k.Account}/${k.Region}`] = (perScope[`${k.Account}/${k.Region}`] ?? 0) + 1;
      return {
        quota: model.quota,
        cmkCount: perScope,
        keys: keys.map((k) => ({
          account: k.Account,
          region: k.Region,
          keyId: k.KeyId,
          alias: k.Alias,
          description: k.Description,
          keyState: k.KeyState,
          keyUsage: k.KeyUsage,
          origin: k.Origin,
          createdWith: k.CreatedWith,
          ...(k.LegacyType !== undefined ? { legacyType: k.LegacyType === 2 ? "quantum" : "normal" } : {}),
          createTime: k.CreateTime,
          deletionDate: k.DeletionDate,
        })),
      };
    },
  };
}
