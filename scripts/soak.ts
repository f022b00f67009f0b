// `npm run soak -- --runs N --kills K [--seed S] [--minutes M]`: the reliability suites' runs, many times over, for
// figures. It drives the demo project (examples/demo) through the real Pulumi CLI with the user's commands against
// an in-process emulator (test/support/reliability/: the same rig, fault schedule, kills and checks as the suites):
// - N fault runs: `pulumi up`, `pulumi refresh` and `pulumi destroy` while the emulator answers a seeded share of
//   calls with each cloud's throttling and busy codes, server errors, dropped connections and latency spikes, and
//   a lossy proxy loses the answer of a seeded share of writes the cloud carried out;
// - K kill runs: `pulumi up` and `pulumi destroy` SIGKILLed at seeded points (the CLI with everything it started,
//   or the provider plugin alone), then what a user does: `pulumi cancel`, `pulumi refresh
//   [--clear-pending-creates]`, `pulumi up` (adopting the CMK the error names, if any) or `pulumi destroy`.
// After every `up`: the cloud holds exactly what the stack says and the state records exactly it, `pulumi preview
// --refresh --expect-no-changes` passes, no orphan, no object created twice; after every `destroy`: nothing of ours
// is left. No secret may appear in the CLI's output, the errors or the exported state. At the end a table and
// .cache/soak/results.json; each failed run prints its seed and the command that replays it. Exit code 1 when a
// run failed. Options: --seed S (default: the time), --minutes M (start no run after M minutes), --out FILE,
// --size S (the benchmark's generated stack of S resources, scripts/bench-plan.ts, instead of the demo: then the
// checks are those that hold for any stack: one object per planned resource in state, no drift, no orphan, no
// duplicate, nothing left after destroy, no secret).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mulberry32 } from "../src/emulator/faults";
import { findSecrets } from "../test/support/secrets";
import {
  type CloudView,
  type Rig,
  cloudView,
  expectConverged,
  expectDestroyed,
  expectStateEmpty,
  expectStateMatchesCloud,
  RELIABILITY_ACCOUNT,
  inventory,
  resetCloud,
  secretValues,
  seedsFrom,
  startRig,
  stopRig,
  useSeed,
} from "../test/support/reliability/harness";
import {
  clearAll,
  destroySeed,
  faultsAnswered,
  failureReason,
  firstLine,
  injectAll,
  upConverging,
} from "../test/support/reliability/faults";
import {
  describePoint,
  killPoints,
  killedDuring,
  lostOriginals,
  recover,
  upAdopting,
} from "../test/support/reliability/interruption";
import { expect } from "expect";
import { type StackPlan, counts, fixturesFor, planStack, stackResources } from "./bench-plan";
import { duplicates, orphans, record, stateIds } from "./soak/checks";
import { REPO_ROOT } from "./engine";

const RESULTS_FILE = path.join(REPO_ROOT, ".cache", "soak", "results.json");

interface Args {
  runs: number;
  kills: number;
  seed: number;
  minutes?: number;
  /** Deploy the benchmark's generated stack of this many resources instead of the demo. */
  size?: number;
  out: string;
}

type Kind = "fault" | "kill";

export interface RunResult {
  kind: Kind;
  seed: number;
  converged: boolean;
  /** Why a second `up` (or `destroy`) was needed, when one was. */
  secondRun?: string;
  /** Fault runs: the injected faults answered, by code; kill runs: where each kill fell and the recovery. */
  disturbance: string;
  orphans: string[];
  duplicates: string[];
  secretsFound: number;
  wallMs: number;
  failure?: string;
  replay: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 0, kills: 0, seed: Date.now() % 2 ** 32, out: RESULTS_FILE };
  const whole = (flag: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min || n > max)
      throw new Error(
        `${flag} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}, got '${v}'`,
      );
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--runs") args.runs = whole(flag, value(), 0);
    else if (flag === "--kills") args.kills = whole(flag, value(), 0);
    else if (flag === "--seed") args.seed = whole(flag, value(), 0, 2 ** 32 - 1);
    else if (flag === "--minutes") args.minutes = whole(flag, value(), 1);
    else if (flag === "--size") args.size = whole(flag, value(), 5);
    else if (flag === "--out") args.out = path.resolve(value() ?? "");
    else
      throw new Error(
        `unknown argument ${argv[i]}: use --runs N --kills K, optionally --seed S, --minutes M, --size S, --out FILE`,
      );
  }
  if (args.runs + args.kills === 0)
    throw new Error("nothing to run: give --runs N and/or --kills K (N + K ≥ 1)");
  return args;
}

