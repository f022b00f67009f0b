// The demo stack deployed and destroyed through the real Pulumi CLI while the emulator injects, on a seeded share
// of calls, each cloud's throttling, busy gateways and connections (VpnTask.CONFLICT, IncorrectStatus.PconnMacsec),
// server errors, dropped connections and latency; and a lossy proxy between the stack and the emulator loses the
// answer of a seeded share of writes after the cloud carried them out (then, in a run of its own, the first answer
// of every write). Every run converges in one command: after one `up` the cloud holds exactly what the stack says,
// the state records exactly those objects and a refresh finds nothing to change; after one `destroy` nothing of
// ours is left.
// Replay a failure with RELIABILITY_SEED=<seed printed in the test name> npx jest test/reliability/faults. A seed
// fixes the fault rates and each fault's draw sequence; which call meets which draw also depends on the order in
// which concurrent resources reach the emulator, so a replay reproduces the disturbance, not every single call.
import { exportState } from "../support/e2e";
import type { FaultSpec } from "../../src/emulator/faults";
import { mulberry32 } from "../../src/emulator/faults";
import {
  type CloudView,
  type Rig,
  baseSeed,
  cloudView,
  expectConverged,
  expectDestroyed,
  expectStateEmpty,
  expectStateMatchesCloud,
  resetCloud,
  seedsFrom,
  startRig,
  stopRig,
  useSeed,
} from "./harness";

jest.setTimeout(240_000);

const SEEDS = seedsFrom(baseSeed(20251123), 3);

/**
 * The faults of one run. Rates keep every call well inside the clients' retry deadlines (two minutes): the point
 * is that one `up` converges, not that a deadline can be exhausted.
 */
function faultPlan(seed: number): FaultSpec[] {
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
  ];
}

const FAULT_CODES = new Set([
  "Throttling.User",
  "Reject.Throttling.Action",
  "RequestLimitExceeded",
  "VpnTask.CONFLICT",
  "IncorrectStatus.PconnMacsec",
  "ServiceUnavailable",
  "InternalError",
  "ConnectionReset",
]);

/** Share of write calls whose answer is lost after the cloud carried them out (see lossy-proxy.ts). */
function lostAnswerRate(seed: number): number {
  return Math.round((0.08 + mulberry32(seed ^ 0x1057)() * 0.1) * 100) / 100;
}

async function injectAll(rig: Rig, seed: number): Promise<void> {
  for (const f of faultPlan(seed)) await rig.emulator.admin.injectFault(f);
  rig.proxy!.setProbability(lostAnswerRate(seed), seed);
  rig.proxy!.dropped.length = 0;
}

async function clearAll(rig: Rig): Promise<void> {
  await rig.emulator.admin.clearFaults();
  rig.proxy!.setProbability(0, 0);
  rig.proxy!.dropFirstOfEach(false);
}

/** How many answers were injected faults, by code; logged so a run's schedule can be compared on replay. */
function faultsAnswered(rig: Rig): Record<string, number> {
  const byCode: Record<string, number> = {};
  for (const e of rig.log) if (e.code && FAULT_CODES.has(e.code)) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  for (const action of rig.proxy!.dropped) byCode[`lost:${action}`] = (byCode[`lost:${action}`] ?? 0) + 1;
  return byCode;
}

const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ seed: SEEDS[0], proxy: true });
});

afterAll(async () => {
  await stopRig(rig);
});

describe.each(SEEDS)("demo stack under injected faults, seed %i", (seed) => {
  let initial: CloudView;

  it(`seed ${seed}: up converges and the cloud holds exactly what the stack says`, async () => {
    await resetCloud(rig);
    await useSeed(rig, seed);
    initial = await cloudView(rig);
    rig.log.length = 0;
    await injectAll(rig, seed);

    // One `up`, as claimed: a run that needs a second one fails here.
    const up = await rig.stack.up({ onOutput: rig.onOutput });
    const hits = faultsAnswered(rig);
    console.log(
      `seed ${seed}: up made ${rig.log.length} cloud calls, injected faults answered: ${JSON.stringify(hits)}`,
    );
    // The run was really disturbed: otherwise this suite would prove nothing.
    expect(total(hits)).toBeGreaterThan(0);

    await clearAll(rig);
    const view = await cloudView(rig);
    expectConverged(view, up.outputs, rig.secrets);
    expectStateMatchesCloud(await exportState(rig), view, rig.secrets);
    // State agrees with the cloud: a refresh finds nothing to change.
    await rig.stack.preview({ refresh: true, expectNoChanges: true, onOutput: rig.onOutput });
  });

  it(`seed ${seed}: destroy leaves nothing of ours active`, async () => {
    rig.log.length = 0;
    await injectAll(rig, (seed ^ 0xd35) >>> 0);
    await rig.stack.destroy({ onOutput: rig.onOutput });
    const hits = faultsAnswered(rig);
    console.log(`seed ${seed}: destroy injected faults answered: ${JSON.stringify(hits)}`);
    // The destroy was really disturbed too.
    expect(total(hits)).toBeGreaterThan(0);
    await clearAll(rig);

    expectDestroyed(await cloudView(rig), initial);
    expectStateEmpty(await exportState(rig));
  });
});

// Deterministic: the first answer of EVERY write action is lost after the cloud carried it out, so each
// non-idempotent create (CreateKey, ReplicateKey, AssociateMacSecKey, ImportKeyMaterial...) meets its own effect
// on the retry. No duplicate may result.
describe("demo stack when the first answer of every write is lost", () => {
  const seed = SEEDS[0];
  let initial: CloudView;

  it(`seed ${seed}: up converges without duplicates`, async () => {
    await resetCloud(rig);
    await useSeed(rig, seed);
    initial = await cloudView(rig);
    rig.log.length = 0;
    rig.proxy!.dropped.length = 0;
    rig.proxy!.dropFirstOfEach(true);
    const up = await rig.stack.up({ onOutput: rig.onOutput });
    console.log(`lost answers on up: ${rig.proxy!.dropped.join(", ")}`);
    expect(rig.proxy!.dropped).toEqual(
      expect.arrayContaining(["CreateKey", "ReplicateKey", "AssociateMacSecKey", "ImportKeyMaterial"]),
    );
    await clearAll(rig);
    const view = await cloudView(rig);
    expectConverged(view, up.outputs, rig.secrets);
    expectStateMatchesCloud(await exportState(rig), view, rig.secrets);
    await rig.stack.preview({ refresh: true, expectNoChanges: true, onOutput: rig.onOutput });
  });

  it(`seed ${seed}: destroy leaves nothing of ours active`, async () => {
    rig.proxy!.dropped.length = 0;
    rig.proxy!.dropFirstOfEach(true);
    await rig.stack.destroy({ onOutput: rig.onOutput });
    console.log(`lost answers on destroy: ${rig.proxy!.dropped.join(", ")}`);
    // Each resource's deleting write lost its first answer (the VPN restore, the MACsec disassociation, the
    // material's deletion, the keys' scheduled deletions).
    expect(rig.proxy!.dropped).toEqual(
      expect.arrayContaining([
        "ModifyVpnConnectionAttribute",
        "DisassociateMacSecKey",
        "DeleteKeyMaterial",
        "ScheduleKeyDeletion",
      ]),
    );
    await clearAll(rig);
    expectDestroyed(await cloudView(rig), initial);
    expectStateEmpty(await exportState(rig));
  });
});
