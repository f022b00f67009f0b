// Facts of MACsec on Alibaba Cloud Express Connect dedicated physical connections (VPC API 2016-04-28) that both
// the MacsecKeyAssociation provider and the emulator use, each with the public page that states it.

// AssociateMacSecKey: https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-associatemacseckey-express-connect

/** CipherSuite of AssociateMacSecKey (AssociateMacSecKey). */
export const MACSEC_CIPHER_SUITES = [
  "GCM-AES-128",
  "GCM-AES-XPN-128",
  "GCM-AES-256",
  "GCM-AES-XPN-256",
] as const;
export type CipherSuite = (typeof MACSEC_CIPHER_SUITES)[number];

/** "You can configure a maximum of three sets of Ckn and Cak." (AssociateMacSecKey) */
export const MACSEC_KEY_SETS_PER_CONNECTION = 3;

/**
 * Ckn and Cak of AssociateMacSecKey (AssociateMacSecKey): hexadecimal only, lower case converted to upper; 32 characters
 * for GCM-AES-128 and GCM-AES-XPN-128, 64 for GCM-AES-256 and GCM-AES-XPN-256.
 */
export const MACSEC_KEY_HEX = /^[0-9A-Fa-f]+$/;

export function macsecKeyHexLength(suite: CipherSuite): number {
  return suite.endsWith("-256") ? 64 : 32;
}

/**
 * A key's Status as DescribePhysicalConnections
 * (https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-describephysicalconnections-express-connect)
 * documents it. AssociateMacSecKey and DisassociateMacSecKey
 * (https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-disassociatemacseckey-express-connect)
 * refuse writes while a key is "in an unstable state" (IncorrectStatus.PconnMacsec), so transitional statuses
 * exist; their names are not documented and follow the documented ones.
 */
export const MACSEC_SETTLED_STATUSES = ["Associated", "Disassociated", "AssociatedFailed"] as const;
export type SettledKeyStatus = (typeof MACSEC_SETTLED_STATUSES)[number];
export const MACSEC_TRANSITIONAL_STATUSES = ["Associating", "Disassociating"] as const;
export type KeyStatus = SettledKeyStatus | (typeof MACSEC_TRANSITIONAL_STATUSES)[number];

/** "MacSec can be configured only on a dedicated physical connection." (AssociateMacSecKey) */
export const MACSEC_PRODUCT_TYPE = "PhysicalConnection";

/**
 * The connection must be Enabled with BusinessStatus Normal for both writes (DisassociateMacSecKey's page; the
 * AssociateMacSecKey page asks for an Enabled, fully paid connection).
 */
export const MACSEC_CONNECTION_STATUS = "Enabled";
export const MACSEC_BUSINESS_STATUS = "Normal";

/** Physical connection id: "pc-" and letters or digits (AssociateMacSecKey's PhysicalConnectionId example pc-bp1...). */
export const PHYSICAL_CONNECTION_ID = /^pc-[A-Za-z0-9]+$/;
