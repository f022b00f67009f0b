import { UNKNOWN, parseInputs } from "../../../src/resources/common/check";
import {
  createResourceId,
  inputsSchema,
  parseResourceId,
  TYPE_NUMBER,
} from "../../../src/resources/cmk/schema";

const base = { region: "ap-guangzhou", alias: "app-key" };

function failures(news: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of parseInputs(inputsSchema, news).failures) {
    out[f.property] = out[f.property] ? `${out[f.property]}; ${f.reason}` : f.reason;
  }
  return out;
}

describe("Cmk schema: defaults and normalisation", () => {
  it("fills the defaults", () => {
    expect(parseInputs(inputsSchema, base).inputs).toEqual({
      ...base,
      description: "",
      keyUsage: "ENCRYPT_DECRYPT",
      type: "kms-generated",
      enabled: true,
      pendingWindowInDays: 7,
      api: "3.0",
    });
  });

  it("reads the legacy spelling ENCRYPT/DECRYPT as ENCRYPT_DECRYPT", () => {
    expect(parseInputs(inputsSchema, { ...base, keyUsage: "ENCRYPT/DECRYPT" }).inputs?.keyUsage).toBe(
      "ENCRYPT_DECRYPT",
    );
  });

  it("drops the __provider property Pulumi passes (the host puts it back)", () => {
    expect(parseInputs(inputsSchema, { ...base, __provider: "x" }).inputs).not.toHaveProperty("__provider");
  });

  it("does not judge values still unknown at preview", () => {
    expect(parseInputs(inputsSchema, { ...base, region: UNKNOWN }).failures).toEqual([]);
    // The unknown marker happens to be a valid alias: check() must not look it up (provider.ts guards this).
    expect(parseInputs(inputsSchema, { ...base, alias: UNKNOWN }).inputs?.alias).toBe(UNKNOWN);
  });
});

describe("Cmk schema: alias per API", () => {
  it("API 3.0 allows 60 characters, legacy-v2 32", () => {
    expect(failures({ ...base, alias: "a".repeat(60) })).toEqual({});
    expect(failures({ ...base, alias: "a".repeat(61) }).alias).toMatch(
      /61 characters; api "3.0" allows at most 60/,
    );
    expect(failures({ ...base, alias: "a".repeat(32), api: "legacy-v2" })).toEqual({});
    expect(failures({ ...base, alias: "a".repeat(33), api: "legacy-v2" }).alias).toMatch(/at most 32/);
  });

  it.each([
    ["", /must not be empty/],
    ["-dash-first", /start with a letter or digit/],
    ["has space", /letters, digits/],
    ["kms-reserved", /reserves it for cloud products/],
  ])("refuses alias %j", (alias, reason) => {
    expect(failures({ ...base, alias }).alias).toMatch(reason);
    // The legacy API would take "kms-" (the legacy CreateKey page's example), but later calls use API 3.0, which refuses it.
    expect(failures({ ...base, alias, api: "legacy-v2" }).alias).toMatch(reason);
  });
});

describe("Cmk schema: type cannot mislead", () => {
  it("maps the words to each API's numbers", () => {
    expect(TYPE_NUMBER["3.0"]).toEqual({ "kms-generated": 1, external: 2 });
    expect(TYPE_NUMBER["legacy-v2"]).toEqual({ "kms-generated": 1, quantum: 2 });
  });

  it.each([1, 2, "2"])("refuses the ambiguous number %j, explaining both meanings", (type) => {
    const reason = failures({ ...base, type }).type;
    expect(reason).toMatch(/ambiguous/);
    expect(reason).toMatch(/1 = KMS-generated, 2 = external/);
    expect(reason).toMatch(/1 = normal, 2 = quantum/);
  });

  it("quantum needs the legacy API, external needs API 3.0", () => {
    expect(failures({ ...base, type: "quantum" }).type).toMatch(/set api to "legacy-v2"/);
    expect(failures({ ...base, type: "quantum", api: "legacy-v2" })).toEqual({});
    expect(failures({ ...base, type: "external", api: "legacy-v2" }).type).toMatch(/set api to "3.0"/);
    expect(failures({ ...base, type: "external" })).toEqual({});
    expect(failures({ ...base, type: "normal" }).type).toMatch(/not one of kms-generated, external, quantum/);
  });
});

