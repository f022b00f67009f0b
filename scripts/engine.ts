// Drives the real Pulumi CLI for the demo, the end-to-end, plugin and reliability suites and the benchmark, as a
// user does: a Pulumi project (Pulumi.yaml and its program: index.ts run by the Node.js language host, or a YAML
// or Python program through the provider plugin, see languageTools) with the CLI's own commands,
// `pulumi config set [--secret]`, `pulumi preview`, `pulumi up` (its preview included), `pulumi refresh`,
// `pulumi destroy`. Every run works on a copy of the project in its own work folder, which also holds the stack
// config file (Pulumi.<stack>.yaml), the file backend and PULUMI_HOME, so nothing is written into the
// repository's project folders (`pulumi stack init` writes the stack file beside Pulumi.yaml, and no flag moves
// it). A Node.js copy's node_modules links to examples/node_modules, where the packed
// package is installed once, as a user's project has it (Pulumi then serializes each resource's provider as a
// require() of the package), next to a link to the repository's @pulumi/pulumi: the program, the dynamic
// providers and this process resolve one copy of the SDK.
import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");
const CACHE_DIR = path.join(REPO_ROOT, ".cache");
export const PASSPHRASE = "keylink-local-passphrase";
const LANGUAGE_HOST = "pulumi-language-nodejs";

let cliBinDir: string | undefined;

/**
 * Finds or builds the Pulumi CLI and the Node.js language host (see scripts/pulumi-cli.sh) and returns the
 * folder holding the CLI.
 */
export function ensurePulumiCli(): string {
  if (!cliBinDir) {
    cliBinDir = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  }
  return cliBinDir;
}

/**
 * The PATH the CLI runs with: its own folder first (the language host and the provider launcher are there), then
 * `tools` (see languageTools).
 */
function cliPath(bin: string, tools: string[] = []): string {
  return [bin, ...tools, ...(process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "")].join(
    path.delimiter,
  );
}

/**
 * The folders a YAML or Python project needs on PATH besides the CLI's: the language host
 * (scripts/language-hosts.sh) and, for Python, the virtual environment with `pulumi` and the generated SDK
 * (scripts/python-env.sh).
 */
export function languageTools(language: "yaml" | "python"): string[] {
  const run = (script: string, ...args: string[]) =>
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", script), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  return language === "yaml" ? [run("language-hosts.sh", "yaml")] : run("python-env.sh").split(":");
}

