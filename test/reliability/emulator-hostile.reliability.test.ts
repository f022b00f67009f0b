// The emulator, run as its bin (keylink-emulator), under malformed and hostile requests on the loopback
// interface: bad signatures and unknown keys, replayed nonces, oversized, truncated and garbage requests, and
// many concurrent clients (bounded count and time). Each gets the cloud's error (an auth error our clients
// classify as such, never retried) and changes nothing; the emulator never goes down nor logs an internal
// error. Then: SIGKILL of the bin during a burst of writes with --state FILE, at seeded points, and reload:
// the state file is always valid JSON, loads, and holds every write that was acknowledged.
// Replay with RELIABILITY_SEED=<seed in the test name>.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { connect } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { classify } from "../../src/clouds/errors";
import { mulberry32 } from "../../src/emulator/faults";
import { alibabaSign, alibabaStringToSign } from "../../src/emulator/signatures/alibaba-rpc";
import { readStateFile } from "../../src/emulator/store";
import {
  type Json,
  alibaba,
  getJson,
  legacyUrl,
  popError,
  tencentRaw,
  volcengineRaw,
} from "../support/emulator-clients";
import { type EmulatorBin, baseSeed, startEmulatorBin } from "../support/reliability/harness";

jest.setTimeout(120_000);

const SEED = baseSeed(20251127);
const WRONG = { id: "test", secret: "not-the-secret" };
const UNKNOWN_KEY = { id: "AKIDnobody", secret: "whatever" };

let bin: EmulatorBin;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-hostile-"));
  bin = await startEmulatorBin([]);
});

