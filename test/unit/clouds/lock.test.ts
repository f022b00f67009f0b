import { discardHandover, handOver, takeOver, withLock } from "../../../src/clouds/lock";

/** Lets pending promise callbacks run (no timers). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A task that records when it runs, yields several times while holding the lock, and counts holders. */
function counter() {
  let active = 0;
  let max = 0;
  const order: string[] = [];
  const task =
    (name: string, fail = false) =>
    async (): Promise<string> => {
      active++;
      max = Math.max(max, active);
      order.push(`start ${name}`);
      await flush();
      order.push(`end ${name}`);
      active--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  return { task, order, max: () => max, active: () => active };
}

const lockTable = (): Map<string, unknown> | undefined =>
  (globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>)[
    Symbol.for("pulumi-keylink.locks")
  ];

describe("withLock", () => {
  it("serializes holders of the same key (never more than one at a time)", async () => {
    const c = counter();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => withLock("vpn-gw-1", c.task(`t${i}`))),
    );
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    expect(c.max()).toBe(1);
  });

  it("runs holders in arrival order (FIFO)", async () => {
    const c = counter();
    await Promise.all(["a", "b", "c", "d"].map((n) => withLock("k-fifo", c.task(n))));
    expect(c.order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c", "start d", "end d"]);
  });

  it("runs different keys concurrently", async () => {
    const g = gate();
    const started: string[] = [];
    const hold = (name: string) => async () => {
      started.push(name);
      await g.promise;
      return name;
    };
    const p = Promise.all([
      withLock("gw-a", hold("a")),
      withLock("gw-b", hold("b")),
      withLock("gw-a", hold("a2")),
    ]);
    await flush();
    // a and b both hold their locks while a2 waits behind a.
    expect(started).toEqual(["a", "b"]);
    g.open();
    await expect(p).resolves.toEqual(["a", "b", "a2"]);
    expect(started).toEqual(["a", "b", "a2"]);
  });

  it("releases the lock when the holder throws, and passes the error on", async () => {
    const c = counter();
    const first = withLock("k-throw", c.task("bad", true));
    const second = withLock("k-throw", c.task("good"));
    await expect(first).rejects.toThrow("bad failed");
    await expect(second).resolves.toBe("good");
    expect(c.order).toEqual(["start bad", "end bad", "start good", "end good"]);
    expect(c.max()).toBe(1);
  });

  it("releases the lock when the holder throws synchronously", async () => {
    const p = withLock("k-sync", () => {
      throw new Error("sync");
    });
    await expect(p).rejects.toThrow("sync");
    await expect(withLock("k-sync", async () => "next")).resolves.toBe("next");
  });

  it("forgets idle keys, so the table does not grow", async () => {
    await Promise.all([withLock("k-idle", async () => 1), withLock("k-idle", async () => 2)]);
    expect(lockTable()?.has("k-idle")).toBe(false);
  });

  it("shares one lock table across module copies (kept on globalThis)", async () => {
    let other!: typeof withLock;
    jest.isolateModules(() => {
      other = (jest.requireActual("../../../src/clouds/lock") as { withLock: typeof withLock }).withLock;
    });
    expect(other).not.toBe(withLock);
    const c = counter();
    await Promise.all([withLock("k-shared", c.task("x")), other("k-shared", c.task("y"))]);
    expect(c.max()).toBe(1);
    expect(c.order).toEqual(["start x", "end x", "start y", "end y"]);
  });
});

describe("handOver / takeOver", () => {
  afterEach(() => jest.useRealTimers());

  it("gives the next holder what the last one read, once", () => {
    handOver("k-once", { status: "active" }, Date.now(), 1000);
    expect(takeOver("k-once")).toEqual({ status: "active" });
    expect(takeOver("k-once")).toBeUndefined();
  });

  it("gives nothing once discarded (a write since the read)", () => {
    handOver("k-written", { status: "active" }, Date.now(), 1000);
    discardHandover("k-written");
    expect(takeOver("k-written")).toBeUndefined();
  });

  it("gives nothing once a second has passed since the read, or for another key", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    handOver("k-old", "read", Date.now() - 1000, 60_000);
    handOver("k-fresh", "read", Date.now() - 999, 60_000);
    expect(takeOver("k-old")).toBeUndefined();
    expect(takeOver("k-other")).toBeUndefined();
    expect(takeOver("k-fresh")).toBe("read");
  });

  it("gives nothing once a change of the object would have had the time to apply", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    // The object's changes take 400 ms: one started right after the read could be over 400 ms later.
    handOver("k-quick", "read", Date.now() - 400, 400);
    handOver("k-quick-fresh", "read", Date.now() - 399, 400);
    expect(takeOver("k-quick")).toBeUndefined();
    expect(takeOver("k-quick-fresh")).toBe("read");
  });
});
