import { createHash, randomBytes } from "node:crypto";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { startEmulator } from "../../../src/emulator";
import { materialFingerprint } from "../../../src/resources/imported-key-material/material";
import * as provider from "../../../src/resources/imported-key-material/provider";
import { readsIn } from "../../support/request-counts";

// ImportedKeyMaterial's provider functions against the emulator started in-process, through the real Alibaba
// client (pop-core, signed requests over HTTP). The emulator really unwraps what the provider wrapped.

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emulator;

const REGION = "cn-hangzhou";
const KEY = "key-ext-aes-0001";
const KEY2 = "key-ext-aes-0002";
const SM4 = "key-ext-sm4-0001";
const MANAGED = "key-managed-0001";
const IN_INSTANCE = "key-ext-aes-kst1";
const HOUR = 3600_000;

const FIXTURES = {
  alibabaKms: {
    keys: [
      { keyId: KEY, region: REGION, origin: "EXTERNAL", keySpec: "Aliyun_AES_256" },
      { keyId: KEY2, region: REGION, origin: "EXTERNAL", keySpec: "Aliyun_AES_256" },
      { keyId: SM4, region: REGION, origin: "EXTERNAL", keySpec: "Aliyun_SM4" },
      { keyId: MANAGED, region: REGION },
      {
        keyId: IN_INSTANCE,
        region: REGION,
        origin: "EXTERNAL",
        keySpec: "Aliyun_AES_256",
        dkmsInstanceId: "kst-hzz1234",
      },
    ],
  },
};

/** Every material a test used, to search outputs, errors and the emulator's records for. */
const materials: Buffer[] = [];
const errorsSeen: string[] = [];
const outputsSeen: unknown[] = [];

function newMaterial(bytes = 32): string {
  const m = randomBytes(bytes);
  materials.push(m);
  return m.toString("base64");
}

const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function inputs(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { region: REGION, keyId: KEY, keyMaterial: newMaterial(), ...over };
}

/** check() as the engine runs it before create/update; returns the checked inputs. */
async function checked(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await provider.check(olds, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

async function created(news: Record<string, unknown>) {
  const res = await provider.create(await checked({}, news));
  outputsSeen.push(res.outs);
  return { id: res.id, outs: res.outs as Record<string, unknown> };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    errorsSeen.push(String((e as Error).message));
    return e as Error;
  }
  throw new Error("expected a failure");
}

interface KeyInventory {
  keyId: string;
  keyState: string;
  material: string;
  imports: number;
  materialExpireTime: string;
}

async function kmsKey(keyId: string): Promise<KeyInventory | undefined> {
  const inv = (await emu.admin.inventory()) as Record<string, unknown>;
  const kms = (inv.alibabaKms ?? (inv.models as Record<string, unknown> | undefined)?.alibabaKms) as {
    keys: KeyInventory[];
  };
  return kms.keys.find((k) => k.keyId === keyId);
}

const digestPrefix = (b64: string) =>
  `sha256:${createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex").slice(0, 12)}`;

const kms = () => alibabaClient("kms", REGION);

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.admin.reset();
  await emu.admin.setDurations({ kmsImport: 100 });
  await emu.admin.loadFixtures(FIXTURES);
});

