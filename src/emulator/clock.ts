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

/** Validates `{name: ms}` with finite non-negative numbers; errors name the field. */
export function parseDurations(value: unknown, where = "durations"): Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object of {name: milliseconds}`);
  }
  const out: Record<string, number> = {};
  for (const [name, ms] of Object.entries(value)) {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new Error(`${where}.${name} must be a non-negative number of milliseconds`);
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

  set(values: Record<string, number>): void {
    this.values = { ...this.values, ...values };
  }

  toJSON(): Record<string, number> {
    return { ...this.values };
  }
}
