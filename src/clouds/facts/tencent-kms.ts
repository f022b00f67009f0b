// Facts of Tencent Cloud KMS (API 3.0, 2019-01-18, and the legacy API 2.0 CreateKey) that both the Cmk provider's
// rules and the emulator's model use, each with the public page that states it. The rule logic stays on each
// side; only the facts are shared.

/**
 * Region ids. Tencent Cloud's "Request Structure" pages (e.g. https://tencentcloud.com/document/api/1160/51323)
 * list ids of two words (ap-guangzhou) and note the isolated financial zones, whose ids carry a word suffix
 * (ap-shanghai-fsi, ap-shenzhen-fsi): lower-case words joined by '-', the last part possibly with digits.
 */
export const TENCENT_REGION_PATTERN = /^[a-z]+-[a-z]+(-[a-z0-9]+)*$/;

/**
 * The legacy API 2.0's common parameters, sent with every action beside its own
 * (https://cloud.tencent.com/document/api/215/1693).
 */
export const LEGACY_COMMON_PARAMS: readonly string[] = [
  "Action",
  "Region",
  "Timestamp",
  "Nonce",
  "SecretId",
  "Signature",
  "SignatureMethod",
  "Token",
];

/**
 * The legacy API 2.0 names regions by short codes in its common parameter `Region` ("gz" for Guangzhou in the
 * legacy CreateKey page's example, https://cloud.tencent.com/document/product/573/8893). Full name → short code.
 */
export const LEGACY_REGION_CODES: Readonly<Record<string, string>> = {
  "ap-guangzhou": "gz",
  "ap-shanghai": "sh",
  "ap-beijing": "bj",
  "ap-chengdu": "cd",
  "ap-chongqing": "cq",
  "ap-nanjing": "nj",
  "ap-hongkong": "hk",
  "ap-singapore": "sg",
  "ap-bangkok": "th",
  "ap-mumbai": "in",
  "ap-seoul": "kr",
  "ap-tokyo": "jp",
  "na-siliconvalley": "usw",
  "na-ashburn": "use",
  "eu-frankfurt": "de",
};

/** The two APIs that create a CMK. */
export const KMS_APIS = ["3.0", "legacy-v2"] as const;
export type KmsApi = (typeof KMS_APIS)[number];

/**
 * Alias: letters, digits, '-' and '_', starting with a letter or digit, 1-60 characters for API 3.0 CreateKey
 * (https://cloud.tencent.com/document/api/573/34430, https://www.tencentcloud.com/document/api/1030/32199), which
 * UpdateAlias shares; the legacy CreateKey allows 1-32 characters (https://cloud.tencent.com/document/product/573/8893).
 */
export const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const ALIAS_MAX: Readonly<Record<KmsApi, number>> = { "3.0": 60, "legacy-v2": 32 };
/** Reserved for the keys cloud products create (CreateKey, https://www.tencentcloud.com/document/api/1030/32199). */
export const RESERVED_ALIAS_PREFIX = "kms-";

/** Whether API 3.0 accepts the alias (CreateKey and UpdateAlias). */
export function isApiAlias(alias: string): boolean {
  return (
    ALIAS_PATTERN.test(alias) && alias.length <= ALIAS_MAX["3.0"] && !alias.startsWith(RESERVED_ALIAS_PREFIX)
  );
}

/** Description: at most 1024 bytes (CreateKey, https://www.tencentcloud.com/document/api/1030/32199). */
export const DESCRIPTION_MAX_BYTES = 1024;

/** PendingWindowInDays: 7 to 30 (ScheduleKeyDeletion, https://www.tencentcloud.com/document/api/1030/32184). */
export const PENDING_WINDOW_DAYS = { min: 7, max: 30, default: 7 } as const;

/**
 * KeyState values of KeyMetadata, in ListKeyDetail's numbering of its KeyState filter (1 Enabled ... 5 Archived;
 * 0 is "all", https://cloud.tencent.com/document/api/573/34416).
 */
