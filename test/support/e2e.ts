// Shared set-up of the end-to-end suites: the real Pulumi CLI and its Node.js language host (scripts/engine.ts) on a
// copy of an example project in a temporary folder (with its stack config file, a local file backend and
// PULUMI_HOME), and an in-process emulator with the suite's fixtures.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { EmulatorFixtures } from "../../src/emulator/admin-client";
import {
  type ConfigValue,
  EXAMPLES_DIR,
  installPackageIntoExamples,
  openProject,
  type ProjectStack,
} from "../../scripts/engine";
import { credentialsConfig, useAccountInProcess } from "./accounts";

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

/** Credentials of a fixture account whose secrets are distinctive enough to be searched for. */
export const E2E_ACCOUNT = {
  accessKeyId: "AKIDkeylinkE2E",
  secret: "e2eAccessSecret-7Qv3Zr9WmX2p",
  account: "2100000000",
};

export interface E2E {
  emulator: RunningEmulator;
  stack: ProjectStack;
  workDir: string;
  /** Everything the CLI printed in this suite, for secret searches. */
  output: string[];
  /** Runs a step with the CLI's output captured. */
  onOutput: (s: string) => void;
}

/** A suite's running set-up with the reads every suite makes of it (the free functions below, bound to it). */
export interface E2ESuite extends E2E {
  /** `pulumi stack export`: the state as stored, secrets encrypted. */
  exportState(): Promise<string>;
  /** The writes the emulator answered since its log was last cleared. */
  writesSince(): Promise<string[]>;
  /** The message of an operation expected to fail, kept with the suite's output. */
  failureOf(p: Promise<unknown>): Promise<string>;
  /** Stops the emulator and removes the work folder (stopE2E). */
  stop(): Promise<void>;
}

export interface E2EOptions {
  /** A folder under examples/ (or, with projectDir, the name of the suite's own project). */
  example: string;
  /** A project of the suite's own, for a program that is no example. */
  projectDir?: string;
  fixtures?: EmulatorFixtures;
  config?: Record<string, ConfigValue>;
  durations?: Record<string, number>;
}

/**
 * Starts an emulator that knows the E2E account and a stack of `example` that uses it through stack config
 * (credentials as secrets), so suites also prove that credentials from config never reach state or output.
 */
export async function startE2E(opts: E2EOptions): Promise<E2ESuite> {
  installPackageIntoExamples();
  const emulator = await startEmulator({
    port: 0,
    fixtures: { accounts: [E2E_ACCOUNT], ...(opts.fixtures ?? {}) },
    durations: {
      vpnGatewayUpdate: 300,
      macsecTransition: 200,
      replicaCreate: 200,
      ...(opts.durations ?? {}),
    },
  });
  useEmulatorAsE2E(emulator.url);
  const { stack, workDir } = await openE2EStack({
    projectDir: opts.projectDir ?? path.join(EXAMPLES_DIR, opts.example),
    name: opts.example,
    stackName: "e2e",
    emulatorUrl: emulator.url,
    config: opts.config,
  }).catch(async (e: unknown) => {
    // Nothing else would stop the emulator: the suite's afterAll gets no E2E.
    await emulator.close();
    throw e;
  });
  const output: string[] = [];
  const e2e: E2E = { emulator, stack, workDir, output, onOutput: (s) => output.push(s) };
  return {
    ...e2e,
    exportState: () => exportState(e2e),
    writesSince: () => writesSince(e2e),
    failureOf: (p) => failureOf(e2e, p),
    stop: () => stopE2E(e2e),
  };
}

/** Our own clients, used for out-of-band changes, talk to the emulator at `url` as the E2E account. */
export function useEmulatorAsE2E(url: string): void {
  useAccountInProcess(url, E2E_ACCOUNT);
}

/**
 * A stack of a project in a work folder of its own (its own file backend, as another CI job has), using the E2E
 * account through stack config (credentials as secrets) and the emulator at `emulatorUrl` (or a proxy in front
 * of it). Several can run at once against one emulator.
 */
export async function openE2EStack(opts: {
  projectDir: string;
  /** Names the work folder. */
  name: string;
  stackName: string;
  emulatorUrl: string;
  config?: Record<string, ConfigValue>;
}): Promise<{ stack: ProjectStack; workDir: string }> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `keylink-e2e-${opts.name}-`));
  try {
    const stack = await openProject({
      projectDir: opts.projectDir,
      stackName: opts.stackName,
      workDir,
      emulatorUrl: opts.emulatorUrl,
      config: { ...credentialsConfig(E2E_ACCOUNT), ...(opts.config ?? {}) },
    });
    return { stack, workDir };
  } catch (e) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
}

export async function stopE2E(e2e: E2E | undefined): Promise<void> {
  if (!e2e) return;
  await e2e.emulator.close();
  fs.rmSync(e2e.workDir, { recursive: true, force: true });
}

/** `pulumi stack export`: the state as stored, secrets encrypted. */
export function exportState(e2e: E2E): Promise<string> {
  return e2e.stack.exportState();
}

interface StateResource {
  type: string;
  urn: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The resources of one type in an exported state. */
export function resourcesOfType(exported: string, type: string): StateResource[] {
  const resources = (JSON.parse(exported) as { deployment: { resources?: StateResource[] } }).deployment
    .resources;
  return (resources ?? []).filter((r) => r.type === `pulumi-nodejs:dynamic/keylink:${type}`);
}

export { expectNoSecrets } from "./secrets";

/** The writes (non-read actions) the emulator answered since its log was last cleared. */
export async function writesSince(e2e: E2E): Promise<string[]> {
  const report = await e2e.emulator.admin.requests();
  return report.entries.map((e) => e.action).filter((a) => !/^(Describe|List|Get|Query)/.test(a));
}

/** The message of an operation expected to fail (kept with the suite's output for secret searches). */
export async function failureOf(e2e: E2E, p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const text = String((e as Error).message);
    e2e.output.push(text);
    return text;
  }
  throw new Error("expected the CLI to fail");
}

/** The messages of the warnings in `pulumi ... --json` output (one JSON document, or one event per line). */
export function jsonWarnings(stdout: string): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.severity === "warning" && typeof o.message === "string") found.push(o.message);
      Object.values(o).forEach(visit);
    }
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const whole = parse(stdout);
  if (whole !== undefined) visit(whole);
  else for (const line of stdout.split("\n")) visit(parse(line));
  return found;
}
