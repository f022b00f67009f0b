import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { NonceCache } from "../nonces";
import type { EmulatorCloud } from "../types";

/** Who holds an access key: its secret, the account it acts in, and for temporary keys their session. */
export interface KeyOwner {
  secret: string;
  account: string;
  session?: { token: string; expiresAtMs: number };
}

/** What a verifier needs from the emulator: who owns a key, the time, and the nonces already used. */
export interface AuthEnv {
  /** A long-lived key, or a temporary key issued by this cloud's STS. */
  lookup(accessKeyId: string, cloud: EmulatorCloud): KeyOwner | undefined;
  /** The emulator clock, on which temporary credentials expire. */
  now(): number;
  /**
   * Wall-clock time for timestamp windows. Deliberately not the emulator clock: advancing the emulator clock
   * simulates time passing for the clients too, so their fresh timestamps must stay valid.
   */
  wallNow(): number;
  nonces: NonceCache;
}

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

export const hmac = (algorithm: "sha1" | "sha256", key: string | Buffer, data: string): Buffer =>
  createHmac(algorithm, key).update(data, "utf8").digest();

/** Constant-time comparison of two signatures in their transport form (hex or base64 text). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 3986 percent-encoding (unreserved A-Za-z0-9-_.~ kept, space as %20), as Alibaba and Volcengine sign. */
export const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

export type SessionTokenProblem = "missing" | "mismatch" | "expired";

/**
 * Checks the security/session token a request carries against the key's session: a temporary key needs its
 * own token, unexpired on the emulator clock. A long-lived key ignores a token, as the clouds do not document
 * refusing one.
 */
export function sessionTokenProblem(
  owner: KeyOwner,
  presented: string | undefined,
  env: AuthEnv,
): SessionTokenProblem | undefined {
  if (!owner.session) return undefined;
  if (!presented) return "missing";
  if (!signaturesEqual(owner.session.token, presented)) return "mismatch";
  if (env.now() >= owner.session.expiresAtMs) return "expired";
  return undefined;
}
