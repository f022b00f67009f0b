// Runs the real Pulumi CLI in a project directory (examples/yaml, examples/python) that uses the
// pulumi-resource-keylink plugin: a local file backend, PULUMI_HOME and the stack's config file in a temporary
// folder, so that nothing is written into the project directory.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PASSPHRASE = "keylink-plugin-passphrase";

/**
 * Folders for PATH, `pulumi` (scripts/pulumi-cli.sh) first, then the language host (scripts/language-hosts.sh)
 * and, for Python, the virtual environment with `pulumi` and the SDK (scripts/python-env.sh).
 */
export function toolsBin(language: "yaml" | "python"): string[] {
  const run = (script: string, ...args: string[]) =>
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", script), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  const tools = language === "yaml" ? [run("language-hosts.sh", "yaml")] : run("python-env.sh").split(":");
  return [...new Set([run("pulumi-cli.sh"), ...tools])];
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `configFile: false` for commands without --config-file, `stack: false` for those without --stack too. */
export interface RunOptions {
  configFile?: boolean;
  stack?: boolean;
}

export interface Project {
  dir: string;
  workDir: string;
  stack: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  /** Everything the CLI printed, for secret searches. */
  output: string[];
  /** `pulumi <args> --stack <stack> --non-interactive` in the project directory. */
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** Like run, but throws (with the output) unless the CLI succeeds. */
  ok(args: string[], opts?: RunOptions): Promise<string>;
  close(): void;
}

/**
 * The CLI's environment: no keylink setting or cloud credential from this process (the stack's config is the
 * only source, as for a user), the tools' folder first on PATH.
 */
function cliEnv(bins: string[], workDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(KEYLINK_|ALIBABA_CLOUD_|ALICLOUD_|VOLCENGINE_|TENCENTCLOUD_|PULUMI_)/.test(k),
    ),
  );
  const home = path.join(workDir, "pulumi-home");
  const state = path.join(workDir, "state");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(state, { recursive: true });
  return {
    ...base,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
    PATH: [...bins, process.env.PATH ?? ""].join(path.delimiter),
  };
}

export async function openProject(opts: {
  dir: string;
  bins: string[];
  config: Record<string, { value: string; secret?: boolean }>;
  env?: NodeJS.ProcessEnv;
}): Promise<Project> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `keylink-${path.basename(opts.dir)}-`));
  const stack = "e2e";
  const configFile = path.join(workDir, `Pulumi.${stack}.yaml`);
  const env = cliEnv(opts.bins, workDir, opts.env ?? {});
  const output: string[] = [];
  const pulumi = path.join(opts.bins[0], "pulumi");
  const run = (args: string[], o: RunOptions = {}) =>
    new Promise<CliResult>((resolve) => {
      const full = [...args, "--non-interactive"];
      if (o.stack !== false) full.push("--stack", stack);
      if (o.stack !== false && o.configFile !== false) full.push("--config-file", configFile);
      execFile(pulumi, full, { cwd: opts.dir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        output.push(stdout, stderr);
        resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : 1) : 0 });
      });
    });
  const ok = async (args: string[], o?: RunOptions) => {
    const r = await run(args, o);
    if (r.code !== 0)
      throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const p: Project = {
    dir: opts.dir,
    workDir,
    stack,
    configFile,
    env,
    output,
    run,
    ok,
    close: () => fs.rmSync(workDir, { recursive: true, force: true }),
  };
  await ok(["stack", "init"], { configFile: false });
  for (const [key, v] of Object.entries(opts.config)) {
    await ok(["config", "set", key, v.value, ...(v.secret ? ["--secret"] : ["--plaintext"])]);
  }
  return p;
}
