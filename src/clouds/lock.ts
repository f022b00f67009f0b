// A per-key async lock shared by every resource of one deployment. The Pulumi dynamic-provider host
// runs all resources in one process but may load a separate copy of this module per serialized
// provider, so the lock table lives on globalThis rather than in module scope.
const LOCKS_KEY = Symbol.for("pulumi-keylink.locks");

type Tail = Promise<void>;

function table(): Map<string, Tail> {
  const g = globalThis as unknown as Record<symbol, Map<string, Tail> | undefined>;
  let t = g[LOCKS_KEY];
  if (!t) {
    t = new Map();
    g[LOCKS_KEY] = t;
  }
  return t;
}

/** Runs `fn` once every earlier holder of `key` has finished; callers queue in arrival order. */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const locks = table();
  const previous = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine: Tail = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}
