// ImportedKeyMaterial through the real Pulumi CLI: import, no-change preview, material deleted out of band found
// and re-imported, in-place expiry change, material expired at another time than configured restored, material
// expired as configured left alone, a different material refused at preview, a new key replaces, destroy deletes
// the material, and neither the material nor the account secret in state or output.
import { createHash, randomBytes } from "node:crypto";
import { alibabaClient } from "../../src/clouds/alibaba";
import { wrapKeyMaterial } from "../../src/resources/imported-key-material/material";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

interface AlibabaKey {
  keyId: string;
  keyState: string;
  material: string;
  materialExpireTime: string;
  imports: number;
}

const REGION = "cn-hangzhou";
const KEY = "key-byok-e2e-0001";
const OTHER_KEY = "key-byok-e2e-0002";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const material = randomBytes(32);
const MATERIAL = material.toString("base64");
const WRONG_MATERIAL = randomBytes(32).toString("base64");
/** How the emulator's inventory shows the material it unwrapped: a SHA-256 prefix. */
const DIGEST = `sha256:${createHash("sha256").update(material).digest("hex").slice(0, 12)}`;

let e2e: E2ESuite;

async function keyById(keyId: string): Promise<AlibabaKey> {
  const inv = await e2e.emulator.admin.inventory<{ alibabaKms: { keys: AlibabaKey[] } }>();
  const k = inv.alibabaKms.keys.find((x) => x.keyId === keyId);
  if (!k) throw new Error(`no key ${keyId} in the emulator`);
  return k;
}

/** ISO 8601 without milliseconds, as KMS shows MaterialExpireTime. */
const iso = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");

/** Someone re-imports the same material with their own expiry, outside Pulumi, through our real client. */
async function reimportOutOfBand(expireMs: number): Promise<void> {
  const kms = alibabaClient("kms", REGION);
  const params = await kms.call<{ ImportToken: string; PublicKey: string }>("GetParametersForImport", {
    KeyId: KEY,
    WrappingAlgorithm: "RSAES_OAEP_SHA_256",
    WrappingKeySpec: "RSA_2048",
  });
  await kms.call("ImportKeyMaterial", {
    KeyId: KEY,
    EncryptedKeyMaterial: wrapKeyMaterial(material, params.PublicKey, "RSAES_OAEP_SHA_256"),
    ImportToken: params.ImportToken,
    KeyMaterialExpireUnix: Math.floor(expireMs / 1000),
  });
}

beforeAll(async () => {
  const key = { region: REGION, origin: "EXTERNAL", keySpec: "Aliyun_AES_256", account: E2E_ACCOUNT.account };
  e2e = await startE2E({
    example: "imported-key-material",
    fixtures: {
      alibabaKms: {
        keys: [
          { keyId: KEY, ...key },
          { keyId: OTHER_KEY, ...key },
        ],
      },
    },
    durations: { kmsImport: 100 },
    config: {
      "example:keyId": { value: KEY },
      "example:keyMaterial": { value: MATERIAL, secret: true },
    },
  });
});

afterAll(async () => {
  await e2e?.stop();
});

