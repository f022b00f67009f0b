// Kills at seeded points and the recovery a user does afterwards, shared by the interruption suite and the soak
// runner (scripts/soak.ts). See test/reliability/interruption.reliability.test.ts for why the whole process tree
// is SIGKILLed (or only the provider plugin), and what each recovery step is for.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "expect";
import type { LogEntry } from "../../../src/emulator/request-log";
import { mulberry32 } from "../../../src/emulator/faults";
import { parseResourceId } from "../../../src/resources/vpn-connection-config/schema";
import { stateIds } from "../../../scripts/soak/checks";
import { DEMO_CONNECTIONS, type CloudView, type Rig, killProvider, killPulumi } from "./harness";

/** A little under the number of cloud calls of an undisturbed `up` and `destroy` of the demo (43 and 26-33). */
export const UP_CALLS = 40;
export const DESTROY_CALLS = 24;
/** The writes of an undisturbed `up` and `destroy`: killing right after one is answered loses its answer. */
export const UP_WRITES = [
  "CreateKey",
  "ReplicateKey",
  "AssociateMacSecKey",
  "GetParametersForImport",
  "ImportKeyMaterial",
  "ModifyVpnConnectionAttribute",
];
export const DESTROY_WRITES = [
  "UpdateAlias",
  "DisableKey",
  "ScheduleKeyDeletion",
  "DeleteKeyMaterial",
  "DisassociateMacSecKey",
  "ModifyVpnConnectionAttribute",
];

/**
 * Where to kill: once the emulator answered the `call`-th cloud call, or the first call of `action`; and what:
 * the CLI with everything it started (the default), or only the dynamic-provider plugin.
 */
export type KillPoint = ({ call: number } | { action: string; cloud?: string }) & {
  target?: "cli" | "provider";
};

/** Half the kill points fall right after a write's answer, half on any call (reads and waits included). */
export function killPoint(random: () => number, calls: number, writes: string[]): KillPoint {
  return random() < 0.5
    ? { action: writes[Math.floor(random() * writes.length)] }
    : { call: 1 + Math.floor(random() * calls) };
}

/**
 * The soak's kill points of a run: those of the interruption suite (over `scale` times the demo's calls, for a
 * larger stack), and a third of them kill only the provider.
 */
export function killPoints(seed: number, scale = 1): { up: KillPoint; destroy: KillPoint } {
  const random = mulberry32(seed);
  const up = killPoint(random, Math.round(UP_CALLS * scale), UP_WRITES);
  const destroy = killPoint(random, Math.round(DESTROY_CALLS * scale), DESTROY_WRITES);
  const target = () => (random() < 1 / 3 ? "provider" : "cli");
  return { up: { ...up, target: target() }, destroy: { ...destroy, target: target() } };
}

export const describePoint = (p: KillPoint) =>
  ("call" in p ? `cloud call ${p.call}` : `the first ${p.cloud ? `${p.cloud} ` : ""}${p.action} answer`) +
  (p.target === "provider" ? " (provider plugin only)" : "");

export interface PendingOp {
  type: string;
  resource: { urn: string; type: string };
}

export async function pendingOperations(rig: Rig): Promise<PendingOp[]> {
  return (JSON.parse(await rig.stack.exportState()).deployment.pending_operations ?? []) as PendingOp[];
}

export interface Kill {
  /** The call the kill followed: its number and action. */
  call?: number;
  action?: string;
  pids: number[];
  /** Set when the kill left the checkpoint unreadable and its backup was restored. */
  restored?: boolean;
  /** The cloud calls the run made. */
  calls?: number;
}

/** A run that was not killed proves nothing about recovery: fails, naming the kill point it did not reach. */
export function requireKill(kill: Kill, point: KillPoint): void {
  if (kill.call === undefined)
    throw new Error(`the run ended after ${kill.calls} cloud calls without reaching ${describePoint(point)}`);
  if (kill.pids.length === 0)
    throw new Error(
      `${describePoint(point)} was reached (call ${kill.call}) but no pulumi process was found`,
    );
}

/**
 * Makes the stack's checkpoint readable again if the kill cut the CLI's write of it: with the DIY (file) backend
 * of CLI 3.259, a SIGKILL while the checkpoint is written can leave a file every command refuses with "failed
 * to load checkpoint: EOF" (seen about once in 30 kills). The backend's own copy of the checkpoint as it was
 * before that write, `.pulumi/stacks/<project>/<stack>.json.bak`, is what a user restores. Going one write back
 * loses nothing: a step whose outcome that write recorded is pending again, and the refresh settles it like any
 * other interrupted step.
 */
async function ensureReadableCheckpoint(rig: Rig): Promise<boolean> {
  try {
    await rig.stack.exportState();
    return false;
  } catch (e) {
    if (!/failed to load checkpoint/.test((e as Error).message)) throw e;
  }
  const stacks = path.join(rig.workDir, "state", ".pulumi", "stacks");
  for (const project of fs.readdirSync(stacks)) {
    for (const ext of ["", ".attrs"]) {
      const backup = path.join(stacks, project, `${rig.stack.name}.json.bak${ext}`);
      if (fs.existsSync(backup))
        fs.copyFileSync(backup, path.join(stacks, project, `${rig.stack.name}.json${ext}`));
    }
  }
  await rig.stack.exportState();
  return true;
}

