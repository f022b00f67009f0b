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

/**
 * The longest what a lock's holder last read of its object stands in for the next holder's read before it writes
 * (takeOver). The lock passes to the deployment's next holder milliseconds after that read. A change another party
 * starts in between keeps the object busy while it applies, so the cloud refuses the next holder's write as busy,
 * as when such a change comes between the holder's own read and its write; the read stands in no longer than such
 * a change takes to apply (handOver's `busyMs`), lest one start and end in between.
 */
const HANDED_OVER_MS = 1000;

interface Handover {
  value: unknown;
  /** Until when (epoch ms) it stands in for a read. */
  until: number;
}

function handovers(): Map<string, Handover> {
  return processMemory("lock-handovers", () => new Map<string, Handover>());
}

/**
 * Leaves the next holder of `key` what this holder last read of the object (sent at `readAt`), for as long as a
 * change keeps the object busy (`busyMs`, as this holder's own change took), at most HANDED_OVER_MS.
 */
export function handOver<T>(key: string, value: T, readAt: number, busyMs: number): void {
  handovers().set(key, { value, until: readAt + Math.min(HANDED_OVER_MS, busyMs) });
}

/** Forgets what was handed over for `key`: a write makes it stale, until its wait hands over a new read. */
export function discardHandover(key: string): void {
  handovers().delete(key);
}

/** What the last holder of `key` handed over, while it stands in for a read, once; else undefined. */
export function takeOver<T>(key: string): T | undefined {
  const left = handovers().get(key);
  discardHandover(key);
  return left && Date.now() < left.until ? (left.value as T) : undefined;
}
