import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorCloud, WireProtocol } from "../types";
import type { GatewayErrors } from "../gateway-errors";
import type { AuthEnv } from "../signatures/common";

/** An HTTP request as received, body read (up to the size cap). */
export interface RawRequest {
  method: string;
  /** Path as received, not decoded. */
  path: string;
  /** Query string as received, without "?". */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body exceeded the cap; `body` then holds only its beginning. */
  tooLarge: boolean;
}

export function header(raw: RawRequest, name: string): string | undefined {
  const v = raw.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}

export function queryPairs(raw: RawRequest): Array<[string, string]> {
  return [...new URLSearchParams(raw.rawQuery)];
}

function contentType(raw: RawRequest): string {
  return (header(raw, "content-type") ?? "").toLowerCase();
}

export function isForm(raw: RawRequest): boolean {
  return contentType(raw).includes("application/x-www-form-urlencoded");
}

/** Form-encoded body pairs; empty unless the body is a form. */
export function formPairs(raw: RawRequest): Array<[string, string]> {
  return isForm(raw) ? [...new URLSearchParams(raw.body.toString("utf8"))] : [];
}

/** Pairs to a record; a repeated key keeps its last value. (fromEntries defines own properties, so a
 * "__proto__" key stays a plain key.) */
export function lastValues(pairs: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(pairs);
}

/** Region of a regional Alibaba endpoint in the Host header ("cn-hangzhou" from kms.cn-hangzhou.aliyuncs.com). */
export function aliyunHostRegion(raw: RawRequest): string | undefined {
  const host = (header(raw, "host") ?? "").toLowerCase();
  return /^[a-z0-9-]+\.([a-z]+-[a-z0-9-]+)\.aliyuncs\.com(:\d+)?$/.exec(host)?.[1];
}

/** First DNS label of the Host header ("vpc" from vpc.aliyuncs.com, "127" from 127.0.0.1:4577). */
export function hostLabel(raw: RawRequest): string {
  return (header(raw, "host") ?? "").split(".")[0].split(":")[0];
}

/** Parses a JSON body that must be an object; empty body → {}. Throws via `bad` otherwise. */
export function jsonObjectBody(raw: RawRequest, bad: (reason: string) => Error): Record<string, unknown> {
  const text = raw.body.toString("utf8").trim();
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad("The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad("The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** A request whose cloud is known and whose common parameters were read. */
export interface ParsedCall {
  action: string;
  version: string;
  region: string;
  /** Service the request names itself (credential scope, host label), to choose between models. */
  serviceHint: string;
  /** The hint is authoritative (Volcengine's credential scope): no model for it is ServiceNotFound. */
  serviceStrict: boolean;
  /** Verifies the signature; returns the account owning the key. Throws a ServiceError in the cloud's codes. */
  authenticate(env: AuthEnv): string;
  /** Business parameters (common signing parameters removed). Throws on a malformed body. */
  params(): Record<string, unknown>;
}

export interface Protocol {
  readonly id: WireProtocol;
  readonly cloud: EmulatorCloud;
  readonly errors: GatewayErrors;
  /** Whether the request has this protocol's shape. */
  matches(raw: RawRequest): boolean;
  /** Reads action, version, region; throws a ServiceError in the cloud's codes when they are missing. */
  parse(raw: RawRequest): ParsedCall;
}
