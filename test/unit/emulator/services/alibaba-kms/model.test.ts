import { constants, createHash, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { createModel } from "../../../../../src/emulator/services/alibaba-kms";
import { DEFAULT_ACCOUNT } from "../../../../../src/emulator/accounts";
import { ServiceError, type ServiceContext, type ServiceModel } from "../../../../../src/emulator/types";
import { serviceRequest } from "../../../../support/service-request";

// The Alibaba KMS model driven through its action handlers, with a hand-driven clock.

const START = Date.parse("2030-01-01T00:00:00Z");
const HOUR = 3600_000;

interface Harness {
  model: ServiceModel;
  ctx: ServiceContext;
  advance(ms: number): void;
  durations: Record<string, number>;
  call(action: string, params?: Record<string, unknown>, account?: string): Record<string, unknown>;
  fail(action: string, params?: Record<string, unknown>, account?: string): ServiceError;
}

function harness(fixtures?: unknown): Harness {
  let now = START;
  const durations: Record<string, number> = { kmsImport: 0 };
  const ctx: ServiceContext = {
    now: () => now,
    durationMs: (n) => durations[n] ?? 0,
    changed: () => undefined,
  };
  const model = createModel();
  const handlers = model.actions("alibaba-rpc");
  const call = (action: string, params: Record<string, unknown> = {}, account = DEFAULT_ACCOUNT.account) => {
    const flat: Record<string, string> = { RegionId: "cn-hangzhou" };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) flat[k] = String(v);
    const api = { cloud: "alibaba", protocol: "alibaba-rpc", service: "kms", version: "2016-01-20" } as const;
    return handlers[action](serviceRequest(api, action, flat, { region: "", account }), ctx) as Record<
      string,
      unknown
    >;
  };
  const fail = (action: string, params?: Record<string, unknown>, account?: string): ServiceError => {
    try {
      call(action, params, account);
    } catch (e) {
      if (e instanceof ServiceError) return e;
      throw e;
    }
    throw new Error(`${action} succeeded`);
  };
  if (fixtures) model.loadFixtures(fixtures, ctx);
  return { model, ctx, advance: (ms) => (now += ms), durations, call, fail };
}

const KEY = "key-ext-aes";
const SM4 = "key-ext-sm4";
const MANAGED = "key-managed";
const FIXTURES = {
  keys: [
    { keyId: KEY, region: "cn-hangzhou", origin: "EXTERNAL", keySpec: "Aliyun_AES_256" },
    { keyId: SM4, region: "cn-hangzhou", origin: "EXTERNAL", keySpec: "Aliyun_SM4" },
    { keyId: MANAGED, region: "cn-hangzhou" },
  ],
};

type Alg = "RSAES_PKCS1_V1_5" | "RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256";

function wrap(material: Buffer, publicKeyB64: string, alg: Alg): string {
  const key = createPublicKey({ key: Buffer.from(publicKeyB64, "base64"), format: "der", type: "spki" });
  const padding = alg === "RSAES_PKCS1_V1_5" ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_OAEP_PADDING;
  const oaepHash = alg === "RSAES_OAEP_SHA_1" ? "sha1" : "sha256";
  return publicEncrypt({ key, padding, oaepHash }, material).toString("base64");
}

function params(h: Harness, keyId = KEY, alg: Alg = "RSAES_OAEP_SHA_256") {
  return h.call("GetParametersForImport", {
    KeyId: keyId,
    WrappingAlgorithm: alg,
    WrappingKeySpec: "RSA_2048",
  }) as {
    KeyId: string;
    ImportToken: string;
    PublicKey: string;
    TokenExpireTime: string;
  };
}

function importArgs(
  h: Harness,
  material: Buffer,
  opts: { keyId?: string; alg?: Alg; expire?: number | string } = {},
) {
  const p = params(h, opts.keyId ?? KEY, opts.alg ?? "RSAES_OAEP_SHA_256");
  return {
    KeyId: opts.keyId ?? KEY,
    EncryptedKeyMaterial: wrap(material, p.PublicKey, opts.alg ?? "RSAES_OAEP_SHA_256"),
    ImportToken: p.ImportToken,
    KeyMaterialExpireUnix: opts.expire ?? 0,
  };
}

