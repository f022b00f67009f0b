/**
 * Remembers nonces for a while, to refuse replayed requests. Entries expire by wall-clock time; since every
 * entry lives for the same TTL, the Map's insertion order is also expiry order and pruning stops at the first
 * live entry.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  /** Records the nonce; false when it was seen within the TTL (a replay). */
  use(key: string, nowMs: number): boolean {
    this.prune(nowMs);
    if (this.seen.has(key)) return false;
    this.seen.set(key, nowMs + this.ttlMs);
    return true;
  }

  clear(): void {
    this.seen.clear();
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(nowMs: number): void {
    for (const [key, expires] of this.seen) {
      if (expires > nowMs) break;
      this.seen.delete(key);
    }
  }
}
