import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from "node:crypto";
import fc from "fast-check";
import { unwrapKeyMaterial } from "../../../src/emulator/services/alibaba-kms/wrapping-keys";
import { materialFingerprint, wrapKeyMaterial } from "../../../src/resources/imported-key-material/material";
import { WRAPPING_ALGORITHMS } from "../../../src/clouds/facts/alibaba-kms";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKeyB64 = publicKey.export({ type: "spki", format: "der" }).toString("base64");

describe("wrapKeyMaterial", () => {
  it("wraps RSAES_OAEP_SHA_256 with SHA-256 for both the OAEP digest and MGF1", () => {
    const material = randomBytes(32);
    const wrapped = Buffer.from(wrapKeyMaterial(material, publicKeyB64, "RSAES_OAEP_SHA_256"), "base64");
    expect(wrapped).toHaveLength(256);
    const plain = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      wrapped,
    );
    expect(plain.equals(material)).toBe(true);
    // SHA-1 OAEP does not open it: the digest really is SHA-256.
    expect(() =>
      privateDecrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
        wrapped,
      ),
    ).toThrow();
  });

  it("wraps RSAES_OAEP_SHA_1 with SHA-1", () => {
    const material = randomBytes(16);
    const wrapped = Buffer.from(wrapKeyMaterial(material, publicKeyB64, "RSAES_OAEP_SHA_1"), "base64");
    const plain = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      wrapped,
    );
    expect(plain.equals(material)).toBe(true);
  });

  it("round-trips through the emulator's unwrapping for every algorithm and material size", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WRAPPING_ALGORITHMS),
        fc.constantFrom(16, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (alg, size, bytes) => {
          const material = Buffer.from(bytes.subarray(0, size));
          const wrapped = Buffer.from(wrapKeyMaterial(material, publicKeyB64, alg), "base64");
          const other = WRAPPING_ALGORITHMS.find(
            (a) => a !== alg && !(a.startsWith("RSAES_OAEP") && alg.startsWith("RSAES_OAEP")),
          );
          expect(unwrapKeyMaterial(privateKey, alg, wrapped)?.equals(material)).toBe(true);
          if (other) expect(unwrapKeyMaterial(privateKey, other, wrapped)?.equals(material)).not.toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("produces a different ciphertext each time (randomised padding)", () => {
    const material = randomBytes(32);
    expect(wrapKeyMaterial(material, publicKeyB64, "RSAES_OAEP_SHA_256")).not.toBe(
      wrapKeyMaterial(material, publicKeyB64, "RSAES_OAEP_SHA_256"),
    );
  });
});

describe("materialFingerprint", () => {
  it("is stable per key and material, differs across keys and materials, and does not contain the material", () => {
    const material = randomBytes(32);
    const fp = materialFingerprint("key-1", material);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(materialFingerprint("key-1", Buffer.from(material))).toBe(fp);
    expect(materialFingerprint("key-2", material)).not.toBe(fp);
    expect(materialFingerprint("key-1", randomBytes(32))).not.toBe(fp);
    expect(fp).not.toContain(material.toString("hex"));
  });
});
