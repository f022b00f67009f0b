#!/usr/bin/env node
// keylink-emulator: runs the local cloud emulator until SIGINT or SIGTERM.
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import type { LogEntry } from "./request-log";
import { DEFAULT_HOST, DEFAULT_PORT } from "./start";

export const HELP = `Usage: keylink-emulator [options]

Local emulator of the Alibaba Cloud (VPC, KMS), Volcengine (KMS) and Tencent Cloud (KMS) APIs used by
pulumi-keylink. Built-in access key: id "test", secret "test", in every cloud.

Options:
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H          address to bind (default ${DEFAULT_HOST})
  --state FILE      keep state in FILE (JSON, rewritten atomically after every change; loaded at start)
  --fixtures FILE   JSON fixtures applied at start (when no state was loaded) and on reset
  --help            show this help

Admin API: /_emulator/{health,reset,fixtures,inventory,requests,faults,clock,durations}`;

export interface CliOptions {
  port: number;
  host: string;
  stateFile?: string;
  fixtures?: string;
  help: boolean;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      fixtures: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  return {
    port,
    host: values.host ?? DEFAULT_HOST,
    stateFile: values.state,
    fixtures: values.fixtures,
    help: values.help ?? false,
  };
}

/** One line per request: what was called and how it ended, never a parameter value. */
export function formatLogLine(e: LogEntry, now = new Date()): string {
  const outcome = e.code ? `${e.status} ${e.code}` : `${e.status}`;
  return `${now.toISOString()} ${e.cloud} ${e.service || "-"} ${e.action || "-"} ${e.region || "-"} ${outcome} ${e.ms}ms`;
}

export async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`keylink-emulator: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const emulator = await startEmulator({
    port: opts.port,
    host: opts.host,
    stateFile: opts.stateFile,
    fixtures: opts.fixtures,
    onRequest: (entry) => process.stdout.write(`${formatLogLine(entry)}\n`),
  });
  process.stdout.write(
    `keylink-emulator listening on ${emulator.url} (state: ${opts.stateFile ?? "in memory"})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await emulator.close();
  process.stdout.write("keylink-emulator stopped\n");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`keylink-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
