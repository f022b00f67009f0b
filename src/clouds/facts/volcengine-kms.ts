// Facts of Volcengine KMS API 2021-02-18 that both the ReplicaKey provider and the emulator use, each with the
// public page that states it. Rules stay apart on each side; the facts are read once, here.

/**
 * KeyringName and KeyName: 2 to 31 characters of [a-zA-Z0-9-_] (CreateKey,
 * https://www.volcengine.com/docs/6476/1337064; ReplicateKey, https://www.volcengine.com/docs/6476/1438471).
 */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{2,31}$/;

/** A key's ID is a UUID (ReplicateKey's KeyID example, 39a0e7c6-b7dd-4c83-b400-3449bb95403a). */
export const KEY_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Region IDs, the credential scope of every request (ReplicateKey's ReplicaRegion example: cn-shanghai). */
export const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** Description: 0 to 8192 characters (CreateKey, ReplicateKey). */
export const MAX_DESCRIPTION = 8192;

/**
 * PendingWindowInDays: 7 to 30 days, 7 when omitted (ScheduleKeyDeletion,
 * https://www.volcengine.com/docs/6476/1337059).
 */
export const PENDING_WINDOW_DAYS = { min: 7, max: 30, default: 7 } as const;

/** KeySpec values (CreateKey). */
export const KEY_SPECS = [
  "SYMMETRIC_256",
  "SYMMETRIC_128",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "EC_P256",
  "EC_P256K",
  "EC_P384",
  "EC_P521",
  "EC_SM2",
] as const;

/** KeyUsage values (CreateKey). */
export const KEY_USAGES = ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"] as const;

/** Origin and ProtectionLevel values (CreateKey). */
export const ORIGINS = ["CloudKMS", "External"] as const;
export const PROTECTION_LEVELS = ["SOFTWARE", "HSM"] as const;

/** KeyState values of the Key structure (ReplicateKey's answer shows one: Enable). */
export const KEY_STATES = ["Enable", "Disable", "PendingDelete", "Archived", "PendingImport"] as const;
export type KeyState = (typeof KEY_STATES)[number];

/**
 * The state of a key scheduled for deletion; every key action but CancelKeyDeletion answers InvalidKeyStatus on it
 * (UpdateKey, https://www.volcengine.com/docs/6476/1337068).
 */
export const PENDING_DELETE: KeyState = "PendingDelete";

/** The state a replica reaches once its region shows it (ReplicateKey's answer). */
export const ENABLED: KeyState = "Enable";

/**
 * Regions Volcengine KMS is offered in, as DescribeRegions lists them (the volcengine-go-sdk model
 * service/kms/api_describe_regions.go; https://docs.byteplus.com/en/docs/kms/DescribeRegions). The provider asks
 * DescribeRegions; this table is what the emulator answers unless fixtures name others.
 */
export const KMS_REGIONS: readonly string[] = [
  "cn-beijing",
  "cn-shanghai",
  "cn-guangzhou",
  "cn-hongkong",
  "ap-southeast-1",
];
