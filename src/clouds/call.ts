import { CloudError, CloudName } from "./errors";
import { withRetry } from "./retry";
import { redact } from "./secrets";

export interface CallOptions {
  /** Deadline for retries of throttled, busy and transient failures (default two minutes). */
  deadlineMs?: number;
  /** Disable retries (e.g. when the caller retries the whole step itself). */
  retry?: false;
  /** Which failures to retry here (default: throttled, busy, transient); the others go to the caller. */
  retryable?: (e: unknown) => boolean;
}

export const DEFAULT_DEADLINE_MS = 120_000;
/** Per-request timeout; the SDKs' own defaults (3 s for pop-core) are too short for VPC calls. */
export const REQUEST_TIMEOUT_MS = 30_000;

const NETWORK_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "ENOTFOUND",
];

/**
 * Turns a failure that never reached the cloud's API layer (reset, refused, timeout, non-JSON answer) into a
 * CloudError, so that retry and messages treat every cloud alike. The SDKs' own messages can carry URLs, so
 * only the code and a redacted first line are kept.
 */
export function networkError(cloud: CloudName, action: string, endpoint: string, e: unknown): CloudError {
  if (e instanceof CloudError) return e;
  type Raw = { code?: unknown; message?: unknown; name?: unknown; cause?: Raw };
  const err = e as Raw;
  // Node's fetch (the Tencent legacy client) throws "fetch failed" with the socket error as `cause`.
  const cause = err?.cause;
  const text =
    (typeof err?.message === "string" ? err.message : String(e)) +
    (typeof cause?.message === "string" ? `: ${cause.message}` : "");
  const known = (c: unknown): string | undefined =>
    typeof c === "string" && NETWORK_CODES.includes(c) ? c : undefined;
  const code =
    known(err?.code) ??
    known(cause?.code) ??
    NETWORK_CODES.find((c) => text.includes(c)) ??
    // A connection dropped mid-request as other HTTP stacks word it: node-fetch (inside the Tencent SDK, which
    // keeps only the message) says "socket hang up"; Node's fetch (undici) "other side closed", UND_ERR_SOCKET.
    (/socket hang up|other side closed/i.test(text) || cause?.code === "UND_ERR_SOCKET"
      ? "ECONNRESET"
      : undefined) ??
    (/timeout|timed out/i.test(text) || err?.name === "RequestTimeoutError" ? "RequestTimeout" : undefined) ??
    (e instanceof SyntaxError ? "MalformedResponse" : "NetworkError");
  const hint =
    code === "ECONNREFUSED"
      ? `Nothing answers at ${endpoint}. Against the local emulator, start it with 'npx keylink-emulator' ` +
        `(or set keylink:emulatorUrl); against the real cloud, set keylink:target to 'cloud'. 'pulumi refresh' ` +
        `and 'pulumi destroy' use the settings recorded at the last 'pulumi up': after changing them, run ` +
        `'pulumi up' first or give them '--run-program'.`
      : undefined;
  return new CloudError({
    cloud,
    action,
    code,
    // pop-core (httpx) appends the request line to the socket error without a space: "...:4577GET <url> failed.".
    message: redact(
      text
        .split("\n")[0]
        .replace(/(GET|POST) https?:\/\/\S+ failed\.$/, "")
        .replace(/https?:\/\/\S+/g, endpoint),
    ),
    errorClass: code === "ECONNREFUSED" ? "fatal" : code === "MalformedResponse" ? "transient" : undefined,
    hint,
  });
}

/** Runs one API call with the shared retry policy. */
export function retrying<T>(fn: () => Promise<T>, opts: CallOptions | undefined): Promise<T> {
  if (opts?.retry === false) return fn();
  return withRetry(() => fn(), {
    deadlineMs: opts?.deadlineMs ?? DEFAULT_DEADLINE_MS,
    retryable: opts?.retryable,
  });
}

/** Drops undefined and null values, which SDKs would otherwise send as "undefined" or "". */
export function compact(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
