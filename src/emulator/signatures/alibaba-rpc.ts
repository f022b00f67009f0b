// Alibaba Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0), verified the way the POP gateway does it
// ("Request syntax and signature method V2 for RPC APIs", https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism).
import { alibabaErrors as E } from "../gateway-errors";
import { type AuthEnv, hmac, rfc3986, sessionTokenProblem, signaturesEqual } from "./common";

/** Alibaba's window for Timestamp, and for how long a SignatureNonce stays used. */
export const ALIBABA_WINDOW_MS = 15 * 60_000;

/** `METHOD&%2F&pct(k1=v1&k2=v2...)` over every parameter but Signature, keys sorted by code unit. */
export function alibabaStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(params[k])}`)
    .join("&");
  return `${method.toUpperCase()}&${rfc3986("/")}&${rfc3986(canonical)}`;
}

/** Base64 HMAC-SHA1 keyed with `secret + "&"`. */
export function alibabaSign(secret: string, stringToSign: string): string {
  return hmac("sha1", secret + "&", stringToSign).toString("base64");
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Checks key, timestamp, signature and nonce of an RPC request whose parameters are the union of the query
 * and the form body. `method` is the HTTP method as received (pop-core signs GET or POST accordingly).
 * Returns the account that owns the key; throws a ServiceError in Alibaba's codes.
 */
export function authenticateAlibabaRpc(method: string, params: Record<string, string>, env: AuthEnv): string {
  for (const name of ["AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "Timestamp"]) {
    if (!params[name]) throw E.missingParameter(name);
  }
  if (params.SignatureMethod !== "HMAC-SHA1")
    throw E.incompleteSignature("SignatureMethod must be HMAC-SHA1");
  if (params.SignatureVersion !== undefined && params.SignatureVersion !== "1.0") {
    throw E.incompleteSignature("SignatureVersion must be 1.0");
  }
  const owner = env.lookup(params.AccessKeyId, "alibaba");
  if (!owner) throw E.invalidAccessKeyId();

  if (!TIMESTAMP.test(params.Timestamp)) throw E.timestampFormat();
  const ts = Date.parse(params.Timestamp);
  if (Number.isNaN(ts)) throw E.timestampFormat();
  if (Math.abs(env.wallNow() - ts) > ALIBABA_WINDOW_MS) throw E.timestampExpired();

  const expected = alibabaSign(owner.secret, alibabaStringToSign(method, params));
  if (!signaturesEqual(expected, params.Signature)) throw E.signatureDoesNotMatch();
  const tokenProblem = sessionTokenProblem(owner, params.SecurityToken, env);
  if (tokenProblem === "expired") throw E.securityTokenExpired();
  if (tokenProblem) throw E.securityTokenMismatch();

  // Recorded only once the signature holds, so a forged request cannot burn a client's nonce.
  if (!env.nonces.use(`alibaba\0${params.AccessKeyId}\0${params.SignatureNonce}`, env.wallNow()))
    throw E.nonceUsed();
  return owner.account;
}
