import { redact } from "./secrets";

export type CloudName = "alibaba" | "volcengine" | "tencent";

/**
 * How a failure should be handled, decided once at the client:
 * - throttled, busy, transient: retried with backoff under a deadline;
 * - not-found: callers decide (a read treats it as "gone");
 * - invalid-input, auth, fatal: surfaced at once.
 */
export type ErrorClass =
  "throttled" | "busy" | "transient" | "not-found" | "invalid-input" | "auth" | "fatal";

export interface CloudErrorInit {
  cloud: CloudName;
  action: string;
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  errorClass?: ErrorClass;
  /** What the user can do about it; appended to the message. */
  hint?: string;
}

/** Each cloud as messages name it. */
export const CLOUD_LABEL: Record<CloudName, string> = {
  alibaba: "Alibaba Cloud",
  volcengine: "Volcengine",
  tencent: "Tencent Cloud",
};

/** One error type for every cloud. The message keeps the cloud's code and request id and never a secret. */
export class CloudError extends Error {
  readonly cloud: CloudName;
  readonly action: string;
  readonly code: string;
  readonly cloudMessage: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly errorClass: ErrorClass;

  constructor(init: CloudErrorInit) {
    const cloudMessage = redact(init.message);
    const errorClass = init.errorClass ?? classify(init.cloud, init.code, init.httpStatus);
    const where = [
      init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : undefined,
      init.requestId ? `request id ${init.requestId}` : undefined,
    ]
      .filter(Boolean)
      .join(", ");
    const text =
      `${CLOUD_LABEL[init.cloud]} ${init.action} failed with ${init.code}: ${cloudMessage}` +
      (where ? ` (${where})` : "") +
      (init.hint ? `. ${redact(init.hint)}` : "");
    super(text);
    this.name = "CloudError";
    this.cloud = init.cloud;
    this.action = init.action;
    this.code = init.code;
    this.cloudMessage = cloudMessage;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.errorClass = errorClass;
  }

  /** The same error with advice for the user appended (what to do about it). */
  withHint(hint: string): CloudError {
    return new CloudError({
      cloud: this.cloud,
      action: this.action,
      code: this.code,
      message: this.cloudMessage,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      errorClass: this.errorClass,
      hint,
    });
  }
}

export function isCloudError(e: unknown, ...codes: string[]): e is CloudError {
  return e instanceof CloudError && (codes.length === 0 || codes.includes(e.code));
}

export function isNotFound(e: unknown): e is CloudError {
  return e instanceof CloudError && e.errorClass === "not-found";
}

// Codes whose meaning is not evident from their shape. Checked before the generic patterns below.
const EXACT: Record<string, ErrorClass> = {
  // Alibaba gateway and VPC/KMS
  "InvalidAccessKeyId.NotFound": "auth",
  "InvalidAccessKeyId.Inactive": "auth",
  SignatureDoesNotMatch: "auth",
  SignatureNonceUsed: "auth",
  IncompleteSignature: "auth",
  "InvalidTimeStamp.Expired": "auth",
  "InvalidTimeStamp.Format": "auth",
  "Forbidden.RAM": "auth",
  "InvalidSecurityToken.Expired": "auth",
  "InvalidSecurityToken.MismatchWithAccessKey": "auth",
  "InvalidSecurityToken.Malformed": "auth",
  "Forbbiden.SubUser": "auth",
  Forbidden: "auth",
  "VpnTask.CONFLICT": "busy",
  "VpnGateway.Configuring": "busy",
  "VpnConnection.Configuring": "busy",
  "Appliance.Configuring": "busy",
  TaskConflict: "busy",
  "IncorrectStatus.PconnMacsec": "busy",
  // Alibaba VPN returns UnknownError while a gateway is configuring.
  UnknownError: "transient",
  ServiceUnavailable: "transient",
  InternalError: "transient",
  "Forbidden.KeyNotFound": "not-found",
  "Forbidden.AliasNotFound": "not-found",
  "Forbidden.ResourceNotFound": "not-found",
  // An unknown action or service is not a missing resource: a read must not treat it as "gone".
  "InvalidAction.NotFound": "invalid-input",
  "InvalidProduct.NotFound": "fatal",
  // Volcengine
  "Reject.Throttling.Action": "throttled",
  "Not Found": "not-found",
  NotFound: "not-found",
  ServiceNotFound: "fatal",
  InvalidAccessKey: "auth",
  InvalidSecurityToken: "auth",
  MissingAuthenticationToken: "auth",
  MissingSignature: "auth",
  InvalidTimestamp: "auth",
  AccessDenied: "auth",
  LackPolicy: "auth",
  UndefinedError: "transient",
  // Tencent
  "ResourceUnavailable.CmkNotFound": "not-found",
  ResourceNotFound: "not-found",
  UnauthorizedOperation: "auth",
  // Network failures reported by Node
  ECONNRESET: "transient",
  ETIMEDOUT: "transient",
  EPIPE: "transient",
  ECONNABORTED: "transient",
  EAI_AGAIN: "transient",
  RequestTimeout: "transient",
  // Nothing listens at the endpoint: retrying will not help, and the hint says what to start.
  ECONNREFUSED: "fatal",
};

/**
 * Codes with which each cloud refuses a temporary credential whose token expired: Alibaba
 * InvalidSecurityToken.Expired, Tencent AuthFailure.TokenFailure (expired or not valid: the code does not tell),
 * Volcengine InvalidSecurityToken. The client then resolves fresh credentials and retries once.
 */
const EXPIRED_TOKEN: Record<CloudName, string[]> = {
  alibaba: ["InvalidSecurityToken.Expired"],
  tencent: ["AuthFailure.TokenFailure"],
  volcengine: ["InvalidSecurityToken"],
};

export function isExpiredToken(e: unknown): e is CloudError {
  return e instanceof CloudError && EXPIRED_TOKEN[e.cloud].includes(e.code);
}

/** Classifies a cloud's error code, by exact code first, then by shape, then by HTTP status. */
export function classify(cloud: CloudName, code: string, httpStatus?: number): ErrorClass {
  if (EXACT[code]) return EXACT[code];
  if (/throttl|RequestLimitExceeded|TooManyRequests/i.test(code)) return "throttled";
  if (/^OperationConflict/.test(code)) return "busy";
  if (/^AuthFailure/.test(code)) return "auth";
  if (/^ResourceNotFound\.|\.NotFound$|NotFound$/.test(code)) return "not-found";
  // Missing covers the POP gateway's Missing<Param> (MissingRegionId); MissingSignature is in EXACT as auth.
  if (/^(IllegalParam|InvalidParameter|InvalidParam|Missing|UnknownParameter|Invalid)/.test(code))
    return "invalid-input";
  if (cloud === "tencent" && /^InternalError/.test(code)) return "transient";
  if (httpStatus !== undefined && httpStatus >= 500) return "transient";
  return "fatal";
}
