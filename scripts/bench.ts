// `npm run bench [-- --sizes 10,100,300] [--repeats N]`: measures the five resources through the real Pulumi CLI
// against the local cloud emulator with realistic latency and asynchronous durations, beside two stacks of the
// same resources: the floor (scripts/bench-floor-project: dynamic resources declared through the package's stub
// whose provider echoes its inputs, no network: what the engine, SDK and dynamic-provider host cost) and the
// provider plugin pulumi-resource-keylink (a generated Pulumi YAML project). Create, no-change preview, no-change
// up and refresh run on the three stacks interleaved (package, floor, plugin, package, ...; create once, the
// others --repeats times) and are reported as medians and as ratios to the floor; the refresh of the package's
// stack and the floor's is run again with the cloud answering at once and with --parallel 32. For each stack size
// it also reports the provider process's peak memory, the cloud API calls each operation made per resource type
// (writes and reads apart), the size of the state, and how close the VPN changes come to the floor set by one
// change at a time per gateway, with the given --parallel and with --parallel at least the number of VPN changes,
// beside the same change on the floor stack (whose provider takes each gateway's changes one at a time for the
// update time and does nothing else: what the engine allows). It prints tables and asserts nothing: the numbers
// depend on the machine. The tables go to .cache/bench/results.md, one row of figures per size to
// .cache/bench/results.json.
// Options: --parallel N (Pulumi's --parallel; default is the CLI's own), --chain-per-gateway (each VPN config
// dependsOn the previous one on its gateway), --requests-dir DIR (each operation's emulator request log as JSON).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import * as ts from "typescript";
import { type RunningEmulator, startEmulator } from "../src/emulator";
import type { FaultSpec } from "../src/emulator/faults";
import type { LogEntry } from "../src/emulator/request-log";
import {
  type ChangeSummary,
  EXAMPLES_DIR,
  type OperationOptions,
  REPO_ROOT,
  ensurePulumiCli,
  installPackageIntoExamples,
  openProject,
  requireLanguageHost,
} from "./engine";
import {
  type PlannedResource,
  type ResourceType,
  type StackPlan,
  TYPES,
  counts,
  describePlan,
  fixturesFor,
  planStack,
  stackResources,
} from "./bench-plan";

const RESULTS_FILE = path.join(REPO_ROOT, ".cache", "bench", "results.md");
const BENCH_PROJECT = path.join(__dirname, "bench-project");
const FLOOR_PROJECT = path.join(__dirname, "bench-floor-project");
const RESULTS_JSON = path.join(REPO_ROOT, ".cache", "bench", "results.json");

/** Asynchronous transitions as slow as a real cloud's fast path (the emulator's defaults are test-short). */
const DURATIONS = { vpnGatewayUpdate: 1000, macsecTransition: 500, replicaCreate: 500 };
/**
 * Latency on every cloud call: the emulator takes the first fault that hits, and each rule draws on its own
 * seeded schedule, so calls get 80 ms (25%), 55 ms (37.5%) or 30 ms (37.5%), mean 51 ms, the same every run.
 */
const LATENCY: FaultSpec[] = [
  { latencyMs: 80, probability: 0.25, seed: 11 },
  { latencyMs: 55, probability: 0.5, seed: 23 },
  { latencyMs: 30 },
];

/** Puts the bench's latency (LATENCY) on every call the emulator answers. */
async function addLatency(emulator: RunningEmulator): Promise<void> {
  for (const fault of LATENCY) await emulator.admin.injectFault(fault);
}

/** The Pulumi CLI's own --parallel when none is given: 4 × GOMAXPROCS, the machine's CPUs. */
const CLI_DEFAULT_PARALLEL = 4 * os.availableParallelism();

/** The --parallel of the wider refresh: the CLI's default on a machine of 8 CPUs (4 × 8). */
const REFRESH_WIDE_PARALLEL = 32;

/** The name of the VPN change run with --parallel at least the stack's width (N and ")" follow). */
const WIDE_VPN_CHANGE = "up (every VPN config changed, --parallel";

/** The name of the VPN change run with the engine's per-step checkpoints skipped (the --parallel N follows). */
const SKIPPED_CHECKPOINTS = "up (every VPN config changed, PULUMI_SKIP_CHECKPOINTS,";

/** The plugin's type token of each resource type. */
const TOKENS: Record<ResourceType, string> = {
  VpnConnectionConfig: "keylink:alibaba:VpnConnectionConfig",
  MacsecKeyAssociation: "keylink:alibaba:MacsecKeyAssociation",
  ImportedKeyMaterial: "keylink:alibaba:ImportedKeyMaterial",
  ReplicaKey: "keylink:volcengine:ReplicaKey",
  Cmk: "keylink:tencent:Cmk",
};

/**
 * Writes the plugin stack's Pulumi YAML project into `dir`: the resources, and the repository's plugin launcher
 * folder (plugin/, running dist/plugin/main.js) as the keylink provider. JSON is YAML, so it is written as JSON.
 */
function writeYamlProject(dir: string, resources: PlannedResource[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const project = {
    name: "keylink-bench-yaml",
    runtime: "yaml",
    description: "The benchmark's plugin stack (scripts/bench.ts)",
    plugins: { providers: [{ name: "keylink", path: path.join(REPO_ROOT, "plugin") }] },
    resources: Object.fromEntries(
      resources.map((r) => [r.name, { type: TOKENS[r.type], properties: r.inputs }]),
    ),
  };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), JSON.stringify(project, null, 2));
}

// ------------------------------------------------------------------------ provider memory and CPU sampling

/** What an operation's processes used: the engine (the Pulumi CLI) and the providers it started. */
interface ProcessUse {
  peakMiB: number;
  /** Provider processes seen. */
  processes: number;
  /** CPU seconds (user + system) of the Pulumi CLI process, which runs the engine. */
  engineCpuS: number;
  /** CPU seconds of the provider processes: dynamic-provider hosts, or pulumi-resource-keylink. */
  providerCpuS: number;
}

/**
 * Samples the processes this process's Pulumi runs start (their ancestors include this process; other runs on
 * the machine are not counted): the Pulumi CLI, and the providers, node processes running
 * @pulumi/pulumi/cmd/dynamic-provider or the plugin's dist/plugin/main.js. Peak RSS is the dynamic-provider hosts'
 * VmHWM, the process's own high-water mark, so sampling only has to catch it before it exits. CPU is each
 * process's last sample: the engine ends providers with SIGKILL, so up to one sampling interval of a provider's
 * last CPU time can be missed (100 ms).
 */