describe("create", () => {
  it("imports material that the emulator really unwraps, then waits for Enabled", async () => {
    const news = inputs({ expireAt: isoIn(HOUR) });
    const { id, outs } = await created(news);
    expect(id).toBe(`${REGION}:${KEY}`);
    expect(outs).toMatchObject({
      region: REGION,
      keyId: KEY,
      keySpec: "Aliyun_AES_256",
      keyState: "Enabled",
      origin: "EXTERNAL",
      wrappingAlgorithm: "RSAES_OAEP_SHA_256",
      wrappingKeySpec: "RSA_2048",
      materialExpireTime: news.expireAt,
      materialFingerprint: materialFingerprint(KEY, Buffer.from(news.keyMaterial as string, "base64")),
    });
    expect(await kmsKey(KEY)).toMatchObject({
      keyState: "Enabled",
      material: digestPrefix(news.keyMaterial as string),
      imports: 1,
    });
  });

  it.each(["RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1"])("wraps with %s", async (wrappingAlgorithm) => {
    const news = inputs({ keyId: SM4, keyMaterial: newMaterial(16), wrappingAlgorithm });
    const { outs } = await created(news);
    expect(outs.keyState).toBe("Enabled");
    expect((await kmsKey(SM4))?.material).toBe(digestPrefix(news.keyMaterial as string));
  });

  it("refuses, with the cloud's code and what to do, a key whose Origin is not EXTERNAL", async () => {
    const err = await failure(
      provider.create({
        ...inputs({ keyId: MANAGED }),
        wrappingAlgorithm: "RSAES_OAEP_SHA_256",
        wrappingKeySpec: "RSA_2048",
      }),
    );
    expect(err.message).toMatch(
      /GetParametersForImport failed with Unsupported\.Origin.*request id.*keyId: key key-managed-0001 is not of Origin EXTERNAL.*Create the key with Origin EXTERNAL/,
    );
  });

  it("names keyId when the key was scheduled for deletion after check read it, and imports nothing", async () => {
    const news = await checked({}, inputs({ keyId: KEY2 }));
    await kms().call("ScheduleKeyDeletion", { KeyId: KEY2, PendingWindowInDays: 7 });
    await emu.admin.clearRequests();
    const err = await failure(provider.create(news));
    expect(err.message).toMatch(
      /GetParametersForImport failed with Rejected\.PendingDeletion.*request id.*keyId: key key-ext-aes-0002 is pending deletion.*CancelKeyDeletion/,
    );
    expect((await emu.admin.requests()).entries.map((e) => e.action)).toEqual(["GetParametersForImport"]);
  });

  it("asks for fresh import parameters once when KMS calls the token expired", async () => {
    await emu.admin.injectFault({
      cloud: "alibaba",
      action: "ImportKeyMaterial",
      code: "ExpiredImportToken",
      httpStatus: 400,
      count: 1,
    });
    const { outs } = await created(inputs());
    expect(outs.keyState).toBe("Enabled");
    const log = (await emu.admin.requests()) as { byAction: Record<string, number> };
    expect(log.byAction.GetParametersForImport).toBe(2);
    expect(log.byAction.ImportKeyMaterial).toBe(2);
  });

  it("reports a second token refusal with its code", async () => {
    await emu.admin.injectFault({
      cloud: "alibaba",
      action: "ImportKeyMaterial",
      code: "InvalidImportToken",
      httpStatus: 400,
      count: 2,
    });
    const e = await failure(provider.create(await checked({}, inputs())));
    expect(e.message).toMatch(/ImportKeyMaterial failed with InvalidImportToken/);
    expect(e.message).toMatch(/request id/);
  });

  it("reads nothing before importing (check read the key), then waits for the material", async () => {
    const news = [inputs(), inputs({ keyId: KEY2 }), inputs({ keyId: SM4, keyMaterial: newMaterial(16) })];
    const accepted = await Promise.all(news.map((n) => checked({}, n)));
    for (const a of accepted) {
      await emu.admin.clearRequests();
      expect((await provider.create(a)).outs.keyState).toBe("Enabled");
      const report = await emu.admin.requests();
      expect(report.entries[0].action).toBe("GetParametersForImport");
      // The import was waited for (kmsImport 100 ms): the key showed PendingImport to a read before Enabled.
      expect(report.byAction.DescribeKey).toBeGreaterThanOrEqual(2);
      expect(readsIn(report)).toBeLessThanOrEqual(3);
    }
  });

  it("spends one timeoutSeconds budget on the whole create, not one per call", async () => {
    await emu.admin.setDurations({ kmsImport: 60_000 });
    await emu.admin.injectFault({
      cloud: "alibaba",
      action: "GetParametersForImport",
      latencyMs: 2500,
      count: 1,
    });
    const started = Date.now();
    const e = await failure(provider.create(await checked({}, inputs({ timeoutSeconds: 3 }))));
    expect(e.message).toMatch(/Timed out after 1s waiting for the key material of KMS key key-ext-aes-0001/);
    // 2.5 s in GetParametersForImport leave the wait the rest of the 3 s (at least one second), not 3 s more.
    expect(Date.now() - started).toBeLessThan(4500);
  });
});