const meta = (h: Harness, keyId = KEY) =>
  (h.call("DescribeKey", { KeyId: keyId }) as { KeyMetadata: Record<string, string> }).KeyMetadata;

describe("Alibaba KMS model: keys", () => {
  it("describes a fixture key with the DescribeKey metadata fields", () => {
    const h = harness(FIXTURES);
    const m = meta(h);
    expect(m).toMatchObject({
      KeyId: KEY,
      Origin: "EXTERNAL",
      KeySpec: "Aliyun_AES_256",
      KeyState: "PendingImport",
      MaterialExpireTime: "",
      KeyUsage: "ENCRYPT/DECRYPT",
      ProtectionLevel: "SOFTWARE",
      Arn: `acs:kms:cn-hangzhou:${DEFAULT_ACCOUNT.account}:key/${KEY}`,
    });
    expect(m.DeleteDate).toBeUndefined();
    expect(meta(h, MANAGED).KeyState).toBe("Enabled");
  });

  it("answers Forbidden.KeyNotFound (404) for an unknown key and for another account's key", () => {
    const h = harness({ keys: [{ keyId: "k-a", account: "acct-a", region: "cn-hangzhou" }] });
    const e = h.fail("DescribeKey", { KeyId: "nope" });
    expect([e.code, e.httpStatus]).toEqual(["Forbidden.KeyNotFound", 404]);
    expect(h.fail("DescribeKey", { KeyId: "k-a" }, "acct-b").code).toBe("Forbidden.KeyNotFound");
    expect(h.call("DescribeKey", { KeyId: "k-a" }, "acct-a")).toBeDefined();
  });

  it("creates EXTERNAL keys in PendingImport and refuses EXTERNAL for specs without import", () => {
    const h = harness();
    const created = h.call("CreateKey", { Origin: "EXTERNAL", KeySpec: "Aliyun_SM4" }) as {
      KeyMetadata: Record<string, string>;
    };
    expect(created.KeyMetadata).toMatchObject({
      Origin: "EXTERNAL",
      KeySpec: "Aliyun_SM4",
      KeyState: "PendingImport",
    });
    expect(meta(h, created.KeyMetadata.KeyId).KeyState).toBe("PendingImport");
    const rsa = h.fail("CreateKey", { Origin: "EXTERNAL", KeySpec: "RSA_2048" });
    expect(rsa.code).toBe("InvalidParameter");
    // KMS imports RSA material into software keys; the refusal is the emulator's limit and says so.
    expect(rsa.message).toMatch(/the emulator models Origin EXTERNAL for Aliyun_AES_256, Aliyun_SM4 only/);
  });

  it("requires KeyId", () => {
    expect(harness(FIXTURES).fail("DescribeKey", {}).code).toBe("MissingKeyId");
  });
});

