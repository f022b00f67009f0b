// The admin API through EmulatorAdmin: fixtures, inventory, request log, faults, clock, durations, reset.
import { EmulatorAdmin } from "../../../src/emulator/admin-client";
import { useFakeEmulator } from "../../support/fake-models";
import {
  type Json,
  alibaba,
  getJson,
  legacyUrl,
  popError,
  tencent,
  tencentError,
  volcengine,
} from "../../support/emulator-clients";

const emu = useFakeEmulator({ durations: { fakeModify: 0 } });

describe("fixtures, inventory and reset", () => {
  it("loads model fixtures and accounts, lists them without secrets, and reset empties them", async () => {
    await emu.admin.loadFixtures({
      accounts: [{ accessKeyId: "ak-9", secret: "very-secret-9", account: "999" }],
      alibabaVpc: { things: [{ name: "gw-1" }] },
    });
    const inv = await emu.admin.inventory<Json>();
    expect(inv.alibabaVpc).toEqual({ things: ["gw-1"] });
    expect(inv.tencentKms).toEqual({ things: [] });
    expect(inv.emulator.accounts).toEqual([
      { accessKeyId: "test", account: "1234567890" },
      { accessKeyId: "ak-9", account: "999" },
    ]);
    expect(JSON.stringify(inv)).not.toContain("very-secret-9");

    await emu.admin.reset();
    const after = await emu.admin.inventory<Json>();
    expect(after.alibabaVpc).toEqual({ things: [] });
    expect(after.emulator.accounts).toHaveLength(1);
  });

  it("refuses bad fixtures with a message naming the field", async () => {
    await expect(emu.admin.loadFixtures({ alibabaVpc: { things: [{}] } })).rejects.toThrow(
      /HTTP 400.*alibabaVpc.things\[0\].name must be a string/,
    );
    await expect(emu.admin.loadFixtures({ nope: 1 } as never)).rejects.toThrow(/unknown fixtures key "nope"/);
  });

  it("answers 404 with the route list for an unknown admin path", async () => {
    const r = await getJson(`${emu.url}/_emulator/nothing`);
    expect(r.status).toBe(404);
    expect(r.body.routes).toContain("GET /_emulator/inventory");
  });
});

describe("request log", () => {
  it("records each call without parameter values, with counts per action and cloud", async () => {
    await alibaba(emu.url).request(
      "Echo",
      { RegionId: "cn-shanghai", Psk: "psk-value-123" },
      { method: "POST" },
    );
    await popError(alibaba(emu.url).request("NoSuchAction", {}, { method: "POST" }));
    await tencent(emu.url).request("Echo", { KeyMaterial: "material-456" });
    await volcengine(emu.url).createJSONAPI("Echo", { Version: "2021-02-18" })({});
    await getJson(legacyUrl(emu.url, { Action: "Echo" }));
    const log = await emu.admin.requests();
    expect(log.entries.map((e) => [e.cloud, e.service, e.action, e.region, e.status, e.code])).toEqual([
      ["alibaba", "vpc", "Echo", "cn-shanghai", 200, undefined],
      ["alibaba", "vpc", "NoSuchAction", "", 404, "InvalidAction.NotFound"],
      ["tencent", "kms", "Echo", "ap-guangzhou", 200, undefined],
      ["volcengine", "kms", "Echo", "cn-beijing", 200, undefined],
      ["tencent", "kms", "Echo", "ap-guangzhou", 200, undefined],
    ]);
    expect(log.entries.every((e) => typeof e.ms === "number" && e.at > 0)).toBe(true);
    expect(log.byAction).toEqual({ Echo: 4, NoSuchAction: 1 });
    expect(log.byCloud).toEqual({ alibaba: 2, tencent: 2, volcengine: 1 });
    expect(log.byCloudAction.tencent).toEqual({ Echo: 2 });
    const text = JSON.stringify(log);
    expect(text).not.toContain("psk-value-123");
    expect(text).not.toContain("material-456");

    await emu.admin.clearRequests();
    expect((await emu.admin.requests()).entries).toEqual([]);
  });

  it("counts the most writes in flight at once per lock key", async () => {
    await emu.admin.setDurations({ fakeModify: 150 });
    const client = alibaba(emu.url);
    const modify = (gw: string) => client.request("Modify", { GatewayId: gw }, { method: "POST" });
    await modify("vpn-seq");
    await modify("vpn-seq");
    await Promise.all([modify("vpn-par"), modify("vpn-par"), modify("vpn-other")]);
    const { maxInFlight, entries } = await emu.admin.requests();
    expect(maxInFlight).toEqual({ "vpn-seq": 1, "vpn-par": 2, "vpn-other": 1 });
    expect(entries.filter((e) => e.action === "Modify").every((e) => e.lockKey)).toBe(true);
  });
});

