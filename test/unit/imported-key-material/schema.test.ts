import { randomBytes } from "node:crypto";
import { parseInputs, UNKNOWN } from "../../../src/resources/common/check";
import { MAX_EXPIRE_UNIX } from "../../../src/clouds/facts/alibaba-kms";
import {
  createResourceId,
  decodeMaterial,
  expireUnixOf,
  inputsSchema,
  parseResourceId,
} from "../../../src/resources/imported-key-material/schema";

const material = randomBytes(32).toString("base64");
const base = { region: "cn-hangzhou", keyId: "key-1", keyMaterial: material };

const failuresOf = (news: Record<string, unknown>) => parseInputs(inputsSchema, news).failures;

describe("ImportedKeyMaterial schema", () => {
  it("fills defaults and keeps expireAt as written", () => {
    const { inputs, failures } = parseInputs(inputsSchema, {
      ...base,
      expireAt: "2030-01-01T00:00:00Z",
      __provider: "x",
    });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      ...base,
      expireAt: "2030-01-01T00:00:00Z",
      wrappingAlgorithm: "RSAES_OAEP_SHA_256",
      wrappingKeySpec: "RSA_2048",
    });
  });

  it("accepts 16-byte and 32-byte material and names keyMaterial otherwise, without echoing it", () => {
    expect(failuresOf({ ...base, keyMaterial: randomBytes(16).toString("base64") })).toEqual([]);
    const wrongSize = randomBytes(24).toString("base64");
    const f1 = failuresOf({ ...base, keyMaterial: wrongSize });
    expect(f1).toHaveLength(1);
    expect(f1[0].property).toBe("keyMaterial");
    expect(f1[0].reason).toMatch(/decodes to 24 bytes/);
    expect(f1[0].reason).not.toContain(wrongSize);
    const notBase64 = "this-is-not-base64!!";
    const f2 = failuresOf({ ...base, keyMaterial: notBase64 });
    expect(f2[0]).toMatchObject({ property: "keyMaterial" });
    expect(f2[0].reason).toMatch(/Base64/);
    expect(f2[0].reason).not.toContain(notBase64);
    expect(failuresOf({ ...base, keyMaterial: material.replace(/=*$/, "") + " " })[0].property).toBe(
      "keyMaterial",
    );
  });

  it("reads expireAt as ISO 8601 or Unix seconds and bounds it by 2^53 - 1", () => {
    expect(expireUnixOf(undefined)).toBe(0);
    expect(expireUnixOf(1893456000)).toBe(1893456000);
    expect(expireUnixOf("1893456000")).toBe(1893456000);
    expect(expireUnixOf("2030-01-01T00:00:00Z")).toBe(1893456000);
    expect(expireUnixOf("2030-01-01T08:00:00+08:00")).toBe(1893456000);
    expect(expireUnixOf("2030-01-01T00:00:00.900Z")).toBe(1893456000);
    expect(expireUnixOf("2030-01-01")).toBe(1893456000);
    expect(expireUnixOf("2030-01-01T00:00:00")).toBeUndefined();
    expect(expireUnixOf("January 1 2030")).toBeUndefined();
    expect(expireUnixOf(1.5)).toBeUndefined();
    expect(expireUnixOf(-1)).toBeUndefined();

    expect(failuresOf({ ...base, expireAt: MAX_EXPIRE_UNIX })).toEqual([]);
    const big = failuresOf({ ...base, expireAt: MAX_EXPIRE_UNIX + 1 });
    expect(big[0].property).toBe("expireAt");
    expect(big[0].reason).toMatch(/9007199254740991/);
    expect(failuresOf({ ...base, expireAt: "9007199254740992" })[0].property).toBe("expireAt");
    expect(failuresOf({ ...base, expireAt: "next week" })[0].property).toBe("expireAt");
  });

  it("validates region, keyId, wrapping and timeout", () => {
    expect(failuresOf({ ...base, region: "Hangzhou" }).map((f) => f.property)).toEqual(["region"]);
    expect(failuresOf({ ...base, keyId: "" }).map((f) => f.property)).toEqual(["keyId"]);
    expect(failuresOf({ ...base, wrappingAlgorithm: "SM2PKE" }).map((f) => f.property)).toEqual([
      "wrappingAlgorithm",
    ]);
    expect(failuresOf({ ...base, wrappingKeySpec: "EC_SM2" }).map((f) => f.property)).toEqual([
      "wrappingKeySpec",
    ]);
    expect(failuresOf({ ...base, timeoutSeconds: 0 }).map((f) => f.property)).toEqual(["timeoutSeconds"]);
    expect(
      failuresOf({ keyMaterial: material })
        .map((f) => f.property)
        .sort(),
    ).toEqual(["keyId", "region"]);
  });

  it("does not judge values unknown at preview", () => {
    expect(failuresOf({ ...base, keyId: UNKNOWN, keyMaterial: UNKNOWN })).toEqual([]);
  });

  it("decodes material strictly", () => {
    expect(decodeMaterial(material)?.length).toBe(32);
    expect(decodeMaterial("abc")).toBeUndefined();
    expect(decodeMaterial("ab-_")).toBeUndefined();
  });

  it("encodes region and key id in the resource id, separated by ':'", () => {
    expect(createResourceId("cn-hangzhou", "key-abc")).toBe("cn-hangzhou:key-abc");
    expect(parseResourceId(createResourceId("cn-hangzhou", "key-abc"))).toEqual({
      region: "cn-hangzhou",
      keyId: "key-abc",
    });
  });

  it("still reads the '<region>/<keyId>' ids that earlier versions wrote", () => {
    expect(parseResourceId("cn-hangzhou/key-abc")).toEqual({ region: "cn-hangzhou", keyId: "key-abc" });
  });

  it("says which form an id must have, and what to do, when it has neither", () => {
    for (const id of ["key-abc", ":key-abc", "cn-hangzhou:", "cn-hangzhou/"]) {
      expect(() => parseResourceId(id)).toThrow(/is not '<region>:<keyId>'/);
      expect(() => parseResourceId(id)).toThrow(
        /pulumi import keylink:alibaba:ImportedKeyMaterial <name> <region>:<keyId>/,
      );
    }
  });
});