afterAll(async () => {
  await bin?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface TencentKeyView {
  keyId: string;
  alias: string;
}
async function tencentKeys(b: EmulatorBin): Promise<TencentKeyView[]> {
  return (await b.admin.inventory<{ tencentKms: { keys: TencentKeyView[] } }>()).tencentKms.keys;
}
async function alibabaKeyCount(b: EmulatorBin): Promise<number> {
  return (await b.admin.inventory<{ alibabaKms: { keys: unknown[] } }>()).alibabaKms.keys.length;
}

/** The bin is up, answers, and has logged no internal error. */
async function expectAlive(b: EmulatorBin): Promise<void> {
  expect(b.child.exitCode).toBeNull();
  expect((await getJson(`${b.url}/_emulator/health`)).body).toEqual({ ok: true });
  expect(b.stderr.join("")).not.toMatch(/internal error/);
}

/** A signed Alibaba RPC POST body (form), with a chosen nonce: the same body twice is a replay. */
function alibabaForm(action: string, extra: Record<string, string>, nonce = randomUUID()): string {
  const params: Record<string, string> = {
    Action: action,
    Version: "2016-01-20",
    Format: "JSON",
    AccessKeyId: "test",
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: nonce,
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    RegionId: "cn-hangzhou",
    ...extra,
  };
  params.Signature = alibabaSign("test", alibabaStringToSign("POST", params));
  return new URLSearchParams(params).toString();
}

async function postForm(url: string, body: string): Promise<{ status: number; body: Json }> {
  return getJson(`${url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** Sends raw bytes on a fresh loopback connection; answers whatever came back before the server closed it. */
function rawExchange(port: number, data: string | Buffer, opts: { end?: boolean; waitMs?: number } = {}) {
  return new Promise<string>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.write(data, () => (opts.end === false ? undefined : socket.end()));
    setTimeout(() => socket.destroy(), opts.waitMs ?? 2000);
  });
}

describe("hostile requests against keylink-emulator", () => {
  it("answers bad signatures and unknown keys with each cloud's auth error, and writes nothing", async () => {
    for (const key of [WRONG, UNKNOWN_KEY]) {
      const ali = await popError(
        alibaba(bin.url, key, "2016-01-20").request(
          "CreateKey",
          { RegionId: "cn-hangzhou" },
          { method: "POST" },
        ),
      );
      expect(classify("alibaba", ali.code, ali.entry.response.statusCode)).toBe("auth");

      const volc = await volcengineRaw(bin.url, { action: "DescribeKey", body: "{}", key });
      const volcError = volc.body.ResponseMetadata.Error;
      expect(classify("volcengine", volcError.Code, volc.status)).toBe("auth");

      const tc3 = await tencentRaw(bin.url, { action: "CreateKey", body: '{"Alias":"forged"}', key });
      expect(classify("tencent", tc3.body.Response.Error.Code)).toBe("auth");

      const legacy = await getJson(
        legacyUrl(bin.url, { Action: "CreateKey", alias: "forged-legacy" }, { key }),
      );
      expect(legacy.body).toMatchObject({ code: 4100 });
    }
    expect(await tencentKeys(bin)).toEqual([]);
    expect(await alibabaKeyCount(bin)).toBe(0);
    await expectAlive(bin);
  });

  it("refuses a replayed request (the nonce was used) and carries out the original once", async () => {
    const body = alibabaForm("CreateKey", {});
    expect((await postForm(bin.url, body)).status).toBe(200);
    const replay = await postForm(bin.url, body);
    expect([replay.status, replay.body.Code]).toEqual([400, "SignatureNonceUsed"]);
    expect(await alibabaKeyCount(bin)).toBe(1);

    const url = legacyUrl(bin.url, { Action: "CreateKey", alias: "legacy-replayed" }, { nonce: "4242" });
    expect((await getJson(url)).body.code).toBe(0);
    expect((await getJson(url)).body).toMatchObject({ code: 4500, codeDesc: "ReplayAttack" });
    expect((await tencentKeys(bin)).filter((k) => k.alias === "legacy-replayed")).toHaveLength(1);
    await expectAlive(bin);
  });

  it("answers oversized bodies in the cloud's envelope, and drops a flood without going down", async () => {
    const big = "x".repeat(2 * 1024 * 1024);
    const ali = await postForm(bin.url, `${alibabaForm("CreateKey", {})}&Description=${big}`);
    expect([ali.status, ali.body.Code]).toEqual([413, "RequestEntityTooLarge"]);
    const tc3 = await tencentRaw(bin.url, {
      action: "CreateKey",
      body: JSON.stringify({ Alias: "big", Blob: big }),
    });
    expect(tc3.body.Response.Error.Code).toBe("RequestSizeLimitExceeded");
    // Far past the cap (64 x 1 MiB): the emulator cuts the connection instead of reading it all.
    const flood = Buffer.alloc(70 * 1024 * 1024, 0x61);
    const header =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${flood.length}\r\n\r\n`;
    const answer = await rawExchange(bin.port, Buffer.concat([Buffer.from(header), flood]), {
      waitMs: 10_000,
    });
    expect(answer === "" || /^HTTP\/1\.1 413/.test(answer)).toBe(true);
    expect(await tencentKeys(bin)).not.toContainEqual(expect.objectContaining({ alias: "big" }));
    await expectAlive(bin);
  });

  it("survives truncated bodies, garbage bodies and garbage HTTP", async () => {
    // Announces 1000 bytes, sends 10, hangs up.
    await rawExchange(
      bin.port,
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Alias":',
      { waitMs: 500 },
    );
    // A truncated JSON body under a valid signature: the cloud's InvalidParameter.
    const volc = await volcengineRaw(bin.url, { action: "DescribeKey", body: '{"KeyID":' });
    expect([volc.status, volc.body.ResponseMetadata.Error.Code]).toEqual([400, "InvalidParameter"]);
    const tc3 = await tencentRaw(bin.url, { action: "CreateKey", body: '{"Alias": "trunc' });
    expect(tc3.body.Response.Error.Code).toMatch(/^InvalidParameter/);
    // Not HTTP at all, and a header line without end.
    expect(await rawExchange(bin.port, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    await rawExchange(bin.port, `GET / HTTP/1.1\r\nX-Long: ${"y".repeat(100_000)}`, { waitMs: 500 });
    expect(await tencentKeys(bin)).not.toContainEqual(expect.objectContaining({ alias: "trunc" }));
    await expectAlive(bin);
  });

  it(`serves many concurrent clients while idle half-open connections hang around (seed ${SEED})`, async () => {
    const random = mulberry32(SEED);
    // Connections that sent part of their headers and went quiet (bounded: 50).
    const idle = Array.from({ length: 50 }, () => {
      const s = connect(bin.port, "127.0.0.1");
      s.on("error", () => undefined);
      s.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      return s;
    });
    const before = (await tencentKeys(bin)).length;
    const kinds = Array.from({ length: 300 }, () => Math.floor(random() * 4));
    const started = Date.now();
    const results = await Promise.all(
      kinds.map(async (kind, i) => {
        if (kind === 0) {
          const r = await tencentRaw(bin.url, {
            action: "CreateKey",
            body: JSON.stringify({ Alias: `burst-${i}` }),
          });
          return r.body.Response.KeyId ? "created" : `error ${JSON.stringify(r.body)}`;
        }
        if (kind === 1) {
          const r = await tencentRaw(bin.url, { action: "ListKeyDetail", body: "{}" });
          return r.body.Response.Error ? `error ${r.body.Response.Error.Code}` : "listed";
        }
        if (kind === 2) {
          const r = await tencentRaw(bin.url, { action: "CreateKey", body: "{}", key: WRONG });
          return r.body.Response.Error?.Code === "AuthFailure.SignatureFailure" ? "refused" : "not refused";
        }
        const r = await postForm(bin.url, "Action=CreateKey&Signature=forged");
        return r.status === 400 ? "refused" : `status ${r.status}`;
      }),
    );
    for (const s of idle) s.destroy();
    const created = kinds.filter((k) => k === 0).length;
    expect(results.filter((r) => r === "created")).toHaveLength(created);
    expect(results.filter((r) => r === "listed")).toHaveLength(kinds.filter((k) => k === 1).length);
    expect(results.filter((r) => r === "refused")).toHaveLength(kinds.filter((k) => k >= 2).length);
    expect((await tencentKeys(bin)).length).toBe(before + created);
    console.log(
      `seed ${SEED}: 300 concurrent requests (${created} writes) answered in ${Date.now() - started} ms`,
    );
    await expectAlive(bin);
  });
});

describe(`keylink-emulator killed during a burst of writes (seed ${SEED})`, () => {
  const ROUNDS = 3;
  const BURST = 150;
  const CONCURRENCY = 16;
  const random = mulberry32(SEED ^ 0x6b111);
  const killAfter = Array.from({ length: ROUNDS }, () => 5 + Math.floor(random() * (BURST - 20)));
  const acknowledged = new Set<string>();
  let stateFile: string;

  beforeAll(() => {
    stateFile = path.join(dir, "state.json");
  });

  it.each(killAfter.map((n, round) => [round + 1, n]))(
    "round %i: SIGKILL after %i acknowledged writes, then the state file is valid, loads and holds them",
    async (round, target) => {
      const b = await startEmulatorBin(["--state", stateFile]);
      // The previous kill's temporary file is cleaned up at start, and what it acknowledged survived.
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      const loaded = new Set((await tencentKeys(b)).map((k) => k.keyId));
      for (const id of acknowledged) expect(loaded.has(id)).toBe(true);

      let next = 0;
      let killed = false;
      let thisRound = 0;
      const worker = async () => {
        while (!killed && next < BURST) {
          const i = next++;
          try {
            const r = await tencentRaw(b.url, {
              action: "CreateKey",
              body: JSON.stringify({ Alias: `r${round}-k${i}` }),
            });
            const keyId: string | undefined = r.body.Response.KeyId;
            if (keyId && !killed) {
              acknowledged.add(keyId);
              if (++thisRound >= target) {
                killed = true;
                b.child.kill("SIGKILL");
              }
            }
          } catch {
            // The connection died with the process.
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(await b.exited).toBe("SIGKILL");

      // Valid JSON, a valid emulator state, holding every acknowledged write.
      const text = fs.readFileSync(stateFile, "utf8");
      expect(() => JSON.parse(text)).not.toThrow();
      expect(readStateFile(stateFile)).toMatchObject({ version: 1 });
      const leftovers = fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));
      console.log(
        `seed ${SEED} round ${round}: killed after ${target} acknowledged writes; ${acknowledged.size} acknowledged ` +
          `so far; temporary files left by the kill: ${leftovers.length}`,
      );
    },
  );

  it("the last state loads in a fresh emulator with every acknowledged write", async () => {
    const b = await startEmulatorBin(["--state", stateFile]);
    try {
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      const ids = new Set((await tencentKeys(b)).map((k) => k.keyId));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      expect(ids.size).toBeLessThanOrEqual(ROUNDS * BURST);
      await expectAlive(b);
    } finally {
      await b.close();
    }
  });
});
