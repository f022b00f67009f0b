// Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 ("Signature v3", https://tencentcloud.com/document/api/614/42761).
import { tencentErrors as E } from "../gateway-errors";
import { type AuthEnv, hmac, sessionTokenProblem, sha256Hex, signaturesEqual } from "./common";

/** Tencent rejects a request whose X-TC-Timestamp differs from server time by more than 5 minutes. */
export const TC3_WINDOW_MS = 5 * 60_000;

export interface Tc3Authorization {
  secretId: string;
  /** YYYY-MM-DD */
  date: string;
  /** The scope's service label: "kms" from a real endpoint, "127" from a client pointed at 127.0.0.1. */
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `TC3-HMAC-SHA256 Credential=ID/YYYY-MM-DD/service/tc3_request, SignedHeaders=a;b, Signature=hex`. */
export function parseTc3Authorization(header: string): Tc3Authorization {
  const fields = new Map<string, string>();
  for (const part of header.replace(/^TC3-HMAC-SHA256\s+/, "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const signature = fields.get("Signature");
  const signedHeaders = fields.get("SignedHeaders");
  if (!signature) throw E.invalidAuthorization("Signature is missing");
  if (!signedHeaders) throw E.invalidAuthorization("SignedHeaders is missing");
  const scope = (fields.get("Credential") ?? "").split("/");
  if (scope.length !== 4 || scope.some((s) => s === "") || scope[3] !== "tc3_request") {
    throw E.invalidAuthorization("Credential must be SecretId/YYYY-MM-DD/service/tc3_request");
  }
  const [secretId, date, service] = scope;
  return { secretId, date, service, signedHeaders: signedHeaders.toLowerCase().split(";"), signature };
}

/** The host as the SDK signs it: `new URL(url).hostname`, i.e. without the port. */
export function hostWithoutPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  return host.split(":")[0];
}

export interface Tc3CanonicalInput {
  method: string;
  path: string;
  /** The query string exactly as received, without "?" (empty for POST). */
  rawQuery: string;
  header(name: string): string | undefined;
  signedHeaders: string[];
  payloadHash: string;
}

export function tc3CanonicalRequest(r: Tc3CanonicalInput): string {
  const names = [...r.signedHeaders].sort();
  const value = (n: string) => (n === "host" ? hostWithoutPort(r.header("host") ?? "") : (r.header(n) ?? ""));
  // Tencent's docs: header names and values lower-cased and trimmed.
  const headers = names.map((n) => `${n}:${value(n).trim().toLowerCase()}\n`).join("");
  return [r.method.toUpperCase(), r.path || "/", r.rawQuery, headers, names.join(";"), r.payloadHash].join(
    "\n",
  );
}

export function tc3StringToSign(timestamp: string, scope: string, canonicalRequest: string): string {
  return ["TC3-HMAC-SHA256", timestamp, scope, sha256Hex(canonicalRequest)].join("\n");
}

export function tc3Sign(secret: string, date: string, service: string, stringToSign: string): string {
  const kDate = hmac("sha256", "TC3" + secret, date);
  const kService = hmac("sha256", kDate, service);
  const kSigning = hmac("sha256", kService, "tc3_request");
  return hmac("sha256", kSigning, stringToSign).toString("hex");
}

export interface Tc3Request {
  method: string;
  path: string;
  rawQuery: string;
  header(name: string): string | undefined;
  body: Buffer;
}

/** Checks key, timestamp and signature; returns the account. Throws in Tencent's codes. */
export function authenticateTc3(req: Tc3Request, auth: Tc3Authorization, env: AuthEnv): string {
  const timestamp = req.header("x-tc-timestamp");
  if (!timestamp) throw E.missingParameter("X-TC-Timestamp");
  if (!/^\d{1,12}$/.test(timestamp))
    throw E.invalidParameter("X-TC-Timestamp must be a Unix time in seconds.");
  const owner = env.lookup(auth.secretId, "tencent");
  if (!owner) throw E.secretIdNotFound();

  const atMs = Number(timestamp) * 1000;
  if (Math.abs(env.wallNow() - atMs) > TC3_WINDOW_MS) throw E.signatureExpire();
  if (auth.date !== new Date(atMs).toISOString().slice(0, 10)) {
    throw E.signatureFailure("The credential scope date does not match X-TC-Timestamp.");
  }
  const canonical = tc3CanonicalRequest({
    method: req.method,
    path: req.path,
    rawQuery: req.rawQuery,
    header: req.header,
    signedHeaders: auth.signedHeaders,
    payloadHash: sha256Hex(req.body),
  });
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const expected = tc3Sign(
    owner.secret,
    auth.date,
    auth.service,
    tc3StringToSign(timestamp, scope, canonical),
  );
  if (!signaturesEqual(expected, auth.signature.toLowerCase())) throw E.signatureFailure();
  const tokenProblem = sessionTokenProblem(owner, req.header("x-tc-token"), env);
  if (tokenProblem) throw E.tokenFailure(tokenProblem);
  return owner.account;
}
