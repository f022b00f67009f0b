// The emulator clock (wall clock plus an offset settable through the admin API) and the durations of
// asynchronous transitions.
import { DEFAULT_DURATIONS } from "./types";

export class Clock {
  private offset = 0;

  constructor(private readonly wall: () => number = Date.now) {}

  now(): number {
    return this.wall() + this.offset;
  }

  wallNow(): number {
    return this.wall();
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward (or back, for a negative value). */
  advance(ms: number): void {
    this.offset += ms;
  }

  set(nowMs: number): void {
    this.offset = nowMs - this.wall();
  }

  setOffset(offsetMs: number): void {
    this.offset = offsetMs;
  }
}

/**
 * The latest time the emulator clock may show: 9999-12-31T23:59:59.999Z. The clouds' timestamps have four-digit
 * years (ISO 8601 as Alibaba and Volcengine answer, Unix seconds that Tencent's SDKs decode), and past it
 * `Date.toISOString()` switches to six-digit years; far beyond it (8.64e15 ms) a Date is invalid and reads fail.
 */
export const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The longest transition duration: 100 days, far above any real one, so clock + duration always stays a date. */
export const MAX_DURATION_MS = 100 * 86_400_000;

/** Checks a clock value (epoch ms) the admin API is asked to set; the message names the field. */
export function checkClockMs(ms: number, field: string): void {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_CLOCK_MS)
    throw new Error(
      `${field} would put the clock at ${ms}; it must stay an integer from 0 to ${MAX_CLOCK_MS} ms (9999-12-31)`,
    );
}

/**
 * Validates `{name: ms}`: only known transitions (`known`: the defaults and those the emulator was started with),
 * each an integer from 0 to MAX_DURATION_MS; errors name the field.
 */
export function parseDurations(
  value: unknown,
  where = "durations",
  known: readonly string[] = Object.keys(DEFAULT_DURATIONS),
): Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object of {name: milliseconds}`);
  }
  const out: Record<string, number> = {};
  for (const [name, ms] of Object.entries(value)) {
    if (!known.includes(name))
      throw new Error(`${where}.${name} is not a duration (known: ${known.join(", ")})`);
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0 || ms > MAX_DURATION_MS) {
      throw new Error(
        `${where}.${name} must be an integer number of milliseconds from 0 to ${MAX_DURATION_MS}`,
      );
    }
    out[name] = ms;
  }
  return out;
}

export class Durations {
  private values: Record<string, number>;

  constructor(initial: Record<string, number> = {}) {
    this.values = { ...DEFAULT_DURATIONS, ...initial };
  }

  /** An unknown name is an instant transition. */
  get(name: string): number {
    return Object.prototype.hasOwnProperty.call(this.values, name) ? this.values[name] : 0;
  }

  /** The transitions this emulator knows: the defaults and those it was started with. */
  names(): string[] {
    return Object.keys(this.values);
  }

  set(values: Record<string, number>): void {
    this.values = { ...this.values, ...values };
  }

  toJSON(): Record<string, number> {
    return { ...this.values };
  }
}
