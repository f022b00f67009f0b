// keylink-drift's command line: its options, the Pulumi command it runs (read-only, never showing secrets) and
// the reason it gives when the CLI fails.
import * as path from "node:path";
import { cliFailure, parseDriftArgs, refreshArgs, runDrift } from "../../../src/drift/cli";

describe("keylink-drift options", () => {
  it("defaults to plain text in the current directory and the selected stack", () => {
    expect(parseDriftArgs([])).toEqual({ cwd: process.cwd(), format: "text", help: false, stack: undefined });
    expect(parseDriftArgs(["--stack", "prod", "--cwd", "infra", "--markdown"])).toEqual({
      stack: "prod",
      cwd: path.resolve("infra"),
      format: "markdown",
      help: false,
    });
    expect(parseDriftArgs(["--json"]).format).toBe("json");
  });

  it("refuses unknown options and two formats at once", () => {
    expect(() => parseDriftArgs(["--show-secrets"])).toThrow(/show-secrets/);
    expect(() => parseDriftArgs(["--json", "--markdown"])).toThrow(
      "--json and --markdown cannot be used together",
    );
  });

  it("runs a refresh that writes nothing, runs no program and has no way to show secrets", () => {
    const args = refreshArgs({ stack: "prod" }, "/tmp/events.jsonl");
    expect(args).toEqual([
      "refresh",
      "--preview-only",
      "--run-program=false",
      "--non-interactive",
      "--color",
      "never",
      "--event-log",
      "/tmp/events.jsonl",
      "--stack",
      "prod",
    ]);
    expect(refreshArgs({}, "x")).not.toContain("--stack");
  });
});

describe("the CLI's failure as a reason", () => {
  it("keeps the CLI's error lines, else its last lines", () => {
    expect(
      cliFailure({
        code: 255,
        stderr: "Previewing refresh (prod)\n\nerror: no stack named 'prod' found\n",
      }),
    ).toBe("pulumi refresh --preview-only failed (exit code 255): error: no stack named 'prod' found");
    expect(cliFailure({ code: 1, stderr: "a\nb\n" })).toBe(
      "pulumi refresh --preview-only failed (exit code 1): a\nb",
    );
  });

  it("says what to install when pulumi is not on PATH", () => {
    const enoent = Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
    expect(cliFailure({ code: -1, stderr: "", spawnError: enoent })).toMatch(
      /'pulumi'\) is not on PATH: install it/,
    );
  });

  it("exits 2 for a project directory that does not exist", async () => {
    const r = await runDrift({ cwd: "/nonexistent/keylink", format: "text", help: false });
    expect(r).toEqual({
      stdout: "",
      stderr: "keylink-drift: --cwd /nonexistent/keylink does not exist\n",
      code: 2,
    });
  });
});