/** Runs `op`, SIGKILLing at `point` (from the emulator's answer hook, synchronously). */
export async function killedDuring(rig: Rig, point: KillPoint, op: () => Promise<unknown>): Promise<Kill> {
  const kill: Kill = { pids: [] };
  let calls = 0;
  rig.onRequest = (entry: LogEntry) => {
    calls++;
    const hit =
      "call" in point
        ? calls === point.call
        : entry.action === point.action &&
          (point.cloud === undefined || entry.cloud === point.cloud) &&
          entry.status === 200 &&
          entry.code === undefined;
    if (hit && kill.call === undefined) {
      Object.assign(kill, { call: calls, action: entry.action });
      kill.pids = point.target === "provider" ? killProvider() : killPulumi();
    }
  };
  try {
    await op();
  } catch (e) {
    if (kill.pids.length === 0) throw e;
    rig.onOutput(String((e as Error).message));
  } finally {
    rig.onRequest = undefined;
    kill.calls = calls;
  }
  if (kill.pids.length > 0) kill.restored = await ensureReadableCheckpoint(rig);
  return kill;
}

/** `pulumi cancel`, then `pulumi refresh` settling every pending operation; answers what it did. */
export async function recover(rig: Rig, kill: Kill): Promise<string> {
  // A kill right after the last call may come after the CLI released its lock (or only the provider died and
  // the CLI ended cleanly): then there is nothing to cancel, and the refresh below would fail on a lock that is
  // really there.
  const cancel = await rig.stack.cli(["cancel", "--yes"]);
  rig.onOutput(cancel.stdout + cancel.stderr);
  const pending = await pendingOperations(rig);
  const creates = pending.filter((op) => op.type === "creating");
  const args = ["refresh", "--yes", ...(creates.length ? ["--clear-pending-creates"] : [])];
  const refresh = await rig.stack.cli(args);
  rig.onOutput(refresh.stdout + refresh.stderr);
  if (refresh.code !== 0)
    throw new Error(`pulumi ${args.join(" ")} failed:\n${refresh.stdout}\n${refresh.stderr}`);
  expect(await pendingOperations(rig)).toEqual([]);
  const names = (ops: PendingOp[]) => ops.map((op) => op.resource.urn.split("::").pop()).join(", ");
  return (
    (kill.restored ? "checkpoint cut by the kill, its .bak restored; " : "") +
    `cancel; ` +
    (pending.length
      ? `refresh${creates.length ? " --clear-pending-creates" : ""} settled: ${pending
          .map((op) => `${op.type} ${names([op])}`)
          .join(", ")}`
      : "refresh")
  );
}

const ADOPT = /set adoptKeyId: "([^"]+)"/;

/**
 * `pulumi up`; when the Cmk's preview says an interrupted create left its key (the error names it), adopts that
 * key as the message says and runs `up` again, then removes the setting. Answers the outputs and what it did.
 */
export async function upAdopting(
  rig: Rig,
): Promise<{ outputs: Record<string, { value: unknown }>; did: string; adopted?: string }> {
  try {
    return { outputs: (await rig.stack.up({ onOutput: rig.onOutput })).outputs, did: "up" };
  } catch (e) {
    const keyId = ADOPT.exec((e as Error).message)?.[1];
    if (!keyId) throw e;
    rig.onOutput(String((e as Error).message));
    await rig.stack.setConfig("demo:appKeyAdoptId", { value: keyId });
    const up = await rig.stack.up({ onOutput: rig.onOutput });
    await rig.stack.removeConfig("demo:appKeyAdoptId");
    return { outputs: up.outputs, did: `up failed naming CMK ${keyId}; adoptKeyId set; up`, adopted: keyId };
  }
}

/**
 * The demo's VPN connections whose original settings an interrupted create took: the program declares a
 * VpnConnectionConfig for the connection, the state (`exported`, once recovered) holds none, and the connection
 * shows settings other than those it had before the first `up` (`initial`). The rerun's create then records the
 * settings it finds as the original ones, so `restoreOnDelete` cannot bring back the earlier ones.
 *
 * Why from what the user sees, not from the checkpoint's pending operations: a create records the originals only
 * when it returns (a dynamic provider cannot write state in the middle of a step), so any kill between the
 * connection's write and that return loses them, and the checkpoint shows it differently by what was killed. A
 * kill of the CLI leaves a pending create; a kill of the provider plugin alone makes the CLI record a failed create,
 * with no pending operation and nothing in state; a checkpoint cut by the kill and restored from its backup may
 * have lost the pending create too. A create that ended with the provider alive records the originals it read
 * (PartialCreateError), and is then in state.
 */
export function lostOriginals(exported: string, view: CloudView, initial: CloudView): string[] {
  const inState = new Set(
    (stateIds(exported).VpnConnectionConfig ?? []).map((id) => parseResourceId(id).vpnConnectionId),
  );
  return DEMO_CONNECTIONS.filter(
    (id) => !inState.has(id) && JSON.stringify(view.vpn[id]) !== JSON.stringify(initial.vpn[id]),
  );
}
