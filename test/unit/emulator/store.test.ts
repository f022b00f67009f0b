import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorState, readStateFile, writeFileAtomic } from "../../../src/emulator/store";
import { fakeModels } from "../../support/fake-models";

describe("state file", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "keylink-store-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes atomically: the file is replaced whole and no temporary file stays behind", () => {
    const path = join(dir, "state.json");
    writeFileAtomic(path, '{"a":1}');
    writeFileAtomic(path, '{"a":2}');
    expect(readFileSync(path, "utf8")).toBe('{"a":2}');
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("deletes on load the temporary files a killed writer left behind, not those of a running writer", () => {
    const path = join(dir, "state.json");
    writeFileAtomic(path, JSON.stringify(new EmulatorState(Object.values(fakeModels())).toJSON()));
    // A writer killed between write and rename (pid 2^22 + 1 is above any pid Linux gives), this process's
    // own pid from an earlier life, a running writer (the parent process), and unrelated files.
    const dead = `.state.json.${2 ** 22 + 1}.1700000000000.tmp`;
    const own = `.state.json.${process.pid}.1700000000001.tmp`;
    const running = `.state.json.${process.ppid}.1700000000002.tmp`;
    for (const f of [dead, own, running, ".other.json.1.2.tmp", "state.json.bak"])
      writeFileSync(join(dir, f), "{");
    const s = new EmulatorState(Object.values(fakeModels()), { stateFile: path });
    expect(s.load()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      [".other.json.1.2.tmp", running, "state.json", "state.json.bak"].sort(),
    );
  });

  it("saves accounts, model state, clock offset and durations, and restores them in a new instance", () => {
    const path = join(dir, "state.json");
    const a = fakeModels();
    const s1 = new EmulatorState([a.alibabaVpc, a.tencentKms], {
      stateFile: path,
      durations: { fakeModify: 5 },
    });
    s1.loadFixtures({
      accounts: [{ accessKeyId: "ak2", secret: "sk2", account: "222" }],
      alibabaVpc: { things: [{ name: "gw-1" }] },
    });
    s1.clock.advance(60_000);
    s1.durations.set({ vpnGatewayUpdate: 10 });
    s1.save();

    const b = fakeModels();
    const s2 = new EmulatorState([b.alibabaVpc, b.tencentKms], { stateFile: path });
    expect(s2.load()).toBe(true);
    expect([...b.alibabaVpc.things.keys()]).toEqual(["gw-1"]);
    expect(s2.accounts.lookup("ak2")).toEqual({ accessKeyId: "ak2", secret: "sk2", account: "222" });
    expect(s2.accounts.lookup("test")?.secret).toBe("test");
    expect(s2.clock.offsetMs).toBe(60_000);
    expect(s2.durations.get("vpnGatewayUpdate")).toBe(10);
    expect(s2.durations.get("fakeModify")).toBe(5);
  });

  it("starts empty when the file does not exist", () => {
    const s = new EmulatorState(Object.values(fakeModels()), { stateFile: join(dir, "missing.json") });
    expect(s.load()).toBe(false);
  });

  it("names the file when it is corrupt or not an emulator state", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{not json");
    expect(() => readStateFile(bad)).toThrow(new RegExp(`state file ${bad} is not valid JSON`));
    writeFileSync(bad, JSON.stringify({ hello: "world" }));
    expect(() => readStateFile(bad)).toThrow(new RegExp(`state file ${bad} is not an emulator state`));
    writeFileSync(
      bad,
      JSON.stringify({ version: 1, accounts: "x", models: {}, clockOffsetMs: 0, durations: {} }),
    );
    const s = new EmulatorState(Object.values(fakeModels()), { stateFile: bad });
    expect(() => s.load()).toThrow(
      new RegExp(`state file ${bad} cannot be restored: accounts must be an array`),
    );
  });
});

describe("fixtures", () => {
  it("refuses unknown keys and names the field of a bad account", () => {
    const s = new EmulatorState(Object.values(fakeModels()));
    expect(() => s.loadFixtures({ alibabaVcp: {} })).toThrow(/unknown fixtures key "alibabaVcp"/);
    expect(() => s.loadFixtures({ accounts: [{ accessKeyId: "a", secret: "" }] })).toThrow(
      "fixtures.accounts[0].secret must be a non-empty string",
    );
    expect(() => s.loadFixtures([])).toThrow(/must be a JSON object/);
  });

  it("reset empties models and extra accounts but keeps durations", () => {
    const m = fakeModels();
    const s = new EmulatorState(Object.values(m), { durations: { fakeModify: 1 } });
    s.loadFixtures({
      accounts: [{ accessKeyId: "a", secret: "b", account: "c" }],
      tencentKms: { things: [{ name: "t" }] },
    });
    s.clock.advance(5);
    s.reset();
    expect(m.tencentKms.things.size).toBe(0);
    expect(s.accounts.lookup("a")).toBeUndefined();
    expect(s.clock.offsetMs).toBe(0);
    expect(s.durations.get("fakeModify")).toBe(1);
  });

  it("inventory lists each model and the accounts without secrets", () => {
    const s = new EmulatorState(Object.values(fakeModels()));
    const inv = s.inventory() as { emulator: { accounts: unknown[] }; alibabaVpc: unknown };
    expect(inv.alibabaVpc).toEqual({ things: [] });
    expect(inv.emulator.accounts).toEqual([{ accessKeyId: "test", account: "1234567890" }]);
    expect(JSON.stringify(inv)).not.toContain('"secret"');
  });
});
