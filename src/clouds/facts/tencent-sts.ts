// Facts of Tencent Cloud STS that both the credential chain (src/clouds/tencent-credentials.ts) and the
// emulator's STS service use, from the AssumeRole page (https://www.tencentcloud.com/document/product/1150/43296).

/** The API version every STS call names. */
export const STS_VERSION = "2018-08-13";

/** The service's endpoint. */
export const STS_ENDPOINT = "sts.tencentcloudapi.com";