/** The command that replays one run alone: its seed is the first seed of a soak of one run of its kind. */
function replayCommand(kind: Kind, seed: number, size?: number): string {
  return (
    `npm run soak -- --runs ${kind === "fault" ? 1 : 0} --kills ${kind === "kill" ? 1 : 0} --seed ${seed}` +
    (size === undefined ? "" : ` --size ${size}`)
  );
}

/** The benchmark's stack when --size is given (then the checks are those that hold for any stack). */
let bench: StackPlan | undefined;
const BENCH_PROJECT = path.join(__dirname, "bench-project");

/** State, cloud and refresh agree after an `up`; answers the orphans found. */
async function checkUp(
  rig: Rig,
  outputs: Record<string, { value: unknown }>,
  recorded: Record<string, Set<string>>,
): Promise<string[]> {
  const exported = await rig.stack.exportState();
  record(recorded, exported);
  const found = orphans(await inventory(rig), exported);
  if (bench) {
    // The state records one object per planned resource (orphans and duplicates are counted apart).
    const recordedCounts = Object.fromEntries(
      Object.entries(stateIds(exported)).map(([type, ids]) => [type, ids.length]),
    );
    expect(recordedCounts).toEqual(
      Object.fromEntries(Object.entries(counts(bench)).filter(([, n]) => n > 0)),
    );
  } else {
    const view = await cloudView(rig);
    expectConverged(view, outputs, rig.secrets);
    expectStateMatchesCloud(exported, view, rig.secrets);
  }
  await rig.stack.preview({ refresh: true, expectNoChanges: true, onOutput: rig.onOutput });
  return found;
}

/** Nothing of ours is left after a `destroy` (the demo: as `expected` says); answers the orphans found. */
async function checkDestroyed(rig: Rig, expected: CloudView | undefined): Promise<string[]> {
  const exported = await rig.stack.exportState();
  const found = orphans(await inventory(rig), exported);
  if (expected) expectDestroyed(await cloudView(rig), expected);
  expectStateEmpty(exported);
  return found;
}

/** The secrets the stack handles: the demo's, or the benchmark plan's CAKs, PSKs and key material. */
function stackSecrets(rig: Rig): string[] {
  if (!bench) return secretValues(rig.secrets);
  const values = stackResources(bench).flatMap((r) => {
    const i = r.inputs as { cak?: string; keyMaterial?: string; ikeConfig?: { psk?: string } };
    return [i.cak, i.cak?.toLowerCase(), i.keyMaterial, i.ikeConfig?.psk];
  });
  return [...values.filter((v): v is string => typeof v === "string"), RELIABILITY_ACCOUNT.secret];
}

const ADOPT_IN_BENCH = /keylink:Cmk \(([^)]+)\):\s*\n\s*error:[^\n]*set adoptKeyId: "([^"]+)"/g;

/**
 * The benchmark stack's `pulumi up` after a kill: when Cmk previews name keys an interrupted create left, adopts
 * them (bench:adoptKeyIds, one per Cmk the error names), runs `up` again and removes the setting.
 */
async function upAdoptingBench(
  rig: Rig,
): Promise<{ outputs: Record<string, { value: unknown }>; adopted?: string }> {
  try {
    return { outputs: (await rig.stack.up({ onOutput: rig.onOutput })).outputs };
  } catch (e) {
    const message = String((e as Error).message);
    const adopt = Object.fromEntries([...message.matchAll(ADOPT_IN_BENCH)].map((m) => [m[1], m[2]]));
    if (Object.keys(adopt).length === 0) throw e;
    rig.onOutput(message);
    await rig.stack.setConfig("bench:adoptKeyIds", { value: JSON.stringify(adopt) });
    const up = await rig.stack.up({ onOutput: rig.onOutput });
    await rig.stack.removeConfig("bench:adoptKeyIds");
    return { outputs: up.outputs, adopted: Object.values(adopt).join(", ") };
  }
}

