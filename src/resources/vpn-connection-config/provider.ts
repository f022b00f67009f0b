import type * as pulumi from "@pulumi/pulumi";
import { CloudError } from "../../clouds/errors";
import { takeOver, withLock } from "../../clouds/lock";
import { redact } from "../../clouds/secrets";
import { processMemory } from "../../common/process-memory";
import { checkResult, deferredNote, isUnknown, oldInputsFor, parseInputs, sameInputs } from "../common/check";
import { PartialCreateError } from "../common/partial-create";
import { warn } from "../common/warn";
import {
  type GatewayHandover,
  type LiveConnection,
  type LiveGateway,
  type Settings,
  VpnCloud,
  gatewayLockKey,
  handedOverConnection,
  isBusy,
  isIncorrectStatus,
  waitChangeApplied,
  waitGatewayActive,
} from "./cloud";
import { recordSettings, recordedSettings, registerPsks, splitPsks, userField } from "./psk";
import {
  changeFor,
  changedOutside,
  diffInputs,
  differences,
  effective,
  gatewayStateFailure,
  gatewayWaitFailure,
  hintFor,
  isEmptyChange,
  liveFailures,
  project,
  settingsOf,
  siblingFailures,
} from "./rules";
import {
  DEFAULT_TIMEOUT_SECONDS,
  type Inputs,
  createResourceId,
  inputsSchema,
  parseResourceId,
} from "./schema";
import { operationDeadline } from "../common/deadline";

// Settings of an existing Alibaba IPsec-VPN connection, through ModifyVpnConnectionAttribute and the reads
// DescribeVpnConnection(s) / DescribeVpnGateway (cloud.ts). The resource adopts the connection: create records its
// settings (secret `originalSettings`) and applies the managed ones; delete leaves the connection, or puts the
// managed fields back to their recorded values when `restoreOnDelete` is set.
//
// The cloud takes one change at a time per VPN gateway, so every change runs under a per-gateway lock shared by
// all resources of the deployment: read the gateway and the connection (right after the deployment's last change on
// the gateway, as that change's wait left them), wait for the gateway if it is busy, modify (the busy answers of
// another deployment's change retried), wait until the change shows. `timeoutSeconds` is one budget for all of it.

type Props = Record<string, unknown>;

// The settings each connection will have after this deployment, as the checks of its resources planned them (this
// provider process serves the whole deployment). The sibling rules judge a connection against what its siblings
// will become too.
function plannedSettings(): Map<string, Settings> {
  return processMemory("vpn-planned-settings", () => new Map<string, Settings>());
}

// The gateway of each connection check() read (a connection never moves to another gateway), so that create finds
// the gateway's lock without reading the connection a second time outside of it.
function knownGateways(): Map<string, string> {
  return processMemory("vpn-connection-gateways", () => new Map<string, string>());
}

function cloudFor(region: string, timeoutSeconds: unknown): VpnCloud {
  return new VpnCloud(region, operationDeadline(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS));
}

function parseOrThrow(news: Props): Inputs {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs)
    throw new Error(
      `Invalid VpnConnectionConfig inputs: ${redact(failures.map((f) => f.reason).join("; "))}. Fix them in ` +
        `the program; 'pulumi preview' checks them without changing anything.`,
    );
  registerPsks(inputs);
  return inputs;
}

/** Drops empty-string members of the blocks: a value the cloud shows as "" cannot be sent back as a setting. */
function withoutEmpty(s: Settings): Settings {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== "" && x !== undefined)
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return strip(s) as Settings;
}

interface Applied {
  before: LiveConnection;
  after: LiveConnection;
  gw: LiveGateway;
}

interface ApplyOptions {
  /** The settings last applied (autoConfigRoute is write-only: sent when it differs from these). */
  lastApplied?: Settings;
  /** The managed settings as the stack's state recorded them, which the preview's diff was computed from. */
  recorded?: Settings;
  /** The connection's gateway, when known (state, or check in this process). */
  vpnGatewayId?: string;
  /** Called with the connection as read right before the write. */
  onRead?: (before: LiveConnection) => void;
}

/**
 * Brings the connection to `desired` (only the fields that differ are sent) and waits until the gateway is active
 * and the connection shows them. One change per gateway at a time across the deployment. `progress.wrote` tells a
 * caller whose operation failed whether the cloud accepted the write (and so may hold the new settings).
 */
