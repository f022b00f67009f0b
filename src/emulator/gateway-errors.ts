// Errors the clouds' API gateways answer before a request reaches a service: authentication, routing, malformed
// requests and internal failures, each in the cloud's own codes. Service models raise their own codes.
import { ServiceError } from "./types";

/**
 * Optional extras a ServiceError may carry, read by the envelopes: Volcengine's numeric `CodeN`, and the
 * Tencent legacy API's `codeDesc`. Any ServiceError (also one thrown by a model) may set them.
 */
export interface ErrorExtras {
  codeN?: number;
  codeDesc?: string;
}

export function gatewayError(code: string, message: string, httpStatus: number, extras: ErrorExtras = {}) {
  return Object.assign(new ServiceError(code, message, httpStatus), extras);
}

export function errorExtras(err: ServiceError): ErrorExtras {
  const e = err as ServiceError & Partial<Record<keyof ErrorExtras, unknown>>;
  return {
    codeN: typeof e.codeN === "number" ? e.codeN : undefined,
    codeDesc: typeof e.codeDesc === "string" ? e.codeDesc : undefined,
  };
}

/** The errors every protocol's gateway must be able to answer. */
export interface GatewayErrors {
  missingParameter(name: string): ServiceError;
  invalidAction(action: string, version: string): ServiceError;
  invalidVersion(version: string): ServiceError;
  serviceNotFound(service: string): ServiceError;
  badBody(reason: string): ServiceError;
  tooLarge(limitBytes: number): ServiceError;
  internal(): ServiceError;
}

/**
 * The POP gateway's answer for a required parameter that was not sent: `Missing<Param>`, e.g. MissingRegionId,
 * "RegionId is mandatory for this action.". Sources read: the VPC public error codes page
 * (https://help.aliyun.com/en/vpc/developer-reference/api-vpc-2016-04-28-errorcodes) lists only service codes
 * (MissingParam.TagKey ...); the gateway's Missing<Param> form is what Alibaba's CLI users report for a call
 * without a region (MissingRegionId), and what issue 10 of this project observed. Chosen over the generic
 * MissingParameter because it names the parameter in the code, as the gateway does. A service's own documented
 * code (MissingParameter.TunnelCidr) stays the service's.
 */
export function alibabaMissing(name: string): ServiceError {
  return gatewayError(`Missing${name}`, `${name} is mandatory for this action.`, 400);
}

// Alibaba POP gateway. Codes and messages from Alibaba's common error list (reference §4.6); statuses of the
// auth codes are unconfirmed, and follow the usual POP pattern (4xx client errors, 404 for "not found").
export const alibabaErrors = {
  missingParameter: (name: string) => alibabaMissing(name),
  invalidAction: (action: string) =>
    gatewayError(
      "InvalidAction.NotFound",
      `Specified api "${action}" is not found, please check your url and method.`,
      404,
    ),
  invalidVersion: (version: string) =>
    gatewayError("InvalidVersion", `Specified parameter Version "${version}" is not valid.`, 400),
  serviceNotFound: (service: string) =>
    gatewayError("InvalidProduct.NotFound", `Specified product "${service}" is not found.`, 404),
  badBody: (reason: string) => gatewayError("InvalidParameter", reason, 400),
  // Unconfirmed: the real gateway's answer to an oversized body is not documented.
  tooLarge: (limit: number) =>
    gatewayError("RequestEntityTooLarge", `The request body is larger than ${limit} bytes.`, 413),
  internal: () =>
    gatewayError(
      "InternalError",
      "The request processing has failed due to some unknown error, exception or failure.",
      500,
    ),
  invalidAccessKeyId: () =>
    gatewayError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404),
  signatureDoesNotMatch: () =>
    gatewayError("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", 400),
  incompleteSignature: (what: string) =>
    gatewayError(
      "IncompleteSignature",
      `The request signature does not conform to Aliyun standards: ${what}.`,
      400,
    ),
  timestampFormat: () =>
    gatewayError("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", 400),
  timestampExpired: () =>
    gatewayError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400),
  nonceUsed: () => gatewayError("SignatureNonceUsed", "Specified signature nonce was used already.", 400),
  // STS token codes from Alibaba's common error list; statuses unconfirmed (POP's 400 for client errors).
  securityTokenExpired: () =>
    gatewayError("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.", 400),
  securityTokenMismatch: () =>
    gatewayError(
      "InvalidSecurityToken.MismatchWithAccessKey",
      "Specified SecurityToken mismatch with the AccessKey.",
      400,
    ),
} satisfies GatewayErrors & Record<string, (...args: never[]) => ServiceError>;

