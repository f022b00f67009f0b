/** For each occurrence of one of `secrets` in `texts`: what precedes it (never the secret itself). */
export function findSecrets(texts: string[], secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const text of texts) {
      for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length))
        found.push(text.slice(Math.max(0, at - 160), at));
    }
  }
  return found;
}

/** Asserts that none of `secrets` occurs in any of `texts`, showing what precedes a leak (never the secret). */
export function expectNoSecrets(texts: string[], secrets: string[]): void {
  const [near] = findSecrets(texts, secrets);
  if (near !== undefined) throw new Error(`secret found in plaintext near: ${near}…`);
}
