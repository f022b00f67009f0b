import { z } from "zod";
import { excerpt, isUnknown } from "../common/check";

// Inputs of a ReplicaKey: a Volcengine KMS multi-region primary key (by ID, or by keyring and key name) and the
// region to replicate it to. Limits are those of ReplicateKey (https://volcengine.com/docs/6476/1438471) and
// ScheduleKeyDeletion.

/** KeyringName and KeyName: 2 to 31 characters of [a-zA-Z0-9-_]. */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{2,31}$/;
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Volcengine region IDs look like cn-beijing, ap-southeast-1. */
const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;
export const MAX_DESCRIPTION = 8192;
export const DEFAULT_PENDING_WINDOW_DAYS = 7;
export const DEFAULT_TIMEOUT_SECONDS = 300;

const nameField = () =>
  z.string().regex(NAME_PATTERN, "must be 2 to 31 characters of letters, digits, '-' and '_'");
const regionField = () =>
  z.string().regex(REGION_PATTERN, "must be a Volcengine region ID such as cn-beijing");

export const replicaKeyInputSchema = z
  .object({
    keyId: z
      .string()
      .regex(
        UUID_PATTERN,
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
      .min(7, "must be 7 to 30 (days)")
      .max(30, "must be 7 to 30 (days)")
      .default(DEFAULT_PENDING_WINDOW_DAYS),
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

export type ReplicaKeyInputs = z.output<typeof replicaKeyInputSchema>;

/** The primary key as the user named it. */
export type PrimaryRef = { keyId: string } | { keyringName: string; keyName: string };

export function primaryRef(inputs: Pick<ReplicaKeyInputs, "keyId" | "keyringName" | "keyName">): PrimaryRef {
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

/** A Volcengine KMS key as DescribeKey and ReplicateKey answer it (the fields this resource reads). */
export interface VolcKey {
  ID: string;
  KeyName: string;
  KeySpec?: string;
  KeyUsage?: string;
  Description?: string;
  KeyState: string;
  Trn: string;
  CreationDate?: number;
  UpdateDate?: number;
  /** RFC 3339, empty when no deletion is scheduled. */
  ScheduleDeleteTime?: string;
  MultiRegion?: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType?: string;
    PrimaryKey?: { Trn?: string; Region?: string };
    ReplicaKeys?: Array<{ Trn?: string; Region?: string }>;
  } | null;
}

/** Outputs: the inputs as given, plus what the cloud shows of the replica. */
export interface ReplicaKeyState extends ReplicaKeyInputs {
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
