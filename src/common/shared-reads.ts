import { forgetProcessMemory, processMemory } from "./process-memory";

// Reads shared by the callers of one process for a short window: a read of a key sent less than `windowMs` ago
// (still in flight, or answered) serves every caller asking for the same key, so that two callers never both read.
// The window counts from when the read was sent: the answer shows the object as it was at some moment since. A
// read that failed is forgotten at once: the next caller reads again.

/**
 * How long an answer read by one refresh read (Pulumi's read: refresh, import) serves the reads of the other
 * resources it also describes (a gateway's connection list, a physical connection's key sets). A refresh is a
 * point-in-time observation: by the time Pulumi writes a read's answer into the state it is already that old, so an
 * answer at most this old is what any read gives. The engine reads a stack's resources `--parallel` at a time in
 * the state's order, so the resources one answer describes are read close together: the window covers them. Only
 * read uses it; check, create, update, delete and every wait read live.
 */
export const REFRESH_SHARED_READ_MS = 2000;

/**
 * How long an answer read by one check serves the deployment's other checks (a region's VPN connections and
 * gateways, its physical connections, its Tencent KMS keys; a Volcengine primary key). In a preview the engine
 * checks the resources one after another, a few milliseconds each; in the update it checks each as a `--parallel`
 * slot frees, so at the default width the checks of a few hundred resources spread over a minute, and a 2 s window
 * listed a region again every 2 s (at 300 resources, 15 times the VPN connections and gateways: 60 calls). A change
 * another party makes during the deployment is judged by the checks at most this long after; the writes do not
 * depend on it: check's live rules are advisory, a write that could go wrong on a stale view reads again right
 * before it (under its lock, or takes its last write's wait read), every wait reads live, and the cloud refuses
 * the rest. A write of the deployment itself amends or forgets the answers it changed.
 */
export const CHECK_SHARED_READ_MS = 10_000;

/**
 * The most objects a shared read lists a whole region of (its connections, its keys) to serve the reads of the
 * deployment's other resources there (refresh, check). Beyond, each resource reads its own object: a stack
 * of a few resources in a region of thousands of objects would pay more for the listing than the reads it saves. 200: one page of
 * Tencent KMS's ListKeyDetail, four of Alibaba VPC's listings.
 */
export const SHARED_LISTING_MAX_ITEMS = 200;

interface Entry<T> {
  sentAt: number;
  promise: Promise<T>;
  /** The answer, once it came. */
  answer?: { value: T };
}

export interface SharedReads<T> {
  /** The answer for `key`: that of a read of it sent less than the window ago, else of `load()`, now. */
  read(key: string, load: () => Promise<T>): Promise<T>;
  /** The answers, come in less than the window after their read was sent, of the keys that start with `prefix`. */
  fresh(prefix: string): T[];
  /** Forgets the reads of the keys that start with `prefix`: a write of this process changed what they show. */
  forget(prefix: string): void;
  /**
   * Applies a write of this process, as `change` shows it, to the answered reads of the keys that start with
   * `prefix`, which keep their window; forgets those still in flight (sent before the write, they may or may not
   * show it).
   */
  amend(prefix: string, change: (value: T) => T): void;
}

/**
 * A listing that only saves reads (the caller reads each object alone without it: refused by a policy, throttled
 * past its retries): its failure answers undefined. Read through a table, that answer is kept like any other, so
 * a listing that fails is tried once per window, not once per caller.
 */
export function listingOrNone<T>(list: () => Promise<T>): () => Promise<T | undefined> {
  return () => list().catch(() => undefined);
}

/** The names of the tables in use, for forgetSharedReads. */
const tableNames = () => processMemory("shared-reads", () => new Set<string>());

/** The process-wide table `name` of reads shared for `windowMs` milliseconds of the clock `now`. */
export function sharedReads<T>(name: string, windowMs: number, now: () => number = Date.now): SharedReads<T> {
  tableNames().add(name);
  const entries = processMemory(`shared-reads.${name}`, () => new Map<string, Entry<T>>());
  const live = (e: Entry<T>, at: number) => at - e.sentAt < windowMs;
  return {
    read(key, load) {
      const at = now();
      for (const [k, e] of entries) if (!live(e, at)) entries.delete(k);
      const known = entries.get(key);
      if (known) return known.promise;
      const entry: Entry<T> = { sentAt: at, promise: load() };
      entries.set(key, entry);
      entry.promise.then(
        (value) => (entry.answer = { value }),
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.promise;
    },
    fresh(prefix) {
      const at = now();
      return [...entries]
        .filter(([k, e]) => k.startsWith(prefix) && e.answer && live(e, at))
        .map(([, e]) => (e.answer as { value: T }).value);
    },
    forget(prefix) {
      for (const k of [...entries.keys()]) if (k.startsWith(prefix)) entries.delete(k);
    },
    amend(prefix, change) {
      for (const [k, e] of [...entries]) {
        if (!k.startsWith(prefix)) continue;
        if (!e.answer) {
          entries.delete(k);
          continue;
        }
        const value = change(e.answer.value);
        entries.set(k, { sentAt: e.sentAt, promise: Promise.resolve(value), answer: { value } });
      }
    },
  };
}

/** Forgets every shared read, as a new provider process would start (tests: each a deployment of its own). */
export function forgetSharedReads(): void {
  for (const name of tableNames()) forgetProcessMemory(`shared-reads.${name}`);
}