async function apply(
  cloud: VpnCloud,
  vpnConnectionId: string,
  desired: Settings,
  opts: ApplyOptions,
  progress: { wrote: boolean },
): Promise<Applied> {
  const gatewayId = opts.vpnGatewayId ?? (await cloud.requireConnection(vpnConnectionId)).vpnGatewayId;
  const lockKey = gatewayLockKey(cloud.region, gatewayId);
  return withLock(lockKey, async () => {
    const purpose = `before changing ${vpnConnectionId}`;
    // The connection as it was before this operation's first write: the settings to restore on delete. A write
    // whose answer was lost and whose retry met the gateway busy with that very write is read back applied.
    let first: LiveConnection | undefined;
    // Right after this process's last change on the gateway, the gateway and its connections as that change's
    // wait left them (active).
    let left = takeOver<GatewayHandover>(lockKey);
    // The gateway as last read, if it was: only the outputs need it when nothing is to be written.
    let gw = left?.gw;
    for (;;) {
      // The connection, read right before the write: it may have been changed since the state was read. The
      // gateway is not read: busy with another change (another deployment's, a person's), it refuses the write,
      // which is then waited for below; financially locked or being deleted, its refusal says so.
      const before =
        handedOverConnection(left, vpnConnectionId) ?? (await cloud.requireConnection(vpnConnectionId));
      left = undefined;
      if (!first) {
        first = before;
        opts.onRead?.(before);
      }
      if (opts.recorded) {
        const outside = changedOutside(opts.recorded, desired, before.settings);
        if (outside.length > 0) throw changedOutsideError(cloud.region, before, outside);
      }
      const change = changeFor(desired, before.settings, opts.lastApplied);
      if (isEmptyChange(change)) {
        gw ??= await cloud.describeGateway(gatewayId);
        return { before: first, after: before, gw };
      }
      try {
        await cloud.modifyConnection(vpnConnectionId, change);
      } catch (e) {
        if (!(e instanceof CloudError)) throw e;
        const hinted = e.withHint(
          hintFor(e.code, { vpnConnectionId, vpnGatewayId: gatewayId, dual: before.tunnelMode === "dual" }),
        );
        // Busy: another change (another deployment's, a person's) reached the gateway after our read; read again
        // and write what is still needed, never the settings read before it. IncorrectStatus: the gateway is in
        // a state the change cannot be applied in; while it passes through one, the same; otherwise it cannot
        // succeed.
        if (!isBusy(e) && !isIncorrectStatus(e)) throw hinted;
        if (isIncorrectStatus(e)) {
          const now = await cloud.describeGateway(gatewayId);
          if (now.status === "active" || gatewayWaitFailure(now)) throw hinted;
        }
        if (cloud.remaining() <= 1000) throw hinted;
        gw = await waitGatewayActive(cloud, gatewayId, purpose, gatewayWaitFailure);
        continue;
      }
      progress.wrote = true;
      const done = await waitChangeApplied(
        cloud,
        { vpnConnectionId, vpnGatewayId: gatewayId },
        (conn) => differences(desired, conn.settings),
        gatewayWaitFailure,
      );
      return { before: first, after: done.conn, gw: done.gw };
    }
  });
}

function changedOutsideError(region: string, conn: LiveConnection, fields: string[]): Error {
  return new Error(
    `VpnConnectionConfig ${createResourceId(region, conn.vpnConnectionId)}: ${fields.join(", ")} of IPsec ` +
      `connection ${conn.vpnConnectionId} changed outside this deployment since the stack's state was last read ` +
      `(by hand, or by another stack), so the preview did not show the value this update would overwrite. ` +
      `Nothing was written. Run 'pulumi refresh' to take in the live values and review them, then 'pulumi up' ` +
      `again (or 'pulumi up --refresh').`,
  );
}

