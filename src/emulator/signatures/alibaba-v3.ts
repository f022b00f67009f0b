// Alibaba Cloud signature V3 (ACS3-HMAC-SHA256), the default of Alibaba's current SDKs (@alicloud/openapi-core,
// e.g. @alicloud/vpc20160428 7.x). Verified as documented in "Request syntax and signature method V3":
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
//   CanonicalRequest = METHOD \n URI \n sorted query \n "name:value\n"... \n signed;names \n hex(sha256(body))
//   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
//   Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
import { alibabaErrors as E } from "../gateway-errors";
import { ALIBABA_WINDOW_MS } from "./alibaba-rpc";
import { type AuthEnv, hmac, rfc3986, sessionTokenProblem, sha256Hex, signaturesEqual } from "./common";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

export interface Acs3Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Headers that must be signed when sent (the reference: every common request header but Authorization). */
const MUST_SIGN = [
  "host",
  "x-acs-action",
  "x-acs-version",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
];

/** The common parameter each header carries, for the gateway's Missing<Param> code. */
const PARAM_OF: Record<string, string> = {
  host: "Host",
  "x-acs-action": "Action",
  "x-acs-version": "Version",
  "x-acs-date": "Timestamp",
  "x-acs-signature-nonce": "SignatureNonce",
  "x-acs-content-sha256": "ContentSha256",
};

/** `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`. Throws IncompleteSignature when malformed. */
export function parseAcs3Authorization(value: string): Acs3Authorization {
  const m = /^(ACS3-[A-Z0-9-]+)\s+(.*)$/.exec(value.trim());
  if (!m) throw E.incompleteSignature("the Authorization header is not ACS3-HMAC-SHA256");
  const fields = new Map<string, string>();
  for (const part of m[2].split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaders || !signature)
    throw E.incompleteSignature("the Authorization header needs Credential, SignedHeaders and Signature");
  return { algorithm: m[1], accessKeyId, signedHeaders: signedHeaders.split(";"), signature };
}

export interface Acs3Request {
  method: string;
  /** Path as received (not decoded). */
  path: string;
  /** Decoded query pairs. */
  query: Array<[string, string]>;
  header(name: string): string | undefined;
  body: Buffer;
}

/** Query pairs sorted by key (then value), key and value RFC 3986-encoded. */
export function acs3CanonicalQuery(query: Array<[string, string]>): string {
  return query
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

export function acs3CanonicalRequest(
  req: Acs3Request,
  signedHeaders: string[],
  hashedPayload: string,
): string {
  const names = signedHeaders.map((h) => h.toLowerCase());
  const headers = names.map((h) => `${h}:${(req.header(h) ?? "").trim()}\n`).join("");
  return [
    req.method.toUpperCase(),
    req.path || "/",
    acs3CanonicalQuery(req.query),
    headers,
    names.join(";"),
    hashedPayload,
  ].join("\n");
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function acs3Sign(secret: string, stringToSign: string): string {
  return hmac("sha256", secret, stringToSign).toString("hex");
}

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Checks algorithm, signed headers, key, x-acs-date, payload hash, signature and nonce of a V3 request.
 * Returns the account that owns the key; throws a ServiceError in Alibaba's gateway codes.
 */
export function authenticateAlibabaV3(req: Acs3Request, auth: Acs3Authorization, env: AuthEnv): string {
  if (auth.algorithm !== ACS3_ALGORITHM)
    throw E.incompleteSignature(`the signature algorithm must be ${ACS3_ALGORITHM}`);
  const signed = new Set(auth.signedHeaders.map((h) => h.toLowerCase()));
  for (const name of MUST_SIGN) {
    if (!req.header(name)) throw E.missingParameter(PARAM_OF[name]);
    if (!signed.has(name)) throw E.incompleteSignature(`the header ${name} must be signed`);
  }
  const owner = env.lookup(auth.accessKeyId, "alibaba");
  if (!owner) throw E.invalidAccessKeyId();

  const date = req.header("x-acs-date") as string;
  const ts = DATE.test(date) ? Date.parse(date) : NaN;
  if (Number.isNaN(ts)) throw E.timestampFormat();
  if (Math.abs(env.wallNow() - ts) > ALIBABA_WINDOW_MS) throw E.timestampExpired();

  // The payload hash is recomputed, so a body changed in transit fails the signature.
  const hashed = sha256Hex(req.body);
  if (req.header("x-acs-content-sha256") !== hashed) throw E.signatureDoesNotMatch();
  const canonical = acs3CanonicalRequest(req, auth.signedHeaders, hashed);
  const expected = acs3Sign(owner.secret, acs3StringToSign(canonical));
  if (!signaturesEqual(expected, auth.signature.toLowerCase())) throw E.signatureDoesNotMatch();
  const tokenProblem = sessionTokenProblem(owner, req.header("x-acs-security-token"), env);
  if (tokenProblem === "expired") throw E.securityTokenExpired();
  if (tokenProblem) throw E.securityTokenMismatch();

  const nonce = req.header("x-acs-signature-nonce") as string;
  if (!env.nonces.use(`alibaba\0${auth.accessKeyId}\0${nonce}`, env.wallNow())) throw E.nonceUsed();
  return owner.account;
}
