import { parseInputs, UNKNOWN } from "../../../src/resources/common/check";
import { inputsSchema, primaryRef } from "../../../src/resources/replica-key/schema";

const KEY_ID = "39a0e7c6-b7dd-4c83-b400-3449bb95403a";
const base = { primaryRegion: "cn-beijing", replicaRegion: "cn-shanghai" };

const parse = (news: Record<string, unknown>) => parseInputs(inputsSchema, news);
const properties = (news: Record<string, unknown>) => parse(news).failures.map((f) => f.property);

describe("ReplicaKey inputs", () => {
  it("normalises with defaults and drops properties it does not know (such as __provider)", () => {
    expect(parse({ ...base, keyId: KEY_ID, __provider: "serialized" })).toEqual({
      inputs: {
        keyId: KEY_ID,
        primaryRegion: "cn-beijing",
        replicaRegion: "cn-shanghai",
        description: "",
        pendingWindowInDays: 7,
        timeoutSeconds: 300,
      },
      failures: [],
    });
  });

  it("accepts the primary by keyring and key name", () => {
    const { inputs } = parse({
      ...base,
      keyringName: "test",
      keyName: "mrk-test",
      description: "replica key",
    });
    expect(inputs && primaryRef(inputs)).toEqual({ keyringName: "test", keyName: "mrk-test" });
    expect(inputs?.description).toBe("replica key");
  });

  it.each([
    ["neither form", {}, ["keyId"]],
    ["both forms", { keyId: KEY_ID, keyringName: "test", keyName: "mrk-test" }, ["keyId"]],
    ["keyName alone", { keyName: "mrk-test" }, ["keyringName"]],
    ["keyringName alone", { keyringName: "test" }, ["keyName"]],
    ["a keyId that is not a UUID", { keyId: "mrk-test" }, ["keyId"]],
  ])("names the field for %s", (_label, ref, expected) => {
    expect(properties({ ...base, ...ref })).toEqual(expected);
  });

  it.each([
    ["a", false],
    ["ab", true],
    ["A-_9".padEnd(31, "z"), true],
    ["x".repeat(32), false],
    ["mrk.test", false],
    ["密钥名称", false],
  ])("key name %j valid: %s", (name, ok) => {
    expect(properties({ ...base, keyringName: name, keyName: name })).toEqual(
      ok ? [] : ["keyringName", "keyName"],
    );
  });

  it("requires replicaRegion to differ from primaryRegion, naming replicaRegion", () => {
    const { failures } = parse({ keyId: KEY_ID, primaryRegion: "cn-beijing", replicaRegion: "cn-beijing" });
    expect(failures).toEqual([
      {
        property: "replicaRegion",
        reason:
          "replicaRegion: must differ from primaryRegion (both are 'cn-beijing'): a replica lives in another region",
      },
    ]);
  });

  it.each([
    ["pendingWindowInDays", 6, false],
    ["pendingWindowInDays", 7, true],
    ["pendingWindowInDays", 30, true],
    ["pendingWindowInDays", 31, false],
    ["pendingWindowInDays", 7.5, false],
    ["timeoutSeconds", 0, false],
    ["timeoutSeconds", 1, true],
    ["primaryRegion", "Beijing", false],
    ["replicaRegion", "ap-southeast-1", true],
  ])("%s = %j valid: %s", (field, value, ok) => {
    expect(properties({ ...base, keyId: KEY_ID, [field]: value })).toEqual(ok ? [] : [field]);
  });

  it("accepts a description of up to 8192 characters", () => {
    expect(properties({ ...base, keyId: KEY_ID, description: "d".repeat(8192) })).toEqual([]);
    expect(properties({ ...base, keyId: KEY_ID, description: "d".repeat(8193) })).toEqual(["description"]);
  });

  it("does not judge values still unknown at preview", () => {
    expect(parse({ keyId: UNKNOWN, primaryRegion: "cn-beijing", replicaRegion: UNKNOWN }).failures).toEqual(
      [],
    );
    expect(parse({ keyringName: UNKNOWN, keyName: "mrk-test", ...base }).failures).toEqual([]);
    expect(parse({ keyId: KEY_ID, primaryRegion: UNKNOWN, replicaRegion: "cn-beijing" }).failures).toEqual(
      [],
    );
  });
});
