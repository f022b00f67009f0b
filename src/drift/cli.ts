#!/usr/bin/env node
// keylink-drift: in a Pulumi project, reads every resource of a stack from the cloud without writing the state,
// and prints per resource and field what differs (state → cloud). Exit 0: no drift, 1: drift, 2: not checked.
//
// It runs `pulumi refresh --preview-only` with an engine event log: the refresh reads the cloud through the
// providers, and --preview-only keeps the state as it is. The program is not run (--run-program=false), so
// neither the language host nor the program's dependencies are needed beyond the providers. `pulumi refresh`
// has no --show-secrets flag: its events carry every secret as "[secret]".
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseEventLog } from "./events";
import { renderJson, renderMarkdown, renderText } from "./render";
import { EXIT_NOT_CHECKED, exitCodeOf, reportFromEvents } from "./report";

export const HELP = `Usage: keylink-drift [--stack S] [--cwd DIR] [--json | --markdown]

Compares a Pulumi stack's state with the cloud and prints, per resource and field, what differs
(state → cloud). Secret values are shown as [secret]. The state is not changed.

Options:
  --stack S     the stack (default: the project's selected stack)
  --cwd DIR     the Pulumi project directory (default: the current directory)
  --json        a JSON report, for machines
  --markdown    a Markdown report (a table), e.g. for a CI job summary
  --help        show this help

Exit codes: 0 no drift, 1 drift found, 2 the check could not be made (the reason is on stderr).
The Pulumi CLI is taken from PATH; PULUMI_HOME, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE and the
providers' credentials are taken from the environment, as for any pulumi command.`;

export interface DriftOptions {
  stack?: string;
  cwd: string;
  format: "text" | "json" | "markdown";
  help: boolean;
}

export function parseDriftArgs(argv: string[]): DriftOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", short: "s" },
      cwd: { type: "string", short: "C" },
      json: { type: "boolean" },
      markdown: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.json && values.markdown) throw new Error("--json and --markdown cannot be used together");
  return {
    stack: values.stack,
    cwd: path.resolve(values.cwd ?? "."),
    format: values.json ? "json" : values.markdown ? "markdown" : "text",
    help: values.help ?? false,
  };
}

/** The `pulumi` arguments of the check; never --show-secrets (refresh has none) nor anything that writes. */
export function refreshArgs(opts: Pick<DriftOptions, "stack">, eventLog: string): string[] {
  return [
    "refresh",
    "--preview-only",
    "--run-program=false",
    "--non-interactive",
    "--color",
    "never",
    "--event-log",
    eventLog,
    ...(opts.stack ? ["--stack", opts.stack] : []),
  ];
}

interface Run {
  code: number;
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
}

function runPulumi(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    let stderr = "";
    // PULUMI_DEBUG_COMMANDS enables --event-log, as the Automation API does for its own event stream.
    const env = { ...process.env, PULUMI_DEBUG_COMMANDS: "true" };
    const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (s: string) => {
      // Only the tail is kept: it holds the CLI's own error when it stops before any engine event.
      stderr = (stderr + s).slice(-20_000);
    });
    child.on("error", (e: NodeJS.ErrnoException) => resolve({ code: -1, stderr, spawnError: e }));
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** The CLI's own reason when it failed, from its stderr: the `error:` lines, else the last lines. */
export function cliFailure(run: Run): string {
  if (run.spawnError) {
    return run.spawnError.code === "ENOENT"
      ? "the Pulumi CLI ('pulumi') is not on PATH: install it (https://www.pulumi.com/docs/install/) and run again"
      : `could not start the Pulumi CLI: ${run.spawnError.message}`;
  }
  const lines = run.stderr
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  const errors = lines.filter((l) => /^\s*error:/i.test(l)).map((l) => l.trim());
  const reason = (errors.length > 0 ? errors : lines.slice(-5)).join("\n");
  return `pulumi refresh --preview-only failed (exit code ${run.code})${reason ? `: ${reason}` : ""}`;
}

export async function runDrift(
  opts: DriftOptions,
): Promise<{ stdout: string; stderr: string; code: number }> {
  if (!fs.existsSync(opts.cwd)) {
    return {
      stdout: "",
      stderr: `keylink-drift: --cwd ${opts.cwd} does not exist\n`,
      code: EXIT_NOT_CHECKED,
    };
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-drift-"));
  try {
    const eventLog = path.join(tmp, "events.jsonl");
    const run = await runPulumi(refreshArgs(opts, eventLog), opts.cwd);
    const events = fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
    const report = reportFromEvents(events, run.code === 0 ? {} : { cliFailed: cliFailure(run) });
    if (!report.stack && opts.stack) report.stack = opts.stack;
    const code = exitCodeOf(report);
    const render =
      opts.format === "json" ? renderJson : opts.format === "markdown" ? renderMarkdown : renderText;
    const rendered = render(report);
    if (code !== EXIT_NOT_CHECKED) return { stdout: rendered, stderr: "", code };
    // Could not check: the reason goes to stderr; in text mode the whole report does (it starts with the reason).
    if (opts.format === "text") return { stdout: "", stderr: rendered, code };
    const reasons = report.errors.map((e) => `  ${e.replace(/\n/g, "\n  ")}\n`).join("");
    const stderr = `keylink-drift: could not check ${report.stack ? `stack ${report.stack}` : "the stack"}:\n${reasons}`;
    return { stdout: rendered, stderr, code };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let opts: DriftOptions;
  try {
    opts = parseDriftArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`keylink-drift: ${(e as Error).message}\n\n${HELP}\n`);
    process.exitCode = EXIT_NOT_CHECKED;
    return;
  }
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const result = await runDrift(opts);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`keylink-drift: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT_NOT_CHECKED;
  });
}
