// Starting and stopping: state file across restarts, fixtures files, the real service models, and the
// keylink-emulator command line.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../../src/emulator";
import { fakeModels } from "../../support/fake-models";
import { type Json, alibaba, popError, withoutProxies } from "../../support/emulator-clients";

let dir: string;
let restoreProxies: () => void;
beforeAll(() => (restoreProxies = withoutProxies()));
afterAll(() => restoreProxies());
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "keylink-emulator-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("state file", () => {
  it("keeps state across a restart, and is rewritten after each change", async () => {
    const stateFile = join(dir, "state.json");
    const first = await startEmulator({ port: 0, stateFile, models: Object.values(fakeModels()) });
    await alibaba(first.url).request("CreateThing", { Name: "kept" }, { method: "POST" });
    await first.admin.advanceClock(3600_000);
    await first.admin.loadFixtures({ accounts: [{ accessKeyId: "ak-s", secret: "sk-s", account: "333" }] });
    expect(JSON.parse(readFileSync(stateFile, "utf8")).models.alibabaVpc.things).toEqual([
      { name: "kept", account: "1234567890" },
    ]);
    await first.close();

    const second = await startEmulator({ port: 0, stateFile, models: Object.values(fakeModels()) });
    try {
      const r = await alibaba(second.url, { id: "ak-s", secret: "sk-s" }).request<Json>(
        "ListThings",
        {},
        { method: "POST" },
      );
      expect(r.Things).toEqual(["kept"]);
      expect((await second.admin.clock()).offsetMs).toBe(3600_000);
    } finally {
      await second.close();
    }
  });

  it("refuses to start on a corrupt state file, naming it", async () => {
    const stateFile = join(dir, "broken.json");
    writeFileSync(stateFile, "{ truncated");
    await expect(startEmulator({ port: 0, stateFile, models: Object.values(fakeModels()) })).rejects.toThrow(
      `The emulator state file ${stateFile} is not valid JSON`,
    );
  });

  it("applies startup fixtures from a file, and again on reset", async () => {
    const fixtures = join(dir, "fixtures.json");
    writeFileSync(fixtures, JSON.stringify({ tencentKms: { things: [{ name: "seeded" }] } }));
    const emu = await startEmulator({ port: 0, fixtures, models: Object.values(fakeModels()) });
    try {
      expect((await emu.admin.inventory<Json>()).tencentKms).toEqual({ things: ["seeded"] });
      await emu.admin.reset();
      expect((await emu.admin.inventory<Json>()).tencentKms).toEqual({ things: ["seeded"] });
    } finally {
      await emu.close();
    }
    await expect(startEmulator({ port: 0, fixtures: join(dir, "none.json"), models: [] })).rejects.toThrow(
      /Cannot read the emulator fixtures file/,
    );
  });
});

describe("the project's service models", () => {
  it("are registered by default under their fixture keys", async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const inv = await emu.admin.inventory<Json>();
      expect(Object.keys(inv).sort()).toEqual([
        "alibabaKms",
        "alibabaSts",
        "alibabaVpc",
        "emulator",
        "tencentKms",
        "tencentSts",
        "volcengineKms",
        "volcengineSts",
      ]);
    } finally {
      await emu.close();
    }
  });
});

describe("keylink-emulator command line", () => {
  const cli = join(__dirname, "../../../src/emulator/cli.ts");
  const run = (args: string[]): ChildProcessWithoutNullStreams =>
    spawn(process.execPath, ["-r", "ts-node/register/transpile-only", cli, ...args], {
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, "../../../tsconfig.json") },
    });

  /** Collects stdout lines; resolves when a line matches. */
  function waitForLine(
    child: ChildProcessWithoutNullStreams,
    pattern: RegExp,
    lines: string[],
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      let buffer = "";
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const line of parts) {
          lines.push(line);
          if (pattern.test(line)) {
            child.stdout.off("data", onData);
            resolve(line);
          }
        }
      };
      child.stdout.on("data", onData);
      child.once("exit", (code) =>
        reject(new Error(`exited with ${code} before ${pattern}: ${lines.join("\n")}`)),
      );
    });
  }

  function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  it("serves, logs one line per request without parameter values, and exits cleanly on SIGTERM", async () => {
    const stateFile = join(dir, "cli-state.json");
    const child = run(["--port", "0", "--state", stateFile]);
    const lines: string[] = [];
    const stderr: string[] = [];
    child.stderr.on("data", (c: Buffer) => stderr.push(c.toString()));
    const ready = await waitForLine(child, /listening on/, lines);
    const url = /listening on (http:\/\/\S+)/.exec(ready)?.[1] ?? "";

    const logged = waitForLine(child, /NoSuchAction/, lines);
    await popError(alibaba(url).request("NoSuchAction", { Psk: "cli-secret-value" }, { method: "POST" }));
    const line = await logged;
    expect(line).toMatch(/^\S+Z alibaba vpc NoSuchAction - 404 InvalidAction\.NotFound [\d.]+ms$/);
    expect(lines.join("\n")).not.toContain("cli-secret-value");

    const exited = exitCode(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr.join("")).toBe("");
    expect(JSON.parse(readFileSync(stateFile, "utf8")).version).toBe(1);
  }, 30_000);

  it("prints help, refuses bad options, and fails on a corrupt state file naming it", async () => {
    const stateFile = join(dir, "corrupt.json");
    writeFileSync(stateFile, "[");
    const [help, badPort, corrupt] = [
      run(["--help"]),
      run(["--port", "many"]),
      run(["--port", "0", "--state", stateFile]),
    ];
    const out: string[] = [];
    const err: string[] = [];
    help.stdout.on("data", (c: Buffer) => out.push(c.toString()));
    corrupt.stderr.on("data", (c: Buffer) => err.push(c.toString()));
    expect(await Promise.all([exitCode(help), exitCode(badPort), exitCode(corrupt)])).toEqual([0, 2, 1]);
    expect(out.join("")).toContain("Usage: keylink-emulator");
    expect(err.join("")).toContain(stateFile);
  }, 30_000);
});
