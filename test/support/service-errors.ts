import { ServiceError } from "../../src/emulator/types";

/** The code of the ServiceError `fn` throws; fails the test when it throws nothing or something else. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return e.code;
    throw e;
  }
  throw new Error("expected a ServiceError");
}
