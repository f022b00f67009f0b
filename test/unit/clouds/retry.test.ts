import { CloudError, ErrorClass } from "../../../src/clouds/errors";
import { forgetProcessMemory } from "../../../src/common/process-memory";
import {
  expectedTransitionMs,
  waitFor,
  waitLearned,
  WaitTimeoutError,
  withRetry,
} from "../../../src/clouds/retry";

const cloudError = (errorClass: ErrorClass, code = "Code"): CloudError =>
  new CloudError({ cloud: "alibaba", action: "Act", code, message: "msg", errorClass, requestId: "rid" });

/** A fake clock: sleep advances it; nothing waits for real. */
function fakeClock(start = 1_000_000): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
  advance: (ms: number) => void;
} {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** A function failing with the given errors in order, then returning "ok". */
function failing(...errors: unknown[]): { fn: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    fn: async (attempt: number) => {
      attempts.push(attempt);
      const e = errors[attempts.length - 1];
      if (e !== undefined) throw e;
      return "ok";
    },
  };
}

describe("withRetry", () => {
  it.each(["throttled", "busy", "transient"] as const)("retries %s failures until success", async (cls) => {
    const clock = fakeClock();
    const f = failing(cloudError(cls), cloudError(cls));
    await expect(withRetry(f.fn, { deadlineMs: 60_000, ...clock, random: () => 0.5 })).resolves.toBe("ok");
    expect(f.attempts).toEqual([0, 1, 2]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it.each(["not-found", "invalid-input", "auth", "fatal"] as const)(
    "surfaces %s failures at once, without sleeping",
    async (cls) => {
      const clock = fakeClock();
      const err = cloudError(cls);
      const f = failing(err);
      await expect(withRetry(f.fn, { deadlineMs: 60_000, ...clock })).rejects.toBe(err);
      expect(f.attempts).toEqual([0]);
      expect(clock.sleeps).toEqual([]);
    },
  );

  it("does not retry plain errors", async () => {
    const clock = fakeClock();
    const f = failing(new Error("boom"));
    await expect(withRetry(f.fn, { deadlineMs: 60_000, ...clock })).rejects.toThrow("boom");
    expect(f.attempts).toHaveLength(1);
  });

  it("draws each delay from [0, min(max, base * 2^attempt)] (full jitter)", async () => {
    const errors = Array.from({ length: 8 }, () => cloudError("throttled"));
    for (const r of [0, 0.5, 0.999999]) {
      const clock = fakeClock();
      const f = failing(...errors);
      await withRetry(f.fn, {
        deadlineMs: 1e9,
        baseDelayMs: 100,
        maxDelayMs: 3000,
        random: () => r,
        ...clock,
      });
      const bounds = [100, 200, 400, 800, 1600, 3000, 3000, 3000];
      expect(clock.sleeps).toEqual(bounds.map((b) => Math.floor(r * b)));
      clock.sleeps.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(bounds[i]);
      });
    }
  });

  it("uses base 200 ms and cap 5 s by default", async () => {
    const clock = fakeClock();
    const f = failing(...Array.from({ length: 7 }, () => cloudError("busy")));
    await withRetry(f.fn, { deadlineMs: 1e9, random: () => 0.999999, ...clock });
    expect(clock.sleeps).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
  });

  it("gives up with the last error once the deadline has passed", async () => {
    const clock = fakeClock();
    const errors = Array.from({ length: 100 }, (_, i) => cloudError("throttled", `Throttling.${i}`));
    const f = failing(...errors);
    const retries: number[] = [];
    const p = withRetry(f.fn, {
      deadlineMs: 10_000,
      baseDelayMs: 1000,
      maxDelayMs: 4000,
      random: () => 0.999999,
      onRetry: (_e, attempt) => retries.push(attempt),
      ...clock,
    });
    const thrown = await p.catch((e: unknown) => e);
    expect(thrown).toBe(errors[4]);
    // Slept 999 + 1999 + 3999 = 6997, then at most the remaining 3003; no sleep ever crosses the deadline.
    expect(clock.sleeps).toEqual([999, 1999, 3999, 3003]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(f.attempts).toEqual([0, 1, 2, 3, 4]);
    expect(retries).toEqual([1, 2, 3, 4]);
  });

  it("counts the time spent inside attempts against the deadline", async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    const p = withRetry(
      async (attempt) => {
        attempts.push(attempt);
        clock.advance(4_000); // a slow call that then fails
        throw cloudError("transient");
      },
      { deadlineMs: 10_000, random: () => 0, ...clock },
    );
    await expect(p).rejects.toBeInstanceOf(CloudError);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("honours a custom retryable predicate", async () => {
    const clock = fakeClock();
    const f = failing(new Error("flaky"));
    await expect(withRetry(f.fn, { deadlineMs: 1000, retryable: () => true, ...clock })).resolves.toBe("ok");
    expect(f.attempts).toEqual([0, 1]);
  });
});

describe("waitFor", () => {
  type State = { status: string };
  const reader = (...values: Array<State | Error>) => {
    let i = 0;
    const fn = async (): Promise<State> => {
      const v = values[Math.min(i, values.length - 1)];
      i++;
      if (v instanceof Error) throw v;
      return v;
    };
    return { fn, reads: () => i };
  };
  const done = (s: State): boolean => s.status === "active";
  const describe_ = (s: State): string => `status ${s.status}`;

  it("returns once done holds on N consecutive reads, restarting the count on a miss", async () => {
    const clock = fakeClock();
    const r = reader(
      { status: "active" },
      { status: "updating" }, // eventual consistency: a stale read resets the streak
      { status: "active" },
      { status: "active" },
      { status: "active" },
      { status: "never-reached" },
    );
    const v = await waitFor(r.fn, done, describe_, {
      description: "VPN gateway vpn-1 to be active",
      timeoutMs: 60_000,
      consecutive: 3,
      ...clock,
    });
    expect(v).toEqual({ status: "active" });
    expect(r.reads()).toBe(5);
    expect(clock.sleeps).toHaveLength(4);
  });

  it("polls every quarter of the time waited, from intervalMs up to maxIntervalMs", async () => {
    const clock = fakeClock();
    const r = reader(...Array.from({ length: 14 }, () => ({ status: "updating" })), { status: "active" });
    await waitFor(r.fn, done, describe_, {
      description: "x",
      timeoutMs: 60_000,
      intervalMs: 100,
      maxIntervalMs: 300,
      ...clock,
    });
    expect(clock.sleeps).toEqual([100, 100, 100, 100, 100, 125, 157, 196, 245, 300, 300, 300, 300, 300]);
  });

  it("stops at once when failed() reports a state that never reaches the target", async () => {
    const clock = fakeClock();
    const r = reader({ status: "updating" }, { status: "failed" }, { status: "active" });
    await expect(
      waitFor(r.fn, done, describe_, {
        description: "x",
        timeoutMs: 60_000,
        failed: (s) => (s.status === "failed" ? "the gateway went to status failed" : undefined),
        ...clock,
      }),
    ).rejects.toThrow("the gateway went to status failed");
    expect(r.reads()).toBe(2);
  });

  it("times out with a message naming the description and the last state seen", async () => {
    const clock = fakeClock();
    const r = reader({ status: "updating" });
    const p = waitFor(r.fn, done, describe_, {
      description: "VPN gateway vpn-1 to be active",
      timeoutMs: 30_000,
      intervalMs: 1000,
      ...clock,
    });
    await expect(p).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(p).rejects.toThrow(
      /Timed out after 30s waiting for VPN gateway vpn-1 to be active \(last seen: status updating\)/,
    );
    await expect(p).rejects.toThrow(/timeoutSeconds/);
    // The last sleep starts before the timeout; nothing is read long after it.
    expect(clock.now() - 1_000_000).toBeLessThan(30_000 + 5_000);
  });

  it("tolerates retryable read errors and resets the streak on them", async () => {
    const clock = fakeClock();
    const r = reader(
      { status: "active" },
      cloudError("throttled", "Throttling.User"),
      { status: "active" },
      cloudError("transient", "ServiceUnavailable"),
      { status: "active" },
      { status: "active" },
    );
    await expect(
      waitFor(r.fn, done, describe_, { description: "x", timeoutMs: 60_000, consecutive: 2, ...clock }),
    ).resolves.toEqual({ status: "active" });
    expect(r.reads()).toBe(6);
  });

  it("reports the last retryable error when it times out on one", async () => {
    const clock = fakeClock();
    const r = reader(cloudError("busy", "VpnTask.CONFLICT"));
    await expect(
      waitFor(r.fn, done, describe_, { description: "gateway vpn-9", timeoutMs: 5_000, ...clock }),
    ).rejects.toThrow(/waiting for gateway vpn-9 \(last seen: .*VpnTask\.CONFLICT/);
  });

  it("surfaces non-retryable read errors at once", async () => {
    const clock = fakeClock();
    const err = cloudError("auth", "SignatureDoesNotMatch");
    const r = reader(err);
    await expect(
      waitFor(r.fn, done, describe_, { description: "x", timeoutMs: 60_000, ...clock }),
    ).rejects.toBe(err);
    expect(r.reads()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("waitLearned", () => {
  beforeEach(() => forgetProcessMemory("transition-ms"));

  /** A transition that ends `takesMs` after `clock`'s current time: reads before answer "updating". */
  const transition = (clock: ReturnType<typeof fakeClock>, takesMs: number) => {
    const endsAt = clock.now() + takesMs;
    const readsAt: number[] = [];
    const fn = async () => {
      readsAt.push(clock.now());
      return { status: clock.now() >= endsAt ? "active" : "updating" };
    };
    return { fn, readsAt };
  };
  const done = (s: { status: string }) => s.status === "active";
  const opts = (clock: ReturnType<typeof fakeClock>) => ({ description: "x", timeoutMs: 60_000, ...clock });
  /** Waits out a transition of `takesMs` on `key` starting now, so that its time is learnt. */
  const learn = (
    clock: ReturnType<typeof fakeClock>,
    key: string,
    takesMs: number,
    firstReadAfterMs?: number,
  ) =>
    waitLearned(
      { kind: "k", key, acceptedAt: clock.now(), firstReadAfterMs },
      transition(clock, takesMs).fn,
      done,
      String,
      opts(clock),
    );

  it("with nothing learnt, pauses firstReadAfterMs, then follows waitFor's schedule, and learns the time", async () => {
    const clock = fakeClock();
    const t = transition(clock, 1000);
    const at = clock.now();
    await waitLearned(
      { kind: "k", key: "gw-1", acceptedAt: at, firstReadAfterMs: 200 },
      t.fn,
      done,
      String,
      opts(clock),
    );
    expect(t.readsAt.map((x) => x - at)).toEqual([200, 400, 600, 800, 1000]);
    expect(expectedTransitionMs({ kind: "k", key: "gw-1" })).toBe(1000);
  });

  it("with nothing learnt at its start, takes the time another wait of the kind learns meanwhile", async () => {
    const clock = fakeClock();
    const at = clock.now();
    const t = transition(clock, 1000);
    let reads = 0;
    const read = async () => {
      // Another object's wait, started alongside, ends after this one's first read: its change took 1000 ms.
      if (reads++ === 0) await learn(fakeClock(), "gw-2", 1000);
      return t.fn();
    };
    await waitLearned(
      { kind: "k", key: "gw-1", acceptedAt: at, firstReadAfterMs: 200 },
      read,
      done,
      String,
      opts(clock),
    );
    // Without it: 200, 400, 600, 800, 1000.
    expect(t.readsAt.map((x) => x - at)).toEqual([200, 995, 1045]);
  });

  it("then reads first a tenth of a step before the learnt time and every twentieth of it after", async () => {
    const clock = fakeClock();
    await learn(clock, "gw-1", 1000);
    const at = clock.now();
    const t = transition(clock, 1020);
    await waitLearned({ kind: "k", key: "gw-1", acceptedAt: at }, t.fn, done, String, opts(clock));
    // A step is 50 ms (a twentieth of 1000), a tenth of it 5.
    expect(t.readsAt.map((x) => x - at)).toEqual([995, 1045]);
    expect(expectedTransitionMs({ kind: "k", key: "gw-1" })).toBe(1045);
  });

  it("reads twice as early each time after two first reads in a row found the transition done", async () => {
    const clock = fakeClock();
    await learn(clock, "gw-1", 1000);
    const firstReads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const at = clock.now();
      const t = transition(clock, 900);
      await waitLearned({ kind: "k", key: "gw-1", acceptedAt: at }, t.fn, done, String, opts(clock));
      firstReads.push(t.readsAt[0] - at);
    }
    // 5 ms (a tenth of a step) earlier than the last time, 5 again after one first read that found it done, then
    // 10, 20, 40 ms; the sixth was too early: read again every step (890, 940), and the seventh wait's first read
    // comes a tenth of a step before 940.
    expect(firstReads).toEqual([995, 990, 980, 960, 920, 840, 935]);
    expect(expectedTransitionMs({ kind: "k", key: "gw-1" })).toBe(935);
  });

  it("prefers what the object's own transitions took, else any object's of the kind, never another kind's", async () => {
    const clock = fakeClock();
    await learn(clock, "gw-1", 4000, 4000);
    // gw-2 has no time of its own: its first read comes a tenth of a step before gw-1's time.
    const at = clock.now();
    const second = transition(clock, 2000);
    await waitLearned({ kind: "k", key: "gw-2", acceptedAt: at }, second.fn, done, String, opts(clock));
    expect(second.readsAt.map((x) => x - at)).toEqual([3980]);
    expect(expectedTransitionMs({ kind: "k", key: "gw-1" })).toBe(4000);
    expect(expectedTransitionMs({ kind: "k", key: "gw-3" })).toBe(3980);
    expect(expectedTransitionMs({ kind: "other", key: "gw-1" })).toBeUndefined();
  });

  it("keeps a second of the budget for the reads when the learnt time exceeds it", async () => {
    const clock = fakeClock();
    await learn(clock, "gw-1", 10_000);
    clock.sleeps.length = 0;
    const p = waitLearned(
      { kind: "k", key: "gw-1", acceptedAt: clock.now() },
      transition(clock, 60_000).fn,
      done,
      String,
      {
        ...opts(clock),
        timeoutMs: 3000,
      },
    );
    await expect(p).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(clock.sleeps[0]).toBe(2000);
  });
});
