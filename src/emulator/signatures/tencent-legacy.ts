// Tencent Cloud legacy (v2) API signature: HmacSHA1 or HmacSHA256 over
// METHOD + host + path + "?" + sorted k=v pairs, not URL-encoded ("签名方法",
// https://cloud.tencent.com/document/api/215/1693).
import { tencentLegacyErrors as E } from "../gateway-errors";
import { type AuthEnv, hmac, sessionTokenProblem, signaturesEqual } from "./common";

/** Allowed Timestamp skew. Unconfirmed for the legacy API; the same 5 minutes as API 3.0. */
export const LEGACY_WINDOW_MS = 5 * 60_000;

export type LegacySignatureMethod = "HmacSHA1" | "HmacSHA256";

/**
 * The string to sign. `host` is the Host header as received (with the port, when the client sent one).
 * Keys containing "_" are signed with "." instead, as the legacy docs tell clients to do.
 */
export function legacyStringToSign(
  method: string,
  host: string,
  path: string,
  params: Record<string, string>,
): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== "Signature")
    .map((k) => [k.replace(/_/g, "."), params[k]] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return `${method.toUpperCase()}${host}${path}?${pairs}`;
}

export function legacySign(secret: string, method: LegacySignatureMethod, stringToSign: string): string {
  return hmac(method === "HmacSHA256" ? "sha256" : "sha1", secret, stringToSign).toString("base64");
}

export interface LegacyRequest {
  method: string;
  host: string;
  path: string;
  /** Query (and form body) parameters, decoded. */
  params: Record<string, string>;
}

/** Checks key, timestamp, signature and nonce; returns the account. Throws legacy numeric codes. */
export function authenticateTencentLegacy(req: LegacyRequest, env: AuthEnv): string {
  const p = req.params;
  for (const name of ["Action", "Nonce", "Timestamp", "SecretId", "Signature"]) {
    if (!p[name]) throw E.missingParameter(name);
  }
  const method = p.SignatureMethod ?? "HmacSHA1";
  if (method !== "HmacSHA1" && method !== "HmacSHA256") throw E.invalidParameter("SignatureMethod");
  if (!/^\d{1,12}$/.test(p.Timestamp)) throw E.invalidParameter("Timestamp");
  if (!/^\d{1,20}$/.test(p.Nonce)) throw E.invalidParameter("Nonce");

  const owner = env.lookup(p.SecretId, "tencent");
  if (!owner) throw E.authFailure("the SecretId does not exist");
  if (Math.abs(env.wallNow() - Number(p.Timestamp) * 1000) > LEGACY_WINDOW_MS) throw E.requestExpired();

  const expected = legacySign(owner.secret, method, legacyStringToSign(req.method, req.host, req.path, p));
  if (!signaturesEqual(expected, p.Signature)) throw E.authFailure("the signature does not match");
  const tokenProblem = sessionTokenProblem(owner, p.Token, env);
  if (tokenProblem)
    throw E.authFailure(`the Token is ${tokenProblem === "expired" ? "expired" : "not valid"}`);

  // Keyed by timestamp too: clients draw small random nonces, which collide between honest requests.
  if (!env.nonces.use(`tencent-legacy\0${p.SecretId}\0${p.Timestamp}\0${p.Nonce}`, env.wallNow()))
    throw E.replay();
  return owner.account;
}
