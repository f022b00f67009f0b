import { z } from "zod";
import {
  KEY_SPECS,
  KEY_STATES,
  KEY_USAGES,
  MATERIAL_BYTES,
  ORIGINS,
  PROTECTION_LEVELS,
} from "../../../clouds/facts/alibaba-kms";
import { DEFAULT_ACCOUNT } from "../../accounts";
import { parseFixtures } from "../../fixtures";
import type { ServiceContext } from "../../types";
import type { AlibabaKms, KmsKey } from "./model";

// Fixtures of the Alibaba KMS model: keys as they exist before a test or demo starts, checked with messages that
// name the field (alibabaKms.keys[0].keySpec: ...).

const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date");

const fixtureKey = z
  .object({
    keyId: z.string().min(1),
    account: z.string().min(1).optional(),
    region: z.string().min(1),
    origin: z.enum(ORIGINS).default("Aliyun_KMS"),
    keySpec: z.enum(KEY_SPECS).default("Aliyun_AES_256"),
    /** Default: PendingImport for EXTERNAL keys, Enabled otherwise. */
    keyState: z.enum(KEY_STATES).optional(),
    keyUsage: z.enum(KEY_USAGES).default("ENCRYPT/DECRYPT"),
    description: z.string().default(""),
    protectionLevel: z.enum(PROTECTION_LEVELS).default("SOFTWARE"),
    /** A key of a dedicated KMS instance (kst-...); absent for the shared KMS. */
    dkmsInstanceId: z.string().min(1).optional(),
    creationDate: isoDate.optional(),
    /** For an EXTERNAL key whose material is already imported: SHA-256 (hex) of that material. */
    keyMaterialSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be the lower-case hex SHA-256 of the material")
      .optional(),
    materialExpireTime: isoDate.optional(),
    /** For a PendingDeletion key; default seven days from now. */
    deleteDate: isoDate.optional(),
  })
  .strict()
  .superRefine((k, c) => {
    const state = k.keyState ?? (k.origin === "EXTERNAL" ? "PendingImport" : "Enabled");
    if (k.origin === "EXTERNAL" && MATERIAL_BYTES[k.keySpec] === undefined)
      c.addIssue({
        code: "custom",
        path: ["keySpec"],
        message:
          `the emulator models EXTERNAL keys of ${Object.keys(MATERIAL_BYTES).join(", ")} only ` +
          `(KMS also imports RSA and EC material; the emulator does not model it)`,
      });
    if (k.origin !== "EXTERNAL" && state === "PendingImport")
      c.addIssue({
        code: "custom",
        path: ["keyState"],
        message: "only an EXTERNAL key can be PendingImport",
      });
    if (k.origin === "EXTERNAL" && (state === "Enabled" || state === "Disabled") && !k.keyMaterialSha256)
      c.addIssue({
        code: "custom",
        path: ["keyMaterialSha256"],
        message: `an EXTERNAL key in state ${state} has material: give its SHA-256 (hex)`,
      });
  });

const fixturesSchema = z.object({ keys: z.array(fixtureKey).default([]) }).strict();

/** Adds the fixtures (the value under `alibabaKms`) to the model. */
export function loadFixtures(kms: AlibabaKms, fixtures: unknown, ctx: ServiceContext): void {
  const data = parseFixtures(fixturesSchema, "alibabaKms", fixtures);
  const now = ctx.now();
  const keys = data.keys.map((k): KmsKey => {
    const state = k.keyState ?? (k.origin === "EXTERNAL" ? "PendingImport" : "Enabled");
    const hasMaterial =
      k.origin !== "EXTERNAL" ||
      state === "Enabled" ||
      state === "Disabled" ||
      (state === "PendingDeletion" && k.keyMaterialSha256 !== undefined);
    return {
      keyId: k.keyId,
      account: k.account ?? DEFAULT_ACCOUNT.account,
      region: k.region,
      origin: k.origin,
      keySpec: k.keySpec,
      keyUsage: k.keyUsage,
      description: k.description,
      protectionLevel: k.protectionLevel,
      dkmsInstanceId: k.dkmsInstanceId ?? "",
      creationDate: k.creationDate ? Date.parse(k.creationDate) : now,
      enabled: state !== "Disabled",
      materialSha256: k.keyMaterialSha256,
      material: { status: hasMaterial ? "Present" : "Absent" },
      materialExpireAt: k.materialExpireTime ? Date.parse(k.materialExpireTime) : undefined,
      deletion:
        state === "PendingDeletion"
          ? {
              status: "Deleted",
              transition: {
                during: "PendingDeletion",
                until: k.deleteDate ? Date.parse(k.deleteDate) : now + 7 * DAY_MS,
              },
            }
          : undefined,
      imports: 0,
    };
  });
  kms.addKeys(keys, ctx);
}
