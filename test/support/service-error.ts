import { ServiceError } from "../../src/emulator/types";

/** The ServiceError `fn` throws (a model's or a reader's refusal); fails when it throws none. */
export function serviceErrorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error("expected a ServiceError");
}

/** The code of the ServiceError `fn` throws; fails the test when it throws nothing or something else. */
export function codeOf(fn: () => unknown): string {
  return serviceErrorOf(fn).code;
}
