import type { RequestsReport } from "../../src/emulator/request-log";

// Counting the cloud calls the emulator answered, from its request log.

/** A read of the cloud's state: the Describe* actions of every API this package calls. */
export const isRead = (action: string): boolean => action.startsWith("Describe");

/** How many reads the log holds. */
export function readsIn(report: RequestsReport): number {
  return report.entries.filter((e) => isRead(e.action)).length;
}
