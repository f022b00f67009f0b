import { beginTransition, inTransition, statusAt, type Managed } from "../../../src/emulator/managed-state";

type S = "Associated" | "Associating" | "Disassociated";

describe("managed state", () => {
  it("shows the interim status until the transition ends, then the settled one", () => {
    const m: Managed<S> = { status: "Disassociated" };
    beginTransition(m, "Associating", "Associated", 1_000, 500);
    expect(statusAt(m, 1_000)).toBe("Associating");
    expect(inTransition(m, 1_499)).toBe(true);
    expect(statusAt(m, 1_500)).toBe("Associated");
    expect(inTransition(m, 1_500)).toBe(false);
  });

  it("settles at once for a zero duration", () => {
    const m: Managed<S> = { status: "Disassociated" };
    beginTransition(m, "Associating", "Associated", 1_000, 0);
    expect(statusAt(m, 1_000)).toBe("Associated");
    expect(m.transition).toBeUndefined();
  });
});