interface Outcome {
  secondRun?: string;
  disturbance: string;
  orphans: string[];
}

async function faultRun(rig: Rig, seed: number, recorded: Record<string, Set<string>>): Promise<Outcome> {
  const initial = bench ? undefined : await cloudView(rig);
  const seconds: string[] = [];
  await injectAll(rig, seed);
  const { up, secondUpBecause } = await upConverging(rig);
  if (secondUpBecause) seconds.push(`up: ${failureReason(secondUpBecause)}`);
  await rig.stack.refresh({ onOutput: rig.onOutput });
  const upFaults = faultsAnswered(rig);
  await clearAll(rig);
  const found = await checkUp(rig, up.outputs, recorded);

  await injectAll(rig, destroySeed(seed));
  try {
    await rig.stack.destroy({ onOutput: rig.onOutput });
  } catch (e) {
    rig.onOutput(String((e as Error).message));
    seconds.push(`destroy: ${failureReason(e)}`);
    await rig.stack.destroy({ onOutput: rig.onOutput });
  }
  const destroyFaults = faultsAnswered(rig);
  await clearAll(rig);
  found.push(...(await checkDestroyed(rig, initial)));
  const fmt = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  return {
    secondRun: seconds.join("; ") || undefined,
    disturbance: `up+refresh: ${fmt(upFaults) || "none"}; destroy: ${fmt(destroyFaults) || "none"}`,
    orphans: found,
  };
}

async function killRun(rig: Rig, seed: number, recorded: Record<string, Set<string>>): Promise<Outcome> {
  const initial = bench ? undefined : await cloudView(rig);
  // The demo has 6 resources: a larger stack makes proportionally more calls.
  const points = killPoints(seed, bench ? bench.size / 6 : 1);
  const notes: string[] = [];

  const upKill = await killedDuring(rig, points.up, () => rig.stack.up({ onOutput: rig.onOutput }));
  notes.push(
    upKill.pids.length
      ? `up killed after ${describePoint(points.up)} (call ${upKill.call} ${upKill.action}); ${await recover(rig, upKill)}`
      : `up finished before ${describePoint(points.up)}`,
  );
  let expectedAfterDestroy = initial;
  if (initial) {
    // What the user sees before the rerun: the recovered state and the connections as the rerun will read them.
    const recovered = await cloudView(rig);
    const lost = lostOriginals(await rig.stack.exportState(), recovered, initial);
    expectedAfterDestroy = {
      ...initial,
      vpn: { ...initial.vpn, ...Object.fromEntries(lost.map((id) => [id, recovered.vpn[id]])) },
    };
    if (lost.length) notes.push(`original settings of ${lost.join(", ")} taken by the interrupted create`);
  }
  const up = bench ? await upAdoptingBench(rig) : await upAdopting(rig);
  const found = await checkUp(rig, up.outputs, recorded);

  const destroyKill = await killedDuring(rig, points.destroy, () =>
    rig.stack.destroy({ onOutput: rig.onOutput }),
  );
  notes.push(
    destroyKill.pids.length
      ? `destroy killed after ${describePoint(points.destroy)} (call ${destroyKill.call} ${destroyKill.action}); ${await recover(rig, destroyKill)}`
      : `destroy finished before ${describePoint(points.destroy)}`,
  );
  await rig.stack.destroy({ onOutput: rig.onOutput });
  found.push(...(await checkDestroyed(rig, expectedAfterDestroy)));
  return {
    // After a kill the second `up` is the recovery itself; an adoption is a second one the user had to make.
    secondRun: up.adopted
      ? `up after the kill failed naming CMK ${up.adopted}: adoptKeyId set, up`
      : undefined,
    disturbance: notes.join("; "),
    orphans: found,
  };
}