describe("ImportedKeyMaterial end to end, in order: each case starts from the stack the previous one left", () => {
  it("imports the material on up: the emulator unwrapped exactly that material", async () => {
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    expect(up.outputs.keyState.value).toBe("Enabled");
    expect(await keyById(KEY)).toMatchObject({
      keyState: "Enabled",
      material: DIGEST,
      materialExpireTime: "",
    });
  });

  it("shows no changes on a second preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("finds material deleted out of band on preview --refresh, and up --refresh imports it again", async () => {
    await alibabaClient("kms", REGION).call("DeleteKeyMaterial", { KeyId: KEY });
    expect((await keyById(KEY)).keyState).toBe("PendingImport");
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ keyState\s*: "Enabled" => "PendingImport"/);
    await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect(await keyById(KEY)).toMatchObject({ keyState: "Enabled", material: DIGEST, imports: 2 });
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  const expireAt = iso(Date.now() + 30 * DAY);

  it("re-imports in place when expireAt is set", async () => {
    await e2e.stack.setConfig("example:expireAt", { value: expireAt });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.outputs.materialExpireTime.value).toBe(expireAt);
    expect(await keyById(KEY)).toMatchObject({
      keyState: "Enabled",
      materialExpireTime: new Date(expireAt).toISOString(),
      imports: 3,
    });
  });

  it("finds an expiry changed out of band on expireAt, and restores material that expired at that time", async () => {
    const outOfBand = Date.now() + HOUR;
    await reimportOutOfBand(outOfBand);
    const drift = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(drift.changeSummary).toMatchObject({ update: 1 });
    expect(drift.stdout).toMatch(new RegExp(`~ expireAt\\s*: "${iso(outOfBand)}" => "${expireAt}"`));

    await e2e.emulator.admin.advanceClock(2 * HOUR);
    expect((await keyById(KEY)).keyState).toBe("PendingImport");
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ keyState\s*: "Enabled" => "PendingImport"/);
    await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect(await keyById(KEY)).toMatchObject({
      keyState: "Enabled",
      materialExpireTime: new Date(expireAt).toISOString(),
    });
  });

  it("leaves material that expired when configured as it is, and restores it once expireAt is removed", async () => {
    // rules.ts importNeeded: the configuration asked for that expiry, so nothing is proposed.
    await e2e.emulator.admin.advanceClock(31 * DAY);
    expect((await keyById(KEY)).keyState).toBe("PendingImport");
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
    await e2e.stack.removeConfig("example:expireAt");
    const up = await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(await keyById(KEY)).toMatchObject({
      keyState: "Enabled",
      material: DIGEST,
      materialExpireTime: "",
    });
  });

  it("fails preview for different material for the same key, naming keyMaterial, and makes no write", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:keyMaterial", { value: WRONG_MATERIAL, secret: true });
    const message = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(message).toMatch(/keyMaterial: differs from the material imported into key key-byok-e2e-0001/);
    expect(await e2e.writesSince()).toEqual([]);
    expect((await keyById(KEY)).material).toBe(DIGEST);
    await e2e.stack.setConfig("example:keyMaterial", { value: MATERIAL, secret: true });
  });

  it("replaces the resource when keyId changes: material into the new key, deleted from the old", async () => {
    await e2e.stack.setConfig("example:keyId", { value: OTHER_KEY });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(await keyById(OTHER_KEY)).toMatchObject({ keyState: "Enabled", material: DIGEST });
    expect((await keyById(KEY)).keyState).toBe("PendingImport");
  });

  it("keeps the material and the credentials out of state and CLI output", async () => {
    const exported = await e2e.exportState();
    const [ikm] = resourcesOfType(exported, "ImportedKeyMaterial");
    expect(ikm.id).toBe(`${REGION}:${OTHER_KEY}`);
    expect(ikm.outputs?.keyMaterial).toMatchObject({ ciphertext: expect.any(String) });
    expect(ikm.inputs?.keyMaterial).toMatchObject({ ciphertext: expect.any(String) });
    expect(String(ikm.inputs?.__provider).length).toBeLessThan(4096);
    expectNoSecrets(
      [exported, ...e2e.output],
      [MATERIAL, WRONG_MATERIAL, material.toString("hex"), E2E_ACCOUNT.secret],
    );
  });

  it("destroys: the key's material is deleted and the key waits for an import again", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.destroy({ onOutput: e2e.onOutput });
    expect(await e2e.writesSince()).toEqual(["DeleteKeyMaterial"]);
    expect(await keyById(OTHER_KEY)).toMatchObject({ keyState: "PendingImport", material: DIGEST });
    expect((await keyById(KEY)).keyState).toBe("PendingImport");
  });
});
