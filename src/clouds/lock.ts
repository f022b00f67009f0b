// A per-key async lock shared by every resource of one deployment (the provider process serves all of it).
import { processMemory } from "../common/process-memory";

type Tail = Promise<void>;

function table(): Map<string, Tail> {
  return processMemory("locks", () => new Map<string, Tail>());
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