export const KEY_STATES = ["Enabled", "Disabled", "PendingDelete", "PendingImport", "Archived"] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** KeyMetadata.Origin: material made by KMS, or imported (CreateKey, https://www.tencentcloud.com/document/api/1030/32199). */
export const ORIGINS = ["TENCENT_KMS", "EXTERNAL"] as const;
export type Origin = (typeof ORIGINS)[number];

/** The legacy API's spelling of ENCRYPT_DECRYPT, its only key usage (https://cloud.tencent.com/document/product/573/8893). */
export const LEGACY_KEY_USAGE = "ENCRYPT/DECRYPT";

/**
 * KeyUsage values of a mainland region as ListAlgorithms answers them
 * (https://www.tencentcloud.com/document/api/1030/35177): the CreateKey reference
 * (https://www.tencentcloud.com/document/api/1030/32199) says the full list comes from ListAlgorithms, so the
 * provider asks it; this list is only what the emulator answers by default.
 */
export const DEFAULT_ALGORITHMS = {
  SymmetricAlgorithms: [
    { KeyUsage: "ENCRYPT_DECRYPT", Algorithm: "SM4" },
    { KeyUsage: "ENCRYPT_DECRYPT", Algorithm: "AES_256" },
  ],
  AsymmetricAlgorithms: [
    { KeyUsage: "ASYMMETRIC_DECRYPT_RSA_2048", Algorithm: "RSA_2048" },
    { KeyUsage: "ASYMMETRIC_DECRYPT_SM2", Algorithm: "SM2" },
  ],
  AsymmetricSignVerifyAlgorithms: [
    { KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2", Algorithm: "SM2" },
    { KeyUsage: "ASYMMETRIC_SIGN_VERIFY_ECC", Algorithm: "ECC" },
    { KeyUsage: "ASYMMETRIC_SIGN_VERIFY_RSA_2048", Algorithm: "RSA_2048" },
    { KeyUsage: "ASYMMETRIC_SIGN_VERIFY_ECDSA384", Algorithm: "ECDSA384" },
  ],
} as const;

export interface AlgorithmInfo {
  KeyUsage: string;
  Algorithm: string;
}

/** The KeyUsage values a ListAlgorithms answer offers, in its order, without repeats. */
export function keyUsagesOf(answer: {
  SymmetricAlgorithms?: AlgorithmInfo[];
  AsymmetricAlgorithms?: AlgorithmInfo[];
  AsymmetricSignVerifyAlgorithms?: AlgorithmInfo[];
}): string[] {
  const all = [
    ...(answer.SymmetricAlgorithms ?? []),
    ...(answer.AsymmetricAlgorithms ?? []),
    ...(answer.AsymmetricSignVerifyAlgorithms ?? []),
  ];
  return [...new Set(all.map((a) => a.KeyUsage))];
}

/**
 * The CMK quota when GetServiceStatus (https://www.tencentcloud.com/document/api/1030/32186) does not report
 * CmkLimit: "每个用户,在每个地区,最多可以创建1000个用户主密钥" (legacy CreateKey,
 * https://cloud.tencent.com/document/product/573/8893). One quota for both APIs: they create the same keys, and
 * the "(200)" in that page's error table (4510) is read as an older value of the same quota, since no page
 * documents a second, API-specific limit. Keys pending deletion still exist (CancelKeyDeletion brings them back)
 * and count.
 */
export const DEFAULT_CMK_LIMIT = 1000;

/**
 * CreateKey's `Type` per API: API 3.0 has 1 = material made by KMS, 2 = EXTERNAL
 * (https://www.tencentcloud.com/document/api/1030/32199); the legacy API 1 = normal, 2 = quantum
 * (https://cloud.tencent.com/document/product/573/8893).
 */
export const CREATE_TYPE = {
  "3.0": { kmsGenerated: 1, external: 2 },
  "legacy-v2": { normal: 1, quantum: 2 },
} as const;

/**
 * The error codes for "alias taken" and "quota used up": API 3.0's (tencentcloud-sdk-go kms/v20190118/errors.go)
 * and the legacy CreateKey's numeric ones (https://cloud.tencent.com/document/product/573/8893).
 */
export const ALIAS_EXISTS_CODES = ["InvalidParameterValue.AliasAlreadyExists", "4500"];
export const CMK_LIMIT_CODES = ["LimitExceeded.CmkLimitExceeded", "4510"];
