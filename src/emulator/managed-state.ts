// The one mechanism for the clouds' asynchronous transitions (moto's ManagedState): an object shows an interim
// status (Associating, updating, PendingImport...) until a time on the emulator clock, then its settled status.
// Computed lazily from the clock, so nothing runs in between and the record stays plain data for the state file.

export interface Managed<S extends string> {
  /** The settled status: the one shown now, or reached when `transition` ends. */
  status: S;
  /** While the emulator clock is before `until`, the object shows `during`. */
  transition?: { during: S; until: number };
}

/** Whether `m` is inside a transition at `now`. */
export function inTransition(m: Managed<string>, now: number): boolean {
  return m.transition !== undefined && now < m.transition.until;
}

/** The status `m` shows at `now`. */
export function statusAt<S extends string>(m: Managed<S>, now: number): S {
  return m.transition && now < m.transition.until ? m.transition.during : m.status;
}

/** Starts a transition: `m` shows `during` for `durationMs`, then `settled`. */
export function beginTransition<S extends string>(
  m: Managed<S>,
  during: S,
  settled: S,
  now: number,
  durationMs: number,
): void {
  m.status = settled;
  m.transition = durationMs > 0 ? { during, until: now + durationMs } : undefined;
}
