// Drives the real Pulumi CLI for the demo, the end-to-end tests and the benchmark.
// The Node.js language host cannot be built from the Go module proxy, so programs run inline through the
// Automation API: the CLI talks to a language server in this process and needs only the `pulumi` binary and
// the dynamic-provider launcher. Examples consume the package as users do: the packed tarball installed
// into examples/node_modules, so the provider is serialized as a require() of the package.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");
const CACHE_DIR = path.join(REPO_ROOT, ".cache");
export const PASSPHRASE = "keylink-local-passphrase";

let cliBinDir: string | undefined;

/** Finds or builds the Pulumi CLI (see scripts/pulumi-cli.sh) and returns the folder holding it. */
export function ensurePulumiCli(): string {
  if (!cliBinDir) {
    cliBinDir = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  }
  return cliBinDir;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Packs the built package (dist/) and installs the tarball into examples/node_modules, unless the installed
 * copy is already newer than dist. @pulumi/pulumi is a peer dependency and is not installed there, so the
 * examples share the one SDK instance of the repository (the inline program and the resources must agree).
 */
export function installPackageIntoExamples(): void {
  withFileLock(path.join(CACHE_DIR, "examples-install.lock"), installUnlocked);
}

/** Cross-process mutual exclusion (test workers install concurrently); a lock older than 10 minutes is stale. */
function withFileLock(lockFile: string, fn: () => void): void {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) fs.rmSync(lockFile, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function installUnlocked(): void {
  const dist = path.join(REPO_ROOT, "dist");
  if (!fs.existsSync(path.join(dist, "index.js")))
    throw new Error("dist/ is missing: run 'npm run build' first");
  const installed = path.join(EXAMPLES_DIR, "node_modules", "pulumi-keylink", "dist");
  if (fs.existsSync(installed) && newestMtime(installed) >= newestMtime(dist)) return;
  const packDir = path.join(CACHE_DIR, "pack");
  fs.rmSync(packDir, { recursive: true, force: true });
  fs.mkdirSync(packDir, { recursive: true });
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop() as string;
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--legacy-peer-deps",
      "--no-audit",
      "--no-fund",
      path.join(packDir, tarball),
    ],
    { cwd: EXAMPLES_DIR, stdio: ["ignore", "ignore", "inherit"] },
  );
}

export interface StackOptions {
  /** Folder under examples/ whose index.ts exports the program. */
  example: string;
  stackName: string;
  /** Work folder for Pulumi.yaml, stack config, the file backend and PULUMI_HOME. */
  workDir: string;
  emulatorUrl: string;
  /** Extra stack config (namespace included, e.g. "demo:psk"); `secret` values are stored encrypted. */
  config?: Record<string, { value: string; secret?: boolean }>;
  /** The program; defaults to the example's. */
  program?: () => Promise<Record<string, unknown>>;
}

export interface OpenedStack {
  stack: Stack;
  /** Runs the CLI itself (e.g. `stack export`, which unlike Automation's exportStack keeps secrets encrypted). */
  cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  env: Record<string, string>;
}

/**
 * Loads an example's program: its index.ts does `export = async () => outputs`, the form Pulumi's Node.js
 * runtime also runs directly. TypeScript is compiled by the caller's loader (ts-jest or ts-node).
 */
export function exampleProgram(example: string): () => Promise<Record<string, unknown>> {
  return require(path.join(EXAMPLES_DIR, example)) as () => Promise<Record<string, unknown>>;
}

let engineDisconnectsIgnored = false;

/**
 * When a run fails (e.g. a check failure at preview), the CLI exits while the inline program's last
 * registrations are still in flight. The Pulumi runtime reads gRPC UNAVAILABLE or CANCELLED there as "the
 * resource monitor is terminating" but still rejects the promise, unhandled, in this process. The CLI has
 * already reported the real outcome, so exactly those rejections are dropped; any other one still crashes.
 */
function ignoreEngineDisconnects(): void {
  if (engineDisconnectsIgnored) return;
  engineDisconnectsIgnored = true;
  process.on("unhandledRejection", (reason) => {
    const code = (reason as { code?: unknown } | undefined)?.code;
    if (code === 14 || code === 1) return; // grpc.status.UNAVAILABLE, grpc.status.CANCELLED
    throw reason;
  });
}

export async function openStack(opts: StackOptions): Promise<OpenedStack> {
  ignoreEngineDisconnects();
  const bin = ensurePulumiCli();
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  const home = path.join(opts.workDir, "pulumi-home");
  const backend = path.join(opts.workDir, "state");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(backend, { recursive: true });
  const env: Record<string, string> = {
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The provider plugin runs in the example's folder and must find the installed package there.
    PATH: `${bin}:${process.env.PATH ?? ""}`,
  };
  const exampleDir = path.join(EXAMPLES_DIR, opts.example);
  const projectName = `keylink-${opts.example}`;
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName, program: opts.program ?? exampleProgram(opts.example) },
    {
      workDir: opts.workDir,
      pulumiCommand,
      pulumiHome: home,
      envVars: env,
      // `main` sets the dynamic-provider plugin's working folder: it must resolve pulumi-keylink from there.
      projectSettings: {
        name: projectName,
        runtime: "nodejs",
        main: exampleDir,
        backend: { url: env.PULUMI_BACKEND_URL },
      },
    },
  );
  await stack.setConfig("keylink:target", { value: "emulator" });
  await stack.setConfig("keylink:emulatorUrl", { value: opts.emulatorUrl });
  for (const [key, v] of Object.entries(opts.config ?? {})) await stack.setConfig(key, v);
  const cli = (args: string[]) =>
    new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      execFile(
        path.join(bin, "pulumi"),
        [...args, "--stack", opts.stackName, "--non-interactive"],
        { cwd: opts.workDir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ stdout, stderr, code });
        },
      );
    });
  return { stack, cli, env };
}