describe("check at preview", () => {
  it("makes no cloud call when the inputs did not change", async () => {
    const first = inputs();
    const accepted = await checked({}, first);
    await created(first);
    await emu.admin.clearRequests();
    expect((await provider.check(accepted, first)).failures ?? []).toEqual([]);
    expect((await emu.admin.requests()).entries).toEqual([]);
  });

  it("names keyId for a key that is not EXTERNAL, missing or pending deletion", async () => {
    const notExternal = await provider.check({}, inputs({ keyId: MANAGED }));
    expect(notExternal.failures).toEqual([
      expect.objectContaining({ property: "keyId", reason: expect.stringMatching(/Unsupported\.Origin/) }),
    ]);
    const missing = await provider.check({}, inputs({ keyId: "key-nope" }));
    expect(missing.failures).toEqual([
      expect.objectContaining({ property: "keyId", reason: expect.stringMatching(/Forbidden\.KeyNotFound/) }),
    ]);
    await kms().call("ScheduleKeyDeletion", { KeyId: KEY2, PendingWindowInDays: 7 });
    const pending = await provider.check({}, inputs({ keyId: KEY2 }));
    expect(pending.failures?.[0]).toMatchObject({ property: "keyId" });
    expect(pending.failures?.[0].reason).toMatch(/PendingDeletion/);
  });

  it("fails RSAES_OAEP_SHA_1 at preview for a key of a dedicated KMS instance, as KMS would", async () => {
    const res = await provider.check(
      {},
      inputs({ keyId: IN_INSTANCE, wrappingAlgorithm: "RSAES_OAEP_SHA_1" }),
    );
    expect(res.failures).toEqual([
      {
        property: "wrappingAlgorithm",
        reason: expect.stringMatching(
          /dedicated KMS instance kst-hzz1234, which does not support RSAES_OAEP_SHA_1/,
        ),
      },
    ]);
    // The cloud (emulator) agrees, and the default algorithm works for that key.
    await expect(
      kms().call("GetParametersForImport", {
        KeyId: IN_INSTANCE,
        WrappingAlgorithm: "RSAES_OAEP_SHA_1",
        WrappingKeySpec: "RSA_2048",
      }),
    ).rejects.toMatchObject({ code: "InvalidParameter" });
    const { outs } = await created(inputs({ keyId: IN_INSTANCE }));
    expect(outs.keyState).toBe("Enabled");
  });

  it("names keyMaterial when its size does not fit the key spec", async () => {
    const res = await provider.check({}, inputs({ keyId: SM4 }));
    expect(res.failures).toEqual([
      // No property on a secret field: the engine would print its value (the reason names the field).
      expect.objectContaining({
        property: "",
        reason: expect.stringMatching(/^keyMaterial: .*Aliyun_SM4, which needs 16 bytes/),
      }),
    ]);
  });

  it("fails different material for the same key, naming keyMaterial, and the diff refuses it too", async () => {
    const first = inputs();
    const { id, outs } = await created(first);
    const second = { ...first, keyMaterial: newMaterial() };
    const res = await provider.check(await checked({}, first), second);
    expect(res.failures).toEqual([
      expect.objectContaining({
        property: "",
        reason: expect.stringMatching(
          /^keyMaterial: .*accepts only the material first imported.*new KMS key with Origin EXTERNAL/,
        ),
      }),
    ]);
    const e = await failure(provider.diff(id, outs, second));
    expect(e.message).toMatch(/^keyMaterial: /);
    // The cloud agrees: importing the second material into the key is refused.
    const cloud = await failure(provider.create(second));
    expect(cloud.message).toMatch(/ImportKeyMaterial failed with InvalidKeyMaterial/);
    expect(cloud.message).toMatch(/keyMaterial: KMS refused the material/);
    expect((await kmsKey(KEY))?.material).toBe(digestPrefix(first.keyMaterial as string));
  });

  it("fails an expiry in the past, naming expireAt", async () => {
    const res = await provider.check({}, inputs({ expireAt: isoIn(-HOUR) }));
    expect(res.failures?.map((f) => f.property)).toEqual(["expireAt"]);
  });
});

