// The emulator's state: accounts, each model's state, the clock offset and the durations; kept in memory, and
// in a JSON file when one is given, rewritten atomically after every change.
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { Accounts, parseAccounts } from "./accounts";
import { Clock, Durations, parseDurations } from "./clock";
import { Sessions } from "./sessions";
import type { ServiceContext, ServiceModel } from "./types";

export interface StateFile {
  version: 1;
  accounts: unknown;
  models: Record<string, unknown>;
  clockOffsetMs: number;
  durations: Record<string, number>;
  /** Temporary credentials issued by the STS services (absent in files written before they existed). */
  sessions?: unknown;
}

/** Writes `text` to `path` so that readers see the old or the new file, never a part: temp file, fsync, rename. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  // Make the rename itself durable where the platform allows fsync on a directory.
  try {
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Not supported on every platform; the rename is still atomic.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Deletes the temporary files that writeFileAtomic left beside `path` when its process was killed between
 * writing and renaming (each is a whole copy of the state; they would pile up with every crash). A file whose
 * writer still runs is kept; at start this process has none of its own in flight.
 */
export function removeStaleTemporaries(path: string): string[] {
  const prefix = `.${basename(path)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^(\d+)\.\d+\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && isRunning(pid)) continue;
    try {
      unlinkSync(join(dirname(path), name));
      removed.push(name);
    } catch {
      // Gone already.
    }
  }
  return removed;
}

/** Reads a state file; undefined when it does not exist; throws naming the file when it is not valid. */
export function readStateFile(path: string): StateFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read the emulator state file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `The emulator state file ${path} is not valid JSON (${(e as Error).message}). Delete it to start empty.`,
    );
  }
  const s = parsed as Partial<StateFile> | null;
  if (
    typeof s !== "object" ||
    s === null ||
    s.version !== 1 ||
    typeof s.models !== "object" ||
    s.models === null ||
    typeof s.clockOffsetMs !== "number" ||
    typeof s.durations !== "object"
  ) {
    throw new Error(
      `The emulator state file ${path} is not an emulator state (version 1). Delete it to start empty.`,
    );
  }
  return s as StateFile;
}

/** Fixture keys besides the models' own keys. */
const ACCOUNTS_KEY = "accounts";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The fixtures of one part of an API served by several models under one key (ServiceModel.part). */
function partFixtures(model: ServiceModel, all: ServiceModel[], fixtures: unknown): Record<string, unknown> {
  const { key, part } = model;
  if (!isPlainObject(fixtures)) throw new Error(`Invalid ${key} fixtures: expected an object`);
  const known = all.filter((m) => m.key === key).flatMap((m) => m.part?.fixtureKeys ?? []);
  const unknown = Object.keys(fixtures).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `Invalid ${key} fixtures: unknown key(s) ${unknown.join(", ")} (expected ${known.join(", ")})`,
    );
  }
  return Object.fromEntries(
    part!.fixtureKeys.filter((k) => fixtures[k] !== undefined).map((k) => [k, fixtures[k]]),
  );
}

/**
 * One entry per key: a model's own value, or for the parts of one API (ServiceModel.part) `combine` of theirs.
 */
function byKey(
  models: ServiceModel[],
  value: (m: ServiceModel) => unknown,
  combine: (m: ServiceModel, sofar: Record<string, unknown>, mine: unknown) => Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of models) {
    const mine = value(m);
    out[m.key] = m.part
      ? combine(m, isPlainObject(out[m.key]) ? (out[m.key] as Record<string, unknown>) : {}, mine)
      : mine;
  }
  return out;
}

export class EmulatorState {
  readonly accounts = new Accounts();
  readonly sessions = new Sessions();
  readonly clock: Clock;
  readonly durations: Durations;
  readonly stateFile: string | undefined;

  constructor(
    readonly models: ServiceModel[],
    opts: { durations?: Record<string, number>; clock?: Clock; stateFile?: string } = {},
  ) {
    this.clock = opts.clock ?? new Clock();
    this.durations = new Durations(opts.durations);
    this.stateFile = opts.stateFile;
  }

  /** A context for one request (or admin call); `onChange` runs when the handler marks a change. */
  context(onChange: () => void = () => undefined): ServiceContext {
    return {
      now: () => this.clock.now(),
      durationMs: (name) => this.durations.get(name),
      changed: onChange,
      issueSession: (init) => this.sessions.issue(init),
    };
  }

  /** `{accounts?, <model key>?...}`; an unknown key is an error, so a typo does not pass silently. */
  loadFixtures(fixtures: unknown): void {
    if (typeof fixtures !== "object" || fixtures === null || Array.isArray(fixtures)) {
      throw new Error("fixtures must be a JSON object keyed by accounts and model keys");
    }
    const known = [ACCOUNTS_KEY, ...this.models.map((m) => m.key)];
    for (const key of Object.keys(fixtures)) {
      if (!known.includes(key)) throw new Error(`unknown fixtures key "${key}" (known: ${known.join(", ")})`);
    }
    const f = fixtures as Record<string, unknown>;
    if (f[ACCOUNTS_KEY] !== undefined) this.accounts.add(parseAccounts(f[ACCOUNTS_KEY], "fixtures.accounts"));
    const ctx = this.context();
    for (const model of this.models) {
      const mine = f[model.key];
      if (mine === undefined || (model.part && mine === null)) continue;
      model.loadFixtures(model.part ? partFixtures(model, this.models, mine) : mine, ctx);
    }
  }

  /** Back to empty: models, accounts and clock. Durations are configuration and stay. */
  reset(): void {
    for (const m of this.models) m.reset();
    this.accounts.reset();
    this.sessions.reset();
    this.clock.setOffset(0);
  }

  /** Models may settle due transitions while summarizing (e.g. purge keys past their deletion date). */
  inventory(): Record<string, unknown> {
    let changed = false;
    const ctx = this.context(() => (changed = true));
    const summary = {
      ...byKey(
        this.models,
        (m) => m.inventory(ctx),
        (_m, sofar, mine) => ({ ...sofar, ...(isPlainObject(mine) ? mine : {}) }),
      ),
      emulator: {
        accounts: this.accounts.summary(),
        sessions: this.sessions.summary(this.clock.now()),
        nowMs: this.clock.now(),
        clockOffsetMs: this.clock.offsetMs,
        durations: this.durations.toJSON(),
      },
    };
    if (changed) this.save();
    return summary;
  }

  toJSON(): StateFile {
    return {
      version: 1,
      accounts: this.accounts.toJSON(),
      sessions: this.sessions.toJSON(),
      models: byKey(
        this.models,
        (m) => m.toJSON(),
        (m, sofar, mine) => ({ ...sofar, [m.part!.name]: mine }),
      ),
      clockOffsetMs: this.clock.offsetMs,
      durations: this.durations.toJSON(),
    };
  }

  fromJSON(state: StateFile, source: string): void {
    this.reset();
    try {
      this.accounts.add(parseAccounts(state.accounts, "accounts"));
      this.sessions.fromJSON(state.sessions);
      for (const m of this.models) {
        const saved = state.models[m.key];
        if (saved === undefined) continue;
        m.fromJSON(m.part ? (isPlainObject(saved) ? saved[m.part.name] : undefined) : saved);
      }
      // The file is the emulator's own: it may name transitions an earlier run was started with.
      const saved = Object.keys(Object(state.durations));
      this.durations.set(parseDurations(state.durations, "durations", saved));
    } catch (e) {
      throw new Error(`The emulator state file ${source} cannot be restored: ${(e as Error).message}`);
    }
    this.clock.setOffset(state.clockOffsetMs);
  }

  /** Loads the state file if it exists; true when it did. */
  load(): boolean {
    if (!this.stateFile) return false;
    removeStaleTemporaries(this.stateFile);
    const state = readStateFile(this.stateFile);
    if (!state) return false;
    this.fromJSON(state, this.stateFile);
    return true;
  }

  /** Writes the state file, if there is one. */
  save(): void {
    if (this.stateFile) writeFileAtomic(this.stateFile, JSON.stringify(this.toJSON()));
  }
}