async function oneRun(rig: Rig, kind: Kind, seed: number): Promise<RunResult> {
  const started = performance.now();
  await resetCloud(rig);
  await useSeed(rig, seed);
  rig.output.length = 0;
  const recorded: Record<string, Set<string>> = {};
  const result: RunResult = {
    kind,
    seed,
    converged: false,
    disturbance: "",
    orphans: [],
    duplicates: [],
    secretsFound: 0,
    wallMs: 0,
    replay: replayCommand(kind, seed, bench?.size),
  };
  try {
    const outcome = await (kind === "fault" ? faultRun : killRun)(rig, seed, recorded);
    Object.assign(result, outcome);
    result.converged = true;
  } catch (e) {
    result.failure = String(e instanceof Error ? e.message : e);
  }
  result.duplicates = duplicates(rig.log, recorded);
  let exported = "";
  try {
    exported = await rig.stack.exportState();
  } catch {
    // An unreadable checkpoint is already the run's failure.
  }
  // What the CLI printed (its errors included) and the state; the failure is the runner's own message, whose
  // assertion diffs may quote a secret the cloud holds: it is printed and stored masked, as is the reason for a
  // second run, which quotes the CLI.
  const secrets = stackSecrets(rig);
  result.secretsFound = findSecrets([...rig.output, exported], secrets).length;
  const mask = (text: string) => secrets.reduce((t, v) => t.split(v).join("[secret]"), text);
  if (result.failure) result.failure = mask(result.failure);
  if (result.secondRun) result.secondRun = mask(result.secondRun);
  result.converged &&=
    result.orphans.length === 0 && result.duplicates.length === 0 && result.secretsFound === 0;
  result.wallMs = performance.now() - started;
  return result;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function renderTable(results: RunResult[]): string {
  const rows = results.map((r, i) => [
    String(i + 1),
    r.kind,
    String(r.seed),
    r.converged ? "yes" : "NO",
    r.secondRun ?? "-",
    String(r.orphans.length),
    String(r.duplicates.length),
    String(r.secretsFound),
    seconds(r.wallMs),
  ]);
  const headers = [
    "run",
    "kind",
    "seed",
    "converged",
    "second up/destroy (why)",
    "orphans",
    "duplicates",
    "secrets",
    "wall s",
  ];
  return [headers, headers.map(() => "--"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export interface Summary {
  kind: Kind | "all";
  runs: number;
  converged: number;
  secondRuns: number;
  orphans: number;
  duplicates: number;
  secretsFound: number;
  meanWallS: number;
  maxWallS: number;
}

function summarize(kind: Kind | "all", results: RunResult[]): Summary {
  const of = results.filter((r) => kind === "all" || r.kind === kind);
  const walls = of.map((r) => r.wallMs / 1000);
  const sum = (f: (r: RunResult) => number) => of.reduce((n, r) => n + f(r), 0);
  return {
    kind,
    runs: of.length,
    converged: of.filter((r) => r.converged).length,
    secondRuns: of.filter((r) => r.secondRun).length,
    orphans: sum((r) => r.orphans.length),
    duplicates: sum((r) => r.duplicates.length),
    secretsFound: sum((r) => r.secretsFound),
    meanWallS: walls.length ? Number((walls.reduce((a, b) => a + b, 0) / walls.length).toFixed(1)) : 0,
    maxWallS: walls.length ? Number(Math.max(...walls).toFixed(1)) : 0,
  };
}

function renderSummary(summaries: Summary[]): string {
  const headers = [
    "kind",
    "runs",
    "converged",
    "needed a second up/destroy",
    "orphans",
    "duplicates",
    "secrets found",
    "wall s mean / max",
  ];
  const rows = summaries.map((s) => [
    s.kind,
    String(s.runs),
    `${s.converged} (${s.runs ? ((100 * s.converged) / s.runs).toFixed(0) : 0}%)`,
    String(s.secondRuns),
    String(s.orphans),
    String(s.duplicates),
    String(s.secretsFound),
    `${s.meanWallS} / ${s.maxWallS}`,
  ]);
  return [headers, headers.map(() => "--"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

function progress(text: string): void {
  process.stderr.write(`[soak] ${text}\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  bench = args.size === undefined ? undefined : planStack(args.size);
  const given = process.argv.slice(2);
  const command = `npm run soak -- ${given.join(" ")}`;
  // The first seed of each kind is the base seed itself, so `--runs 1 --kills 0 --seed S` replays fault run S.
  const faultSeeds = args.runs ? seedsFrom(args.seed, args.runs) : [];
  const killSeeds = args.kills
    ? seedsFrom(args.runs ? Math.floor(mulberry32(args.seed ^ 0xc0ffee)() * 2 ** 32) : args.seed, args.kills)
    : [];
  // The two kinds interleaved in proportion, so that a soak cut short by --minutes has figures for both.
  const plan: Array<{ kind: Kind; seed: number }> = [
    ...faultSeeds.map((seed, i) => ({ kind: "fault" as const, seed, at: (i + 0.5) / faultSeeds.length })),
    ...killSeeds.map((seed, i) => ({ kind: "kill" as const, seed, at: (i + 0.5) / killSeeds.length })),
  ].sort((a, b) => a.at - b.at);
  const deadline = args.minutes === undefined ? Infinity : Date.now() + args.minutes * 60_000;
  const started = performance.now();
  progress(
    `${command}: ${args.runs} fault runs, ${args.kills} kill runs, base seed ${args.seed}, ` +
      (bench ? `the benchmark's stack of ${bench.size} resources` : "the demo stack"),
  );

  const results: RunResult[] = [];
  let rig: Rig | undefined;
  try {
    for (const [i, { kind, seed }] of plan.entries()) {
      if (Date.now() >= deadline) {
        progress(`--minutes ${args.minutes} reached: ${plan.length - i} runs not started`);
        break;
      }
      if (!rig) {
        rig = await startRig({
          seed,
          proxy: true,
          project: bench && { dir: BENCH_PROJECT, fixtures: fixturesFor(bench) },
        });
        if (bench)
          fs.writeFileSync(
            path.join(rig.stack.projectDir, "plan.json"),
            JSON.stringify({ resources: stackResources(bench) }),
          );
      }
      const r = await oneRun(rig, kind, seed);
      results.push(r);
      progress(
        `run ${i + 1}/${plan.length} ${kind} seed ${seed}: ${r.converged ? "converged" : "FAILED"} in ${seconds(r.wallMs)} s` +
          (r.secondRun ? `; second run: ${r.secondRun}` : "") +
          `; ${r.disturbance}`,
      );
      if (!r.converged) {
        progress(
          `  ${r.failure ? firstLine(r.failure) : ""}${r.orphans.length ? ` orphans: ${r.orphans.join(", ")}` : ""}` +
            `${r.duplicates.length ? ` duplicates: ${r.duplicates.join(", ")}` : ""}` +
            `${r.secretsFound ? ` ${r.secretsFound} secrets found in output or state` : ""}`,
        );
        progress(`  replay: ${r.replay}`);
        // The stack's state may disagree with the reset cloud now: the next run starts on a fresh rig.
        await stopRig(rig);
        rig = undefined;
      }
    }
  } finally {
    await stopRig(rig);
  }

  const summaries = [summarize("fault", results), summarize("kill", results), summarize("all", results)];
  const failed = results.filter((r) => !r.converged);
  const report = [
    `# pulumi-keylink soak`,
    "",
    `Command: \`${command}\` — ${new Date().toISOString()}, ${os.availableParallelism()} CPUs, Node ${process.version}, ` +
      `total ${seconds(performance.now() - started)} s.`,
    "",
    renderSummary(summaries),
    "",
    renderTable(results),
    ...(failed.length
      ? [
          "",
          "Failed runs (replay each alone with its command):",
          ...failed.map(
            (r) => `- seed ${r.seed} (${r.kind}): \`${r.replay}\`\n  ${firstLine(r.failure ?? "")}`,
          ),
        ]
      : []),
  ].join("\n");
  console.log(report);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(
    args.out,
    JSON.stringify(
      { command, baseSeed: args.seed, date: new Date().toISOString(), summaries, runs: results },
      null,
      2,
    ),
  );
  progress(`written to ${path.relative(process.cwd(), args.out)}`);
  if (failed.length || results.length === 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
