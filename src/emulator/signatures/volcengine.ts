// Volcengine OpenAPI signature ("HMAC-SHA256", volc V4; https://www.volcengine.com/docs/6369/67270). The server
// signs exactly the headers the client lists in SignedHeaders: the Node SDK lists only x-date (and
// x-content-sha256 with a body), the Go SDK and the docs add host and content-type.
import { volcengineErrors as E } from "../gateway-errors";
import { type AuthEnv, hmac, rfc3986, sessionTokenProblem, sha256Hex, signaturesEqual } from "./common";

/** Allowed skew of X-Date. Unconfirmed for Volcengine; 15 minutes as in AWS SigV4, which this scheme copies. */
export const VOLCENGINE_WINDOW_MS = 15 * 60_000;

export interface VolcengineAuthorization {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `HMAC-SHA256 Credential=AK/date/region/service/request, SignedHeaders=a;b, Signature=hex`. */
export function parseVolcengineAuthorization(header: string): VolcengineAuthorization {
  const fields = new Map<string, string>();
  for (const part of header.replace(/^HMAC-SHA256\s+/, "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const signature = fields.get("Signature");
  const signedHeaders = fields.get("SignedHeaders");
  if (!signature || !signedHeaders) throw E.missingSignature();
  const scope = (fields.get("Credential") ?? "").split("/");
  if (
    scope.length !== 5 ||
    scope.some((s) => s === "") ||
    scope[4] !== "request" ||
    !/^\d{8}$/.test(scope[1])
  ) {
    throw E.missingRequestInfo("a Credential of the form AK/YYYYMMDD/region/service/request");
  }
  const [accessKeyId, date, region, service] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.toLowerCase().split(";"),
    signature,
  };
}

/** Query pairs decoded, re-encoded with RFC 3986, sorted by key then value, joined with "&". */
export function volcengineCanonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([k, v]) => [k, rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
    .map(([, k, v]) => `${k}=${v}`)
    .join("&");
}

export interface VolcengineCanonicalInput {
  method: string;
  path: string;
  query: Array<[string, string]>;
  /** Header value by lower-case name, as received. */
  header(name: string): string | undefined;
  signedHeaders: string[];
  payloadHash: string;
}

export function volcengineCanonicalRequest(r: VolcengineCanonicalInput): string {
  const names = [...r.signedHeaders].sort();
  const headers = names.map((n) => `${n}:${(r.header(n) ?? "").replace(/\s+/g, " ").trim()}\n`).join("");
  return [
    r.method.toUpperCase(),
    r.path || "/",
    volcengineCanonicalQuery(r.query),
    headers,
    names.join(";"),
    r.payloadHash,
  ].join("\n");
}

export function volcengineSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac("sha256", secret, date);
  const kRegion = hmac("sha256", kDate, region);
  const kService = hmac("sha256", kRegion, service);
  return hmac("sha256", kService, "request");
}

export function volcengineStringToSign(xDate: string, scope: string, canonicalRequest: string): string {
  return ["HMAC-SHA256", xDate, scope, sha256Hex(canonicalRequest)].join("\n");
}

export function volcengineSign(
  secret: string,
  auth: Pick<VolcengineAuthorization, "date" | "region" | "service">,
  xDate: string,
  canonicalRequest: string,
): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/request`;
  return hmac(
    "sha256",
    volcengineSigningKey(secret, auth.date, auth.region, auth.service),
    volcengineStringToSign(xDate, scope, canonicalRequest),
  ).toString("hex");
}

const X_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface VolcengineRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  header(name: string): string | undefined;
  body: Buffer;
}

/** Checks key, payload hash, signature and X-Date; returns the account. Throws in Volcengine's codes. */
export function authenticateVolcengine(
  req: VolcengineRequest,
  auth: VolcengineAuthorization,
  env: AuthEnv,
): string {
  const xDate = req.header("x-date");
  if (!xDate) throw E.missingRequestInfo("the X-Date header");
  const m = X_DATE.exec(xDate);
  if (!m) throw E.invalidTimestamp();
  // x-date must be signed, or a captured request could be replayed forever.
  if (!auth.signedHeaders.includes("x-date"))
    throw E.signatureDoesNotMatch("SignedHeaders must include x-date.");

  const owner = env.lookup(auth.accessKeyId, "volcengine");
  if (!owner) throw E.invalidAccessKey();

  const at = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Number.isNaN(at) || Math.abs(env.wallNow() - at) > VOLCENGINE_WINDOW_MS) throw E.invalidTimestamp();
  if (auth.date !== xDate.slice(0, 8))
    throw E.signatureDoesNotMatch("The credential scope date does not match X-Date.");

  const bodyHash = sha256Hex(req.body);
  const declared = req.header("x-content-sha256");
  if (declared !== undefined && declared.toLowerCase() !== bodyHash) {
    throw E.signatureDoesNotMatch("X-Content-Sha256 does not match the request body.");
  }
  const canonical = volcengineCanonicalRequest({
    method: req.method,
    path: req.path,
    query: req.query,
    header: req.header,
    signedHeaders: auth.signedHeaders,
    payloadHash: declared ?? bodyHash,
  });
  if (!signaturesEqual(volcengineSign(owner.secret, auth, xDate, canonical), auth.signature.toLowerCase())) {
    throw E.signatureDoesNotMatch();
  }
  const tokenProblem = sessionTokenProblem(owner, req.header("x-security-token"), env);
  if (tokenProblem) throw E.invalidSecurityToken(tokenProblem);
  return owner.account;
}
