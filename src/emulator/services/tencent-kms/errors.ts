import { ALIAS_MAX, PENDING_WINDOW_DAYS, RESERVED_ALIAS_PREFIX } from "../../../clouds/facts/tencent-kms";
import { ServiceError } from "../../types";

// Tencent KMS API 3.0 error codes (tencentcloud-sdk-go kms/v20190118/errors.go plus the common codes).
// The wire layer renders them as {"Response": {"Error": {"Code", "Message"}, "RequestId"}} with HTTP 200.
export const kmsErrors = {
  missingParameter: (name: string) =>
    new ServiceError("MissingParameter", `The request is missing a required parameter \`${name}\`.`),
  unknownParameter: (name: string) =>
    new ServiceError("UnknownParameter", `The parameter \`${name}\` is not recognized.`),
  invalidParameter: (message: string) => new ServiceError("InvalidParameter", message),
  invalidParameterValue: (message: string) => new ServiceError("InvalidParameterValue", message),
  invalidAlias: (alias: string) =>
    new ServiceError(
      "InvalidParameterValue.InvalidAlias",
      `Alias \`${alias}\` is invalid: 1-${ALIAS_MAX["3.0"]} letters, digits, '-' or '_', starting with a letter ` +
        `or digit, and not starting with the reserved prefix '${RESERVED_ALIAS_PREFIX}'.`,
    ),
  aliasAlreadyExists: (alias: string) =>
    new ServiceError("InvalidParameterValue.AliasAlreadyExists", `Alias \`${alias}\` already exists.`),
  descriptionTooLong: (maxBytes: number) =>
    new ServiceError("InvalidParameterValue", `Description is longer than ${maxBytes} bytes.`),
  invalidKeyUsage: (usage: string) =>
    new ServiceError("InvalidParameterValue.InvalidKeyUsage", `KeyUsage \`${usage}\` is not supported.`),
  invalidType: (type: unknown) =>
    new ServiceError("InvalidParameterValue.InvalidType", `Type \`${String(type)}\` is invalid: use 1 or 2.`),
  invalidKeyId: (keyId: string) =>
    new ServiceError("InvalidParameterValue.InvalidKeyId", `KeyId \`${keyId}\` is not a valid key id.`),
  invalidPendingWindow: (days: unknown) =>
    new ServiceError(
      "InvalidParameter.InvalidPendingWindowInDays",
      `PendingWindowInDays \`${String(days)}\` is invalid: use an integer from ${PENDING_WINDOW_DAYS.min} to ` +
        `${PENDING_WINDOW_DAYS.max}.`,
    ),
  cmkLimitExceeded: (quota: number) =>
    new ServiceError(
      "LimitExceeded.CmkLimitExceeded",
      `The number of CMKs has reached the limit (${quota}).`,
    ),
  cmkNotFound: (keyId: string) =>
    new ServiceError("ResourceUnavailable.CmkNotFound", `The CMK \`${keyId}\` does not exist.`),
  cmkShouldBeDisabled: (keyId: string) =>
    new ServiceError(
      "ResourceUnavailable.CmkShouldBeDisabled",
      `The CMK \`${keyId}\` is not disabled; only a disabled CMK can be scheduled for deletion.`,
    ),
  cmkStateNotSupport: (keyId: string, state: string) =>
    new ServiceError(
      "ResourceUnavailable.CmkStateNotSupport",
      `The CMK \`${keyId}\` is ${state}; this operation is not supported in that state.`,
    ),
  cmkNotPendingDelete: (keyId: string) =>
    new ServiceError(
      "ResourceUnavailable.CmkNotPendingDelete",
      `The CMK \`${keyId}\` is not pending deletion, so its deletion cannot be cancelled.`,
    ),
};

/**
 * A legacy (API 2.0) error: `code` is the numeric code as a string; the wire layer renders
 * {code: <number>, message, codeDesc, requestId}. `codeDesc` carries the module code of the CreateKey table, which
 * tells the KMS 4500 "alias exists" apart from the common 4500 "replay attack".
 */
export class LegacyServiceError extends ServiceError {
  constructor(
    code: string,
    message: string,
    readonly codeDesc: string,
  ) {
    super(code, message, 200);
    this.name = "LegacyServiceError";
  }
}

// The CreateKey error table of the legacy document (https://cloud.tencent.com/document/product/573/8893), plus the
// common 4000 "invalid parameter".
export const legacyErrors = {
  invalidParameter: (message: string) => new LegacyServiceError("4000", message, "InvalidParameter"),
  keyUsage: () => new LegacyServiceError("4490", "string of KeyUsage must be ENCRYPT/DECRYPT", "10470"),
  aliasExists: () =>
    new LegacyServiceError(
      "4500",
      "alias is already existed in your account, please input another unique one",
      "10480",
    ),
  cmkLimit: () =>
    new LegacyServiceError("4510", "number of CMK in your account has reached the limit", "10610"),
  keySpec: () => new LegacyServiceError("4520", "keySpec value error", "10620"),
};
