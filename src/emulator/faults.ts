// Injected faults: errors, latency and connection resets on chosen calls, applied after the signature check
// and before the model. Probabilistic faults draw from a seeded PRNG, so a run replays exactly.
import type { EmulatorCloud } from "./types";

export interface FaultSpec {
  /** Only calls of this action (any action when absent). */
  action?: string;
  /** Only calls to this cloud (any cloud when absent). */
  cloud?: EmulatorCloud;
  /** Error code to answer, in the cloud's envelope. Optional for a pure latency or reset fault. */
  code?: string;
  httpStatus?: number;
  message?: string;
  /** The fault applies to the next N matching calls that it hits, then is removed. */
  count?: number;
  /** Chance (0..1) that a matching call is hit. */
  probability?: number;
  seed?: number;
  /** Delay before answering (or before passing the call on, when there is no code). */
  latencyMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  /** Calls it still applies to (count faults only). */
  remaining?: number;
}

const CLOUDS: readonly string[] = ["alibaba", "volcengine", "tencent"];
const MAX_CODE = 128;
const CODE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_CODE - 1}}$`);
const MAX_MESSAGE = 4096;

/** mulberry32: small, fast, good enough for replayable fault schedules. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates a fault from the admin API; errors name the field. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("a fault must be an object");
  const v = value as Record<string, unknown>;
  const known = [
    "action",
    "cloud",
    "code",
    "httpStatus",
    "message",
    "count",
    "probability",
    "seed",
    "latencyMs",
    "reset",
  ];
  for (const k of Object.keys(v)) if (!known.includes(k)) throw new Error(`unknown fault field "${k}"`);
  const optional = <T>(name: string, ok: (x: unknown) => boolean, what: string): T | undefined => {
    if (v[name] === undefined) return undefined;
    if (!ok(v[name])) throw new Error(`fault.${name} must be ${what}`);
    return v[name] as T;
  };
  const isText = (x: unknown) => typeof x === "string" && x.length > 0;
  // Cloud error codes are short identifiers ("Throttling.User", "4000"); a longer one is a mistake, and would be
  // echoed in every answer and log line.
  const isCode = (x: unknown) => typeof x === "string" && CODE.test(x);
  const isInt = (min: number, max: number) => (x: unknown) =>
    Number.isInteger(x) && (x as number) >= min && (x as number) <= max;
  const spec: FaultSpec = {
    action: optional<string>("action", (x) => isText(x) && (x as string).length <= 128, "an action name"),
    cloud: optional<EmulatorCloud>(
      "cloud",
      (x) => CLOUDS.includes(x as string),
      `one of ${CLOUDS.join(", ")}`,
    ),
    code: optional<string>("code", isCode, `an error code (${CODE}, at most ${MAX_CODE} characters)`),
    httpStatus: optional<number>("httpStatus", isInt(100, 599), "an HTTP status (100-599)"),
    message: optional<string>(
      "message",
      (x) => typeof x === "string" && x.length <= MAX_MESSAGE,
      `a string of at most ${MAX_MESSAGE} characters`,
    ),
    count: optional<number>("count", isInt(1, Number.MAX_SAFE_INTEGER), "a positive integer"),
    probability: optional<number>(
      "probability",
      (x) => typeof x === "number" && x >= 0 && x <= 1,
      "a number in [0, 1]",
    ),
    seed: optional<number>("seed", isInt(0, 2 ** 32 - 1), "an integer in [0, 2^32)"),
    latencyMs: optional<number>(
      "latencyMs",
      isInt(0, 600_000),
      "an integer number of milliseconds (at most 600000)",
    ),
    reset: optional<boolean>("reset", (x) => typeof x === "boolean", "a boolean"),
  };
  if (spec.code === undefined && spec.latencyMs === undefined && !spec.reset) {
    throw new Error("a fault needs a code, latencyMs or reset: true");
  }
  return Object.fromEntries(Object.entries(spec).filter(([, x]) => x !== undefined)) as FaultSpec;
}

interface Rule {
  fault: ActiveFault;
  random: () => number;
}

export class Faults {
  private rules: Rule[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: spec.count };
    this.rules.push({ fault, random: mulberry32(spec.seed ?? fault.id) });
    return { ...fault };
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r.fault }));
  }

  /**
   * The first fault that hits this call, counting it down. A probabilistic rule draws once per matching call,
   * whether or not an earlier rule already hit, so each rule's schedule is independent of the others.
   */
  take(cloud: EmulatorCloud, action: string): FaultSpec | undefined {
    let hit: FaultSpec | undefined;
    for (const rule of [...this.rules]) {
      const f = rule.fault;
      if ((f.cloud !== undefined && f.cloud !== cloud) || (f.action !== undefined && f.action !== action))
        continue;
      const drawn = f.probability === undefined || rule.random() < f.probability;
      if (!drawn || hit) continue;
      hit = { ...f };
      if (f.remaining !== undefined && --f.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return hit;
  }
}
