// The parameters of the clouds' published signing examples, shared by the tests of our signers, of the SDKs we
// delegate signing to and of the emulator's signature checks, so that each example is written down once (each
// test states the string to sign and the signature it expects).

/**
 * Alibaba Cloud RPC (HMAC-SHA1): the ECS DescribeRegions example of the signature documentation
 * (https://help.aliyun.com/document_detail/25492.html), secret "testsecret", sent as GET; every parameter but
 * Signature.
 */
export const ALIBABA_RPC_VECTOR_PARAMS: Record<string, string> = {
  AccessKeyId: "testid",
  Action: "DescribeRegions",
  Format: "XML",
  SignatureMethod: "HMAC-SHA1",
  SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
  SignatureVersion: "1.0",
  Timestamp: "2016-02-23T12:46:24Z",
  Version: "2014-05-26",
};

/**
 * Tencent Cloud API 2.0 (legacy, HmacSHA1/HmacSHA256): the CVM DescribeInstances example of the signature
 * documentation (https://cloud.tencent.com/document/product/215/1693), sent as GET to cvm.api.qcloud.com; the
 * parameters but SignatureMethod, which the string to sign embeds like any other.
 */
export const TENCENT_LEGACY_VECTOR_PARAMS: Record<string, string> = {
  Action: "DescribeInstances",
  "InstanceIds.0": "ins-09dx96dg",
  Nonce: "11886",
  Region: "ap-guangzhou",
  SecretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
  Timestamp: "1465185768",
};