class ProcessSampler {
  private peakKb = 0;
  private seen = new Set<string>();
  /** Processes already recognised, by pid and start time (pids are reused), and what they are. */
  private ours = new Map<string, "engine" | "dynamic" | "plugin">();
  /** CPU clock ticks per process of this operation, as last sampled. */
  private ticks = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  start(): void {
    this.peakKb = 0;
    this.seen.clear();
    this.ticks.clear();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): ProcessUse {
    clearInterval(this.timer);
    this.sample();
    const cpu = (kinds: string[]) =>
      [...this.ticks].filter(([k]) => kinds.includes(this.ours.get(k) ?? "")).reduce((n, [, t]) => n + t, 0) /
      CLOCK_TICKS;
    return {
      peakMiB: this.peakKb / 1024,
      processes: this.seen.size,
      engineCpuS: cpu(["engine"]),
      providerCpuS: cpu(["dynamic", "plugin"]),
    };
  }

  private kind(pid: number): "engine" | "dynamic" | "plugin" | undefined {
    const [program = "", script = ""] = (readProc(pid, "cmdline") ?? "").split("\0");
    if (/\/pulumi$/.test(program)) return "engine";
    if (/@pulumi\/pulumi\/cmd\/dynamic-provider(\/index\.js)?$/.test(script)) return "dynamic";
    if (/dist\/plugin\/main\.js$/.test(script)) return "plugin";
    return undefined;
  }

