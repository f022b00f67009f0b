// Facts of Alibaba Cloud KMS API 2016-01-20 that both the ImportedKeyMaterial provider and the emulator use, each
// with the public page that states it. Rules stay apart on each side; the facts are read once, here.

/**
 * KeySpec values (CreateKey,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkey).
 */
export const KEY_SPECS = [
  "Aliyun_AES_256",
  "Aliyun_AES_128",
  "Aliyun_AES_192",
  "Aliyun_SM4",
  "RSA_2048",
  "RSA_3072",
  "EC_P256",
  "EC_P256K",
  "EC_SM2",
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

/** KeyUsage values (CreateKey, above). */
export const KEY_USAGES = ["ENCRYPT/DECRYPT", "SIGN/VERIFY"] as const;

/** Origin values (CreateKey, above); EXTERNAL keys take imported material. */
export const ORIGINS = ["Aliyun_KMS", "EXTERNAL"] as const;
export type Origin = (typeof ORIGINS)[number];

/** ProtectionLevel values (CreateKey, above). */
export const PROTECTION_LEVELS = ["SOFTWARE", "HSM"] as const;

/**
 * KeyState values (DescribeKey,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-describekey).
 */
export const KEY_STATES = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** The states of a key that holds usable material (PendingImport: none, or expired). */
export const MATERIAL_STATES: readonly string[] = ["Enabled", "Disabled"];

/**
 * Wrapping algorithms of the RSA_2048 wrapping key (GetParametersForImport,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getparametersforimport).
 * The same page offers EC_SM2 with SM2PKE for HSM keys, which neither this package nor the emulator models.
 */
export const WRAPPING_ALGORITHMS = ["RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

/** WrappingKeySpec values (GetParametersForImport, above). */
export const WRAPPING_KEY_SPECS = ["RSA_2048", "EC_SM2"] as const;

/** "Dedicated KMS does not support RSAES_OAEP_SHA_1" (GetParametersForImport, above). */
export const DEDICATED_KMS_UNSUPPORTED_WRAPPING: WrappingAlgorithm = "RSAES_OAEP_SHA_1";

/** An import token (and its public key) is valid for 24 hours (GetParametersForImport, above). */
export const IMPORT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Largest KeyMaterialExpireUnix (ImportKeyMaterial,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-importkeymaterial:
 * a Long, which JSON carries exactly up to 2^53 - 1).
 */
export const MAX_EXPIRE_UNIX = 9007199254740991;

/**
 * Material sizes of the symmetric specs (ImportKeyMaterial, above: 256 bits for Aliyun_AES_256, 128 for
 * Aliyun_SM4). KMS also imports RSA and EC material into software keys
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/import-key-material-into-an-asymmetric-key);
 * neither this package nor the emulator builds that envelope.
 */
export const MATERIAL_BYTES: Readonly<Partial<Record<string, number>>> = {
  Aliyun_AES_256: 32,
  Aliyun_SM4: 16,
};

/**
 * PendingWindowInDays from 7 to 366 (ScheduleKeyDeletion,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-schedulekeydeletion).
 */
export const PENDING_WINDOW_DAYS = { min: 7, max: 366 } as const;
