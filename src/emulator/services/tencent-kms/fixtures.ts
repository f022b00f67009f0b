import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  ALIAS_MAX,
  DESCRIPTION_MAX_BYTES,
  KEY_STATES,
  ORIGINS,
  PENDING_WINDOW_DAYS,
  TENCENT_REGION_PATTERN,
} from "../../../clouds/facts/tencent-kms";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext } from "../../types";
import { DAY_SECONDS, type TencentKmsModel, storedKey } from "./model";

// Fixtures of the Tencent KMS service (the `tencentKms` key of a fixtures file) and the state file's shape.

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
  alias: z.string().min(1).max(ALIAS_MAX["3.0"]),
  description: z
    .string()
    .refine(
      (d) => Buffer.byteLength(d, "utf8") <= DESCRIPTION_MAX_BYTES,
      `at most ${DESCRIPTION_MAX_BYTES} bytes`,
    )
    .default(""),
  /** Default: PendingImport for an EXTERNAL key, Enabled otherwise. */
  keyState: z.enum(KEY_STATES).optional(),
  keyUsage: z
    .string()
    .regex(/^[A-Z0-9_]+$/)
    .default("ENCRYPT_DECRYPT"),
  origin: z.enum(ORIGINS).default("TENCENT_KMS"),
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

export const stateSchema = z.object({
  quota: z.number(),
  algorithms: fixturesSchema.shape.algorithms,
  keys: z.array(z.record(z.string(), z.unknown())),
});

/** Adds the fixtures to the model; an invalid fixture throws naming its field. */
export function loadFixtures(model: TencentKmsModel, fixtures: unknown, ctx: ServiceContext): void {
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
    model.put(
      storedKey({
        Account: scope.account,
        Region: scope.region,
        KeyId: k.keyId ?? randomUUID(),
        Alias: k.alias,
        Description: k.description,
        KeyState: state,
        KeyUsage: k.keyUsage,
        Origin: k.origin,
        CreateTime: k.createTime ?? nowS,
        DeletionDate:
          state === "PendingDelete"
            ? (k.deletionDate ?? nowS + PENDING_WINDOW_DAYS.default * DAY_SECONDS)
            : 0,
        CreatedWith: "3.0",
      }),
    );
  });
  ctx.changed();
}
