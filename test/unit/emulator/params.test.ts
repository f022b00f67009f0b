import { paramReader, unflatten } from "../../../src/emulator/params";
import { serviceErrorOf } from "../../support/service-error";

describe("unflatten", () => {
  it("turns A.n.B.C keys into nested arrays (1-based) and objects", () => {
    expect(
      unflatten({
        "TunnelOptionsSpecification.2.Role": "slave",
        "TunnelOptionsSpecification.1.Role": "master",
        "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion": "ikev2",
        "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk": "p",
        RegionId: "cn-hangzhou",
        "Tag.1.Key": "k",
      }),
    ).toEqual({
      TunnelOptionsSpecification: [
        { Role: "master", TunnelIkeConfig: { IkeVersion: "ikev2", Psk: "p" } },
        { Role: "slave" },
      ],
      RegionId: "cn-hangzhou",
      Tag: [{ Key: "k" }],
    });
  });

  it("orders array items by index (numerically) and closes gaps", () => {
    expect(unflatten({ "A.10": "ten", "A.2": "two", "A.1": "one" })).toEqual({ A: ["one", "two", "ten"] });
  });

  it("supports 0-based lists (Tencent legacy) and lists of lists", () => {
    expect(unflatten({ "InstanceIds.0": "a", "InstanceIds.1": "b" }, { base: 0 })).toEqual({
      InstanceIds: ["a", "b"],
    });
    expect(unflatten({ "M.1.1": "x", "M.1.2": "y", "M.2.1": "z" })).toEqual({ M: [["x", "y"], ["z"]] });
  });

  it("rejects conflicting, malformed or out-of-base keys with the caller's code", () => {
    expect(
      serviceErrorOf(() => unflatten({ A: "x", "A.1": "y" }, { invalidCode: "InvalidParam" })).code,
    ).toBe("InvalidParam");
    expect(serviceErrorOf(() => unflatten({ "A.1": "y", A: "x" })).code).toBe("InvalidParameter");
    expect(serviceErrorOf(() => unflatten({ "A.1": "x", "A.B": "y" })).message).toMatch(/mixes list items/);
    expect(serviceErrorOf(() => unflatten({ "A..B": "x" })).message).toMatch(/empty/);
    expect(serviceErrorOf(() => unflatten({ "A.0": "x" })).message).toMatch(/start at 1/);
  });

  it("keeps a __proto__ segment as a plain key", () => {
    const out = unflatten({ "__proto__.polluted": "yes", "A.__proto__.x": "1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__", "A"]);
  });

  it("never echoes a value in its messages", () => {
    expect(
      serviceErrorOf(() => unflatten({ Secret: "s3cr3t-value", "Secret.1": "x" })).message,
    ).not.toContain("s3cr3t");
  });
});

describe("paramReader", () => {
  const codes = { missing: "MissingParameter", invalid: "InvalidParameter.Malformed" };

  it("reads strings, booleans and integers from strings (query, form) or JSON values", () => {
    const p = paramReader({ Name: "n", Flag: "true", Off: false, Count: "42", Num: 7 }, codes);
    expect(p.str("Name", { required: true })).toBe("n");
    expect(p.bool("Flag")).toBe(true);
    expect(p.bool("Off")).toBe(false);
    expect(p.int("Count", { min: 1, max: 100 })).toBe(42);
    expect(p.int("Num")).toBe(7);
    expect(p.str("Absent")).toBeUndefined();
    expect(p.has("Name")).toBe(true);
    expect(p.has("Absent")).toBe(false);
  });

  it("raises the caller's missing code for an absent or empty required parameter", () => {
    const p = paramReader({ Empty: "" }, { ...codes, httpStatus: 200 });
    const e = serviceErrorOf(() => p.str("Empty", { required: true }));
    expect([e.code, e.httpStatus]).toEqual(["MissingParameter", 200]);
    expect(serviceErrorOf(() => p.int("Nope", { required: true })).code).toBe("MissingParameter");
  });

  it("raises the caller's invalid code for a wrong type, range, pattern or choice, without the value", () => {
    const p = paramReader({ B: "yes", I: "4.5", Big: "1000", S: 5, Pat: "abc-secret", Choice: "c" }, codes);
    for (const fn of [
      () => p.bool("B"),
      () => p.int("I"),
      () => p.int("Big", { max: 10 }),
      () => p.str("S"),
      () => p.str("Pat", { pattern: /^\d+$/ }),
      () => p.str("Choice", { oneOf: ["a", "b"] }),
      () => p.str("Pat", { maxLength: 3 }),
    ]) {
      const e = serviceErrorOf(fn);
      expect(e.code).toBe("InvalidParameter.Malformed");
      expect(e.message).not.toContain("secret");
    }
  });

  it("parses JSON-string parameters and reports malformed JSON", () => {
    const p = paramReader({ IkeConfig: '{"IkeVersion":"ikev2"}', Bad: "{" }, codes);
    expect(p.json("IkeConfig")).toEqual({ IkeVersion: "ikev2" });
    expect(serviceErrorOf(() => p.json("Bad")).code).toBe("InvalidParameter.Malformed");
  });

  it("uses the caller's message builders", () => {
    const p = paramReader(
      {},
      { ...codes, missingMessage: (n) => `The input parameter "${n}" is not supplied.` },
    );
    expect(serviceErrorOf(() => p.str("KeyId", { required: true })).message).toBe(
      'The input parameter "KeyId" is not supplied.',
    );
  });

  it("does not read inherited properties", () => {
    expect(paramReader({}, codes).str("constructor")).toBeUndefined();
  });
});