/** Outputs: the managed settings as the cloud shows them (plain, PSKs apart), plus what the cloud reports. */
function outputsFor(
  base: Props,
  managed: Settings,
  conn: LiveConnection,
  vpnType: string,
  original: unknown,
): Props {
  const mine = splitPsks(managed);
  const live = splitPsks(conn.settings);
  const out: Props = {
    ...base,
    ...mine.plain,
    presharedKeys: mine.presharedKeys,
    vpnGatewayId: conn.vpnGatewayId,
    vpnType,
    tunnelMode: conn.tunnelMode,
    state: conn.state,
    liveSettings: live.plain,
    livePresharedKeys: live.presharedKeys,
    originalSettings: original,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function baseOf(p: {
  region: string;
  vpnConnectionId: string;
  restoreOnDelete?: unknown;
  timeoutSeconds?: unknown;
}): Props {
  return {
    region: p.region,
    vpnConnectionId: p.vpnConnectionId,
    restoreOnDelete: p.restoreOnDelete === true,
    ...(typeof p.timeoutSeconds === "number" ? { timeoutSeconds: p.timeoutSeconds } : {}),
  };
}

export { configure } from "../common/configure";

export async function check(givenOlds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, news);
  registerPsks(olds, news);
  const parsed = parseInputs(inputsSchema, news);
  const failures = parsed.failures.map((f) => {
    const property = userField(f.property, news);
    return { property, reason: redact(f.reason.replace(f.property, property)) };
  });
  const inputs = parsed.inputs;
  const unknown = Object.keys(news).filter((k) => k !== "__provider" && isUnknown(news[k]));
  if (unknown.length > 0 && failures.length === 0) {
    // The live rules read the connection, its gateway and the whole desired configuration together.
    const what = isUnknown(news.vpnConnectionId)
      ? "VpnConnectionConfig"
      : `VpnConnectionConfig ${String(news.vpnConnectionId)}`;
    await warn(
      deferredNote(
        what,
        unknown.map((k) => (k === "presharedKeys" ? "psk" : userField(k, news))),
        "the connection and its gateway's rules",
      ),
    );
  }
  if (!inputs || isUnknown(inputs)) return checkResult(news, inputs, failures);
  registerPsks(inputs);
  if (sameInputs(olds, inputs as unknown as Props))
    return checkResult(news, inputs as unknown as Props, failures);
  const desired = settingsOf(inputs);
  const cloud = cloudFor(inputs.region, inputs.timeoutSeconds);
  // The reads of check are shared with the deployment's other checks for a moment (CHECK_SHARED_READ_MS): with
  // many connections on one gateway, the gateway and its connections are read once per check pass, not once per
  // connection. Create and update read them again before writing.
  const conn = await cloud.checkConnection(inputs.vpnConnectionId);
  if (!conn) {
    failures.push({
      property: "vpnConnectionId",
      reason:
        `vpnConnectionId: there is no IPsec connection ${inputs.vpnConnectionId} in region ${inputs.region} ` +
        `(for the account of the credentials): check 'vpnConnectionId' and 'region'`,
    });
    return checkResult(news, undefined, failures);
  }
  knownGateways().set(createResourceId(inputs.region, conn.vpnConnectionId), conn.vpnGatewayId);
  const touchesBlocks =
    desired.bgpConfig?.tunnelCidr !== undefined ||
    (desired.tunnelOptionsSpecification ?? []).some((t) => t.tunnelBgpConfig?.tunnelCidr !== undefined);
  const touchesShared =
    conn.tunnelMode === "single" &&
    (desired.ikeConfig !== undefined ||
      desired.localSubnet !== undefined ||
      desired.remoteSubnet !== undefined);
  const [gw, others] = await Promise.all([
    cloud.checkGateway(conn.vpnGatewayId),
    touchesBlocks || touchesShared ? cloud.checkGatewayConnections(conn.vpnGatewayId) : [],
  ]);
  failures.push(...liveFailures(desired, { conn, gw, others }));
  if (failures.length === 0)
    failures.push(...siblingFailures(desired, { conn, gw, others, planned: plannedSettings() }));
  if (failures.length === 0) plannedSettings().set(conn.vpnConnectionId, effective(desired, conn.settings));
  if (!isEmptyChange(changeFor(desired, conn.settings, settingsOf(olds)))) {
    const blocked = gatewayStateFailure(gw, conn.vpnConnectionId);
    if (blocked) failures.push(blocked);
  }
  return checkResult(news, inputs as unknown as Props, failures);
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  registerPsks(olds, news);
  const d = diffInputs(olds, news);
  if (isUnknown(news) || d.replaces.length > 0)
    return { changes: true, replaces: d.replaces, deleteBeforeReplace: false };
  if (!d.changes) return { changes: false, replaces: [], deleteBeforeReplace: false };
  // Fields differ: answer "unknown" so that the engine diffs the inputs itself and keeps that detailed diff. A
  // dynamic provider cannot return one, and without it the display compares masked values, so a changed PSK
  // would show as `presharedKeys: [secret]`, unmarked, on an update with no visible cause.
  return { replaces: [], deleteBeforeReplace: false };
}

export async function create(news: Props): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parseOrThrow(news);
  const id = createResourceId(inputs.region, inputs.vpnConnectionId);
  const desired = settingsOf(inputs);
  const cloud = cloudFor(inputs.region, inputs.timeoutSeconds);
  const progress = { wrote: false };
  let read: LiveConnection | undefined;
  try {
    const { before, after, gw } = await apply(
      cloud,
      inputs.vpnConnectionId,
      desired,
      { vpnGatewayId: knownGateways().get(id), onRead: (c) => (read = c) },
      progress,
    );
    return {
      id,
      outs: outputsFor(
        baseOf(inputs),
        project(desired, after.settings),
        after,
        gw.vpnType,
        recordSettings(before.settings),
      ),
    };
  } catch (e) {
    if (!progress.wrote || !read) throw e;
    const message = redact(e instanceof Error ? e.message : String(e));
    // The state records what the connection showed before the write, not what was asked: the next update then
    // sees whether the write took, and any other change since, like after any read.
    const { plain, presharedKeys } = splitPsks(project(desired, read.settings));
    throw new PartialCreateError(message, id, {
      ...baseOf(inputs),
      ...plain,
      presharedKeys,
      vpnGatewayId: read.vpnGatewayId,
      tunnelMode: read.tunnelMode,
      originalSettings: recordSettings(read.settings),
      __provider: news.__provider,
    });
  }
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  registerPsks(props);
  const { region, vpnConnectionId } = parseResourceId(id);
  const cloud = cloudFor(region, props.timeoutSeconds);
  // The connection list of its gateway is shared by the reads of that gateway's connections for a moment
  // (REFRESH_SHARED_READ_MS): with many connections on one gateway, a refresh reads the list once, not each connection.
  const conn = await cloud.readConnection(vpnConnectionId, gatewayOf(props));
  // The connection is gone: an empty id tells Pulumi to drop the resource from state.
  if (!conn) return {};
  // A gateway's type never changes: state's answer stands while the connection stays on the same gateway, so a
  // refresh reads one object per resource.
  const vpnType =
    typeof props.vpnType === "string" && props.vpnGatewayId === conn.vpnGatewayId
      ? props.vpnType
      : (await cloud.describeGateway(conn.vpnGatewayId)).vpnType;
  const managed = project(settingsOf(props), conn.settings);
  const base = baseOf({ ...props, region, vpnConnectionId });
  const { plain, presharedKeys } = splitPsks(managed);
  // Same form as the Resource class sends: presharedKeys is always an object.
  const inputs: Props = { ...base, ...plain, presharedKeys: presharedKeys ?? {} };
  return { id, props: outputsFor(base, managed, conn, vpnType, props.originalSettings), inputs };
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  registerPsks(olds, news);
  const inputs = parseOrThrow(news);
  const desired = settingsOf(inputs);
  const recorded = settingsOf(olds);
  const cloud = cloudFor(inputs.region, inputs.timeoutSeconds);
  const { after, gw } = await apply(
    cloud,
    inputs.vpnConnectionId,
    desired,
    { lastApplied: recorded, recorded, vpnGatewayId: gatewayOf(olds) },
    { wrote: false },
  );
  return {
    outs: outputsFor(
      baseOf(inputs),
      project(desired, after.settings),
      after,
      gw.vpnType,
      olds.originalSettings,
    ),
  };
}

