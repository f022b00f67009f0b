import { processMemory } from "../common/process-memory";
import { CloudError } from "./errors";

export interface RetryOptions {
  /** Give up once this much time has passed since the first attempt. */
  deadlineMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures to retry; by default the throttled, busy and transient classes. */
  retryable?: (e: unknown) => boolean;
  /** Called before each wait, e.g. to log. */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function isRetryable(e: unknown): boolean {
  return (
    e instanceof CloudError &&
    (e.errorClass === "throttled" || e.errorClass === "busy" || e.errorClass === "transient")
  );
}

/** Exponential backoff with full jitter (delay drawn from [0, min(max, base * 2^attempt)]) under a deadline. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 200;
  const cap = opts.maxDelayMs ?? 5000;
  const retryable = opts.retryable ?? isRetryable;
  const random = opts.random ?? Math.random;
  const wait = opts.sleep ?? sleep;
  const now = opts.now ?? Date.now;
  const start = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!retryable(e)) throw e;
      const remaining = opts.deadlineMs - (now() - start);
      const delay = Math.min(
        Math.floor(random() * Math.min(cap, base * 2 ** attempt)),
        Math.max(remaining, 0),
      );
      if (remaining <= 0) throw e;
      opts.onRetry?.(e, attempt + 1, delay);
      await wait(delay);
    }
  }
}

export interface WaitOptions<T> {
  /** What is awaited, for the timeout message, e.g. "VPN gateway vpn-1 to be active". */
  description: string;
  timeoutMs: number;
  /** Shortest pause between reads (default 200 ms); pauses grow to a quarter of the time waited so far. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** How many reads in a row must satisfy `done` (eventual consistency). */
  consecutive?: number;
  /** Returns a message when the read shows a state that will never reach the target. */
  failed?: (value: T) => string | undefined;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    readonly last: string,
  ) {
    super(
      `Timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${description} (last seen: ${last}). ` +
        `Run 'pulumi refresh' to see the current state, then 'pulumi up' again; raise the resource's ` +
        `'timeoutSeconds' if the cloud is slow.`,
    );
    this.name = "WaitTimeoutError";
  }
}

/** Polls `read` until `done` holds on N consecutive reads. Read errors that are retryable are tolerated. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  describe: (value: T) => string,
  opts: WaitOptions<T>,
): Promise<T> {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;
  const needed = opts.consecutive ?? 1;
  const start = now();
  const minInterval = opts.intervalMs ?? 200;
  const maxInterval = opts.maxIntervalMs ?? 5000;
  let streak = 0;
  let last = "nothing read yet";
  for (;;) {
    try {
      const value = await read();
      last = describe(value);
      const failure = opts.failed?.(value);
      if (failure) throw new Error(failure);
      streak = done(value) ? streak + 1 : 0;
      if (streak >= needed) return value;
    } catch (e) {
      if (!isRetryable(e)) throw e;
      streak = 0;
      last = e instanceof Error ? e.message : String(e);
    }
    const remaining = opts.timeoutMs - (now() - start);
    if (remaining <= 0) throw new WaitTimeoutError(opts.description, opts.timeoutMs, last);
    // Poll every quarter of the time waited so far (within bounds): the target is then seen at most ~25% (or
    // minInterval) late, whatever the operation's duration, where a geometric schedule can overshoot by half.
    const interval = Math.min(maxInterval, Math.max(minInterval, Math.ceil((now() - start) / 4)));
    await wait(Math.min(interval, remaining));
  }
}

/** What waitLearned learns from: one kind of transition (a gateway's update, a key set's association) of one object. */
export interface Transition {
  /** The kind of transition, e.g. "vpn-gateway-update". */
  kind: string;
  /** The object it happens to, e.g. the gateway's lock key. */
  key: string;
  /** When the write that started it was answered. */
  acceptedAt: number;
  /** The first read's pause while nothing was learnt of this kind yet (default: none). */
  firstReadAfterMs?: number;
}

/**
 * What was learnt of the last transition of each kind, per object and for any object of the kind (key "*"): how
 * long it took, and how long before that time the next wait's first read comes.
 */
interface Learnt {
  tookMs: number;
  leadMs: number;
  /** Waits in a row whose first read found the transition done. */
  streak: number;
}

function transitionTimes(): Map<string, Learnt> {
  return processMemory("transition-ms", () => new Map<string, Learnt>());
}

