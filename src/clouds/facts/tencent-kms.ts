// Facts of Tencent Cloud KMS API 3.0 (2019-01-18) that both the Cmk provider and the emulator use, each with the
// public page that states it.

/**
 * Region ids. Tencent Cloud's "Request Structure" pages (e.g. https://tencentcloud.com/document/api/1160/51323)
 * list ids of two words (ap-guangzhou) and note the isolated financial zones, whose ids carry a word suffix
 * (ap-shanghai-fsi, ap-shenzhen-fsi): lower-case words joined by '-', the last part possibly with digits.
 */
export const TENCENT_REGION_PATTERN = /^[a-z]+-[a-z]+(-[a-z0-9]+)*$/;

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
 * https://cloud.tencent.com/document/product/573/8893).
 */
export const DEFAULT_CMK_LIMIT = 1000;
