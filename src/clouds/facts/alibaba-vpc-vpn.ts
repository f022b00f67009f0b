// Facts of Alibaba Cloud IPsec-VPN connections (VPC API 2016-04-28) that both the VpnConnectionConfig provider and
// the emulator use. Unless a comment names another page, each comes from ModifyVpnConnectionAttribute:
// https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns

/** IkeConfig.IkeVersion; a national-cryptography (SM) gateway negotiates ikev1 only. */
export const IKE_VERSIONS = ["ikev1", "ikev2"] as const;
export const SM_IKE_VERSIONS = ["ikev1"] as const;
/** IkeConfig.IkeMode; an SM gateway negotiates in main mode only. */
export const IKE_MODES = ["main", "aggressive"] as const;
export const SM_IKE_MODES = ["main"] as const;

/** IkeEncAlg / IpsecEncAlg of a normal gateway; an SM gateway (VpnType NationalStandard) takes sm4 only. */
export const ENC_ALGS = ["aes", "aes192", "aes256", "des", "3des"] as const;
/** IkeAuthAlg / IpsecAuthAlg of a normal gateway; an SM gateway takes sm3 only. */
export const AUTH_ALGS = ["md5", "sha1", "sha256", "sha384", "sha512"] as const;
export const SM_ENC_ALG = "sm4";
export const SM_AUTH_ALG = "sm3";

/** IkeConfig.IkePfs: the Diffie-Hellman groups of phase one. */
export const IKE_PFS = ["group1", "group2", "group5", "group14"] as const;
/** IpsecConfig.IpsecPfs: the same groups, or no PFS. */
export const IPSEC_PFS = ["disabled", ...IKE_PFS] as const;

/** IkeLifetime and IpsecLifetime: 0 to 86400 seconds. */
export const MAX_LIFETIME_SECONDS = 86400;

/** Psk: 1 to 100 characters, letters, digits and the characters listed (no space). */
export const PSK_MAX_LENGTH = 100;
export const PSK_SPECIAL_CHARACTERS = "~!`@#$%^&*()_-+={}[]|;:',.<>/?";
export const PSK_PATTERN = /^[A-Za-z0-9~!`@#$%^&*()_\-+={}[\]|;:',.<>/?]{1,100}$/;

/** LocalId and RemoteId: at most 100 characters, no spaces. */
export const IKE_IDENTIFIER_MAX_LENGTH = 100;

/** Name: 1 to 100 characters, not starting with http:// or https://. */
export const CONNECTION_NAME_MAX_LENGTH = 100;

/** BGP LocalAsn: 1 to 4294967295; the single-tunnel form also takes two segments "high.low". */
export const MAX_ASN = 4294967295;

/** TunnelCidr: a /30 block of 169.254.0.0/16 that is not one of these, which Alibaba keeps for itself. */
export const RESERVED_TUNNEL_CIDRS: readonly string[] = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.6.0/30",
  "169.254.169.252/30",
];

/**
 * The IKE fields that single-tunnel connections of one VPN gateway and one customer gateway must share
 * (VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs: "the same pre-shared key and IKE configuration");
 * the local and remote identifiers may differ.
 */
export const SHARED_IKE_FIELDS = [
  "psk",
  "ikeVersion",
  "ikeMode",
  "ikeEncAlg",
  "ikeAuthAlg",
  "ikePfs",
  "ikeLifetime",
] as const;

/** The fields of IkeConfig and TunnelIkeConfig (JSON objects; the names in the API's camelCase). */
export const IKE_CONFIG_FIELDS = [...SHARED_IKE_FIELDS, "localId", "remoteId"] as const;