/** The Node.js language host the CLI will start (it looks beside itself, then on PATH), if there is one. */
export function findLanguageHost(bin: string): string | undefined {
  for (const dir of cliPath(bin).split(path.delimiter)) {
    const candidate = path.join(dir, LANGUAGE_HOST);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** The language host, or an error that says what to install. */
export function requireLanguageHost(bin: string): string {
  const host = findLanguageHost(bin);
  if (host) return host;
  throw new Error(
    `no Pulumi Node.js language host (${LANGUAGE_HOST}) beside the CLI in ${bin} or on PATH: the projects under ` +
      `examples/ cannot run. Install the Pulumi CLI with its language hosts (https://www.pulumi.com/docs/install/), ` +
      `or provide Pulumi's source of it in ../shared/vendor/${LANGUAGE_HOST}-v3.259.0 (or KEYLINK_VENDOR_DIR) ` +
      `with Go >= 1.25, and run 'bash scripts/pulumi-cli.sh' to build it.`,
  );
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
 * copy is already newer than dist, then links the repository's @pulumi/pulumi there: it is a peer dependency,
 * and a second copy would split the SDK's runtime state between the program and the providers.
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
  const modules = path.join(EXAMPLES_DIR, "node_modules");
  const installed = path.join(modules, "pulumi-keylink", "dist");
  if (!fs.existsSync(installed) || newestMtime(installed) < newestMtime(dist)) {
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
        "--loglevel=error",
        path.join(packDir, tarball),
      ],
      { cwd: EXAMPLES_DIR, stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  // npm removes what it did not install, so the link is checked after every install.
  const sdkLink = path.join(modules, "@pulumi", "pulumi");
  const sdk = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");
  if (realpathOrUndefined(sdkLink) !== sdk) {
    fs.rmSync(sdkLink, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(sdkLink), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(sdkLink), sdk), sdkLink, "dir");
  }
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------------ projects

export interface ConfigValue {
  value: string;
  secret?: boolean;
}

export interface ProjectOptions {
  /** The project folder (Pulumi.yaml, index.ts): examples/<name>, or a test's own project. */
  projectDir: string;
  stackName: string;
  /** Work folder for the copy of the project (with its stack config file), the file backend and PULUMI_HOME. */
  workDir: string;
  /** Set as keylink:emulatorUrl (with keylink:target "emulator"); omitted for a project that configures its own. */
  emulatorUrl?: string;
  /** Extra stack config (namespace included, e.g. "demo:psk"); `secret` values are stored encrypted. */
  config?: Record<string, ConfigValue>;
  /** Folders on PATH after the CLI's, for a project of another language (see languageTools). */
  tools?: string[];
  /**
   * The CLI gets none of this process's keylink settings, cloud credentials or Pulumi variables: the stack's
   * config is the only source, as for a user.
   */
  isolated?: boolean;
  /** Everything every command prints (for secret searches). */
  onOutput?: (text: string) => void;
}

/** Options of one command: its standard input; `stack: false` for a command that takes no --stack. */
export interface CommandOptions {
  onOutput?: (text: string) => void;
  input?: string;
  stack?: boolean;
  /** Variables added to this command's environment. */
  env?: Record<string, string>;
}

/** What a CLI command printed, and its exit code. */
export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** A CLI command that exited non-zero; its message holds everything the command printed. */
export class CliError extends Error {
  constructor(
    readonly command: string,
    readonly result: CliResult,
  ) {
    super(
      `'${command}' exited with code ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}

export interface OperationOptions {
  /** Each chunk the CLI prints on stdout or stderr, as it prints it. */
  onOutput?: (text: string) => void;
  /** Each engine event, as the CLI writes it to its event log. */
  onEvent?: (event: EngineEvent) => void;
  /** --refresh: read the cloud first. */
  refresh?: boolean;
  /** --diff: show every changed property. */
  diff?: boolean;
  /** --parallel N */
  parallel?: number;
  /** -v N: the engine's and the plugins' log level. */
  logVerbosity?: number;
  /** --logtostderr */
  logToStdErr?: boolean;
  /** --logflow: plugins log at the same level. */
  logFlow?: boolean;
  /** --debug */
  debug?: boolean;
  /** Variables added to the CLI's environment for this operation (PULUMI_SKIP_CHECKPOINTS, say). */
  env?: Record<string, string>;
}

export interface PreviewOptions extends OperationOptions {
  /** --expect-no-changes: the CLI exits non-zero when the preview proposes a change. */
  expectNoChanges?: boolean;
}

export type ChangeSummary = Partial<Record<OpType, number>>;

export interface PreviewResult {
  stdout: string;
  stderr: string;
  changeSummary: ChangeSummary;
}

export interface UpdateResult {
  stdout: string;
  stderr: string;
  /** From the update's summary event: the changes per operation, and "succeeded" (or why not). */
  summary: { resourceChanges: ChangeSummary; result?: string };
}

export type OutputMap = Record<string, { value: unknown; secret: boolean }>;

export interface UpResult extends UpdateResult {
  outputs: OutputMap;
}

/** The engine's summary event, with the outcome that @pulumi/pulumi's type leaves out. */
interface SummaryEvent {
  resourceChanges?: ChangeSummary;
  /** "succeeded", "failed", ... */
  result?: string;
}

/**
 * Reads a CLI event log while the CLI writes it (one JSON event per line). The CLI truncates the file when
 * `up`, `refresh` or `destroy` moves from its preview to the update, so the reader starts over then.
 */
class EventLogReader {
  private offset = 0;
  private partial = "";
  private timer: NodeJS.Timeout;
  /** The last summary event: the update's (the preview's for `pulumi preview`). */
  summary?: SummaryEvent;

  constructor(
    private readonly file: string,
    private readonly onEvent?: (event: EngineEvent) => void,
  ) {
    this.timer = setInterval(() => this.poll(), 100);
  }

  poll(): void {
    let text: string;
    try {
      const fd = fs.openSync(this.file, "r");
      try {
        const size = fs.fstatSync(fd).size;
        if (size < this.offset) {
          this.offset = 0;
          this.partial = "";
        }
        const buffer = Buffer.alloc(size - this.offset);
        fs.readSync(fd, buffer, 0, buffer.length, this.offset);
        this.offset = size;
        text = buffer.toString("utf8");
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return; // Not created yet.
    }
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      let event: EngineEvent;
      try {
        event = JSON.parse(line) as EngineEvent;
      } catch {
        // A truncation between two polls that the file outgrew at once leaves one line cut at its start.
        continue;
      }
      if (event.summaryEvent) this.summary = event.summaryEvent as SummaryEvent;
      this.onEvent?.(event);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.poll();
  }
}

/** One stack of a project copy, driven through the CLI's own commands. */
export class ProjectStack {
  private runs = 0;

  private constructor(
    readonly name: string,
    /** The copy of the project that the CLI runs in. */
    readonly projectDir: string,
    readonly workDir: string,
    private readonly pulumi: string,
    /** The environment of every CLI command (the backend, PULUMI_HOME, the passphrase, PATH). */
    readonly env: Record<string, string>,
    /** Whether the commands run without this process's keylink, cloud and Pulumi variables (see isolated). */
    private readonly isolated: boolean,
    private readonly onAnyOutput?: (text: string) => void,
  ) {}

  /**
   * Copies the project into the work folder (again on every call, keeping its stack config file), selects or
   * creates the stack and sets the emulator's URL and the given config.
   */
  static async open(opts: ProjectOptions): Promise<ProjectStack> {
    const bin = ensurePulumiCli();
    const nodejs = projectRuntime(opts.projectDir) === "nodejs";
    if (nodejs) requireLanguageHost(bin);
    const projectDir = copyProject(opts.projectDir, opts.workDir, nodejs);
    const stack = new ProjectStack(
      opts.stackName,
      projectDir,
      opts.workDir,
      path.join(bin, "pulumi"),
      cliEnv(bin, opts.workDir, opts.tools),
      opts.isolated ?? false,
      opts.onOutput,
    );
    await stack.check(["stack", "select", "--create"]);
    if (opts.emulatorUrl !== undefined) {
      await stack.setConfig("keylink:target", { value: "emulator" });
      await stack.setConfig("keylink:emulatorUrl", { value: opts.emulatorUrl });
    }
    await stack.setAllConfig(opts.config ?? {});
    return stack;
  }

  /** Runs `pulumi <args> --stack <name> --non-interactive` in the project; never throws for an exit code. */
  cli(args: string[], opts: CommandOptions = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const stackArgs = opts.stack === false ? [] : ["--stack", this.name];
      const child = spawn(this.pulumi, [...args, ...stackArgs, "--non-interactive"], {
        cwd: this.projectDir,
        env: { ...(this.isolated ? isolatedEnv() : process.env), ...this.env, ...opts.env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      const stdout: string[] = [];
      const stderr: string[] = [];
      const printed = (into: string[]) => (d: Buffer) => {
        into.push(d.toString());
        opts.onOutput?.(d.toString());
        this.onAnyOutput?.(d.toString());
      };
      child.stdout.on("data", printed(stdout));
      child.stderr.on("data", printed(stderr));
      child.on("error", reject);
      child.on("close", (code, signal) =>
        resolve({ stdout: stdout.join(""), stderr: stderr.join(""), code: code ?? (signal ? 128 : 1) }),
      );
      child.stdin.end(opts.input ?? "");
    });
  }

  /** Runs a command and throws a CliError when it exits non-zero. */
  async check(args: string[], opts: CommandOptions = {}) {
    const result = await this.cli(args, opts);
    if (result.code !== 0) throw new CliError(`pulumi ${args.join(" ")}`, result);
    return result;
  }

  /**
   * `pulumi config set --secret key` or `--plaintext` (the CLI refuses a plain value whose key looks like a secret,
   * e.g. an access key id), the value on standard input (so it is not in the process list).
   */
  async setConfig(key: string, v: ConfigValue): Promise<void> {
    await this.check(["config", "set", v.secret ? "--secret" : "--plaintext", key], { input: v.value });
  }

  async setAllConfig(config: Record<string, ConfigValue>): Promise<void> {
    for (const [key, v] of Object.entries(config)) await this.setConfig(key, v);
  }

  async removeConfig(key: string): Promise<void> {
    await this.check(["config", "rm", key]);
  }

  /** The stack's config keys, secret values shown as "[secret]". */
  async getAllConfig(): Promise<Record<string, string>> {
    return JSON.parse((await this.check(["config", "--json"])).stdout);
  }

  /** `pulumi preview`; with expectNoChanges, asserts `--expect-no-changes`'s exit code (throws when not 0). */
  async preview(opts: PreviewOptions = {}): Promise<PreviewResult> {
    const extra = opts.expectNoChanges ? ["--expect-no-changes"] : [];
    const { result, summary } = await this.operation(["preview", ...extra], opts);
    return { stdout: result.stdout, stderr: result.stderr, changeSummary: summary };
  }

  /** `pulumi up --yes`, which runs its preview first like every user's `pulumi up`. */
  async up(opts: OperationOptions = {}): Promise<UpResult> {
    const { result, summary, outcome } = await this.operation(["up", "--yes"], opts);
    return {
      ...result,
      summary: { resourceChanges: summary, result: outcome },
      outputs: await this.outputs(),
    };
  }

  async refresh(opts: Omit<OperationOptions, "refresh"> = {}): Promise<UpdateResult> {
    const { result, summary, outcome } = await this.operation(["refresh", "--yes"], opts);
    return { ...result, summary: { resourceChanges: summary, result: outcome } };
  }

  async destroy(opts: Omit<OperationOptions, "refresh"> = {}): Promise<UpdateResult> {
    const { result, summary, outcome } = await this.operation(["destroy", "--yes"], opts);
    return { ...result, summary: { resourceChanges: summary, result: outcome } };
  }

  /** The stack outputs, each marked secret or not. */
  async outputs(): Promise<OutputMap> {
    const plain = JSON.parse((await this.check(["stack", "output", "--json", "--show-secrets"])).stdout);
    const masked = JSON.parse((await this.check(["stack", "output", "--json"])).stdout);
    return Object.fromEntries(
      Object.entries(plain as Record<string, unknown>).map(([k, value]) => [
        k,
        { value, secret: masked[k] === "[secret]" },
      ]),
    );
  }

  /** `pulumi stack export`: the state as stored, secrets encrypted. */
  async exportState(): Promise<string> {
    return (await this.check(["stack", "export"])).stdout;
  }

  /** `pulumi stack export --show-secrets`: the state with secrets decrypted, parsed. */
  async exportDecrypted(): Promise<{ deployment: Record<string, unknown> }> {
    return JSON.parse((await this.check(["stack", "export", "--show-secrets"])).stdout);
  }

  private async operation(
    args: string[],
    opts: OperationOptions,
  ): Promise<{ result: CliResult; summary: ChangeSummary; outcome?: string }> {
    const eventLog = path.join(this.workDir, `events-${process.pid}-${++this.runs}.jsonl`);
    const flags = [
      ...(opts.refresh ? ["--refresh"] : []),
      ...(opts.diff ? ["--diff"] : []),
      ...(opts.parallel !== undefined ? ["--parallel", String(opts.parallel)] : []),
      ...(opts.logVerbosity !== undefined ? ["-v", String(opts.logVerbosity)] : []),
      ...(opts.logToStdErr ? ["--logtostderr"] : []),
      ...(opts.logFlow ? ["--logflow"] : []),
      ...(opts.debug ? ["--debug"] : []),
      "--event-log",
      eventLog,
    ];
    const reader = new EventLogReader(eventLog, opts.onEvent);
    let result: CliResult;
    try {
      result = await this.cli([...args, ...flags], { onOutput: opts.onOutput, env: opts.env });
    } finally {
      reader.close();
      fs.rmSync(eventLog, { force: true });
    }
    if (result.code !== 0) throw new CliError(`pulumi ${[...args, ...flags].join(" ")}`, result);
    return { result, summary: reader.summary?.resourceChanges ?? {}, outcome: reader.summary?.result };
  }
}

/** Opens a stack of a project: see ProjectStack.open. */
export function openProject(opts: ProjectOptions): Promise<ProjectStack> {
  return ProjectStack.open(opts);
}

/** The environment of the CLI: a file backend and PULUMI_HOME in the work folder, no plugin downloads. */
export function cliEnv(bin: string, workDir: string, tools?: string[]): Record<string, string> {
  const home = path.join(workDir, "pulumi-home");
  const backend = path.join(workDir, "state");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(backend, { recursive: true });
  return {
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Makes --event-log available (the Automation API sets it too).
    PULUMI_DEBUG_COMMANDS: "true",
    // The language host only transpiles the programs: `npm run lint` type-checks them (tsconfig.json), and
    // type-checking on every run would cost seconds per program run (twice per `up`, which previews first).
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PATH: cliPath(bin, tools),
  };
}

/** This process's environment without keylink settings, cloud credentials and Pulumi variables. */
function isolatedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(KEYLINK_|ALIBABA_CLOUD_|ALICLOUD_|VOLCENGINE_|TENCENTCLOUD_|PULUMI_)/.test(k),
    ),
  );
}

/** The runtime a project's Pulumi.yaml names (`runtime: yaml` or `runtime: {name: python, ...}`). */
function projectRuntime(projectDir: string): string | undefined {
  const text = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
  return /^runtime:[ \t]*(?:\n[ \t]+name:[ \t]*)?(\w+)/m.exec(text)?.[1];
}

/**
 * Copies a project's own files (not its node_modules or stack config files) into workDir/<folder name>, with the
 * relative paths of its plugins (`path: ../../plugin`) made absolute, links a Node.js project's node_modules to
 * examples/node_modules and answers the copy. A stack config file already in the copy stays.
 */
export function copyProject(projectDir: string, workDir: string, nodejs = true): string {
  const copy = path.join(workDir, path.basename(projectDir));
  fs.mkdirSync(copy, { recursive: true });
  for (const entry of fs.readdirSync(projectDir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || /^Pulumi\..+\.ya?ml$/.test(entry.name)) continue;
    fs.cpSync(path.join(projectDir, entry.name), path.join(copy, entry.name), { recursive: true });
  }
  const project = path.join(copy, "Pulumi.yaml");
  fs.writeFileSync(
    project,
    fs
      .readFileSync(project, "utf8")
      .replace(
        /^(\s+path:\s*)(\.\.?\/\S*)$/gm,
        (_, key: string, rel: string) => key + path.resolve(projectDir, rel),
      ),
  );
  const modules = path.join(copy, "node_modules");
  if (nodejs && !fs.existsSync(modules))
    fs.symlinkSync(path.join(EXAMPLES_DIR, "node_modules"), modules, "dir");
  return copy;
}