describe("faults", () => {
  it("answers the next N matching calls with the injected code in the cloud's envelope", async () => {
    await emu.admin.injectFault({ cloud: "alibaba", action: "Echo", code: "Throttling.User", count: 2 });
    const client = alibaba(emu.url);
    for (let i = 0; i < 2; i++) {
      const e = await popError(client.request("Echo", {}, { method: "POST" }));
      expect([e.code, e.entry.response.statusCode]).toEqual(["Throttling.User", 400]);
    }
    await expect(client.request("Echo", {}, { method: "POST" })).resolves.toBeDefined();
    // Other clouds were not targeted.
    await emu.admin.injectFault({ cloud: "tencent", code: "RequestLimitExceeded", message: "slow down" });
    await expect(client.request("Echo", {}, { method: "POST" })).resolves.toBeDefined();
    const t = await tencentError(tencent(emu.url).request("Echo", {}));
    expect([t.code, t.message]).toEqual(["RequestLimitExceeded", "slow down"]);
    const v = await volcengine(emu.url).createJSONAPI("Echo", { Version: "2021-02-18" })({});
    expect(v.ResponseMetadata.Error).toBeUndefined();
  });

  it("applies faults after the signature check", async () => {
    await emu.admin.injectFault({ code: "ServiceUnavailable" });
    const e = await popError(alibaba(emu.url, { secret: "wrong" }).request("Echo", {}, { method: "POST" }));
    expect(e.code).toBe("SignatureDoesNotMatch");
    const f = await popError(alibaba(emu.url).request("Echo", {}, { method: "POST" }));
    expect([f.code, f.entry.response.statusCode]).toEqual(["ServiceUnavailable", 503]);
  });

  it("replays the same probabilistic schedule for the same seed", async () => {
    const run = async () => {
      await emu.admin.clearFaults();
      await emu.admin.injectFault({ cloud: "tencent", code: "InternalError", probability: 0.5, seed: 1234 });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await tencent(emu.url)
            .request("Echo", {})
            .then(
              () => "ok",
              (e: { code: string }) => e.code,
            ),
        );
      }
      return outcomes.join(",");
    };
    const first = await run();
    expect(first).toContain("InternalError");
    expect(first).toContain("ok");
    expect(await run()).toBe(first);
  });

  it("drops the connection for a reset fault, logs it, and keeps serving", async () => {
    await emu.admin.injectFault({ action: "Echo", reset: true, count: 1 });
    await expect(getJson(legacyUrl(emu.url, { Action: "Echo" }))).rejects.toThrow();
    expect((await getJson(legacyUrl(emu.url, { Action: "Echo" }))).body.code).toBe(0);
    const { entries } = await emu.admin.requests();
    expect(entries[0]).toMatchObject({ action: "Echo", status: 0, code: "ConnectionReset" });
  });

  it("delays a call by latencyMs", async () => {
    await emu.admin.injectFault({ action: "Echo", latencyMs: 200, count: 1 });
    const started = Date.now();
    await alibaba(emu.url).request("Echo", {}, { method: "POST" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await emu.admin.requests()).entries[0].ms).toBeGreaterThanOrEqual(190);
  });

  it("lists and clears faults, and refuses invalid ones", async () => {
    const f = await emu.admin.injectFault({ code: "X", count: 3 });
    expect(await emu.admin.faults()).toEqual([{ id: f.id, code: "X", count: 3, remaining: 3 }]);
    await emu.admin.clearFaults();
    expect(await emu.admin.faults()).toEqual([]);
    await expect(emu.admin.injectFault({ code: "X", probability: 3 })).rejects.toThrow(/fault.probability/);
  });
});

describe("clock and durations", () => {
  it("moves the models' clock while signatures keep using real time", async () => {
    const before = (await alibaba(emu.url).request<Json>("Now", {}, { method: "POST" })).NowMs;
    await emu.admin.advanceClock(24 * 3600_000);
    const after = (await alibaba(emu.url).request<Json>("Now", {}, { method: "POST" })).NowMs;
    expect(after - before).toBeGreaterThanOrEqual(24 * 3600_000);
    const set = await emu.admin.setClock(Date.UTC(2030, 0, 1));
    expect(Math.abs(set.nowMs - Date.UTC(2030, 0, 1))).toBeLessThan(1000);
    expect((await emu.admin.clock()).offsetMs).toBe(set.offsetMs);
  });

  it("sets durations by name, merged with the defaults", async () => {
    const all = await emu.admin.setDurations({ fakeModify: 5, vpnGatewayUpdate: 50 });
    expect(all).toMatchObject({ fakeModify: 5, vpnGatewayUpdate: 50, macsecTransition: 1000 });
    await expect(emu.admin.setDurations({ vpnGatewayUpdate: -1 })).rejects.toThrow(
      /durations.vpnGatewayUpdate/,
    );
  });
});

describe("EmulatorAdmin", () => {
  it("reports an unreachable emulator", async () => {
    await expect(new EmulatorAdmin("http://127.0.0.1:1").inventory()).rejects.toThrow();
  });
});
