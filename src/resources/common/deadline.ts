// `timeoutSeconds` is one deadline for a whole operation: every call and wait of a create, update or delete draws
// on the same budget instead of getting the full timeout again.

/** Milliseconds left before the operation's deadline (at least one second, so that a last call can still go). */
export type Remaining = () => number;

export function operationDeadline(timeoutSeconds: number): Remaining {
  const end = Date.now() + timeoutSeconds * 1000;
  return () => Math.max(end - Date.now(), 1000);
}
