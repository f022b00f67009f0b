// An OIDC identity provider for tests: an RSA key pair and RS256 ID tokens signed with it.
import { type KeyObject, generateKeyPairSync, sign } from "node:crypto";

export interface TestIdp {
  issuer: string;
  audience: string;
  publicKeyPem: string;
  /** An ID token for `sub`, valid for `ttlSeconds` from `nowMs` (the emulator clock's now by default). */
  token(opts?: { sub?: string; nowMs?: number; ttlSeconds?: number; key?: KeyObject }): string;
  privateKey: KeyObject;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

export function testIdp(issuer = "https://token.actions.example.com", audience = "sts.keylink"): TestIdp {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    issuer,
    audience,
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    token({ sub = "repo:keylink:ref:refs/heads/main", nowMs = Date.now(), ttlSeconds = 3600, key } = {}) {
      const now = Math.floor(nowMs / 1000);
      const head = b64url({ alg: "RS256", typ: "JWT", kid: "test" });
      const body = b64url({ iss: issuer, aud: audience, sub, iat: now, exp: now + ttlSeconds });
      const sig = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), key ?? privateKey).toString("base64url");
      return `${head}.${body}.${sig}`;
    },
  };
}
