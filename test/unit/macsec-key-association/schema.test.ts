import { parseInputs, UNKNOWN } from "../../../src/resources/common/check";
import {
  createResourceId,
  inputsSchema,
  parseResourceId,
} from "../../../src/resources/macsec-key-association/schema";

const base = {
  region: "cn-hangzhou",
  physicalConnectionId: "pc-bp1hp0wr072f6",
  cipherSuite: "GCM-AES-128",
  ckn: "0123456789abcdef0123456789abcdef",
  cak: "fedcba9876543210fedcba9876543210",
};

describe("MacsecKeyAssociation inputs", () => {
  test("upper-cases CKN and CAK and defaults active to true", () => {
    const { inputs, failures } = parseInputs(inputsSchema, base);
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      ckn: "0123456789ABCDEF0123456789ABCDEF",
      cak: "FEDCBA9876543210FEDCBA9876543210",
      active: true,
    });
  });

  test.each([
    ["GCM-AES-128", 32],
    ["GCM-AES-XPN-128", 32],
    ["GCM-AES-256", 64],
    ["GCM-AES-XPN-256", 64],
  ])("%s needs %i hex characters", (cipherSuite, len) => {
    const ok = parseInputs(inputsSchema, {
      ...base,
      cipherSuite,
      ckn: "a".repeat(len),
      cak: "b".repeat(len),
    });
    expect(ok.failures).toEqual([]);
    const other = len === 32 ? 64 : 32;
    const bad = parseInputs(inputsSchema, {
      ...base,
      cipherSuite,
      ckn: "a".repeat(other),
      cak: "b".repeat(other),
    });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["cak", "ckn"]);
    expect(bad.failures[0].reason).toContain(`must be ${len} hex characters for ${cipherSuite}`);
  });

  test.each([31, 33, 63, 65])("one character off the length (%i) fails on both fields", (len) => {
    const cipherSuite = len < 48 ? "GCM-AES-128" : "GCM-AES-256";
    const bad = parseInputs(inputsSchema, {
      ...base,
      cipherSuite,
      ckn: "a".repeat(len),
      cak: "b".repeat(len),
    });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["cak", "ckn"]);
  });

  test("non-hex CAK fails on the cak field without repeating the value", () => {
    const cak = "zzzzba9876543210fedcba9876543210";
    const { failures } = parseInputs(inputsSchema, { ...base, cak });
    expect(failures.map((f) => f.property)).toEqual(["cak"]);
    expect(JSON.stringify(failures)).not.toContain(cak.slice(4));
  });

  test("unknown cipher suite and bad ids name their field", () => {
    const { failures } = parseInputs(inputsSchema, {
      ...base,
      cipherSuite: "AES",
      region: "Hangzhou",
      physicalConnectionId: "vpn-1",
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["cipherSuite", "physicalConnectionId", "region"]);
  });

  test("values unknown at preview are not judged", () => {
    const { failures } = parseInputs(inputsSchema, { ...base, cak: UNKNOWN });
    expect(failures).toEqual([]);
  });

  test("timeoutSeconds must be a positive integer", () => {
    expect(parseInputs(inputsSchema, { ...base, timeoutSeconds: 0 }).failures[0].property).toBe(
      "timeoutSeconds",
    );
  });
});

describe("MacsecKeyAssociation id", () => {
  test("encodes region, connection and upper-case CKN, and parses back", () => {
    const id = createResourceId("cn-hangzhou", "pc-1", "abcd");
    expect(id).toBe("cn-hangzhou:pc-1:ABCD");
    expect(parseResourceId(id)).toEqual({ region: "cn-hangzhou", physicalConnectionId: "pc-1", ckn: "ABCD" });
  });

  test("a malformed id is refused with the expected form", () => {
    expect(() => parseResourceId("pc-1:ABCD")).toThrow(/<region>:<physicalConnectionId>:<CKN>/);
    expect(() => parseResourceId("pc-1:ABCD")).toThrow(/pulumi import/);
  });
});