describe("Alibaba KMS model: GetParametersForImport", () => {
  it("returns a real RSA-2048 public key (Base64 DER SPKI), a token and a 24 h expiry", () => {
    const h = harness(FIXTURES);
    const p = params(h);
    const pub = createPublicKey({ key: Buffer.from(p.PublicKey, "base64"), format: "der", type: "spki" });
    expect(pub.asymmetricKeyType).toBe("rsa");
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(p.PublicKey.startsWith("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")).toBe(true);
    expect(p.TokenExpireTime).toBe("2030-01-02T00:00:00Z");
    expect(p.KeyId).toBe(KEY);
    expect(params(h).ImportToken).not.toBe(p.ImportToken);
  });

  it("refuses keys whose Origin is not EXTERNAL with Unsupported.Origin", () => {
    const e = harness(FIXTURES).fail("GetParametersForImport", {
      KeyId: MANAGED,
      WrappingAlgorithm: "RSAES_OAEP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    });
    expect([e.code, e.httpStatus]).toEqual(["Unsupported.Origin", 400]);
  });

  it("validates the wrapping algorithm and spec", () => {
    const h = harness(FIXTURES);
    expect(
      h.fail("GetParametersForImport", {
        KeyId: KEY,
        WrappingAlgorithm: "RSA_X",
        WrappingKeySpec: "RSA_2048",
      }).code,
    ).toBe("InvalidParameter");
    expect(
      h.fail("GetParametersForImport", {
        KeyId: KEY,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_4096",
      }).code,
    ).toBe("InvalidParameter");
    expect(h.fail("GetParametersForImport", { KeyId: KEY, WrappingKeySpec: "RSA_2048" }).code).toBe(
      "MissingWrappingAlgorithm",
    );
  });
});

describe("Alibaba KMS model: keys of a dedicated KMS instance", () => {
  const INSTANCE_KEY = "key-in-instance";
  const withInstanceKey = {
    keys: [
      ...FIXTURES.keys,
      {
        keyId: INSTANCE_KEY,
        region: "cn-hangzhou",
        origin: "EXTERNAL",
        keySpec: "Aliyun_AES_256",
        dkmsInstanceId: "kst-hzz1234",
      },
    ],
  };

  it("shows DKMSInstanceId, empty for the shared KMS", () => {
    const h = harness(withInstanceKey);
    expect(meta(h, INSTANCE_KEY).DKMSInstanceId).toBe("kst-hzz1234");
    expect(meta(h).DKMSInstanceId).toBe("");
  });

  it("refuses RSAES_OAEP_SHA_1 for an instance key only, as GetParametersForImport documents", () => {
    const h = harness(withInstanceKey);
    const e = h.fail("GetParametersForImport", {
      KeyId: INSTANCE_KEY,
      WrappingAlgorithm: "RSAES_OAEP_SHA_1",
      WrappingKeySpec: "RSA_2048",
    });
    expect([e.code, e.message]).toEqual([
      "InvalidParameter",
      expect.stringMatching(/RSAES_OAEP_SHA_1 is not supported for a key of a dedicated KMS instance/),
    ]);
    expect(params(h, INSTANCE_KEY, "RSAES_OAEP_SHA_256").KeyId).toBe(INSTANCE_KEY);
    expect(params(h, KEY, "RSAES_OAEP_SHA_1").KeyId).toBe(KEY);
  });
});

describe("Alibaba KMS model: ImportKeyMaterial", () => {
  it.each<Alg>(["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSAES_PKCS1_V1_5"])(
    "unwraps %s material and enables the key",
    (alg) => {
      const h = harness(FIXTURES);
      const material = randomBytes(32);
      h.call("ImportKeyMaterial", importArgs(h, material, { alg }));
      expect(meta(h).KeyState).toBe("Enabled");
      const inv = h.model.inventory(h.ctx) as {
        keys: Array<{ keyId: string; material: string; imports: number }>;
      };
      const key = inv.keys.find((k) => k.keyId === KEY);
      expect(key?.material).toBe(
        `sha256:${createHash("sha256").update(material).digest("hex").slice(0, 12)}`,
      );
      expect(key?.imports).toBe(1);
    },
  );

  it("checks the material size against the key spec", () => {
    const h = harness(FIXTURES);
    expect(h.fail("ImportKeyMaterial", importArgs(h, randomBytes(16))).code).toBe("InvalidKeyMaterial");
    expect(h.fail("ImportKeyMaterial", importArgs(h, randomBytes(32), { keyId: SM4 })).code).toBe(
      "InvalidKeyMaterial",
    );
    h.call("ImportKeyMaterial", importArgs(h, randomBytes(16), { keyId: SM4 }));
    expect(meta(h, SM4).KeyState).toBe("Enabled");
    expect(meta(h).KeyState).toBe("PendingImport");
  });

  it("refuses material wrapped with another algorithm than the token's", () => {
    const h = harness(FIXTURES);
    const p = params(h, KEY, "RSAES_OAEP_SHA_256");
    const e = h.fail("ImportKeyMaterial", {
      KeyId: KEY,
      EncryptedKeyMaterial: wrap(randomBytes(32), p.PublicKey, "RSAES_OAEP_SHA_1"),
      ImportToken: p.ImportToken,
    });
    expect(e.code).toBe("InvalidKeyMaterial");
  });

  it("refuses unknown tokens and tokens issued for another key (InvalidImportToken)", () => {
    const h = harness(FIXTURES);
    const args = importArgs(h, randomBytes(32));
    expect(h.fail("ImportKeyMaterial", { ...args, ImportToken: "bm90LWEtdG9rZW4=" }).code).toBe(
      "InvalidImportToken",
    );
    const sm4Params = params(h, SM4);
    expect(h.fail("ImportKeyMaterial", { ...args, ImportToken: sm4Params.ImportToken }).code).toBe(
      "InvalidImportToken",
    );
    expect(h.fail("ImportKeyMaterial", args, "acct-2").code).toBe("Forbidden.KeyNotFound");
  });

  it("refuses a token after its 24 hours on the emulator clock (ExpiredImportToken)", () => {
    const h = harness(FIXTURES);
    const args = importArgs(h, randomBytes(32));
    h.advance(24 * HOUR - 1);
    h.call("ImportKeyMaterial", args);
    h.advance(1);
    expect(h.fail("ImportKeyMaterial", args).code).toBe("ExpiredImportToken");
  });

  it("accepts only the material first imported, also after it was deleted", () => {
    const h = harness(FIXTURES);
    const first = randomBytes(32);
    h.call("ImportKeyMaterial", importArgs(h, first));
    h.call("ImportKeyMaterial", importArgs(h, first, { expire: START / 1000 + HOUR / 1000 }));
    expect(meta(h).MaterialExpireTime).toBe("2030-01-01T01:00:00Z");
    const e = h.fail("ImportKeyMaterial", importArgs(h, randomBytes(32)));
    expect(e.code).toBe("InvalidKeyMaterial");
    expect(e.message).toMatch(/differs from the key material previously imported/);

    h.call("DeleteKeyMaterial", { KeyId: KEY });
    expect(h.fail("ImportKeyMaterial", importArgs(h, randomBytes(32))).code).toBe("InvalidKeyMaterial");
    h.call("ImportKeyMaterial", importArgs(h, first));
    expect(meta(h).KeyState).toBe("Enabled");
  });

  it("validates KeyMaterialExpireUnix: 0 = never, no past, at most 2^53 - 1, whole seconds", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    expect(h.fail("ImportKeyMaterial", importArgs(h, material, { expire: START / 1000 - 1 })).code).toBe(
      "InvalidParameter",
    );
    expect(h.fail("ImportKeyMaterial", importArgs(h, material, { expire: START / 1000 })).code).toBe(
      "InvalidParameter",
    );
    expect(h.fail("ImportKeyMaterial", importArgs(h, material, { expire: "9007199254740992" })).code).toBe(
      "InvalidParameter",
    );
    expect(h.fail("ImportKeyMaterial", importArgs(h, material, { expire: "12.5" })).code).toBe(
      "InvalidParameter",
    );
    h.call("ImportKeyMaterial", importArgs(h, material, { expire: "9007199254740991" }));
    h.call("ImportKeyMaterial", importArgs(h, material, { expire: 0 }));
    expect(meta(h).MaterialExpireTime).toBe("");
  });

  it("expires material lazily on the emulator clock and takes the same material back", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    h.call("ImportKeyMaterial", importArgs(h, material, { expire: START / 1000 + 60 }));
    h.advance(59_999);
    expect(meta(h).KeyState).toBe("Enabled");
    h.advance(1);
    expect(meta(h)).toMatchObject({ KeyState: "PendingImport", MaterialExpireTime: "2030-01-01T00:01:00Z" });
    h.call("ImportKeyMaterial", importArgs(h, material, { expire: START / 1000 + 7200 }));
    expect(meta(h)).toMatchObject({ KeyState: "Enabled", MaterialExpireTime: "2030-01-01T02:00:00Z" });
  });

  it("keeps the key PendingImport for the kmsImport duration", () => {
    const h = harness(FIXTURES);
    h.durations.kmsImport = 200;
    h.call("ImportKeyMaterial", importArgs(h, randomBytes(32)));
    expect(meta(h).KeyState).toBe("PendingImport");
    h.advance(200);
    expect(meta(h).KeyState).toBe("Enabled");
  });

  it("keeps a disabled key disabled when material is imported again", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    expect(h.fail("DisableKey", { KeyId: KEY }).code).toBe("Rejected.PendingImport");
    h.call("ImportKeyMaterial", importArgs(h, material));
    h.call("DisableKey", { KeyId: KEY });
    h.call("DeleteKeyMaterial", { KeyId: KEY });
    expect(meta(h).KeyState).toBe("PendingImport");
    h.call("ImportKeyMaterial", importArgs(h, material));
    expect(meta(h).KeyState).toBe("Disabled");
  });
});

