import { z } from "zod";
import {
  KEY_ID_PATTERN,
  MAX_DESCRIPTION,
  NAME_PATTERN,
  PENDING_WINDOW_DAYS,
  REGION_PATTERN,
} from "../../clouds/facts/volcengine-kms";
import { excerpt, isUnknown } from "../common/check";

// Inputs of a ReplicaKey: a Volcengine KMS multi-region primary key (by ID, or by keyring and key name) and the
// region to replicate it to, within the limits of src/clouds/facts/volcengine-kms.ts.

export const DEFAULT_TIMEOUT_SECONDS = 300;

const nameField = () =>
  z.string().regex(NAME_PATTERN, "must be 2 to 31 characters of letters, digits, '-' and '_'");
const regionField = () =>
  z.string().regex(REGION_PATTERN, "must be a Volcengine region ID such as cn-beijing");

export const inputsSchema = z
  .object({
    keyId: z
      .string()
      .regex(
        KEY_ID_PATTERN,
        "must be the primary key's ID, a UUID such as 39a0e7c6-b7dd-4c83-b400-3449bb95403a",
      )
      .optional(),
    keyringName: nameField().optional(),
    keyName: nameField().optional(),
    primaryRegion: regionField(),
    replicaRegion: regionField(),
    description: z.string().max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`).default(""),
    pendingWindowInDays: z
      .number()
      .int()
      .min(PENDING_WINDOW_DAYS.min, `must be ${PENDING_WINDOW_DAYS.min} to ${PENDING_WINDOW_DAYS.max} (days)`)
      .max(PENDING_WINDOW_DAYS.max, `must be ${PENDING_WINDOW_DAYS.min} to ${PENDING_WINDOW_DAYS.max} (days)`)
      .default(PENDING_WINDOW_DAYS.default),
    timeoutSeconds: z
      .number()
      .int()
      .positive("must be a positive whole number of seconds")
      .max(86_400, "must be at most 86400 (one day)")
      .default(DEFAULT_TIMEOUT_SECONDS),
  })
  .superRefine((v, ctx) => {
    // Rules across fields are judged only once every field they read is known.
    const byId = v.keyId !== undefined;
    const byName = v.keyringName !== undefined || v.keyName !== undefined;
    if (!isUnknown([v.keyId, v.keyringName, v.keyName])) {
      if (byId && byName) {
        ctx.addIssue({
          code: "custom",
          path: ["keyId"],
          message: "set either keyId, or keyringName with keyName, to name the primary key: not both",
        });
      } else if (!byId && !byName) {
        ctx.addIssue({
          code: "custom",
          path: ["keyId"],
          message: "name the primary key: set keyId, or keyringName with keyName",
        });
      } else if (byName && v.keyringName === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["keyringName"],
          message: "is needed with keyName to name the primary key",
        });
      } else if (byName && v.keyName === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["keyName"],
          message: "is needed with keyringName to name the primary key",
        });
      }
    }
    if (!isUnknown([v.primaryRegion, v.replicaRegion]) && v.primaryRegion === v.replicaRegion) {
      ctx.addIssue({
        code: "custom",
        path: ["replicaRegion"],
        message: `must differ from primaryRegion (both are '${excerpt(v.primaryRegion)}'): a replica lives in another region`,
      });
    }
  });

export type Inputs = z.output<typeof inputsSchema>;

/** The primary key as the user named it. */
export type PrimaryRef = { keyId: string } | { keyringName: string; keyName: string };

export function primaryRef(inputs: Pick<Inputs, "keyId" | "keyringName" | "keyName">): PrimaryRef {
  if (inputs.keyId !== undefined) return { keyId: inputs.keyId };
  return { keyringName: inputs.keyringName as string, keyName: inputs.keyName as string };
}

/** The names of the input properties (kept in state beside the outputs). */
export const INPUT_NAMES = [
  "keyId",
  "keyringName",
  "keyName",
  "primaryRegion",
  "replicaRegion",
  "description",
  "pendingWindowInDays",
  "timeoutSeconds",
] as const;

/** Outputs: the inputs as given, plus what the cloud shows of the replica. */
export interface Outputs extends Inputs {
  /** The replica's key ID (a replica shares its primary's ID). */
  replicaKeyId: string;
  /** The replica's TRN, in the replica region. */
  trn: string;
  keyState: string;
  keySpec?: string;
  keyUsage?: string;
  /** REPLICA while the link to the primary holds. */
  multiRegionKeyType?: string;
  primaryKeyTrn?: string;
  primaryKeyRegion?: string;
  creationDate?: number;
  updateDate?: number;
}

/** The resource ID: the replica's region and key ID, all that read and delete need. */
export function createResourceId(replicaRegion: string, keyId: string): string {
  return `${replicaRegion}:${keyId}`;
}

export function parseResourceId(id: string): { replicaRegion: string; keyId: string } {
  const i = id.indexOf(":");
  if (i <= 0 || i === id.length - 1) {
    throw new Error(
      `ReplicaKey ID '${id}' is not '<replicaRegion>:<keyId>' (e.g. cn-shanghai:39a0e7c6-b7dd-4c83-b400-3449bb95403a). ` +
        `'pulumi import keylink:volcengine:ReplicaKey <name> <replicaRegion>:<keyId>' expects that form; for a ` +
        `damaged state, remove the resource with 'pulumi state delete <urn>' and declare it again (an existing ` +
        `replica is adopted).`,
    );
  }
  return { replicaRegion: id.slice(0, i), keyId: id.slice(i + 1) };
}
