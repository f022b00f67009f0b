import { constants, generateKeyPair, generateKeyPairSync, KeyObject, privateDecrypt } from "node:crypto";
import type { WrappingAlgorithm } from "../../../clouds/facts/alibaba-kms";

// The RSA-2048 wrapping key pairs GetParametersForImport hands out, and the unwrapping ImportKeyMaterial does
// with them. Both are real RSA, so a provider that wraps wrongly fails here as it would on Alibaba Cloud.

export interface WrappingKeyPair {
  /** DER SubjectPublicKeyInfo, as Alibaba returns it (Base64 of this). */
  publicKeyDer: Buffer;
  privateKey: KeyObject;
}

const MODULUS_BITS = 2048;
const MAX_PAIRS = 8;

function exportPair(publicKey: KeyObject, privateKey: KeyObject): WrappingKeyPair {
  return { publicKeyDer: publicKey.export({ type: "spki", format: "der" }), privateKey };
}

/**
 * Generating an RSA-2048 pair takes a few hundred milliseconds, too slow for every call. The first pair is made
 * at once; then one more at a time in the background (libuv thread pool, not blocking requests) up to a small
 * pool, which calls rotate through: consecutive calls get different public keys, as Alibaba's do, and a
 * long-running emulator does not spend CPU on keys nobody needs.
 */
class KeyPairPool {
  private pairs: WrappingKeyPair[] = [];
  private next = 0;
  private generating = false;

  take(): WrappingKeyPair {
    if (this.pairs.length === 0) {
      const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: MODULUS_BITS });
      this.pairs.push(exportPair(publicKey, privateKey));
    }
    const pair = this.pairs[this.next++ % this.pairs.length];
    this.grow();
    return pair;
  }

  private grow(): void {
    if (this.generating || this.pairs.length >= MAX_PAIRS) return;
    this.generating = true;
    generateKeyPair("rsa", { modulusLength: MODULUS_BITS }, (err, publicKey, privateKey) => {
      this.generating = false;
      if (!err) this.pairs.push(exportPair(publicKey, privateKey));
    });
  }
}

const pool = new KeyPairPool();

export function takeWrappingKeyPair(): WrappingKeyPair {
  return pool.take();
}

/**
 * Unwraps key material. Returns undefined when the ciphertext does not decrypt under the algorithm.
 * RSAES_OAEP_SHA_256 uses SHA-256 for both the OAEP hash and MGF1 (Node's `oaepHash` sets both): Alibaba does not
 * say which MGF1 hash it uses; SHA-256 for both is what AWS documents for the same name and what OpenSSL-based
 * tooling (`openssl pkeyutl -pkeyopt rsa_oaep_md:sha256`) and Node produce, so it is what users will send.
 */
export function unwrapKeyMaterial(
  privateKey: KeyObject,
  algorithm: WrappingAlgorithm,
  wrapped: Buffer,
): Buffer | undefined {
  if (wrapped.length !== MODULUS_BITS / 8) return undefined;
  try {
    if (algorithm === "RSAES_PKCS1_V1_5")
      return pkcs1v15Unpad(privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, wrapped));
    return privateDecrypt(
      {
        key: privateKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: algorithm === "RSAES_OAEP_SHA_1" ? "sha1" : "sha256",
      },
      wrapped,
    );
  } catch {
    return undefined;
  }
}

/**
 * Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, a timing oracle), so the emulator decrypts raw
 * and removes the padding itself: EM = 0x00 0x02 PS(≥ 8 non-zero bytes) 0x00 M. A timing side channel does not
 * matter in a local test double that holds throwaway keys.
 */
function pkcs1v15Unpad(em: Buffer): Buffer | undefined {
  if (em[0] !== 0x00 || em[1] !== 0x02) return undefined;
  const sep = em.indexOf(0x00, 2);
  if (sep < 10) return undefined;
  return em.subarray(sep + 1);
}
