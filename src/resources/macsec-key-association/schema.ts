import { z } from "zod";
import {
  type KeyStatus,
  MACSEC_CIPHER_SUITES,
  MACSEC_KEY_HEX,
  PHYSICAL_CONNECTION_ID,
  macsecKeyHexLength,
} from "../../clouds/facts/alibaba-vpc-macsec";

// Inputs of MacsecKeyAssociation, validated and normalised in check() as AssociateMacSecKey
// (https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-associatemacseckey-express-connect)
// would judge them, with the API's facts from src/clouds/facts/alibaba-vpc-macsec.ts.

export type { CipherSuite, KeyStatus } from "../../clouds/facts/alibaba-vpc-macsec";

export const DEFAULT_TIMEOUT_SECONDS = 600;

// The cloud upper-cases CKN and CAK; normalising here keeps state equal to what the cloud shows, so a
// lower-case input does not read back as drift.
const hex = (what: string) =>
  z
    .string()
    .regex(MACSEC_KEY_HEX, `${what} must contain hexadecimal characters only (0-9, A-F)`)
    .transform((s) => s.toUpperCase());

export const inputsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]+(-[a-z0-9]+)+$/, "must be an Alibaba Cloud region id such as cn-hangzhou"),
    physicalConnectionId: z
      .string()
      .regex(PHYSICAL_CONNECTION_ID, "must be a physical connection id such as pc-bp1..."),
    cipherSuite: z.enum(MACSEC_CIPHER_SUITES, {
      message: `must be one of ${MACSEC_CIPHER_SUITES.join(", ")}`,
    }),
    ckn: hex("the key name (CKN)"),
    cak: hex("the key (CAK)"),
    active: z.boolean().default(true),
    timeoutSeconds: z.number().int().min(1).max(86400).optional(),
  })
  .superRefine((v, ctx) => {
    const len = macsecKeyHexLength(v.cipherSuite);
    for (const f of ["ckn", "cak"] as const) {
      // The message never repeats the value: cak is a secret.
      if (v[f].length !== len) {
        ctx.addIssue({
          code: "custom",
          path: [f],
          message: `must be ${len} hex characters for ${v.cipherSuite} (got ${v[f].length})`,
        });
      }
    }
  });

export type Inputs = z.output<typeof inputsSchema>;

/** What the resource keeps in state: the inputs plus what the cloud shows. */
export interface Outputs extends Inputs {
  /** The key's status on the connection, as DescribePhysicalConnections shows it. */
  status: KeyStatus;
  /** When the key last became the active key (the cloud's StartOn). */
  startOn: string;
  /**
   * The CKN holding the active role on the connection when last read (this key's or another's), or "" when none.
   * With `status`, it tells what an update will do: which key loses the active role.
   */
  activeCkn: string;
}

/** Fields whose change replaces the key set: the cloud has no way to modify a set in place. */
export const REPLACE_FIELDS = ["region", "physicalConnectionId", "cipherSuite", "ckn", "cak"] as const;

/**
 * The resource id, `<region>:<physicalConnectionId>:<CKN>`: everything read() needs to find the key set again.
 * (Terraform's CreateResourceID / ParseResourceID pair.)
 */
export function createResourceId(region: string, physicalConnectionId: string, ckn: string): string {
  return `${region}:${physicalConnectionId}:${ckn.toUpperCase()}`;
}

/** Reads an id written by createResourceId (every version so far wrote this form; a lower-case CKN is upper-cased). */
export function parseResourceId(id: string): { region: string; physicalConnectionId: string; ckn: string } {
  const parts = id.split(":");
  if (parts.length !== 3 || parts.some((p) => p === "")) {
    throw new Error(
      `'${id}' is not a MacsecKeyAssociation id: expected <region>:<physicalConnectionId>:<CKN>, e.g. ` +
        `cn-hangzhou:pc-bp1xxxx:<the CKN in hex>. Use that form where an id is given ('pulumi import', a ` +
        `resource's 'id' option), or run 'pulumi refresh' if the id came from the stack's state.`,
    );
  }
  const [region, physicalConnectionId, ckn] = parts;
  return { region, physicalConnectionId, ckn: ckn.toUpperCase() };
}
