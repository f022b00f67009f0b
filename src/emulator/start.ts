// Starting an emulator from a list of models. index.ts adds the default models.
import { readFileSync } from "node:fs";
import { EmulatorAdmin } from "./admin-client";
import type { LogEntry } from "./request-log";
import { EmulatorCore } from "./server";
import type { ServiceModel } from "./types";

export const DEFAULT_PORT = 4577;
export const DEFAULT_HOST = "127.0.0.1";

export interface EmulatorOptions {
  /** Default 4577; 0 picks a free port. */
  port?: number;
  host?: string;
  /** JSON state file, loaded at start when it exists and rewritten atomically after every change. */
  stateFile?: string;
  /** Fixtures object, or the path of a JSON file; applied at start (unless a state file was loaded) and on reset. */
  fixtures?: object | string;
  /** Durations of asynchronous transitions in ms, e.g. {vpnGatewayUpdate: 100}. */
  durations?: Record<string, number>;
  /** Request body cap in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  onRequest?: (entry: LogEntry) => void;
  /** Unexpected exceptions (model bugs); by default written to stderr. */
  onInternalError?: (err: unknown, info: { requestId: string; action: string }) => void;
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:4577. */
  url: string;
  port: number;
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

export function readFixturesFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the emulator fixtures file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`The emulator fixtures file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

function printInternalError(err: unknown, info: { requestId: string; action: string }): void {
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    `[keylink-emulator] internal error in ${info.action || "?"} (request ${info.requestId}): ${detail}\n`,
  );
}

export async function launchEmulator(
  models: ServiceModel[],
  opts: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const fixtures = typeof opts.fixtures === "string" ? readFixturesFile(opts.fixtures) : opts.fixtures;
  const core = new EmulatorCore({
    models,
    stateFile: opts.stateFile,
    fixtures,
    durations: opts.durations,
    maxBodyBytes: opts.maxBodyBytes,
    onRequest: opts.onRequest,
    onInternalError: opts.onInternalError ?? printInternalError,
  });
  core.init();
  const host = opts.host ?? DEFAULT_HOST;
  const port = await core.listen(opts.port ?? DEFAULT_PORT, host);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { url, port, close: () => core.close(), admin: new EmulatorAdmin(url) };
}
