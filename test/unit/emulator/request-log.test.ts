import { RequestLog } from "../../../src/emulator/request-log";

/** A log on a hand-driven monotonic clock. */
function logAt() {
  let t = 0;
  const log = new RequestLog(() => t);
  return { log, at: (ms: number) => (t = ms) };
}

const write = (lockKey?: string) => ({
  cloud: "alibaba" as const,
  service: "vpc",
  action: "ModifyVpnConnectionAttribute",
  region: "cn-hangzhou",
  status: 200,
  ...(lockKey ? { lockKey } : {}),
});

describe("RequestLog", () => {
  it("counts per action, per cloud and per cloud and action", () => {
    const { log } = logAt();
    log.finish(log.begin(0), write());
    log.finish(log.begin(0), { ...write(), cloud: "tencent", service: "kms", action: "CreateKey" });
    log.finish(log.begin(0), {
      ...write(),
      cloud: "volcengine",
      service: "kms",
      action: "CreateKey",
      code: "X",
    });
    const r = log.report();
    expect(r.byAction).toEqual({ ModifyVpnConnectionAttribute: 1, CreateKey: 2 });
    expect(r.byCloud).toEqual({ alibaba: 1, tencent: 1, volcengine: 1 });
    expect(r.byCloudAction.tencent).toEqual({ CreateKey: 1 });
    expect(r.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(r.entries[2].code).toBe("X");
  });

  it("records 1 in flight for sequential writes on a key", () => {
    const { log, at } = logAt();
    for (let i = 0; i < 3; i++) {
      at(i * 10);
      const t = log.begin(0);
      at(i * 10 + 5);
      log.finish(t, write("vpn-1"));
    }
    expect(log.report().maxInFlight).toEqual({ "vpn-1": 1 });
  });

  it("finds the peak of overlapping writes per key, whatever the finishing order", () => {
    const { log, at } = logAt();
    at(0);
    const a = log.begin(0);
    at(1);
    const b = log.begin(0);
    at(2);
    const c = log.begin(0);
    const other = log.begin(0);
    at(3);
    log.finish(b, write("vpn-1"));
    at(4);
    log.finish(other, write("vpn-2"));
    at(5);
    log.finish(a, write("vpn-1"));
    at(6);
    log.finish(c, write("vpn-1"));
    // a [0,5], b [1,3], c [2,6]: all three overlap in [2,3].
    expect(log.report().maxInFlight).toEqual({ "vpn-1": 3, "vpn-2": 1 });
  });

  it("does not count touching intervals as overlapping, and clears", () => {
    const { log, at } = logAt();
    at(0);
    const a = log.begin(0);
    at(5);
    log.finish(a, write("k"));
    const b = log.begin(0);
    at(9);
    log.finish(b, write("k"));
    expect(log.report().maxInFlight.k).toBe(1);
    log.clear();
    expect(log.report()).toEqual({
      entries: [],
      byAction: {},
      byCloud: {},
      byCloudAction: {},
      maxInFlight: {},
    });
  });
});