describe("update", () => {
  it("re-imports the same material in place when expireAt changes", async () => {
    const first = inputs({ expireAt: isoIn(HOUR) });
    const { id, outs } = await created(first);
    const later = await checked(first, { ...first, expireAt: isoIn(2 * HOUR) });
    expect(await provider.diff(id, outs, later)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const res = await provider.update(id, outs, later);
    outputsSeen.push(res.outs);
    expect(res.outs).toMatchObject({ keyState: "Enabled", materialExpireTime: later.expireAt });
    expect(await kmsKey(KEY)).toMatchObject({
      imports: 2,
      materialExpireTime: new Date(later.expireAt as string).toISOString(),
    });

    const never = await checked(later, { ...first, expireAt: undefined });
    const res2 = await provider.update(id, res.outs as Record<string, unknown>, never);
    expect((res2.outs as Record<string, unknown>).materialExpireTime).toBe("");
  });

  it("replaces on another key id", async () => {
    const first = inputs();
    const { id, outs } = await created(first);
    expect(await provider.diff(id, outs, await checked(first, { ...first, keyId: KEY2 }))).toEqual({
      changes: true,
      replaces: ["keyId"],
      deleteBeforeReplace: false,
    });
  });

  it("records a new wrapping algorithm without importing again", async () => {
    const first = inputs();
    const { id, outs } = await created(first);
    const news = await checked(first, { ...first, wrappingAlgorithm: "RSAES_OAEP_SHA_1" });
    expect((await provider.diff(id, outs, news)).changes).toBe(true);
    const res = await provider.update(id, outs, news);
    expect((res.outs as Record<string, unknown>).wrappingAlgorithm).toBe("RSAES_OAEP_SHA_1");
    expect((await kmsKey(KEY))?.imports).toBe(1);
  });
});

describe("drift", () => {
  it("shows material deleted out of band; the next update imports it again", async () => {
    const first = inputs();
    const { id, outs } = await created(first);
    await kms().call("DeleteKeyMaterial", { KeyId: KEY });

    const read = await provider.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ keyState: "PendingImport", materialExpireTime: "" });
    expect(read.inputs).toMatchObject({ region: REGION, keyId: KEY, keyMaterial: first.keyMaterial });

    const news = await checked(read.inputs as Record<string, unknown>, first);
    expect(await provider.diff(id, read.props as Record<string, unknown>, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const res = await provider.update(id, read.props as Record<string, unknown>, news);
    expect((res.outs as Record<string, unknown>).keyState).toBe("Enabled");
    expect(await kmsKey(KEY)).toMatchObject({
      keyState: "Enabled",
      imports: 2,
      material: digestPrefix(first.keyMaterial as string),
    });
  });

  it("shows material that expired; a later expireAt imports it again", async () => {
    const first = inputs({ expireAt: isoIn(HOUR) });
    const { id, outs } = await created(first);
    await emu.admin.advanceClock(2 * HOUR);

    const read = await provider.read(id, outs);
    expect(read.props).toMatchObject({
      keyState: "PendingImport",
      materialExpireTime: first.expireAt,
      expireAt: first.expireAt,
    });
    // Unchanged, the configuration asked for exactly this: no import (KMS would refuse a past expiry anyway).
    expect(
      (await provider.diff(id, read.props as Record<string, unknown>, await checked(read.inputs!, first)))
        .changes,
    ).toBe(false);

    const later = await checked(read.inputs!, { ...first, expireAt: isoIn(3 * HOUR) });
    expect(await provider.diff(id, read.props as Record<string, unknown>, later)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const res = await provider.update(id, read.props as Record<string, unknown>, later);
    expect(res.outs).toMatchObject({ keyState: "Enabled", materialExpireTime: later.expireAt });
  });

  it("shows an expiry changed out of band in expireAt, in the form the user wrote", async () => {
    const inAnHour = Math.floor((Date.now() + HOUR) / 1000);
    const first = inputs({ expireAt: inAnHour });
    const { id, outs } = await created(first);
    // Someone re-imports the same material with another expiry.
    const p = await kms().call<{ PublicKey: string; ImportToken: string }>("GetParametersForImport", {
      KeyId: KEY,
      WrappingAlgorithm: "RSAES_OAEP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    });
    const { wrapKeyMaterial } = await import("../../../src/resources/imported-key-material/material");
    await kms().call("ImportKeyMaterial", {
      KeyId: KEY,
      EncryptedKeyMaterial: wrapKeyMaterial(
        Buffer.from(first.keyMaterial as string, "base64"),
        p.PublicKey,
        "RSAES_OAEP_SHA_256",
      ),
      ImportToken: p.ImportToken,
      KeyMaterialExpireUnix: inAnHour + 600,
    });
    const read = await provider.read(id, outs);
    expect(read.inputs?.expireAt).toBe(inAnHour + 600);
    expect(
      (await provider.diff(id, read.props as Record<string, unknown>, await checked(read.inputs!, first)))
        .changes,
    ).toBe(true);
  });

  it("reads, and destroys, by an id an earlier version wrote ('<region>/<keyId>')", async () => {
    const { outs } = await created(inputs());
    const legacy = `${REGION}/${KEY}`;
    const read = await provider.read(legacy, outs);
    expect(read.id).toBe(legacy);
    expect(read.props).toMatchObject({ region: REGION, keyId: KEY, keyState: "Enabled" });
    await provider.destroy(legacy, outs);
    expect((await kmsKey(KEY))?.keyState).toBe("PendingImport");
  });

  it("treats a key pending deletion or gone as the resource gone", async () => {
    const { id, outs } = await created(inputs());
    await kms().call("ScheduleKeyDeletion", { KeyId: KEY, PendingWindowInDays: 7 });
    expect((await provider.read(id, outs)).id).toBeFalsy();
    await emu.admin.advanceClock(8 * 24 * HOUR);
    expect((await provider.read(id, outs)).id).toBeFalsy();
  });
});

describe("destroy", () => {
  it("deletes the material (key to PendingImport) and tolerates keys pending deletion or gone", async () => {
    const { id, outs } = await created(inputs());
    await provider.destroy(id, outs);
    expect((await kmsKey(KEY))?.keyState).toBe("PendingImport");
    await provider.destroy(id, outs);

    const other = await created(inputs({ keyId: KEY2 }));
    await kms().call("ScheduleKeyDeletion", { KeyId: KEY2, PendingWindowInDays: 7 });
    await provider.destroy(other.id, other.outs);
    await emu.admin.advanceClock(8 * 24 * HOUR);
    await provider.destroy(other.id, other.outs);
  });
});

describe("secrets", () => {
  it("never shows key material outside the secret keyMaterial property", async () => {
    // Its own paths (the earlier tests' outputs and errors are searched as well).
    const { id, outs } = await created(inputs());
    outputsSeen.push((await provider.read(id, outs)).props);
    const other = { ...inputs(), wrappingAlgorithm: "RSAES_OAEP_SHA_256", wrappingKeySpec: "RSA_2048" };
    await failure(provider.create({ ...other, keyId: "key-nope" }));
    await failure(provider.create(other));
    await failure(provider.update(id, outs, other));
    const places = {
      errors: errorsSeen.join("\n"),
      outputs: JSON.stringify(
        outputsSeen.map((o) => ({ ...(o as Record<string, unknown>), keyMaterial: undefined })),
      ),
      requests: JSON.stringify(await emu.admin.requests()),
      inventory: JSON.stringify(await emu.admin.inventory()),
    };
    expect(errorsSeen.length).toBeGreaterThanOrEqual(3);
    for (const m of materials) {
      for (const form of [
        m.toString("base64"),
        m.toString("hex"),
        createHash("sha256").update(m).digest("hex"),
      ]) {
        for (const [where, text] of Object.entries(places)) {
          if (text.includes(form)) throw new Error(`material found in ${where}`);
        }
      }
    }
  });
});
