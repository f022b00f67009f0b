import { forgetProcessMemory } from "../../../src/common/process-memory";
import { type SharedReads, forgetSharedReads, sharedReads } from "../../../src/common/shared-reads";

// The table of reads shared for a short window by one process's callers (the listings and reads of check and of
// refresh): one read per key per window, in flight or answered; a failure is never kept; a write forgets them.

const WINDOW_MS = 2000;
const NAME = "test-shared-reads";
let now = 1_000_000;
const clock = () => now;

/** A read that counts its calls and answers when told. */
function reader<T>() {
  let calls = 0;
  const pending: Array<{ resolve: (v: T) => void; reject: (e: Error) => void }> = [];
  const load = () => {
    calls++;
    return new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return {
    load,
    calls: () => calls,
    answer: (v: T) => pending.shift()?.resolve(v),
    fail: (e: Error) => pending.shift()?.reject(e),
  };
}

/** The next read of "k" is not served from the table: it calls `load` once more, and gets that answer. */
async function expectNewRead(memo: SharedReads<string>, r: ReturnType<typeof reader<string>>, value: string) {
  expect(memo.fresh("k")).toEqual([]);
  const before = r.calls();
  const read = memo.read("k", r.load);
  expect(r.calls()).toBe(before + 1);
  r.answer(value);
  await expect(read).resolves.toBe(value);
}

beforeEach(() => {
  now = 1_000_000;
  forgetProcessMemory(`shared-reads.${NAME}`);
});

it("shares a read still in flight: two callers at once make one read and get the same answer", async () => {
  const memo = sharedReads<string>(NAME, WINDOW_MS, clock);
  const r = reader<string>();
  const a = memo.read("k", r.load);
  const b = memo.read("k", r.load);
  r.answer("gateway v1");
  await expect(Promise.all([a, b])).resolves.toEqual(["gateway v1", "gateway v1"]);
  expect(r.calls()).toBe(1);
});

it("serves the answer within the window and reads again once the window since the read was sent is over", async () => {
  const memo = sharedReads<string>(NAME, WINDOW_MS, clock);
  const r = reader<string>();
  const first = memo.read("k", r.load);
  r.answer("v1");
  await first;
  now += WINDOW_MS - 1;
  await expect(memo.read("k", r.load)).resolves.toBe("v1");
  expect(memo.fresh("k")).toEqual(["v1"]);
  now += 1;
  await expectNewRead(memo, r, "v2");
});

it("does not keep a failed read: every caller sharing it sees the failure, the next caller reads again", async () => {
  const memo = sharedReads<string>(NAME, WINDOW_MS, clock);
  const r = reader<string>();
  const a = memo.read("k", r.load);
  const b = memo.read("k", r.load);
  r.fail(new Error("Throttling"));
  await expect(a).rejects.toThrow("Throttling");
  await expect(b).rejects.toThrow("Throttling");
  await expectNewRead(memo, r, "v1");
});

it("keeps keys apart (another account, region or gateway), and fresh() lists only answers under the prefix", async () => {
  const memo = sharedReads<string>(NAME, WINDOW_MS, clock);
  const r = reader<string>();
  const keys = ["ep|AK1|cn-hangzhou|vpn-1", "ep|AK2|cn-hangzhou|vpn-1", "ep|AK1|cn-shanghai|vpn-1"];
  const reads = keys.map((k) => memo.read(k, r.load));
  expect(r.calls()).toBe(3);
  // Not answered yet: nothing is fresh.
  expect(memo.fresh("ep|AK1|")).toEqual([]);
  keys.forEach((k) => r.answer(k));
  await expect(Promise.all(reads)).resolves.toEqual(keys);
  expect(memo.fresh("ep|AK1|cn-hangzhou|")).toEqual(["ep|AK1|cn-hangzhou|vpn-1"]);
  expect(memo.fresh("ep|AK2|")).toEqual(["ep|AK2|cn-hangzhou|vpn-1"]);
});

it("is one table per name across the process: a second handle shares the first one's reads", async () => {
  const r = reader<string>();
  const a = sharedReads<string>(NAME, WINDOW_MS, clock).read("k", r.load);
  const b = sharedReads<string>(NAME, WINDOW_MS, clock).read("k", r.load);
  r.answer("v1");
  await expect(Promise.all([a, b])).resolves.toEqual(["v1", "v1"]);
  expect(r.calls()).toBe(1);
});

it("forgets the reads under a prefix (a write of this process changed them), and only those", async () => {
  const memo = sharedReads<string>(NAME, WINDOW_MS, clock);
  const r = reader<string>();
  const kept = memo.read("ep|AK1|cn-shanghai|vpn-1", r.load);
  const forgotten = memo.read("ep|AK1|cn-hangzhou|vpn-1", r.load);
  r.answer("shanghai");
  r.answer("hangzhou");
  await Promise.all([kept, forgotten]);
  memo.forget("ep|AK1|cn-hangzhou|");
  expect(memo.fresh("ep|AK1|")).toEqual(["shanghai"]);
  const again = memo.read("ep|AK1|cn-hangzhou|vpn-1", r.load);
  expect(r.calls()).toBe(3);
  r.answer("hangzhou, after the write");
  await expect(again).resolves.toBe("hangzhou, after the write");
});

it("forgets every shared read of the process at once (a new provider process, in tests)", async () => {
  const r = reader<string>();
  const first = sharedReads<string>(NAME, WINDOW_MS, clock).read("k", r.load);
  r.answer("v1");
  await first;
  forgetSharedReads();
  const second = sharedReads<string>(NAME, WINDOW_MS, clock).read("k", r.load);
  expect(r.calls()).toBe(2);
  r.answer("v2");
  await expect(second).resolves.toBe("v2");
});

it("amends answered reads with a write of this process, keeping their window, and forgets those in flight", async () => {
  const memo = sharedReads<string[]>(NAME, WINDOW_MS, clock);
  const r = reader<string[]>();
  const answered = memo.read("k|cn-hangzhou", r.load);
  r.answer(["key-1"]);
  await answered;
  const inFlight = memo.read("k|cn-shanghai", r.load);
  now += WINDOW_MS - 10;
  memo.amend("k|", (keys) => [...keys, "key-2"]);
  expect(memo.fresh("k|")).toEqual([["key-1", "key-2"]]);
  await expect(memo.read("k|cn-hangzhou", r.load)).resolves.toEqual(["key-1", "key-2"]);
  expect(r.calls()).toBe(2);
  // The one in flight is read again; its caller still gets its own answer.
  const again = memo.read("k|cn-shanghai", r.load);
  expect(r.calls()).toBe(3);
  r.answer(["key-9"]);
  await expect(inFlight).resolves.toEqual(["key-9"]);
  r.answer(["key-9", "key-2"]);
  await expect(again).resolves.toEqual(["key-9", "key-2"]);
  now += 10;
  expect(memo.fresh("k|cn-hangzhou")).toEqual([]);
});
