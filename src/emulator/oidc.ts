// OIDC identity providers declared in the fixtures, and the check of an ID token (a JWT signed RS256 by the
// provider's key), as each cloud's STS does before AssumeRoleWithOIDC / AssumeRoleWithWebIdentity.
import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";

export const oidcProviderSchema = z.strictObject({
  /**
   * Alibaba: the provider's ARN (acs:ram::<uid>:oidc-provider/<name>); Tencent: the ProviderId; Volcengine: the
   * issuer URL (its AssumeRoleWithOIDC names no provider: the token's issuer does).
   */
  id: z.string().min(1),
  /** The token's `iss` claim must equal it. */
  issuer: z.string().min(1),
  /** Accepted `aud` values (Alibaba's client IDs). */
  audiences: z.array(z.string().min(1)).min(1),
  /** PEM public key (RSA) the provider signs its tokens with. */
  publicKeyPem: z.string().refine((pem) => {
    try {
      createPublicKey(pem);
      return true;
    } catch {
      return false;
    }
  }, "must be a PEM public key"),
});
export type OidcProvider = z.infer<typeof oidcProviderSchema>;

export interface OidcClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
}

/** Why a token was refused; each STS renders it in its own error code. */
export class OidcTokenError extends Error {
  constructor(
    readonly reason: "malformed" | "signature" | "issuer" | "audience" | "expired",
    message: string,
  ) {
    super(message);
  }
}

const b64json = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** Verifies an RS256 JWT against the provider: signature, issuer, audience, expiry and not-before. */
export function verifyOidcToken(token: string, provider: OidcProvider, nowMs: number): OidcClaims {
  const parts = token.trim().split(".");
  if (parts.length !== 3) throw new OidcTokenError("malformed", "The OIDC token is not a JWT.");
  let header: { alg?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = b64json(parts[0]) as { alg?: unknown };
    claims = b64json(parts[1]) as Record<string, unknown>;
  } catch {
    throw new OidcTokenError("malformed", "The OIDC token is not a JWT.");
  }
  if (header.alg !== "RS256")
    throw new OidcTokenError("malformed", "The OIDC token is not signed with RS256.");
  const ok = verify(
    "RSA-SHA256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    createPublicKey(provider.publicKeyPem),
    Buffer.from(parts[2], "base64url"),
  );
  if (!ok) throw new OidcTokenError("signature", "The OIDC token's signature is not valid.");
  if (claims.iss !== provider.issuer) {
    throw new OidcTokenError("issuer", `The OIDC token's issuer is not ${provider.issuer}.`);
  }
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  if (!aud.some((a) => provider.audiences.includes(a))) {
    throw new OidcTokenError("audience", "The OIDC token's audience is not a client ID of the provider.");
  }
  const now = nowMs / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= now) {
    throw new OidcTokenError("expired", "The OIDC token has expired.");
  }
  if (typeof claims.nbf === "number" && claims.nbf > now) {
    throw new OidcTokenError("expired", "The OIDC token is not valid yet.");
  }
  return { iss: provider.issuer, sub: String(claims.sub ?? ""), aud, exp: claims.exp };
}