/** The pause between a learnt wait's reads: a twentieth of the transition's time, at least 50 ms. */
const stepOf = (tookMs: number) => Math.max(50, Math.round(tookMs / 20));

function learntFor(t: Pick<Transition, "kind" | "key">): Learnt | undefined {
  return transitionTimes().get(`${t.kind}|${t.key}`) ?? transitionTimes().get(`${t.kind}|*`);
}

/** How long `t`'s kind of transition last took in this process on its object, else on any object of the kind. */
export function expectedTransitionMs(t: Pick<Transition, "kind" | "key">): number | undefined {
  return learntFor(t)?.tookMs;
}

/** What a learnt wait found: the value its last read showed, when that read was sent, and what it learnt. */
export interface Learned<T> {
  value: T;
  sentAt: number;
  /** From `acceptedAt` to `sentAt`: the time the transition took, as the next wait expects it. */
  tookMs: number;
}

/**
 * waitFor after a write that started an asynchronous transition the cloud gives no estimate of: the first read
 * comes shortly before the last transition of its kind in this process took (on the object, else on any); then
 * a read every twentieth of that time (at least 50 ms), so a read is at most that late and the wait costs one read
 * or two, not a read per quarter of the time waited. A transition of an object takes about the same time each
 * time. What is learnt: from `acceptedAt` to the sending of the read that found the transition done, and how far
 * before it the next first read comes: a tenth of a step, and twice as far as the last time once two waits in a
 * row found it done at their first read (the transition may have become shorter: looking earlier and earlier finds
 * by how much within a few waits; at most half the time). Looking earlier after each such wait made every other
 * first read too early under the spread of the calls' latency (1.5 reads per wait in a simulation of the
 * benchmark's latencies, against 1.3). With nothing learnt yet, `firstReadAfterMs`, then waitFor's own schedule
 * until another wait of the kind has learnt (a deployment starts many alike at once): then that one's time.
 */
export async function waitLearned<T>(
  t: Transition,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  describe: (value: T) => string,
  opts: WaitOptions<T>,
): Promise<Learned<T>> {
  const now = opts.now ?? Date.now;
  const learnt = learntFor(t);
  const step = learnt === undefined ? undefined : stepOf(learnt.tookMs);
  const pause = learnt === undefined ? t.firstReadAfterMs : learnt.tookMs - learnt.leadMs;
  const started = now();
  const pauseFor = opts.sleep ?? sleep;
  // How long a pause until the next read may last: a second of the budget stays for the reads themselves.
  const pausable = () => opts.timeoutMs - (now() - started) - 1000;
  if (pause !== undefined) await pauseFor(Math.max(0, Math.min(pause, pausable())));
  // With nothing learnt at the start, another wait of the kind may learn meanwhile (a deployment starts many alike
  // at once): from then on this one reads when that one's transition ended, then every step of it.
  const pauseLearning = (ms: number): Promise<void> => {
    const meanwhile = learntFor(t);
    if (!meanwhile) return pauseFor(ms);
    const due = t.acceptedAt + meanwhile.tookMs - meanwhile.leadMs - now();
    const wake = due > 0 ? due : Math.min(ms, stepOf(meanwhile.tookMs));
    return pauseFor(Math.min(wake, Math.max(ms, pausable())));
  };
  let sentAt = t.acceptedAt;
  let reads = 0;
  const value = await waitFor(
    () => {
      sentAt = now();
      reads++;
      return read();
    },
    done,
    describe,
    {
      ...opts,
      timeoutMs: opts.timeoutMs - (now() - started),
      intervalMs: step ?? opts.intervalMs,
      sleep: learnt === undefined ? pauseLearning : pauseFor,
    },
  );
  const tookMs = sentAt - t.acceptedAt;
  const streak = learnt !== undefined && reads === 1 ? learnt.streak + 1 : 0;
  const tenth = Math.round(stepOf(tookMs) / 10);
  const leadMs = Math.min(learnt && streak >= 2 ? Math.max(2 * learnt.leadMs, tenth) : tenth, tookMs / 2);
  transitionTimes().set(`${t.kind}|${t.key}`, { tookMs, leadMs, streak });
  transitionTimes().set(`${t.kind}|*`, { tookMs, leadMs, streak });
  return { value, sentAt, tookMs };
}
