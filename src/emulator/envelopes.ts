// Each cloud's response envelope, for a handler's payload and for a ServiceError.
import { errorExtras } from "./gateway-errors";
import type { ServiceError, WireProtocol } from "./types";

export interface ReplyMeta {
  requestId: string;
  action: string;
  version: string;
  service: string;
  region: string;
}

export interface Reply {
  status: number;
  body: unknown;
  /** The error code, for an error reply (Tencent errors are HTTP 200, so the status does not tell). */
  code?: string;
}

function asObject(payload: unknown): Record<string, unknown> {
  return typeof payload === "object" && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}

function volcengineMetadata(meta: ReplyMeta) {
  return {
    RequestId: meta.requestId,
    Action: meta.action,
    Version: meta.version,
    Service: meta.service,
    Region: meta.region,
  };
}

/** A new request id: upper-case UUID for Alibaba (as POP answers), lower-case elsewhere. */
export function newRequestId(protocol: WireProtocol | undefined, uuid: string): string {
  return protocol === "alibaba-rpc" ? uuid.toUpperCase() : uuid;
}

export function successReply(protocol: WireProtocol, meta: ReplyMeta, payload: unknown): Reply {
  const p = asObject(payload);
  switch (protocol) {
    case "alibaba-rpc":
      return { status: 200, body: { RequestId: meta.requestId, ...p } };
    case "volcengine":
      return { status: 200, body: { ResponseMetadata: volcengineMetadata(meta), Result: p } };
    case "tencent-tc3":
      return { status: 200, body: { Response: { ...p, RequestId: meta.requestId } } };
    case "tencent-legacy":
      return { status: 200, body: { code: 0, message: "", requestId: meta.requestId, ...p } };
  }
}

export function errorReply(protocol: WireProtocol, meta: ReplyMeta, err: ServiceError): Reply {
  const extras = errorExtras(err);
  switch (protocol) {
    case "alibaba-rpc": {
      const host = meta.service ? `${meta.service}.aliyuncs.com` : "aliyuncs.com";
      const recommend =
        `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}` +
        `&product=${encodeURIComponent(meta.service)}&requestId=${meta.requestId}`;
      return {
        status: err.httpStatus,
        code: err.code,
        body: {
          RequestId: meta.requestId,
          HostId: host,
          Code: err.code,
          Message: err.message,
          Recommend: recommend,
        },
      };
    }
    case "volcengine": {
      const error: Record<string, unknown> = {};
      if (extras.codeN !== undefined) error.CodeN = extras.codeN;
      error.Code = err.code;
      error.Message = err.message;
      return {
        status: err.httpStatus,
        code: err.code,
        body: { ResponseMetadata: { ...volcengineMetadata(meta), Error: error } },
      };
    }
    case "tencent-tc3":
      // Tencent answers every API error with HTTP 200; the SDK reads Response.Error.
      return {
        status: 200,
        code: err.code,
        body: { Response: { Error: { Code: err.code, Message: err.message }, RequestId: meta.requestId } },
      };
    case "tencent-legacy": {
      // Legacy codes are numbers; a model that raised a 3.0-style string code gets 4000 (or 6000 for a 5xx)
      // with its code kept in codeDesc.
      const numeric = /^\d+$/.test(err.code);
      const code = numeric ? Number(err.code) : err.httpStatus >= 500 ? 6000 : 4000;
      const codeDesc = extras.codeDesc ?? (numeric ? undefined : err.code);
      return {
        status: 200,
        code: String(code),
        body: { code, message: err.message, ...(codeDesc ? { codeDesc } : {}), requestId: meta.requestId },
      };
    }
  }
}