describe("Alibaba KMS model: DeleteKeyMaterial and deletion", () => {
  it("moves the key to PendingImport and clears the expiry; repeating is harmless", () => {
    const h = harness(FIXTURES);
    h.call("ImportKeyMaterial", importArgs(h, randomBytes(32), { expire: START / 1000 + 600 }));
    h.call("DeleteKeyMaterial", { KeyId: KEY });
    expect(meta(h)).toMatchObject({ KeyState: "PendingImport", MaterialExpireTime: "" });
    h.call("DeleteKeyMaterial", { KeyId: KEY });
    expect(h.fail("DeleteKeyMaterial", { KeyId: MANAGED }).code).toBe("Unsupported.Origin");
  });

  it("leaves a key pending deletion as it is and refuses imports into it (Rejected.PendingDeletion, 409)", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    h.call("ImportKeyMaterial", importArgs(h, material));
    const args = importArgs(h, material);
    h.call("ScheduleKeyDeletion", { KeyId: KEY, PendingWindowInDays: 7 });
    h.call("DeleteKeyMaterial", { KeyId: KEY });
    expect(meta(h)).toMatchObject({ KeyState: "PendingDeletion", DeleteDate: "2030-01-08T00:00:00Z" });
    const e = h.fail("ImportKeyMaterial", args);
    expect([e.code, e.httpStatus]).toEqual(["Rejected.PendingDeletion", 409]);
    expect(
      h.fail("GetParametersForImport", {
        KeyId: KEY,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_2048",
      }).code,
    ).toBe("Rejected.PendingDeletion");
    expect(h.fail("ScheduleKeyDeletion", { KeyId: KEY, PendingWindowInDays: 7 }).code).toBe(
      "Rejected.PendingDeletion",
    );
    h.call("CancelKeyDeletion", { KeyId: KEY });
    expect(meta(h).KeyState).toBe("Enabled");
  });

  it("removes the key when the pending window ends, and validates the window", () => {
    const h = harness(FIXTURES);
    expect(h.fail("ScheduleKeyDeletion", { KeyId: KEY, PendingWindowInDays: 6 }).code).toBe(
      "InvalidParameter",
    );
    h.call("ScheduleKeyDeletion", { KeyId: KEY, PendingWindowInDays: 7 });
    h.advance(7 * 24 * HOUR);
    expect(h.fail("DescribeKey", { KeyId: KEY }).code).toBe("Forbidden.KeyNotFound");
  });
});

