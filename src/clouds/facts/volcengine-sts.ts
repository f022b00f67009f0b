// Facts of Volcengine STS that both the credential chain (src/clouds/volcengine-credentials.ts) and the
// emulator's STS service use, from the AssumeRole page (https://www.volcengine.com/docs/6257/86374).

/** The API version every STS call names. */
export const STS_VERSION = "2018-01-01";

/** The service's endpoint. */
export const STS_HOST = "sts.volcengineapi.com";
