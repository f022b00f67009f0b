import { Faults, mulberry32, parseFaultSpec } from "../../../src/emulator/faults";

describe("mulberry32", () => {
  it("replays the same sequence for the same seed, in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe("Faults", () => {
  it("hits the next N matching calls of a count fault, then removes it", () => {
    const f = new Faults();
    f.add({ action: "ModifyVpnConnectionAttribute", cloud: "alibaba", code: "VpnTask.CONFLICT", count: 2 });
    expect(f.take("alibaba", "DescribeVpnGateway")).toBeUndefined();
    expect(f.take("tencent", "ModifyVpnConnectionAttribute")).toBeUndefined();
    expect(f.take("alibaba", "ModifyVpnConnectionAttribute")?.code).toBe("VpnTask.CONFLICT");
    expect(f.take("alibaba", "ModifyVpnConnectionAttribute")?.code).toBe("VpnTask.CONFLICT");
    expect(f.take("alibaba", "ModifyVpnConnectionAttribute")).toBeUndefined();
    expect(f.list()).toEqual([]);
  });

  it("replays a probabilistic schedule exactly for a given seed", () => {
    const schedule = (seed: number) => {
      const f = new Faults();
      f.add({ code: "Throttling.User", probability: 0.3, seed });
      return Array.from({ length: 200 }, () => (f.take("alibaba", "X") ? 1 : 0)).join("");
    };
    expect(schedule(7)).toBe(schedule(7));
    expect(schedule(7)).not.toBe(schedule(8));
    const hits = schedule(7)
      .split("")
      .filter((c) => c === "1").length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it("probability 0 never hits and 1 always hits; a rule without count stays until cleared", () => {
    const f = new Faults();
    f.add({ code: "A", probability: 0 });
    expect(f.take("volcengine", "X")).toBeUndefined();
    f.add({ code: "B", probability: 1 });
    expect(f.take("volcengine", "X")?.code).toBe("B");
    expect(f.take("volcengine", "X")?.code).toBe("B");
    f.clear();
    expect(f.take("volcengine", "X")).toBeUndefined();
  });

  it("applies the first matching rule; counts down only the one that hit", () => {
    const f = new Faults();
    f.add({ action: "X", code: "First", count: 1 });
    f.add({ code: "Second", count: 1 });
    expect(f.take("alibaba", "X")?.code).toBe("First");
    expect(f.take("alibaba", "X")?.code).toBe("Second");
    expect(f.take("alibaba", "X")).toBeUndefined();
  });
});

describe("parseFaultSpec", () => {
  it("accepts the documented fields", () => {
    const documented = {
      action: "A",
      cloud: "tencent",
      code: "C",
      httpStatus: 503,
      count: 1,
      probability: 0.5,
      seed: 3,
    };
    expect(parseFaultSpec(documented)).toEqual(documented);
    expect(parseFaultSpec({ latencyMs: 100 })).toEqual({ latencyMs: 100 });
    expect(parseFaultSpec({ reset: true })).toEqual({ reset: true });
  });

  it.each([
    [{}, /needs a code/],
    [{ code: "C", cloud: "aws" }, /fault.cloud/],
    [{ code: "C", probability: 2 }, /fault.probability/],
    [{ code: "C", count: 0 }, /fault.count/],
    [{ code: "C", httpStatus: 99 }, /fault.httpStatus/],
    [{ code: "C", colour: "red" }, /unknown fault field "colour"/],
    [[], /must be an object/],
  ])("rejects %j", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});
