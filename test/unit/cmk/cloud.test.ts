import { budget } from "../../../src/resources/cmk/cloud";

describe("budget: one deadline for a whole Cmk operation", () => {
  afterEach(() => jest.useRealTimers());

  it("shrinks as time passes, whatever the calls, and keeps one second for a last call", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const left = budget(10);
    expect(left()).toBe(10_000);
    jest.setSystemTime(1_004_000);
    expect(left()).toBe(6_000);
    jest.setSystemTime(1_030_000);
    expect(left()).toBe(1_000);
  });

  it("defaults to 120 seconds", () => {
    jest.useFakeTimers({ now: 0 });
    expect(budget(undefined)()).toBe(120_000);
  });
});