export async function destroy(id: string, props: Props): Promise<void> {
  registerPsks(props);
  if (props.restoreOnDelete !== true) return;
  const { region, vpnConnectionId } = parseResourceId(id);
  const original = originalOf(id, props.originalSettings);
  if (!original) return;
  const cloud = cloudFor(region, props.timeoutSeconds);
  const conn = await cloud.findConnection(vpnConnectionId);
  if (!conn) return;
  // Only the fields this resource managed go back: others may have been changed since by someone else.
  // autoConfigRoute cannot be restored: no read shows what it was.
  const target = withoutEmpty({ ...project(settingsOf(props), original), autoConfigRoute: undefined });
  await apply(
    cloud,
    vpnConnectionId,
    target,
    { lastApplied: settingsOf(props), vpnGatewayId: conn.vpnGatewayId },
    { wrote: false },
  );
}

/** The settings to restore on delete; an error when the record is there but cannot be read. */
function originalOf(id: string, record: unknown): Settings | undefined {
  const settings = recordedSettings(record);
  if (typeof record === "string" && settings === undefined) {
    throw new Error(
      `VpnConnectionConfig ${id}: originalSettings in the stack's state is not the JSON this package records, so ` +
        `the settings to restore on delete are unknown. Nothing was written. Set restoreOnDelete to false and run ` +
        `'pulumi up' to leave the connection as it is on delete, or put its settings back by hand.`,
    );
  }
  return settings;
}

/** The gateway the state recorded for the connection (it never changes). */
function gatewayOf(props: Props): string | undefined {
  return typeof props.vpnGatewayId === "string" && props.vpnGatewayId !== "" ? props.vpnGatewayId : undefined;
}
