// The admin API refuses values the emulator cannot hold, naming the field (HTTP 400, JSON {error}): clock values
// past what a date can show, unknown or out-of-range durations, oversized fault codes. The last valid value is
// accepted and the emulator keeps answering KMS reads.
import { MAX_CLOCK_MS, MAX_DURATION_MS } from "../../../src/emulator/clock";
import { startEmulator } from "../../../src/emulator";
import { alibaba } from "../../support/emulator-clients";

let emu: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    fixtures: { alibabaKms: { keys: [{ keyId: "key-1", region: "cn-hangzhou", origin: "EXTERNAL" }] } },
  });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.admin.reset();
});

async function post(route: string, body: unknown): Promise<{ status: number; body: { error?: string } }> {
  const res = await fetch(`${emu.url}/_emulator/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

const durations = async () =>
  (await fetch(`${emu.url}/_emulator/durations`)).json() as Promise<Record<string, number>>;

const describeKey = async () =>
  (await alibaba(emu.url, {}, "2016-01-20").request(
    "DescribeKey",
    { KeyId: "key-1" },
    { method: "POST" },
  )) as {
    KeyMetadata: { KeyId: string };
  };

describe("clock", () => {
  it.each([
    [{ nowMs: 1e308 }, "nowMs"],
    [{ nowMs: MAX_CLOCK_MS + 1 }, "nowMs"],
    [{ nowMs: -1 }, "nowMs"],
    [{ nowMs: 1.5 }, "nowMs"],
    [{ advanceMs: 1e308 }, "advanceMs"],
    [{ advanceMs: 8.64e15 }, "advanceMs"],
  ])("refuses %j naming %s, and KMS reads keep working", async (body, field) => {
    const before = await emu.admin.clock();
    const r = await post("clock", body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(field);
    expect((await emu.admin.clock()).offsetMs).toBe(before.offsetMs);
    expect((await describeKey()).KeyMetadata.KeyId).toBe("key-1");
  });

  it("accepts the last valid time, 9999-12-31T23:59:59.999Z, and still answers", async () => {
    expect((await post("clock", { nowMs: MAX_CLOCK_MS })).status).toBe(200);
    expect((await describeKey()).KeyMetadata.KeyId).toBe("key-1");
  });
});

describe("durations", () => {
  it.each([
    [{ constructor: 5 }, "durations.constructor"],
    [{ vpnGatewayUpdat: 5 }, "durations.vpnGatewayUpdat"],
    [{ vpnGatewayUpdate: MAX_DURATION_MS + 1 }, "durations.vpnGatewayUpdate"],
    [{ vpnGatewayUpdate: 1e308 }, "durations.vpnGatewayUpdate"],
    [{ vpnGatewayUpdate: -1 }, "durations.vpnGatewayUpdate"],
  ])("refuses %j naming %s", async (body, field) => {
    const r = await post("durations", body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(field);
    expect(Object.keys(await durations())).not.toContain("constructor");
  });

  it("accepts the longest valid duration", async () => {
    expect((await post("durations", { vpnGatewayUpdate: MAX_DURATION_MS })).status).toBe(200);
    expect((await durations()).vpnGatewayUpdate).toBe(MAX_DURATION_MS);
  });
});

describe("faults", () => {
  it("refuses a fault code longer than 128 characters or not shaped like one, naming fault.code", async () => {
    for (const code of ["X".repeat(129), "X".repeat(100_000), "bad code", "<script>"]) {
      const r = await post("faults", { code });
      expect(r.status).toBe(400);
      expect(r.body.error).toContain("fault.code");
    }
    expect((await post("faults", { code: "X".repeat(128) })).status).toBe(200);
  });

  it("refuses an oversized message or action, naming the field", async () => {
    const m = await post("faults", { code: "Throttling.User", message: "m".repeat(4097) });
    expect([m.status, m.body.error]).toEqual([400, expect.stringContaining("fault.message")]);
    const a = await post("faults", { code: "Throttling.User", action: "A".repeat(129) });
    expect([a.status, a.body.error]).toEqual([400, expect.stringContaining("fault.action")]);
  });
});