describe("Cmk schema: other fields", () => {
  it("keyUsage: 3.0 takes the asymmetric usages, legacy-v2 and external keys only ENCRYPT_DECRYPT", () => {
    expect(failures({ ...base, keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2" })).toEqual({});
    expect(failures({ ...base, keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2", api: "legacy-v2" }).keyUsage).toMatch(
      /legacy API only creates ENCRYPT_DECRYPT/,
    );
    expect(failures({ ...base, keyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2", type: "external" }).keyUsage).toMatch(
      /external key/,
    );
    // Any usage of the documented shape passes the schema: ListAlgorithms judges it at check.
    expect(failures({ ...base, keyUsage: "ASYMMETRIC_DECRYPT_RSA_4096" })).toEqual({});
    expect(failures({ ...base, keyUsage: "sign" }).keyUsage).toMatch(
      /must be a KeyUsage such as ENCRYPT_DECRYPT/,
    );
  });

  it("pendingWindowInDays is a whole number from 7 to 30", () => {
    expect(failures({ ...base, pendingWindowInDays: 30 })).toEqual({});
    for (const v of [6, 31])
      expect(failures({ ...base, pendingWindowInDays: v }).pendingWindowInDays).toMatch(/7 to 30/);
    expect(failures({ ...base, pendingWindowInDays: 7.5 }).pendingWindowInDays).toMatch(/whole number/);
  });

  it("region is a full region name; description at most 1024 bytes; api one of two", () => {
    expect(failures({ ...base, region: "gz" }).region).toMatch(/ap-guangzhou/);
    for (const region of [
      "ap-shanghai-fsi",
      "ap-shenzhen-fsi",
      "ap-beijing-fsi",
      "na-siliconvalley",
      "eu-moscow",
    ])
      expect(failures({ ...base, region })).toEqual({});
    for (const region of ["ap-shanghai-", "AP-guangzhou", "ap_guangzhou"])
      expect(failures({ ...base, region }).region).toMatch(/ap-guangzhou/);
    expect(failures({ ...base, description: "é".repeat(512) })).toEqual({});
    expect(failures({ ...base, description: "é".repeat(513) }).description).toMatch(/1024 bytes/);
    expect(failures({ ...base, api: "2.0" }).api).toMatch(/"3.0" or "legacy-v2"/);
  });

  it("adoptKeyId is optional and must look like a key id", () => {
    expect(failures({ ...base, adoptKeyId: "23e80852-1e38-11e9-b129-5cb9019b4b01" })).toEqual({});
    expect(failures({ ...base, adoptKeyId: "ap-guangzhou:23e80852" }).adoptKeyId).toMatch(/must be a key id/);
    expect(failures({ ...base, adoptKeyId: "" }).adoptKeyId).toMatch(/must be a key id/);
  });
});

describe("Cmk id", () => {
  it("round-trips <region>:<keyId>", () => {
    const id = createResourceId("ap-shanghai", "23e80852-1e38-11e9-b129-5cb9019b4b01");
    expect(id).toBe("ap-shanghai:23e80852-1e38-11e9-b129-5cb9019b4b01");
    expect(parseResourceId(id)).toEqual({
      region: "ap-shanghai",
      keyId: "23e80852-1e38-11e9-b129-5cb9019b4b01",
    });
  });

  it("parses the finance-zone region ids", () => {
    expect(parseResourceId("ap-shenzhen-fsi:23e80852-1e38-11e9-b129-5cb9019b4b01").region).toBe(
      "ap-shenzhen-fsi",
    );
    expect(parseResourceId(createResourceId("ap-shanghai-fsi", "k1"))).toEqual({
      region: "ap-shanghai-fsi",
      keyId: "k1",
    });
  });

  it.each(["23e80852", "ap-shanghai:", "sh:abc"])(
    "refuses %j naming the expected form and what to do",
    (id) => {
      expect(() => parseResourceId(id)).toThrow(/'<region>:<keyId>'.*restore the id.*adoptKeyId/);
    },
  );
});