describe("Alibaba KMS model: fixtures, state file, inventory", () => {
  it("names the field of an invalid fixture", () => {
    const m = createModel();
    const ctx: ServiceContext = { now: () => START, durationMs: () => 0, changed: () => undefined };
    expect(() =>
      m.loadFixtures({ keys: [{ keyId: "k", region: "r", origin: "EXTERNAL", keySpec: "RSA_2048" }] }, ctx),
    ).toThrow(/alibabaKms\.keys\[0\]\.keySpec/);
    expect(() =>
      m.loadFixtures({ keys: [{ keyId: "k", region: "r", origin: "EXTERNAL", keyState: "Enabled" }] }, ctx),
    ).toThrow(/alibabaKms\.keys\[0\]\.keyMaterialSha256/);
    expect(() =>
      m.loadFixtures({ keys: [{ keyId: "k", region: "r", keyState: "PendingImport" }] }, ctx),
    ).toThrow(/alibabaKms\.keys\[0\]\.keyState/);
    expect(() => m.loadFixtures({ keys: [{ keyId: "k", region: "r", color: "red" }] }, ctx)).toThrow(
      /alibabaKms\.keys\[0\]/,
    );
  });

  it("loads a key whose material is already imported and holds it to that material", () => {
    const material = randomBytes(32);
    const h = harness({
      keys: [
        {
          keyId: KEY,
          region: "cn-hangzhou",
          origin: "EXTERNAL",
          keyState: "Enabled",
          keyMaterialSha256: createHash("sha256").update(material).digest("hex"),
        },
      ],
    });
    expect(meta(h).KeyState).toBe("Enabled");
    expect(h.fail("ImportKeyMaterial", importArgs(h, randomBytes(32))).code).toBe("InvalidKeyMaterial");
    h.call("ImportKeyMaterial", importArgs(h, material));
  });

  it("round-trips through the state file without material, private keys or tokens", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    const args = importArgs(h, material, { expire: START / 1000 + 600 });
    h.call("ImportKeyMaterial", args);
    const state = JSON.stringify(h.model.toJSON());
    for (const secret of [material.toString("base64"), material.toString("hex"), args.ImportToken, "PRIVATE"])
      expect(state).not.toContain(secret);

    const restored = harness();
    restored.model.fromJSON(JSON.parse(state));
    expect(meta(restored)).toMatchObject({ KeyState: "Enabled", MaterialExpireTime: "2030-01-01T00:10:00Z" });
    // Tokens are not persisted: a token from before the restart is unknown afterwards.
    expect(restored.fail("ImportKeyMaterial", args).code).toBe("InvalidImportToken");
    expect(restored.fail("ImportKeyMaterial", importArgs(restored, randomBytes(32))).code).toBe(
      "InvalidKeyMaterial",
    );
  });

  it("loads a state file written before the managed-state mechanism (materialPresent, materialReadyAt, deleteAt)", () => {
    const h = harness();
    const old = {
      keyId: KEY,
      account: DEFAULT_ACCOUNT.account,
      region: "cn-hangzhou",
      origin: "EXTERNAL",
      keySpec: "Aliyun_AES_256",
      keyUsage: "ENCRYPT/DECRYPT",
      description: "",
      protectionLevel: "SOFTWARE",
      dkmsInstanceId: "",
      creationDate: START,
      enabled: true,
      materialSha256: "a".repeat(64),
      imports: 1,
    };
    h.model.fromJSON({
      keys: [
        { ...old, materialPresent: true, materialReadyAt: START + 500 },
        { ...old, keyId: SM4, keySpec: "Aliyun_SM4", materialPresent: false },
        { ...old, keyId: MANAGED, origin: "Aliyun_KMS", materialPresent: false, deleteAt: START + 1000 },
      ],
    });
    expect(meta(h).KeyState).toBe("PendingImport");
    expect(meta(h, SM4).KeyState).toBe("PendingImport");
    expect(meta(h, MANAGED)).toMatchObject({
      KeyState: "PendingDeletion",
      DeleteDate: "2030-01-01T00:00:01Z",
    });
    h.advance(500);
    expect(meta(h).KeyState).toBe("Enabled");
    expect(meta(h, SM4).KeyState).toBe("PendingImport");
    h.advance(500);
    expect(h.fail("DescribeKey", { KeyId: MANAGED }).code).toBe("Forbidden.KeyNotFound");
    expect(JSON.stringify(h.model.toJSON())).not.toMatch(/materialReadyAt|materialPresent|deleteAt/);
  });

  it("masks material in the inventory and resets", () => {
    const h = harness(FIXTURES);
    const material = randomBytes(32);
    h.call("ImportKeyMaterial", importArgs(h, material));
    const inv = JSON.stringify(h.model.inventory(h.ctx));
    expect(inv).not.toContain(material.toString("base64"));
    expect(inv).not.toContain(material.toString("hex"));
    expect(inv).not.toContain(createHash("sha256").update(material).digest("hex"));
    h.model.reset();
    expect((h.model.inventory(h.ctx) as { keys: unknown[] }).keys).toEqual([]);
  });

  it("declares itself as the alibabaKms model of Alibaba RPC 2016-01-20", () => {
    const m = createModel();
    expect([m.key, m.cloud, m.service, m.protocols, m.versions]).toEqual([
      "alibabaKms",
      "alibaba",
      "kms",
      ["alibaba-rpc"],
      ["2016-01-20"],
    ]);
    expect(Object.keys(m.actions("tencent-tc3"))).toEqual([]);
  });
});
