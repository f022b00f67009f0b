import { z } from "zod";
import { MATERIAL_BYTES, MAX_EXPIRE_UNIX, WRAPPING_ALGORITHMS } from "../../clouds/facts/alibaba-kms";

// Inputs of ImportedKeyMaterial: key material for an Alibaba Cloud KMS key whose Origin is EXTERNAL.

export const DEFAULT_TIMEOUT_SECONDS = 300;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// A date, or a date and time with a zone: a time without a zone would depend on the machine running Pulumi.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** Decodes keyMaterial; undefined when it is not standard Base64. */
export function decodeMaterial(keyMaterial: string): Buffer | undefined {
  return BASE64.test(keyMaterial) ? Buffer.from(keyMaterial, "base64") : undefined;
}

/**
 * The expiry as KeyMaterialExpireUnix: whole Unix seconds, 0 = never. Undefined when `expireAt` cannot be read.
 * Accepts Unix seconds (a number, or a string of digits as stack config gives) or an ISO 8601 date.
 */
export function expireUnixOf(expireAt: string | number | undefined): number | undefined {
  if (expireAt === undefined) return 0;
  if (typeof expireAt === "number") return Number.isInteger(expireAt) && expireAt >= 0 ? expireAt : undefined;
  if (/^\d+$/.test(expireAt)) return Number(expireAt);
  if (!ISO_DATE.test(expireAt)) return undefined;
  const ms = Date.parse(expireAt);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export const inputsSchema = z.object({
  region: z
    .string()
    .regex(/^[a-z]{2,}(?:-[a-z0-9]+)+$/, "must be an Alibaba Cloud region id such as cn-hangzhou"),
  keyId: z.string().min(1, "must be the id of a KMS key created with Origin EXTERNAL"),
  /** Base64 of the raw key material. Secret; messages never echo it. */
  keyMaterial: z.string().superRefine((v, ctx) => {
    const bytes = decodeMaterial(v);
    if (!bytes) {
      ctx.addIssue({ code: "custom", message: "must be standard Base64 of the raw key material" });
    } else if (!Object.values(MATERIAL_BYTES).includes(bytes.length)) {
      ctx.addIssue({
        code: "custom",
        message:
          `decodes to ${bytes.length} bytes; this package imports symmetric material only: 32 bytes (256 bits) ` +
          `for Aliyun_AES_256 keys, 16 bytes (128 bits) for Aliyun_SM4 keys`,
      });
    }
  }),
  /** When the material expires: an ISO 8601 date or Unix seconds. Absent = never. */
  expireAt: z
    .union([z.string(), z.number()])
    .optional()
    .superRefine((v, ctx) => {
      const unix = expireUnixOf(v);
      if (unix === undefined) {
        ctx.addIssue({
          code: "custom",
          message:
            "must be an ISO 8601 date (e.g. 2030-01-01T00:00:00Z; a time needs a zone) or whole Unix seconds",
        });
      } else if (unix > MAX_EXPIRE_UNIX) {
        ctx.addIssue({
          code: "custom",
          message: `is ${unix} Unix seconds; KMS accepts at most ${MAX_EXPIRE_UNIX} (KeyMaterialExpireUnix)`,
        });
      }
    }),
  wrappingAlgorithm: z.enum(WRAPPING_ALGORITHMS).default("RSAES_OAEP_SHA_256"),
  /**
   * RSA_2048. KMS also offers EC_SM2 with SM2PKE for HSM keys (GetParametersForImport); this package does not wrap
   * with SM2, so it is not offered here.
   */
  wrappingKeySpec: z.enum(["RSA_2048"]).default("RSA_2048"),
  /** Deadline, in seconds, for waiting on the import and retrying busy or throttled calls. */
  timeoutSeconds: z.number().int().min(1).max(86400).optional(),
});

export type Inputs = z.output<typeof inputsSchema>;

/** What the resource stores: its inputs plus what KMS reports about the key. */
export interface Outputs extends Inputs {
  keySpec: string;
  keyState: string;
  origin: string;
  /** As DescribeKey shows it: ISO 8601 UTC, empty = never expires. */
  materialExpireTime: string;
  /** HMAC-SHA256 of the material keyed by the key id (see material.ts); compares materials without holding one. */
  materialFingerprint: string;
}

/** The resource id: the region (for the endpoint) and the key id, all that read() and delete() need. */
export function createResourceId(region: string, keyId: string): string {
  return `${region}:${keyId}`;
}

/**
 * The region and key id of a resource id: `<region>:<keyId>`, or `<region>/<keyId>` as earlier versions wrote
 * it (neither a region nor a KMS key id holds ':' or '/').
 */
export function parseResourceId(id: string): { region: string; keyId: string } {
  const at = id.includes(":") ? id.indexOf(":") : id.indexOf("/");
  if (at <= 0 || at === id.length - 1)
    throw new Error(
      `ImportedKeyMaterial id '${id}' is not '<region>:<keyId>' (e.g. cn-hangzhou:key-hzz62f1cb66fa42qo****). ` +
        `'pulumi import keylink:alibaba:ImportedKeyMaterial <name> <region>:<keyId>' expects that form; for a ` +
        `damaged state, remove the resource with 'pulumi state delete <urn>' and declare it again (create imports ` +
        `the same material again).`,
    );
  return { region: id.slice(0, at), keyId: id.slice(at + 1) };
}
