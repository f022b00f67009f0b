import { z } from "zod";
import {
  ALIAS_MAX,
  ALIAS_PATTERN,
  CREATE_TYPE,
  DESCRIPTION_MAX_BYTES,
  KMS_APIS,
  LEGACY_KEY_USAGE,
  PENDING_WINDOW_DAYS,
  RESERVED_ALIAS_PREFIX,
  TENCENT_REGION_PATTERN,
  type KmsApi,
} from "../../clouds/facts/tencent-kms";
import { excerpt } from "../common/check";

// Inputs of the Tencent Cloud KMS customer master key (CMK), validated and normalised once for both APIs.
//
// The two Tencent APIs number CreateKey's `type` differently (CREATE_TYPE in the facts): a bare number would
// mean different keys depending on `api`, so `type` takes words that say what the key is, and each API gets
// its own number: "kms-generated" (3.0 Type 1, legacy type 1 "normal"), "external" (3.0 Type 2 only),
// "quantum" (legacy type 2 only).

export const APIS = KMS_APIS;
export type Api = KmsApi;

export const KEY_TYPES = ["kms-generated", "external", "quantum"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/**
 * KeyUsage of API 3.0 CreateKey (https://www.tencentcloud.com/document/api/1030/32199): "the full list comes from
 * ListAlgorithms", which differs per region, so the schema checks the shape only and check() asks ListAlgorithms.
 */
export const KEY_USAGE_PATTERN = /^[A-Z0-9_]+$/;
export type KeyUsage = string;

/** Type numbers per API; undefined where the API cannot create that kind of key. */
export const TYPE_NUMBER: Record<Api, Partial<Record<KeyType, 1 | 2>>> = {
  "3.0": { "kms-generated": CREATE_TYPE["3.0"].kmsGenerated, external: CREATE_TYPE["3.0"].external },
  "legacy-v2": {
    "kms-generated": CREATE_TYPE["legacy-v2"].normal,
    quantum: CREATE_TYPE["legacy-v2"].quantum,
  },
};

const typeSchema = z
  .union([z.string(), z.number()], { message: `must be one of ${KEY_TYPES.join(", ")}` })
  .default("kms-generated")
  .transform((v, ctx): KeyType => {
    if (typeof v === "number" || /^\d+$/.test(String(v))) {
      ctx.addIssue({
        code: "custom",
        message:
          `${excerpt(v)} is ambiguous: API 3.0 numbers 1 = KMS-generated, 2 = external, the legacy API 1 = normal, ` +
          `2 = quantum. Write "kms-generated", "external" (API 3.0 only) or "quantum" (api "legacy-v2" only).`,
      });
      return z.NEVER;
    }
    if (!(KEY_TYPES as readonly unknown[]).includes(v)) {
      ctx.addIssue({ code: "custom", message: `"${excerpt(v)}" is not one of ${KEY_TYPES.join(", ")}` });
      return z.NEVER;
    }
    return v as KeyType;
  });

export const inputsSchema = z
  .object({
    /** Full region name, e.g. "ap-guangzhou" (the legacy API's short codes are derived from it). */
    region: z.string().regex(TENCENT_REGION_PATTERN, 'must be a Tencent Cloud region such as "ap-guangzhou"'),
    // API 3.0's rule for both APIs: after creation every call (UpdateAlias, and the rename that frees the
    // alias on delete) goes through API 3.0, which refuses anything else. The length limit depends on `api`.
    alias: z
      .string()
      .min(1, "must not be empty")
      .regex(ALIAS_PATTERN, "must use letters, digits, '-' and '_' only and start with a letter or digit")
      .refine(
        (a) => !a.startsWith(RESERVED_ALIAS_PREFIX),
        `must not start with "${RESERVED_ALIAS_PREFIX}": Tencent Cloud reserves it for cloud products`,
      ),
    description: z
      .string()
      .refine(
        (d) => Buffer.byteLength(d, "utf8") <= DESCRIPTION_MAX_BYTES,
        `must be at most ${DESCRIPTION_MAX_BYTES} bytes`,
      )
      .default(""),
    /** "ENCRYPT/DECRYPT" (the legacy spelling) is read as ENCRYPT_DECRYPT. */
    keyUsage: z
      .string()
      .default("ENCRYPT_DECRYPT")
      .transform((u) => (u === LEGACY_KEY_USAGE ? "ENCRYPT_DECRYPT" : u))
      .pipe(z.string().regex(KEY_USAGE_PATTERN, "must be a KeyUsage such as ENCRYPT_DECRYPT (upper case)")),
    type: typeSchema,
    enabled: z.boolean().default(true),
    pendingWindowInDays: z
      .number()
      .int("must be a whole number of days")
      .min(
        PENDING_WINDOW_DAYS.min,
        `must be from ${PENDING_WINDOW_DAYS.min} to ${PENDING_WINDOW_DAYS.max} days`,
      )
      .max(
        PENDING_WINDOW_DAYS.max,
        `must be from ${PENDING_WINDOW_DAYS.min} to ${PENDING_WINDOW_DAYS.max} days`,
      )
      .default(PENDING_WINDOW_DAYS.default),
    api: z.enum(APIS, { message: 'must be "3.0" or "legacy-v2"' }).default("3.0"),
    timeoutSeconds: z.number().int().positive().max(86_400).optional(),
    /** An existing key to take over when the resource is created, instead of CreateKey (see CmkArgs). */
    adoptKeyId: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be a key id (KeyId) such as 23e80852-1e38-11e9-b129-5cb9019b4b01")
      .optional(),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const max = ALIAS_MAX[v.api];
    if (v.alias.length > max) {
      issue("alias", `is ${v.alias.length} characters; api "${v.api}" allows at most ${max}`);
    }
    if (TYPE_NUMBER[v.api][v.type] === undefined) {
      issue(
        "type",
        v.type === "quantum"
          ? 'a quantum key can only be created through the legacy API: set api to "legacy-v2"'
          : 'an external key can only be created through API 3.0: set api to "3.0"',
      );
    }
    if (v.api === "legacy-v2" && v.keyUsage !== "ENCRYPT_DECRYPT") {
      issue(
        "keyUsage",
        `the legacy API only creates ENCRYPT_DECRYPT keys; set api to "3.0" for ${excerpt(v.keyUsage)}`,
      );
    }
    if (v.type === "external" && v.keyUsage !== "ENCRYPT_DECRYPT") {
      issue("keyUsage", "an external key (imported key material) must be ENCRYPT_DECRYPT");
    }
  });

export type Inputs = z.output<typeof inputsSchema>;

/** What the resource shows besides its inputs. */
export interface Outputs extends Inputs {
  keyId: string;
  /** Enabled | Disabled | PendingImport | Archived (a PendingDelete key is gone for the resource). */
  keyState: string;
  /** TENCENT_KMS or EXTERNAL. */
  origin: string;
  /** Unix seconds. */
  createTime: number;
}

/** The resource ID holds what read() needs: "<region>:<keyId>" (the form every version wrote). */
export function createResourceId(region: string, keyId: string): string {
  return `${region}:${keyId}`;
}

export function parseResourceId(id: string): { region: string; keyId: string } {
  const i = id.indexOf(":");
  const region = id.slice(0, i);
  const keyId = id.slice(i + 1);
  if (i < 0 || !TENCENT_REGION_PATTERN.test(region) || !keyId) {
    throw new Error(
      `Cmk id '${id}' is not '<region>:<keyId>' (for example 'ap-guangzhou:23e80852-1e38-11e9-b129-5cb9019b4b01'). ` +
        `Pulumi records it on create, so the state was edited by hand: restore the id in that form, or remove ` +
        `the resource from the state ('pulumi state delete') and set adoptKeyId to the key's id to manage it again.`,
    );
  }
  return { region, keyId };
}
