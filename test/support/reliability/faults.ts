// The seeded fault schedule of the reliability suites and the soak runner (scripts/soak.ts): on a seeded share of
// calls, the emulator answers each cloud's throttling, busy gateways and connections (VpnTask.CONFLICT,
// VpnGateway.Configuring, IncorrectStatus.PconnMacsec), server errors, dropped connections and latency spikes; the
// lossy proxy in front of it loses the answer of a seeded share of writes after the cloud carried them out.
// A seed fixes the fault rates and each fault's draw sequence; which call meets which draw also depends on the
// order in which concurrent resources reach the emulator, so a replay reproduces the disturbance, not every call.
import type { FaultSpec } from "../../../src/emulator/faults";
import { mulberry32 } from "../../../src/emulator/faults";
import type { UpResult } from "../../../scripts/engine";
import type { Rig } from "./harness";

/**
 * The faults of one run. Rates keep every call well inside the clients' retry deadlines (two minutes): the point
 * is that one `up` converges, not that a deadline can be exhausted.
 */
export function faultPlan(seed: number): FaultSpec[] {
  const random = mulberry32(seed);
  const rate = (lo: number, hi: number) => Math.round((lo + random() * (hi - lo)) * 100) / 100;
  const sub = () => Math.floor(random() * 2 ** 32);
  return [
    // Each cloud's throttling code, as its gateway answers it.
    {
      cloud: "alibaba",
      code: "Throttling.User",
      httpStatus: 400,
      probability: rate(0.05, 0.12),
      seed: sub(),
    },
    {
      cloud: "volcengine",
      code: "Reject.Throttling.Action",
      httpStatus: 403,
      probability: rate(0.05, 0.12),
      seed: sub(),
    },
    { cloud: "tencent", code: "RequestLimitExceeded", probability: rate(0.05, 0.12), seed: sub() },
    // A gateway or connection busy with another change.
    {
      action: "ModifyVpnConnectionAttribute",
      code: "VpnTask.CONFLICT",
      httpStatus: 400,
      probability: rate(0.2, 0.4),
      seed: sub(),
    },
    {
      action: "AssociateMacSecKey",
      code: "IncorrectStatus.PconnMacsec",
      httpStatus: 400,
      probability: rate(0.2, 0.4),
      seed: sub(),
    },
    {
      action: "DisassociateMacSecKey",
      code: "IncorrectStatus.PconnMacsec",
      httpStatus: 400,
      probability: rate(0.2, 0.4),
      seed: sub(),
    },
    // Server errors.
    {
      cloud: "alibaba",
      code: "ServiceUnavailable",
      httpStatus: 503,
      probability: rate(0.02, 0.06),
      seed: sub(),
    },
    {
      cloud: "volcengine",
      code: "InternalError",
      httpStatus: 500,
      probability: rate(0.02, 0.06),
      seed: sub(),
    },
    { cloud: "tencent", code: "InternalError", probability: rate(0.02, 0.06), seed: sub() },
    // Dropped connections and slow answers, any cloud.
    { reset: true, probability: rate(0.03, 0.07), seed: sub() },
    { latencyMs: 50 + Math.floor(random() * 400), probability: rate(0.05, 0.15), seed: sub() },
    // Last, so that the draws of the rules above stay what they were for a given seed.
    {
      action: "ModifyVpnConnectionAttribute",
      code: "VpnGateway.Configuring",
      httpStatus: 400,
      probability: rate(0.05, 0.15),
      seed: sub(),
    },
  ];
}

const FAULT_CODES = new Set([
  "Throttling.User",
  "Reject.Throttling.Action",
  "RequestLimitExceeded",
  "VpnTask.CONFLICT",
  "VpnGateway.Configuring",
  "IncorrectStatus.PconnMacsec",
  "ServiceUnavailable",
  "InternalError",
  "ConnectionReset",
]);

/** Share of write calls whose answer is lost after the cloud carried them out (see lossy-proxy.ts). */
function lostAnswerRate(seed: number): number {
  return Math.round((0.08 + mulberry32(seed ^ 0x1057)() * 0.1) * 100) / 100;
}

/** The seed of a run's destroy: its own schedule, drawn from the run's seed. */
export const destroySeed = (seed: number) => (seed ^ 0xd35) >>> 0;

/** The faults of `seed` in the emulator, and its lost answers in the rig's proxy. */
export async function injectAll(rig: Rig, seed: number): Promise<void> {
  for (const f of faultPlan(seed)) await rig.emulator.admin.injectFault(f);
  rig.proxy!.setProbability(lostAnswerRate(seed), seed);
  rig.proxy!.dropped.length = 0;
}

export async function clearAll(rig: Rig): Promise<void> {
  await rig.emulator.admin.clearFaults();
  rig.proxy!.setProbability(0, 0);
  rig.proxy!.dropFirstOfEach(false);
}

/** How many answers were injected faults, by code; logged so a run's schedule can be compared on replay. */
export function faultsAnswered(rig: Rig): Record<string, number> {
  const byCode: Record<string, number> = {};
  for (const e of rig.log) if (e.code && FAULT_CODES.has(e.code)) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  for (const action of rig.proxy!.dropped) byCode[`lost:${action}`] = (byCode[`lost:${action}`] ?? 0) + 1;
  return byCode;
}

export const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/** The first line of a failed command's message, for reports. */
export const firstLine = (e: unknown) =>
  String(e instanceof Error ? e.message : e)
    .split("\n")
    .find((l) => l.trim() !== "") ?? "";

/**
 * Why a command failed, for reports: the first error a resource reported in the CLI's output (the message's first
 * line is only "'pulumi up ...' exited with code 1"), else that first line.
 */
export const failureReason = (e: unknown): string => {
  const lines = String(e instanceof Error ? e.message : e).split("\n");
  const resourceError = lines
    .map((l) => l.trim())
    .find((l) => /^error: /.test(l) && !/^error: (update|destroy|preview) failed$/.test(l));
  return resourceError ?? firstLine(e);
};

/**
 * One `up`; a second only when the first failed (a retry deadline exhausted). Answers the outcome and, when a
 * second was needed, why (the first one's error, in full).
 */
export async function upConverging(rig: Rig): Promise<{ up: UpResult; secondUpBecause?: string }> {
  try {
    return { up: await rig.stack.up({ onOutput: rig.onOutput }) };
  } catch (e) {
    const because = String((e as Error).message);
    rig.onOutput(because);
    return { up: await rig.stack.up({ onOutput: rig.onOutput }), secondUpBecause: because };
  }
}