// Volcengine OpenAPI gateway: codes, CodeN and statuses from the common error table (reference §1.2).
export const volcengineErrors = {
  missingParameter: (name: string) =>
    gatewayError("MissingParameter", `The request is missing the required parameter ${name}.`, 400, {
      codeN: 100002,
    }),
  invalidAction: (action: string, version: string) =>
    gatewayError(
      "InvalidActionOrVersion",
      `Could not find operation ${action} for version ${version}.`,
      404,
      { codeN: 100008 },
    ),
  invalidVersion: (version: string) =>
    gatewayError("InvalidActionOrVersion", `Could not find version ${version}.`, 404, { codeN: 100008 }),
  serviceNotFound: (service: string) =>
    gatewayError("ServiceNotFound", `Could not find the service ${service}.`, 404, { codeN: 100007 }),
  badBody: (reason: string) => gatewayError("InvalidParameter", reason, 400),
  // Unconfirmed: not in the documented gateway table.
  tooLarge: (limit: number) =>
    gatewayError("RequestEntityTooLarge", `The request body is larger than ${limit} bytes.`, 413),
  internal: () => gatewayError("UndefinedError", "An unexpected error occurred in the service.", 500),
  missingRequestInfo: (what: string) =>
    gatewayError("MissingRequestInfo", `The request is missing ${what}.`, 400, { codeN: 100004 }),
  missingSignature: () =>
    gatewayError("MissingSignature", "The request does not carry a valid signature.", 401, { codeN: 100005 }),
  invalidTimestamp: () =>
    gatewayError(
      "InvalidTimestamp",
      "The request X-Date is invalid or out of the allowed time window.",
      400,
      {
        codeN: 100006,
      },
    ),
  invalidAccessKey: () =>
    gatewayError("InvalidAccessKey", "The specified access key is invalid or does not exist.", 401, {
      codeN: 100009,
    }),
  signatureDoesNotMatch: (
    why = "The request signature we calculated does not match the signature you provided.",
  ) => gatewayError("SignatureDoesNotMatch", why, 401, { codeN: 100010 }),
  // The code for a bad X-Security-Token is unconfirmed (the public common error table does not list one).
  invalidSecurityToken: (problem: "missing" | "mismatch" | "expired") =>
    gatewayError(
      "InvalidSecurityToken",
      problem === "expired"
        ? "The security token included in the request is expired."
        : "The security token included in the request is invalid.",
      401,
    ),
} satisfies GatewayErrors & Record<string, (...args: never[]) => ServiceError>;

// Tencent Cloud API 3.0: every error is an HTTP 200 envelope; the status here is only what the log records.
export const tencentErrors = {
  missingParameter: (name: string) =>
    gatewayError("MissingParameter", `The parameter \`${name}\` is missing.`, 200),
  invalidAction: (action: string) =>
    gatewayError(
      "InvalidAction",
      `The requested action \`${action}\` is not supported for this product.`,
      200,
    ),
  invalidVersion: (version: string) =>
    gatewayError(
      "NoSuchVersion",
      `The requested version \`${version}\` does not exist for this product.`,
      200,
    ),
  serviceNotFound: (service: string) =>
    gatewayError("NoSuchProduct", `The product \`${service}\` does not exist.`, 200),
  badBody: (reason: string) => gatewayError("InvalidParameter", reason, 200),
  invalidParameter: (reason: string) => gatewayError("InvalidParameter", reason, 200),
  tooLarge: (limit: number) =>
    gatewayError("RequestSizeLimitExceeded", `The request body is larger than ${limit} bytes.`, 200),
  internal: () =>
    gatewayError(
      "InternalError",
      "An internal error has occurred. Retry your request, but if the problem persists, contact us.",
      200,
    ),
  invalidAuthorization: (what: string) =>
    gatewayError("AuthFailure.InvalidAuthorization", `The Authorization header is malformed: ${what}.`, 200),
  secretIdNotFound: () =>
    gatewayError(
      "AuthFailure.SecretIdNotFound",
      "The SecretId is not found, please ensure that your SecretId is correct.",
      200,
    ),
  signatureFailure: (
    why = "The provided credentials could not be validated. Please check your signature is correct.",
  ) => gatewayError("AuthFailure.SignatureFailure", why, 200),
  signatureExpire: () =>
    gatewayError(
      "AuthFailure.SignatureExpire",
      "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
      200,
    ),
  // AuthFailure.TokenFailure is the common code for a temporary credential's token, expired or not valid.
  tokenFailure: (problem: "missing" | "mismatch" | "expired") =>
    gatewayError(
      "AuthFailure.TokenFailure",
      problem === "expired" ? "The token has expired." : "The token is not valid for this SecretId.",
      200,
    ),
} satisfies GatewayErrors & Record<string, (...args: never[]) => ServiceError>;

// Tencent legacy (v2) API: numeric common codes (reference §2.3), HTTP 200. The codeDesc strings are unconfirmed.
export const tencentLegacyErrors = {
  missingParameter: (name: string) =>
    gatewayError("4000", `(100001) missing parameter: ${name}`, 200, { codeDesc: "MissingParameter" }),
  invalidAction: (action: string) =>
    gatewayError("4000", `(100002) the action ${action} does not exist`, 200, { codeDesc: "InvalidAction" }),
  invalidVersion: (version: string) =>
    gatewayError("4000", `(100003) the version ${version} is not supported`, 200, {
      codeDesc: "InvalidVersion",
    }),
  serviceNotFound: (service: string) =>
    gatewayError("4000", `(100004) the service ${service} does not exist`, 200, {
      codeDesc: "InvalidService",
    }),
  badBody: (reason: string) => gatewayError("4000", reason, 200, { codeDesc: "InvalidParameter" }),
  tooLarge: (limit: number) =>
    gatewayError("4000", `the request is larger than ${limit} bytes`, 200, { codeDesc: "RequestTooLarge" }),
  internal: () => gatewayError("6000", "internal server error", 200, { codeDesc: "InternalError" }),
  invalidParameter: (name: string) =>
    gatewayError("4000", `(100001) invalid parameter: ${name}`, 200, { codeDesc: "InvalidParameter" }),
  authFailure: (why: string) =>
    gatewayError("4100", `authentication failed: ${why}`, 200, { codeDesc: "AuthFailure" }),
  requestExpired: () => gatewayError("4200", "request expired", 200, { codeDesc: "RequestExpired" }),
  replay: () =>
    gatewayError("4500", "replay attack: the Nonce was used already", 200, { codeDesc: "ReplayAttack" }),
} satisfies GatewayErrors & Record<string, (...args: never[]) => ServiceError>;