  private sample(): void {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const stat = procStat(pid);
      if (!stat) continue;
      const key = `${pid}@${stat.startTime}`;
      // Only positive answers are kept: a process just forked still shows its parent's command line.
      if (!this.ours.has(key)) {
        const kind = this.kind(pid);
        if (!kind || !descendsFromUs(pid)) continue;
        this.ours.set(key, kind);
      }
      this.ticks.set(key, stat.cpuTicks);
      if (this.ours.get(key) !== "dynamic") continue;
      const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readProc(pid, "status") ?? "");
      if (!hwm) continue;
      this.seen.add(key);
      this.peakKb = Math.max(this.peakKb, Number(hwm[1]));
    }
  }
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** ppid, start time (clock ticks since boot) and CPU time used (user + system ticks) from /proc/<pid>/stat. */
function procStat(pid: number): { ppid: number; startTime: string; cpuTicks: number } | undefined {
  const stat = readProc(pid, "stat");
  if (!stat) return undefined;
  // The fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    ppid: Number(fields[1]),
    startTime: fields[19],
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

function descendsFromUs(pid: number): boolean {
  let current = pid;
  for (let depth = 0; depth < 12 && current > 1; depth++) {
    const ppid = procStat(current)?.ppid;
    if (ppid === undefined || !Number.isFinite(ppid)) return false;
    if (ppid === process.pid) return true;
    current = ppid;
  }
  return false;
}

// ------------------------------------------------------------------------------------ cloud API calls

const isRead = (action: string) => /^(Describe|List|Get|Query)/.test(action);

function typeOfCall(e: LogEntry): ResourceType | "other" {
  if (e.cloud === "alibaba" && e.service === "vpc")
    return /Vpn/.test(e.action) ? "VpnConnectionConfig" : "MacsecKeyAssociation";
  if (e.cloud === "alibaba" && e.service === "kms") return "ImportedKeyMaterial";
  if (e.cloud === "volcengine") return "ReplicaKey";
  if (e.cloud === "tencent") return "Cmk";
  return "other";
}

interface CallCounts {
  writes: number;
  reads: number;
}

interface Calls {
  byType: Record<string, CallCounts>;
  errors: number;
  /** "Action Code" -> count, for the calls answered with an error. */
  errorCodes: Record<string, number>;
}

function countCalls(entries: LogEntry[]): Calls {
  const byType: Record<string, CallCounts> = {};
  const errorCodes: Record<string, number> = {};
  for (const e of entries) {
    const c = (byType[typeOfCall(e)] ??= { writes: 0, reads: 0 });
    if (isRead(e.action)) c.reads++;
    else c.writes++;
    if (e.code !== undefined)
      errorCodes[`${e.action} ${e.code}`] = (errorCodes[`${e.action} ${e.code}`] ?? 0) + 1;
  }
  return { byType, errors: entries.filter((e) => e.code !== undefined).length, errorCodes };
}

/** How long the VPN changes of one operation took against the floor of one change at a time per gateway. */
interface VpnChain {
  changes: number;
  gateways: number;
  maxPerGateway: number;
  /** maxPerGateway × vpnGatewayUpdate. */
  boundMs: number;
  /** First ModifyVpnConnectionAttribute arriving → last VPN call answered. */
  spanMs: number;
  /** Per gateway with ≥2 changes: (last − first Modify arrival) / ((n − 1) × vpnGatewayUpdate). */
  worstGatewayRatio?: number;
  meanGatewayRatio?: number;
  /** Mean time between consecutive Modify calls on one gateway. */
  meanCycleMs?: number;
  rejectedModifies: number;
  /** From the engine: the most steps of any type, and of VPN configs, running at once. */
  maxStepsInFlight?: number;
  maxVpnStepsInFlight?: number;
  /** From the engine: first → last VPN step start (steps not yet started wait for a slot or their check). */
  vpnStartSpreadMs?: number;
  /** From the engine: first VPN step start → last VPN step end, the measure the floor's change has too. */
  vpnStepsSpanMs?: number;
}

function vpnChain(entries: LogEntry[], steps: StepTiming[]): VpnChain | undefined {
  const modifies = entries.filter((e) => e.action === "ModifyVpnConnectionAttribute");
  const accepted = modifies.filter((e) => e.code === undefined && e.lockKey !== undefined);
  if (accepted.length === 0) return undefined;
  const byGateway = new Map<string, number[]>();
  for (const e of accepted)
    byGateway.set(e.lockKey as string, [...(byGateway.get(e.lockKey as string) ?? []), e.at]);
  const d = DURATIONS.vpnGatewayUpdate;
  const maxPerGateway = Math.max(...[...byGateway.values()].map((a) => a.length));
  const start = Math.min(...accepted.map((e) => e.at));
  const end = Math.max(
    ...entries.filter((e) => typeOfCall(e) === "VpnConnectionConfig").map((e) => e.at + e.ms),
  );
  const ratios: number[] = [];
  const gaps: number[] = [];
  for (const arrivals of byGateway.values()) {
    if (arrivals.length < 2) continue;
    arrivals.sort((a, b) => a - b);
    ratios.push((arrivals[arrivals.length - 1] - arrivals[0]) / ((arrivals.length - 1) * d));
    for (let i = 1; i < arrivals.length; i++) gaps.push(arrivals[i] - arrivals[i - 1]);
  }
  return {
    changes: accepted.length,
    gateways: byGateway.size,
    maxPerGateway,
    boundMs: maxPerGateway * d,
    spanMs: end - start,
    worstGatewayRatio: ratios.length ? Math.max(...ratios) : undefined,
    meanGatewayRatio: ratios.length ? mean(ratios) : undefined,
    meanCycleMs: gaps.length ? mean(gaps) : undefined,
    rejectedModifies: modifies.length - accepted.length,
    ...stepFigures(steps),
  };
}

function stepFigures(steps: StepTiming[]): Partial<VpnChain> {
  const vpn = steps.filter((s) => /:VpnConnectionConfig::/.test(s.urn));
  if (vpn.length === 0) return {};
  const starts = vpn.map((s) => s.start);
  return {
    maxStepsInFlight: maxInFlight(steps),
    maxVpnStepsInFlight: maxInFlight(vpn),
    vpnStartSpreadMs: Math.max(...starts) - Math.min(...starts),
    vpnStepsSpanMs: Math.max(...vpn.map((s) => s.end ?? s.start)) - Math.min(...starts),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ------------------------------------------------------------------------------ engine step timing

/** One resource operation as the engine ran it, in ms since the operation began (when this process heard). */
interface StepTiming {
  urn: string;
  start: number;
  end?: number;
}

/** Collects the start and end of each step that calls the provider (not "same" or "read" steps). */
function stepRecorder(t0: () => number): {
  onEvent: (e: EngineEvent) => void;
  steps: Map<string, StepTiming>;
} {
  const steps = new Map<string, StepTiming>();
  const acting = new Set<OpType>([
    "create",
    "update",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
  ]);
  const onEvent = (e: EngineEvent) => {
    const pre = e.resourcePreEvent;
    if (pre && !pre.planning && acting.has(pre.metadata.op)) {
      const key = `${pre.metadata.op} ${pre.metadata.urn}`;
      steps.set(key, { urn: pre.metadata.urn, start: t0() });
    }
    const done = e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
    const step = done && steps.get(`${done.op} ${done.urn}`);
    if (step) step.end = t0();
  };
  return { onEvent, steps };
}

/** The most steps running at once. */
function maxInFlight(steps: StepTiming[]): number {
  const edges = steps.flatMap((s) => [
    [s.start, 1],
    [s.end ?? Infinity, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

// ----------------------------------------------------------------------------------------- state size

interface StateSize {
  exportBytes: number;
  byType: Record<string, { count: number; bytes: number; providerBytes: number }>;
  providerBytes: number;
  /** `__provider` values in the state (inputs and outputs each hold one). */
  providerCopies: number;
  /** Distinct serialized providers (one per resource type is expected). */
  distinctProviders: number;
}

interface ExportedResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

function stateSize(exported: string): StateSize {
  const resources =
    (JSON.parse(exported) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [];
  const byType: StateSize["byType"] = {};
  const providers = new Set<string>();
  let providerBytes = 0;
  let providerCopies = 0;
  for (const r of resources) {
    // pulumi-nodejs:dynamic/keylink:Cmk for a dynamic resource, keylink:tencent:Cmk for the plugin's.
    const type = r.type.replace(/^pulumi-nodejs:dynamic\/keylink:|^keylink:\w+:/, "");
    const slot = (byType[type] ??= { count: 0, bytes: 0, providerBytes: 0 });
    slot.count++;
    slot.bytes += Buffer.byteLength(JSON.stringify(r));
    for (const props of [r.inputs, r.outputs]) {
      const p = props?.__provider;
      if (p === undefined) continue;
      const text = JSON.stringify(p);
      providers.add(text);
      slot.providerBytes += Buffer.byteLength(text);
      providerBytes += Buffer.byteLength(text);
      providerCopies++;
    }
  }
  return {
    exportBytes: Buffer.byteLength(exported),
    byType,
    providerBytes,
    providerCopies,
    distinctProviders: providers.size,
  };
}

// ------------------------------------------------------------------------------------------ running

interface OperationResult {
  name: string;
  wallMs: number;
  peakMiB: number;
  providers: number;
  engineCpuS: number;
  providerCpuS: number;
  calls: Calls;
  /** The emulator's time answering the operation's cloud calls, summed (injected latency included). */
  callMs: number;
  changes: string;
  vpn?: VpnChain;
}

interface PluginResult {
  upMs: number;
  state: StateSize;
}

/** CPU seconds of one run: the Pulumi CLI's (the engine) and its providers'. */
type CpuUse = Pick<ProcessUse, "engineCpuS" | "providerCpuS">;

/** Wall times of the operations run on the floor and plugin stacks beside the package's stack. */
type Timings = Partial<Record<ComparedOp, number>>;

/** The operations measured on all three stacks, interleaved; create once, the others `--repeats` times. */
const COMPARED = ["up (create)", "preview (no changes)", "up (no changes)", "refresh"] as const;
type ComparedOp = (typeof COMPARED)[number];

/** The refresh measured again to split its time above the floor (see benchSize). */
type RefreshVariant = "noLatency" | "wide";

interface SizeResult {
  plan: StackPlan;
  /** The --parallel of the compared operations. */
  slots: number;
  operations: OperationResult[];
  state: StateSize;
  /** The same resources through the provider plugin. */
  plugin: PluginResult;
  /** Median wall times of the floor stack and of the plugin stack (same runs as the package's medians). */
  floor: Timings;
  pluginTimes: Timings;
  /** The floor stack's change of every VPN config at the wide --parallel (one run), from the engine's events. */
  floorVpn: { parallel: number; wallMs: number; steps: Partial<VpnChain> };
  floorState: StateSize;
  /** The refresh of the package's stack and the floor's again, interleaved: with no latency on the cloud's calls,
   * and with --parallel REFRESH_WIDE_PARALLEL (bench latency). Median wall ms. */
  refreshSplit: Record<RefreshVariant, { package: number; floor: number; runs: number }>;
  /** Every run of the compared operations, in the order run: for a look at the spread. */
  runs: Record<
    string,
    {
      package: number[];
      floor: number[];
      plugin: number[];
      /** CPU seconds of each run's engine and providers. */
      cpu: { package: CpuUse[]; floor: CpuUse[]; plugin: CpuUse[] };
    }
  >;
}

function formatChanges(summary: ChangeSummary): string {
  return Object.entries(summary ?? {})
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a stack operation and answers its wall time in ms. */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * One stack size. Three stacks of the same resources (names and inputs) run side by side, each operation
 * interleaved package, floor, plugin, package, floor, plugin ... so that machine load falls on all three alike:
 * the package's stack (dynamic resources, scripts/bench-project) against its emulator; the floor stack
 * (scripts/bench-floor-project: dynamic resources whose provider echoes its inputs, no network); the plugin
 * stack (Pulumi YAML through pulumi-resource-keylink) against an emulator of its own with the same fixtures.
 */
async function benchSize(size: number, args: Args): Promise<SizeResult> {
  const { parallel, requestsDir } = args;
  const plan = planStack(size);
  progress(describePlan(plan));
  const emulator = await startEmulator({ port: 0, fixtures: fixturesFor(plan), durations: DURATIONS });
  // The plugin stack's own cloud: both stacks manage the same connections, keys and aliases.
  const pluginEmulator = await startEmulator({ port: 0, fixtures: fixturesFor(plan), durations: DURATIONS });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `keylink-bench-${size}-`));
  const memory = new ProcessSampler();
  try {
    await addLatency(emulator);
    await addLatency(pluginEmulator);
    const resources = stackResources(plan);
    // The generated stacks are projects too (scripts/bench-project, scripts/bench-floor-project), whose copies
    // get the plan to deploy.
    const stack = await openProject({
      projectDir: BENCH_PROJECT,
      stackName: `bench${size}`,
      workDir: path.join(workDir, "package"),
      emulatorUrl: emulator.url,
      config: { "bench:chainPerGateway": { value: String(args.chainPerGateway === true) } },
    });
    const floor = await openProject({
      projectDir: FLOOR_PROJECT,
      stackName: `bench${size}-floor`,
      workDir: path.join(workDir, "floor"),
      emulatorUrl: emulator.url,
    });
    for (const s of [stack, floor])
      fs.writeFileSync(
        path.join(s.projectDir, "plan.json"),
        JSON.stringify({ resources, vpnGatewayUpdateMs: DURATIONS.vpnGatewayUpdate }),
      );
    // openProject copies the project into workDir/<its folder name>, so it is written one level down.
    const yamlSource = path.join(workDir, "plugin", "source", "bench-yaml");
    writeYamlProject(yamlSource, resources);
    const plugin = await openProject({
      projectDir: yamlSource,
      stackName: `bench${size}-plugin`,
      workDir: path.join(workDir, "plugin"),
      emulatorUrl: pluginEmulator.url,
    });

    const opts: Pick<OperationOptions, "parallel" | "env"> = parallel === undefined ? {} : { parallel };
    const operations: OperationResult[] = [];
    type Run = (o: typeof opts & { onEvent: (e: EngineEvent) => void }) => Promise<ChangeSummary>;
    const measure = async (name: string, run: Run, runOpts = opts): Promise<OperationResult> => {
      await emulator.admin.clearRequests();
      memory.start();
      const started = performance.now();
      const recorder = stepRecorder(() => performance.now() - started);
      let summary: ChangeSummary;
      let sampled: ProcessUse;
      try {
        summary = await run({ ...runOpts, onEvent: recorder.onEvent });
      } finally {
        sampled = memory.stop();
      }
      const wallMs = performance.now() - started;
      const { peakMiB, processes, engineCpuS, providerCpuS } = sampled;
      const { entries } = await emulator.admin.requests();
      if (requestsDir) {
        const file = path.join(
          requestsDir,
          `${size}-${operations.length + 1}-${name.replace(/\W+/g, "-")}.json`,
        );
        fs.writeFileSync(file, JSON.stringify(entries));
      }
      const result: OperationResult = {
        name,
        wallMs,
        peakMiB,
        providers: processes,
        engineCpuS,
        providerCpuS,
        calls: countCalls(entries),
        callMs: entries.reduce((n, e) => n + e.ms, 0),
        changes: formatChanges(summary),
        vpn: vpnChain(entries, [...recorder.steps.values()]),
      };
      progress(`size ${size}: ${name} ${seconds(wallMs)} s (${result.changes || "no changes"})`);
      return result;
    };
    const runs: SizeResult["runs"] = {};
    const floorTimes: Timings = {};
    const pluginTimes: Timings = {};
    /** The package's stack, the floor's, the plugin's, `times` rounds; the package's row holds its median. */
    const compare = async (
      name: ComparedOp,
      times: number,
      run: (
        s: typeof stack,
        o: typeof opts & { onEvent?: (e: EngineEvent) => void },
      ) => Promise<ChangeSummary>,
    ) => {
      const r = (runs[name] = {
        package: [] as number[],
        floor: [] as number[],
        plugin: [] as number[],
        cpu: { package: [] as CpuUse[], floor: [] as CpuUse[], plugin: [] as CpuUse[] },
      });
      /** Runs the floor's or the plugin's operation, sampling its processes like measure(). */
      const timedRun = async (s: typeof stack, into: "floor" | "plugin") => {
        memory.start();
        let use: ProcessUse;
        try {
          r[into].push(await timed(() => run(s, opts)));
        } finally {
          use = memory.stop();
        }
        r.cpu[into].push({ engineCpuS: use.engineCpuS, providerCpuS: use.providerCpuS });
      };
      let first: OperationResult | undefined;
      for (let i = 0; i < times; i++) {
        const result = await measure(name, (o) => run(stack, o));
        first ??= result;
        r.package.push(result.wallMs);
        r.cpu.package.push({ engineCpuS: result.engineCpuS, providerCpuS: result.providerCpuS });
        await timedRun(floor, "floor");
        await timedRun(plugin, "plugin");
        progress(
          `size ${size}: ${name} floor ${seconds(r.floor[i])} s, plugin ${seconds(r.plugin[i])} s (round ${i + 1}/${times})`,
        );
      }
      operations.push({ ...(first as OperationResult), wallMs: median(r.package) });
      floorTimes[name] = median(r.floor);
      pluginTimes[name] = median(r.plugin);
    };

    operations.push(
      await measure("preview (create plan)", async (o) => (await stack.preview(o)).changeSummary),
    );
    await compare("up (create)", 1, async (s, o) => (await s.up(o)).summary.resourceChanges);
    const state = stateSize(await stack.exportState());
    const pluginState = stateSize(await plugin.exportState());
    const floorState = stateSize(await floor.exportState());
    await compare("preview (no changes)", args.repeats, async (s, o) => (await s.preview(o)).changeSummary);
    await compare("up (no changes)", args.repeats, async (s, o) => (await s.up(o)).summary.resourceChanges);
    await compare("refresh", args.repeats, async (s, o) => (await s.refresh(o)).summary.resourceChanges);
    // Where the refresh's time above the floor goes: the same refresh with the cloud answering at once (what the
    // package's reads and the properties they return cost in CPU, no call waited for), then with the bench's
    // latency at --parallel 32 (the CLI's default on 8 CPUs: the calls' share with more slots).
    const refreshAgain = async (variant: RefreshVariant, o: Pick<OperationOptions, "parallel">) => {
      const times = { package: [] as number[], floor: [] as number[] };
      for (let i = 0; i < args.repeats; i++) {
        times.package.push(await timed(() => stack.refresh(o)));
        times.floor.push(await timed(() => floor.refresh(o)));
      }
      const split = { package: median(times.package), floor: median(times.floor), runs: args.repeats };
      progress(
        `size ${size}: refresh (${variant}) ${seconds(split.package)} s, floor ${seconds(split.floor)} s`,
      );
      return split;
    };
    await emulator.admin.clearFaults();
    const noLatency = await refreshAgain("noLatency", opts);
    await addLatency(emulator);
    const refreshSplit: SizeResult["refreshSplit"] = {
      noLatency,
      wide: await refreshAgain("wide", { parallel: REFRESH_WIDE_PARALLEL }),
    };
    // Every VPN config changed: with the given (or the CLI's default) --parallel, then with --parallel at least
    // the stack's resource count. Every resource the program registers takes a slot for its step, an
    // unchanged one too, and the engine stops registering while no slot is free: with --parallel only as wide
    // as the VPN changes, changes queued on their gateways' locks held every slot and the later VPN steps
    // started up to 7 s late at 300 resources (2 s with the whole stack's width, as the floor's do).
    const wide = Math.max(plan.size, parallel ?? 0, CLI_DEFAULT_PARALLEL);
    await stack.setConfig("bench:vpnVariant", { value: "1" });
    operations.push(
      await measure(
        "up (every VPN config changed)",
        async (o) => (await stack.up(o)).summary.resourceChanges,
      ),
    );
    await stack.setConfig("bench:vpnVariant", { value: "2" });
    operations.push(
      await measure(`${WIDE_VPN_CHANGE} ${wide})`, async (o) => (await stack.up(o)).summary.resourceChanges, {
        parallel: wide,
      }),
    );
    // The same change on the floor, whose provider takes each gateway's changes one at a time for the update time
    // and does nothing else: what the engine allows for this change at this size, whatever the provider.
    await floor.setConfig("bench:vpnVariant", { value: "1" });
    const floorStarted = performance.now();
    const floorSteps = stepRecorder(() => performance.now() - floorStarted);
    await floor.up({ parallel: wide, onEvent: floorSteps.onEvent });
    const floorVpn = {
      parallel: wide,
      wallMs: performance.now() - floorStarted,
      steps: stepFigures([...floorSteps.steps.values()]),
    };
    progress(`size ${size}: the floor's VPN change, --parallel ${wide}: ${seconds(floorVpn.wallMs)} s`);
    // The same change once more with the engine's per-step checkpoints off (PULUMI_SKIP_CHECKPOINTS): the file
    // backend writes the whole state before each step's provider call and after it, one write at a time, so at
    // a few hundred resources those writes, not the provider, pace the steps. A measure of the engine's share,
    // not a setting this package asks for (a crash then loses the state's edits since the last full save).
    await stack.setConfig("bench:vpnVariant", { value: "3" });
    operations.push(
      await measure(
        `${SKIPPED_CHECKPOINTS} --parallel ${wide})`,
        async (o) => (await stack.up(o)).summary.resourceChanges,
        { parallel: wide, env: { PULUMI_SKIP_CHECKPOINTS: "true" } },
      ),
    );
    operations.push(await measure("destroy", async (o) => (await stack.destroy(o)).summary.resourceChanges));
    return {
      plan,
      slots: parallel ?? CLI_DEFAULT_PARALLEL,
      operations,
      state,
      plugin: { upMs: pluginTimes["up (create)"] as number, state: pluginState },
      floor: floorTimes,
      pluginTimes,
      floorVpn,
      floorState,
      refreshSplit,
      runs,
    };
  } finally {
    await emulator.close();
    await pluginEmulator.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------ reporting

function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const ratio = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(2));
const SHORT: Record<ResourceType, string> = {
  VpnConnectionConfig: "Vpn",
  MacsecKeyAssociation: "Macsec",
  ImportedKeyMaterial: "Material",
  ReplicaKey: "Replica",
  Cmk: "Cmk",
};

function renderSize(r: SizeResult): string {
  const n = counts(r.plan);
  const out: string[] = [`## ${r.plan.size} resources`, "", describePlan(r.plan) + ".", ""];

  const calls = (c: CallCounts | undefined) => (c ? `${c.writes}/${c.reads}` : "0/0");
  out.push(
    "Wall time, provider plugin peak RSS, and cloud API calls as writes/reads per resource type " +
      "(reads are Describe*/List*/Get*/Query*; calls answered with an error, e.g. retried, are in `err`):",
    "",
    renderTable(
      [
        "operation",
        "wall s",
        "peak RSS MiB",
        ...TYPES.map((t) => `${SHORT[t]} w/r`),
        "err",
        "reads/resource",
        "changes",
      ],
      r.operations.map((o) => {
        const reads = Object.values(o.calls.byType).reduce((a, c) => a + c.reads, 0);
        return [
          o.name,
          seconds(o.wallMs),
          o.providers ? o.peakMiB.toFixed(0) : "-",
          ...TYPES.map((t) => calls(o.calls.byType[t])),
          String(o.calls.errors),
          (reads / r.plan.size).toFixed(2),
          o.changes || "none",
        ];
      }),
    ),
    "",
  );
  const withErrors = r.operations.filter((o) => o.calls.errors > 0);
  if (withErrors.length > 0) {
    out.push(
      "Calls answered with an error: " +
        withErrors
          .map(
            (o) =>
              `${o.name}: ${Object.entries(o.calls.errorCodes)
                .map(([k, n]) => `${k} ×${n}`)
                .join(", ")}`,
          )
          .join("; ") +
        ".",
      "",
    );
  }

  const s = r.state;
  const p = r.plugin.state;
  out.push(
    `State (\`pulumi stack export\`, secrets encrypted): ${s.exportBytes.toLocaleString("en")} bytes as exported ` +
      `(${perResource(s, r.plan)} per resource); \`__provider\` ` +
      `${s.providerBytes.toLocaleString("en")} bytes in all (${providerShare(s)}, ` +
      `inputs and outputs each hold a copy; ${s.distinctProviders} distinct). The same resources through the ` +
      `provider plugin (a Pulumi YAML stack, \`pulumi up\` ${seconds(r.plugin.upMs)} s): ` +
      `${p.exportBytes.toLocaleString("en")} bytes (${perResource(p, r.plan)} per resource); the floor's ` +
      `${r.floorState.exportBytes.toLocaleString("en")} bytes (${perResource(r.floorState, r.plan)} per resource, ` +
      `\`__provider\` ${providerShare(r.floorState)}). Per type, ` +
      `resources as compact JSON:`,
    "",
    renderTable(
      [
        "type",
        "count",
        "bytes/resource",
        "__provider bytes/resource",
        "total bytes",
        "plugin bytes/resource",
      ],
      TYPES.filter((t) => s.byType[t]).map((t) => {
        const b = s.byType[t];
        const pb = p.byType[t];
        return [
          t,
          String(b.count),
          Math.round(b.bytes / b.count).toLocaleString("en"),
          Math.round(b.providerBytes / b.count).toLocaleString("en"),
          b.bytes.toLocaleString("en"),
          pb ? Math.round(pb.bytes / pb.count).toLocaleString("en") : "-",
        ];
      }),
    ),
    "",
  );

  const vpnOps = r.operations.filter((o) => o.vpn);
  if (vpnOps.length > 0) {
    out.push(
      `VPN changes against the per-gateway serial floor (changes on the busiest gateway × vpnGatewayUpdate ` +
        `${DURATIONS.vpnGatewayUpdate} ms). "VPN part" runs from the first ModifyVpnConnectionAttribute to the ` +
        `last VPN call answered; "per gateway" is first→last Modify on one gateway over (n−1) × ` +
        `${DURATIONS.vpnGatewayUpdate} ms (${n.VpnConnectionConfig} configs on ${r.plan.gateways.length} gateways). ` +
        `From the engine's events: how far apart the VPN steps started, and the most steps (VPN steps) running ` +
        `at once:`,
      "",
      renderTable(
        [
          "operation",
          "changes",
          "max/gateway",
          "bound s",
          "VPN part s",
          "ratio",
          "op wall / bound",
          "per gateway worst",
          "per gateway mean",
          "mean cycle ms",
          "VPN steps start spread s",
          "VPN steps s",
          "max steps in flight (VPN)",
          "rejected Modify",
        ],
        vpnOps.map((o) => {
          const v = o.vpn as VpnChain;
          return [
            o.name,
            String(v.changes),
            String(v.maxPerGateway),
            seconds(v.boundMs),
            seconds(v.spanMs),
            ratio(v.spanMs / v.boundMs),
            ratio(o.wallMs / v.boundMs),
            ratio(v.worstGatewayRatio),
            ratio(v.meanGatewayRatio),
            v.meanCycleMs === undefined ? "-" : v.meanCycleMs.toFixed(0),
            v.vpnStartSpreadMs === undefined ? "-" : seconds(v.vpnStartSpreadMs),
            v.vpnStepsSpanMs === undefined ? "-" : seconds(v.vpnStepsSpanMs),
            v.maxStepsInFlight === undefined ? "-" : `${v.maxStepsInFlight} (${v.maxVpnStepsInFlight})`,
            String(v.rejectedModifies),
          ];
        }),
      ),
      "",
      floorVpnLine(r),
      "",
    );
  }
  return out.join("\n");
}

/** The floor's change of every VPN config beside the package's at the same --parallel. */
function floorVpnLine(r: SizeResult): string {
  const f = r.floorVpn;
  const a = r.operations.find((o) => o.name.startsWith(WIDE_VPN_CHANGE))?.vpn;
  if (!a || f.steps.vpnStepsSpanMs === undefined) return "";
  return (
    `The floor's provider changes each VPN config in its gateway's turn in exactly the update time and does ` +
    `nothing else; the same change on the floor stack (--parallel ${f.parallel}, ` +
    `${seconds(f.wallMs)} s in all): VPN steps ${seconds(f.steps.vpnStepsSpanMs)} s from the first start to the ` +
    `last end, ${ratio(f.steps.vpnStepsSpanMs / a.boundMs)} × the bound (started over ` +
    `${seconds(f.steps.vpnStartSpreadMs ?? 0)} s); the package's ${seconds(a.vpnStepsSpanMs ?? 0)} s, ` +
    `${ratio((a.vpnStepsSpanMs ?? 0) / f.steps.vpnStepsSpanMs)} × the floor's.`
  );
}

/** The operation whose VPN part was furthest from its bound, e.g. "4.43 (destroy)". */
function worstVpnRatio(r: SizeResult): string {
  let worst: { value: number; name: string } | undefined;
  for (const o of r.operations) {
    const v = o.vpn && o.vpn.spanMs / o.vpn.boundMs;
    if (v !== undefined && (!worst || v > worst.value)) worst = { value: v, name: o.name };
  }
  return worst ? `${ratio(worst.value)} (${worst.name})` : "-";
}

/** The whole export over the stack's resources (the stack and provider resources included). */
const perResource = (s: StateSize, plan: StackPlan) =>
  Math.round(s.exportBytes / plan.size).toLocaleString("en");
const providerShare = (s: StateSize) => `${((100 * s.providerBytes) / s.exportBytes).toFixed(0)}%`;

function renderSummary(results: SizeResult[]): string {
  const op = (r: SizeResult, name: string) => r.operations.find((o) => o.name === name);
  const wall = (r: SizeResult, name: string) => {
    const o = op(r, name);
    return o ? seconds(o.wallMs) : "-";
  };
  const rows = results.map((r) => {
    const vpn = op(r, "up (every VPN config changed)")?.vpn;
    return [
      String(r.plan.size),
      wall(r, "preview (create plan)"),
      wall(r, "up (create)"),
      wall(r, "preview (no changes)"),
      wall(r, "up (no changes)"),
      wall(r, "refresh"),
      wall(r, "up (every VPN config changed)"),
      wall(r, "destroy"),
      Math.max(...r.operations.map((o) => o.peakMiB)).toFixed(0),
      `${perResource(r.state, r.plan)} (__provider ${providerShare(r.state)})`,
      perResource(r.plugin.state, r.plan),
      vpn ? ratio(vpn.spanMs / vpn.boundMs) : "-",
      worstVpnRatio(r),
    ];
  });
  return renderTable(
    [
      "resources",
      "preview s",
      "up create s",
      "preview no-op s",
      "up no-op s",
      "refresh s",
      "up VPN change s",
      "destroy s",
      "peak RSS MiB",
      "state B/resource: dynamic",
      "plugin",
      "VPN part / bound (VPN change)",
      "worst VPN part / bound",
    ],
    rows,
  );
}

/**
 * The least time the package's stack could take for an operation with the cloud calls it made: the floor's time
 * plus the time the cloud took to answer them, spread over the --parallel slots (each call holds one while it is
 * answered). Only a provider making fewer calls, or the engine granting more slots, does better.
 */
function boundMs(r: SizeResult, name: ComparedOp): number | undefined {
  const floor = r.floor[name];
  const o = r.operations.find((x) => x.name === name);
  return floor === undefined || !o ? undefined : floor + o.callMs / r.slots;
}

/** The median engine and provider CPU seconds of runs; undefined for none. */
function medianCpu(runs: CpuUse[] | undefined): CpuUse | undefined {
  if (!runs?.length) return undefined;
  return {
    engineCpuS: median(runs.map((u) => u.engineCpuS)),
    providerCpuS: median(runs.map((u) => u.providerCpuS)),
  };
}

/** Median CPU seconds of runs, as "engine + providers". */
function cpuText(runs: CpuUse[]): string {
  const m = medianCpu(runs);
  return m ? `${m.engineCpuS.toFixed(1)} + ${m.providerCpuS.toFixed(1)}` : "-";
}

/** The package's and the plugin's times over the floor's, per operation (medians of interleaved runs). */
function renderFloor(results: SizeResult[]): string {
  const split = (r: SizeResult, variant: RefreshVariant, name: string) => {
    const { package: a, floor: b, runs } = r.refreshSplit[variant];
    return [
      String(r.plan.size),
      name,
      String(runs),
      seconds(a),
      seconds(b),
      ratio(a / b),
      "-",
      "-",
      "-",
      "-",
    ];
  };
  const rows = results.flatMap((r) => [
    ...COMPARED.map((name) => {
      const a = r.operations.find((o) => o.name === name)?.wallMs;
      const b = r.floor[name];
      const p = r.pluginTimes[name];
      const bound = boundMs(r, name);
      const cpu = r.runs[name]?.cpu;
      return [
        String(r.plan.size),
        name,
        String(r.runs[name]?.package.length ?? 0),
        a === undefined ? "-" : seconds(a),
        b === undefined ? "-" : seconds(b),
        ratio(a !== undefined && b ? a / b : undefined),
        ratio(bound !== undefined && b ? bound / b : undefined),
        cpu ? `${cpuText(cpu.package)} / ${cpuText(cpu.floor)}` : "-",
        p === undefined ? "-" : seconds(p),
        ratio(p !== undefined && b ? p / b : undefined),
      ];
    }),
    split(r, "noLatency", "refresh, the cloud answering at once"),
    split(r, "wide", `refresh, --parallel ${REFRESH_WIDE_PARALLEL}`),
  ]);
  return renderTable(
    [
      "resources",
      "operation",
      "runs",
      "A s",
      "floor s",
      "A / floor",
      "least A / floor",
      "CPU s engine + providers: A / floor",
      "plugin s",
      "plugin / floor",
    ],
    rows,
  );
}

/** One row of results.json per size. */
function resultRow(r: SizeResult): Record<string, number | string | undefined> {
  const op = (name: string) => r.operations.find((o) => o.name === name);
  const over = (t: Timings, name: ComparedOp) => {
    const a = t[name];
    const b = r.floor[name];
    return a !== undefined && b ? round(a / b) : undefined;
  };
  const own: Timings = Object.fromEntries(COMPARED.map((n) => [n, op(n)?.wallMs]));
  const create = op("up (create)");
  const createReads = create
    ? Object.values(create.calls.byType).reduce((n, c) => n + c.reads, 0) / r.plan.size
    : undefined;
  const vpnDefault = op("up (every VPN config changed)")?.vpn;
  const vpnWideOp = r.operations.find((o) => o.name.startsWith(WIDE_VPN_CHANGE));
  const vpnWide = vpnWideOp?.vpn;
  const vpnSkipped = r.operations.find((o) => o.name.startsWith(SKIPPED_CHECKPOINTS))?.vpn;
  const refreshCpu = medianCpu(r.runs.refresh?.cpu.package);
  const refreshFloorCpu = medianCpu(r.runs.refresh?.cpu.floor);
  return {
    resources: r.plan.size,
    noopPreviewRatioToFloor: over(own, "preview (no changes)"),
    noopUpRatioToFloor: over(own, "up (no changes)"),
    refreshRatioToFloor: over(own, "refresh"),
    // The least refresh time its cloud calls allow at the run's --parallel, over the floor's (boundMs).
    refreshLeastRatioToFloor: over({ refresh: boundMs(r, "refresh") }, "refresh"),
    // Median CPU seconds of the refresh runs: the engine's (the Pulumi CLI) and the providers', A's and the floor's.
    refreshEngineCpuSeconds: roundOf(refreshCpu?.engineCpuS),
    refreshEngineCpuFloorSeconds: roundOf(refreshFloorCpu?.engineCpuS),
    refreshProviderCpuSeconds: roundOf(refreshCpu?.providerCpuS),
    refreshProviderCpuFloorSeconds: roundOf(refreshFloorCpu?.providerCpuS),
    // The same refresh with the cloud answering at once, and with --parallel 32, each over the floor's.
    refreshNoLatencyRatioToFloor: ratioOf(r.refreshSplit.noLatency.package, r.refreshSplit.noLatency.floor),
    refreshParallel32RatioToFloor: ratioOf(r.refreshSplit.wide.package, r.refreshSplit.wide.floor),
    createRatioToFloor: over(own, "up (create)"),
    createReadsPerResource: createReads === undefined ? undefined : round(createReads),
    // One VPN change cycle on a gateway (consecutive ModifyVpnConnectionAttribute on it) over the gateway's
    // update time, with --parallel ≥ the VPN changes (vpnCycleRatioDefaultParallel: the CLI's default).
    vpnCycleRatio: ratioOf(vpnWide?.meanCycleMs, DURATIONS.vpnGatewayUpdate),
    vpnCycleRatioDefaultParallel: ratioOf(vpnDefault?.meanCycleMs, DURATIONS.vpnGatewayUpdate),
    // The VPN part of the change over the per-gateway serial bound (changes on the busiest gateway × update time).
    vpnBoundRatio: ratioOf(vpnWide?.spanMs, vpnWide?.boundMs),
    vpnBoundRatioDefaultParallel: ratioOf(vpnDefault?.spanMs, vpnDefault?.boundMs),
    vpnWideParallel: vpnWideOp ? Number(/--parallel (\d+)/.exec(vpnWideOp.name)?.[1]) : undefined,
    // The same with the engine's per-step state writes skipped (PULUMI_SKIP_CHECKPOINTS): what they cost.
    vpnBoundRatioSkipCheckpoints: ratioOf(vpnSkipped?.spanMs, vpnSkipped?.boundMs),
    vpnCycleRatioSkipCheckpoints: ratioOf(vpnSkipped?.meanCycleMs, DURATIONS.vpnGatewayUpdate),
    // The floor's change (each gateway's changes one at a time for the update time, nothing else) at the wide
    // --parallel: its VPN steps (first start to last end, from the engine's events) over the bound, and the
    // package's VPN steps over the floor's.
    vpnFloorBoundRatio: ratioOf(r.floorVpn.steps.vpnStepsSpanMs, vpnWide?.boundMs),
    vpnStepsRatioToFloor: ratioOf(vpnWide?.vpnStepsSpanMs, r.floorVpn.steps.vpnStepsSpanMs),
    providerBytesPerCopy: r.state.providerCopies
      ? Math.round(r.state.providerBytes / r.state.providerCopies)
      : undefined,
    stateBytesPerResource: Math.round(r.state.exportBytes / r.plan.size),
    pluginStateBytesPerResource: Math.round(r.plugin.state.exportBytes / r.plan.size),
    floorStateBytesPerResource: Math.round(r.floorState.exportBytes / r.plan.size),
    pluginNoopPreviewRatioToFloor: over(r.pluginTimes, "preview (no changes)"),
    pluginNoopUpRatioToFloor: over(r.pluginTimes, "up (no changes)"),
    pluginRefreshRatioToFloor: over(r.pluginTimes, "refresh"),
    pluginCreateRatioToFloor: over(r.pluginTimes, "up (create)"),
    noopPreviewSeconds: secondsOf(own["preview (no changes)"]),
    noopPreviewFloorSeconds: secondsOf(r.floor["preview (no changes)"]),
    noopUpSeconds: secondsOf(own["up (no changes)"]),
    noopUpFloorSeconds: secondsOf(r.floor["up (no changes)"]),
    refreshSeconds: secondsOf(own.refresh),
    refreshFloorSeconds: secondsOf(r.floor.refresh),
    createSeconds: secondsOf(own["up (create)"]),
    createFloorSeconds: secondsOf(r.floor["up (create)"]),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
const roundOf = (x: number | undefined) => (x === undefined ? undefined : round(x));
const ratioOf = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? round(a / b) : undefined;
const secondsOf = (ms: number | undefined) => (ms === undefined ? undefined : round(ms / 1000));

/**
 * Builds the Pulumi YAML language host if needed (scripts/language-hosts.sh yaml) and answers its path. The
 * script finds it on PATH or puts it beside the CLI, the two places the CLI's PATH holds (scripts/engine.ts).
 */
function requireYamlHost(bin: string): string {
  const dir = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "language-hosts.sh"), "yaml"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  if (dir !== bin && !(process.env.PATH ?? "").split(path.delimiter).includes(dir))
    throw new Error(
      `pulumi-language-yaml is in ${dir}, which is neither beside the Pulumi CLI (${bin}) nor on PATH: ` +
        `add ${dir} to PATH for the benchmark's plugin stack.`,
    );
  return path.join(dir, "pulumi-language-yaml");
}

interface Args {
  sizes: number[];
  parallel?: number;
  /** Where to write each operation's request log (JSON), for a closer look. */
  requestsDir?: string;
  /** Chain the VPN configs of each gateway with dependsOn. */
  chainPerGateway?: boolean;
  /** Rounds of each no-change preview, no-change up and refresh (package, floor, plugin in turn). */
  repeats: number;
}

function parseArgs(argv: string[]): Args {
  let sizes = [10, 100];
  let repeats = 3;
  let parallel: number | undefined;
  let requestsDir: string | undefined;
  let chainPerGateway = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--sizes") {
      sizes = (value() ?? "").split(",").map((s) => Number(s.trim()));
      if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 5))
        throw new Error("--sizes takes a comma-separated list of whole numbers ≥ 5, e.g. --sizes 10,100");
    } else if (flag === "--parallel") {
      parallel = Number(value());
      if (!Number.isInteger(parallel) || parallel < 1) throw new Error("--parallel takes a whole number ≥ 1");
    } else if (flag === "--repeats") {
      repeats = Number(value());
      if (!Number.isInteger(repeats) || repeats < 1) throw new Error("--repeats takes a whole number ≥ 1");
    } else if (flag === "--chain-per-gateway") {
      chainPerGateway = true;
    } else if (flag === "--requests-dir") {
      requestsDir = path.resolve(value() ?? "");
    } else {
      throw new Error(
        `unknown argument ${argv[i]}: use --sizes 10,100,300, optionally --repeats N, --parallel N, --chain-per-gateway, --requests-dir DIR`,
      );
    }
  }
  return { sizes, parallel, requestsDir, chainPerGateway, repeats };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { sizes, parallel, requestsDir } = args;
  if (requestsDir) fs.mkdirSync(requestsDir, { recursive: true });
  const given = process.argv.slice(2);
  const command = `npm run bench${given.length ? ` -- ${given.join(" ")}` : ""}`;
  const bin = ensurePulumiCli();
  progress(`Pulumi CLI: ${bin}, language hosts: ${requireLanguageHost(bin)}, ${requireYamlHost(bin)}`);
  installPackageIntoExamples();
  installFloorProvider();
  const started = performance.now();
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await benchSize(size, args));
  const latency = LATENCY.map((f) => `${f.latencyMs} ms${f.probability ? ` (p ${f.probability})` : ""}`).join(
    ", then ",
  );
  const report = [
    `# pulumi-keylink benchmark`,
    "",
    `Command: \`${command}\` — ${new Date().toISOString()}, ${os.availableParallelism()} CPUs, Node ${process.version}, ` +
      `total ${seconds(performance.now() - started)} s.`,
    `Emulator: latency on every cloud call ${latency}; durations ${Object.entries(DURATIONS)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(", ")}. Pulumi --parallel: ${
      parallel ?? `default (4 × GOMAXPROCS = ${CLI_DEFAULT_PARALLEL} here)`
    }${args.chainPerGateway ? "; VPN configs chained per gateway with dependsOn" : ""}.`,
    "",
    renderSummary(results),
    "",
    `The package's stack (A) against the floor (a stack of the same resources whose dynamic provider echoes its ` +
      `inputs, no network) and the plugin stack: medians of ${args.repeats} interleaved runs (create: one run each). ` +
      `"least A / floor": the floor's time plus the time the emulator took to answer A's cloud calls (its latency ` +
      `included) spread over the --parallel slots, over the floor's: what A cannot beat with the calls it makes. ` +
      `"CPU s": the CPU time of the Pulumi CLI, which runs the engine, and of the provider processes, medians. ` +
      `The refresh once more on A and the floor, interleaved: with no latency on the cloud's calls (what A's reads ` +
      `and the properties they return cost beyond waiting for the cloud), and with --parallel ${REFRESH_WIDE_PARALLEL}.`,
    "",
    renderFloor(results),
    "",
    ...results.map(renderSize),
  ].join("\n");
  console.log(`$ ${command}\n`);
  console.log(report);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${report}\n`);
  fs.writeFileSync(
    RESULTS_JSON,
    `${JSON.stringify({ command, date: new Date().toISOString(), rows: results.map(resultRow), runs: results.map((r) => ({ resources: r.plan.size, ...r.runs })) }, null, 2)}\n`,
  );
  progress(
    `written to ${path.relative(REPO_ROOT, RESULTS_FILE)} and ${path.relative(REPO_ROOT, RESULTS_JSON)}`,
  );
}

/**
 * Installs the floor stack's provider (scripts/bench-floor-project/echo-provider.ts), compiled, as the package
 * keylink-bench-floor-echo in examples/node_modules, beside the pulumi-keylink that npm installed there: the
 * floor's state then records it by name, as it records the package's providers (see echo-provider.ts).
 */
function installFloorProvider(): void {
  const dir = path.join(EXAMPLES_DIR, "node_modules", "keylink-bench-floor-echo");
  const source = fs.readFileSync(path.join(FLOOR_PROJECT, "echo-provider.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "index.js"), outputText);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: "keylink-bench-floor-echo", private: true, main: "index.js" }, null, 2)}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
