import { createHmac } from "node:crypto";

export type LegacySignatureMethod = "HmacSHA1" | "HmacSHA256";

export interface LegacySignInput {
  method: "GET" | "POST";
  /** Host as sent, with the port if not the default. */
  host: string;
  path: string;
  /** Every parameter except Signature. */
  params: Record<string, string>;
  secretKey: string;
  signatureMethod: LegacySignatureMethod;
}

/**
 * Tencent Cloud API 2.0 signature (no maintained library implements it): parameters sorted by name, joined as
 * k=v with '&' WITHOUT URL-encoding, prefixed by method + host + path + '?', then Base64(HMAC(secretKey, ·)).
 * Names containing '_' are written with '.', as the API documents.
 */
export function legacyStringToSign(input: Omit<LegacySignInput, "secretKey" | "signatureMethod">): string {
  const pairs = Object.keys(input.params)
    .map((k) => [k.replace(/_/g, "."), input.params[k]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return `${input.method}${input.host}${input.path}?${pairs}`;
}

export function legacySign(input: LegacySignInput): string {
  const algorithm = input.signatureMethod === "HmacSHA256" ? "sha256" : "sha1";
  return createHmac(algorithm, input.secretKey).update(legacyStringToSign(input)).digest("base64");
}
