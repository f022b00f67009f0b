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
} from "../support/reliability/harness";
import { clearAll, destroySeed, faultsAnswered, injectAll, total } from "../support/reliability/faults";

jest.setTimeout(240_000);

const SEEDS = seedsFrom(baseSeed(20251123), 3);

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
    await injectAll(rig, destroySeed(seed));
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
