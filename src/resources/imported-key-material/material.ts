import { constants, createHmac, createPublicKey, publicEncrypt } from "node:crypto";
import type { WrappingAlgorithm } from "../../clouds/facts/alibaba-kms";

// The provider's side of key material: wrapping it with the public key GetParametersForImport returns, and a
// fingerprint to tell materials apart without keeping one in plaintext outside the secret input.

/**
 * Wraps raw material with the Base64 DER (SubjectPublicKeyInfo) RSA public key from GetParametersForImport and
 * returns EncryptedKeyMaterial (Base64). RSAES_OAEP_SHA_256 uses SHA-256 for the OAEP digest and for MGF1:
 * Alibaba does not document the MGF1 hash; SHA-256 for both is what AWS specifies for the same algorithm name
 * and what OpenSSL-based tooling produces, so it is the careful guess (the emulator unwraps the same way).
 */
export function wrapKeyMaterial(
  material: Buffer,
  publicKeyBase64: string,
  algorithm: WrappingAlgorithm,
): string {
  const key = createPublicKey({ key: Buffer.from(publicKeyBase64, "base64"), format: "der", type: "spki" });
  const wrapped =
    algorithm === "RSAES_PKCS1_V1_5"
      ? publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, material)
      : publicEncrypt(
          {
            key,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: algorithm === "RSAES_OAEP_SHA_1" ? "sha1" : "sha256",
          },
          material,
        );
  return wrapped.toString("base64");
}

/**
 * HMAC-SHA256 of the material keyed by the key id, hex. It is a plain (non-secret) output because it does not
 * reveal the material: KMS material is 128 or 256 bits, which no one can search from a digest. Keying by the key
 * id means the same material in two keys gives unrelated fingerprints (state does not show that two keys share
 * material) and no precomputed table fits it. It lets diff and check see "different material" without the
 * old material.
 */
export function materialFingerprint(keyId: string, material: Buffer): string {
  return createHmac("sha256", keyId).update(material).digest("hex");
}
