// `timeoutSeconds` is one deadline for a whole operation: every call and wait of a create, update or delete draws
// on the same budget instead of getting the full timeout again.

/** Milliseconds left before the operation's deadline (at least one second, so that a last call can still go). */
export type Remaining = () => number;

/** The deadline of one operation: `timeoutSeconds` when it is a number, else the resource's default. */
export function operationDeadline(
  timeoutSeconds: unknown,
  defaultSeconds: number,
  now: () => number = Date.now,
): Remaining {
  const seconds = typeof timeoutSeconds === "number" ? timeoutSeconds : defaultSeconds;
  const end = now() + seconds * 1000;
  return () => Math.max(end - now(), 1000);
}
