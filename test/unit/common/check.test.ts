import { z } from "zod";
import { registerSecrets } from "../../../src/clouds/secrets";
import {
  UNKNOWN,
  MAX_ECHOED_VALUE,
  checkResult,
  deferredNote,
  excerpt,
  fieldName,
  oldInputsFor,
  parseInputs,
  sameInputs,
  unknownFields,
} from "../../../src/resources/common/check";

describe("parseInputs", () => {
  const schema = z.object({
    name: z.string().min(2),
    tunnels: z.array(z.object({ psk: z.string().min(1) })),
  });

  it("names the field of each failure as the user wrote it", () => {
    const { failures } = parseInputs(schema, { name: "x", tunnels: [{ psk: "" }] });
    expect(failures.map((f) => f.property).sort()).toEqual(["name", "tunnels[0].psk"]);
    for (const f of failures) expect(f.reason.startsWith(`${f.property}: `)).toBe(true);
  });

  it("does not judge values that are unknown at preview", () => {
    const { failures } = parseInputs(schema, { name: UNKNOWN, tunnels: [{ psk: "ok" }] });
    expect(failures).toEqual([]);
  });

  it("renders nested paths", () => {
    expect(fieldName(["tunnelOptionsSpecification", 1, "tunnelIkeConfig", "psk"])).toBe(
      "tunnelOptionsSpecification[1].tunnelIkeConfig.psk",
    );
  });
});

describe("oldInputsFor", () => {
  it("gives back the old inputs on the engine's second check of a replacement", () => {
    const olds = { alias: "orders", keyUsage: "ENCRYPT_DECRYPT" };
    const news = { alias: "orders", keyUsage: "ASYMMETRIC_DECRYPT_RSA_2048", tags: { b: 1, a: 2 } };
    expect(oldInputsFor(olds, news)).toBe(olds);
    // Same inputs, other key order, other provider text: still the same resource's re-check.
    const again = {
      tags: { a: 2, b: 1 },
      keyUsage: "ASYMMETRIC_DECRYPT_RSA_2048",
      alias: "orders",
      __provider: "x",
    };
    expect(oldInputsFor({}, again)).toBe(olds);
  });

  it("keeps a real create a create", () => {
    expect(oldInputsFor({}, { alias: "never-checked-before" })).toEqual({});
  });

  it("tells inputs apart that differ only in nested values", () => {
    const olds = { ike: { psk: "a" } };
    oldInputsFor(olds, { ike: { version: "ikev1" } });
    expect(oldInputsFor({}, { ike: { version: "ikev2" } })).toEqual({});
  });
});

describe("checkResult", () => {
  it("gives no property to a failure on a secret input, since the engine would print its value", () => {
    const cak = "0123456789ABCDEF0123456789ABCDXY";
    registerSecrets(cak, "psk-value-1");
    const news = { ckn: "ABC", cak, presharedKeys: { ikeConfig: "psk-value-1" }, alias: "kms-x" };
    const failures = [
      { property: "ckn", reason: "ckn: too short" },
      { property: "cak", reason: "cak: hexadecimal characters only" },
      { property: "presharedKeys", reason: "presharedKeys: bad" },
      { property: "ikeConfig.psk", reason: "ikeConfig.psk: bad" },
      { property: "", reason: "(inputs): bad" },
    ];
    expect(checkResult(news, undefined, failures)).toEqual({
      inputs: news,
      failures: [
        { property: "ckn", reason: "ckn: too short" },
        { property: "", reason: "cak: hexadecimal characters only" },
        { property: "", reason: "presharedKeys: bad" },
        { property: "ikeConfig.psk", reason: "ikeConfig.psk: bad" },
        { property: "", reason: "(inputs): bad" },
      ],
    });
  });
});

describe("checkResult: secret inputs of any type, and long values", () => {
  it("gives no property to a failure on cak, keyMaterial, presharedKeys or psk whatever the value's type", () => {
    const news = {
      cak: 12345,
      keyMaterial: 98765432,
      presharedKeys: { ikeConfig: 5 },
      psk: { nested: true },
      ikeConfig: { psk: 77, ikeVersion: 1 },
      tunnelOptionsSpecification: [{ tunnelIkeConfig: { psk: [1, 2] } }],
      name: 42,
    };
    const names = Object.keys(news);
    const failures = names.map((property) => ({ property, reason: `${property}: wrong type` }));
    const out = checkResult(news, undefined, failures).failures!;
    // Only `name` holds no secret: the engine may print its value.
    expect(out.map((f) => f.property)).toEqual(["", "", "", "", "", "", "name"]);
    expect(out.map((f) => f.reason)).toEqual(failures.map((f) => f.reason));
  });

  it("gives no property to a failure on a value too long to print, and excerpt() bounds a quoted value", () => {
    const huge = "a".repeat(1_000_000);
    const atLimit = "b".repeat(MAX_ECHOED_VALUE);
    const out = checkResult({ alias: huge, region: atLimit }, undefined, [
      { property: "alias", reason: `alias: "${excerpt(huge)}" is wrong` },
      { property: "region", reason: "region: wrong" },
    ]).failures!;
    expect(out[0].property).toBe("");
    expect(out[0].reason.length).toBeLessThan(200);
    expect(out[0].reason).toContain("(1000000 characters)");
    // The last length the engine may print is kept; one more character is not.
    expect(out[1].property).toBe("region");
    expect(
      checkResult({ region: `${atLimit}b` }, undefined, [{ property: "region", reason: "r" }]).failures![0]
        .property,
    ).toBe("");
    expect(excerpt("short")).toBe("short");
    expect(excerpt("x".repeat(64))).toBe("x".repeat(64));
    expect(excerpt("x".repeat(65))).toBe(`${"x".repeat(64)}... (65 characters)`);
  });
});

describe("sameInputs", () => {
  it("is true only for equal inputs of an existing resource, whatever the key order", () => {
    expect(sameInputs({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, __provider: "x" })).toBe(true);
    expect(sameInputs({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [2, 1] } })).toBe(false);
    expect(sameInputs({}, {})).toBe(false);
  });
});

describe("unknownFields and deferredNote", () => {
  it("names the inputs not known yet and says that up checks them before any change", () => {
    const news = { keyId: UNKNOWN, region: "cn-hangzhou", nested: { a: UNKNOWN } };
    expect(unknownFields(news, ["keyId", "region", "nested", "absent"])).toEqual(["keyId", "nested"]);
    expect(deferredNote("X", ["keyId"], "the key")).toBe(
      "X: keyId not known until another resource is deployed; the key will be checked during 'pulumi up', " +
        "before any change is made.",
    );
  });
});
