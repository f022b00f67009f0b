import { operationDeadline } from "../../../src/resources/common/deadline";

describe("operationDeadline: one deadline for a whole operation", () => {
  it("shrinks as time passes, whatever the calls, and keeps one second for a last call", () => {
    let now = 1_000_000;
    const remaining = operationDeadline(60, 600, () => now);
    expect(remaining()).toBe(60_000);
    now += 45_000;
    expect(remaining()).toBe(15_000);
    now += 30_000;
    expect(remaining()).toBe(1000);
  });

  it("takes the resource's default when timeoutSeconds is not given", () => {
    expect(operationDeadline(undefined, 120, () => 0)()).toBe(120_000);
  });
});
