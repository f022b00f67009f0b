/** Asserts that none of `secrets` occurs in any of `texts`, showing what precedes a leak (never the secret). */
export function expectNoSecrets(texts: string[], secrets: string[]): void {
  for (const secret of secrets) {
    for (const text of texts) {
      const at = text.indexOf(secret);
      if (at >= 0)
        throw new Error(`secret found in plaintext near: ${text.slice(Math.max(0, at - 160), at)}…`);
    }
  }
}
