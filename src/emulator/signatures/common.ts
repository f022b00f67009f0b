import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { NonceCache } from "../nonces";

/** What a verifier needs from the emulator: who owns a key, the time, and the nonces already used. */
export interface AuthEnv {
  lookup(accessKeyId: string): { secret: string; account: string } | undefined;
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
