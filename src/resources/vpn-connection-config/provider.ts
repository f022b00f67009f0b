import type * as pulumi from "@pulumi/pulumi";
import { alibabaClient, newClientToken } from "../../clouds/alibaba";
import { CloudError, isCloudError } from "../../clouds/errors";
import { withLock } from "../../clouds/lock";
import { waitFor } from "../../clouds/retry";
import { redact, registerSecrets } from "../../clouds/secrets";
import { checkResult, deferredNote, isUnknown, oldInputsFor, parseInputs, sameInputs } from "../common/check";
import { warn } from "../common/warn";
import {
  changeFor,
  diffInputs,
  differences,
  effective,
  gatewayStateFailure,
  gatewayWaitFailure,
  hintFor,
  isEmptyChange,
  liveFailures,
  project,
  siblingFailures,
} from "./rules";
import {
  DEFAULT_TIMEOUT_SECONDS,
  type Inputs,
  type Settings,
  inputsSchema,
  parseResourceId,
  psksIn,
  resourceId,
  settingsOf,
  splitSecrets,
  userField,
} from "./schema";
import {
  type LiveConnection,
  type LiveGateway,
  connectionFrom,
  connectionsFrom,
  gatewayFrom,
  toModifyParams,
} from "./wire";
import { PartialCreateError } from "../common/partial-create";
import { processMemory } from "../../common/process-memory";

// Settings of an existing Alibaba IPsec-VPN connection, through ModifyVpnConnectionAttribute and the reads
// DescribeVpnConnection(s) / DescribeVpnGateway (VPC 2016-04-28). The resource adopts the connection: create
// records its settings (secret `originalSettings`) and applies the managed ones; delete leaves the connection,
// or puts the managed fields back to their recorded values when `restoreOnDelete` is set.
//
// The cloud takes one change at a time per VPN gateway, so every change runs under a per-gateway lock shared by
// all resources of the deployment: wait for the gateway to be active, modify (one ClientToken, reused by the
// client's retries), wait until the gateway is active again and the connection shows the new settings.

type Props = Record<string, unknown>;

const NOT_FOUND = "InvalidVpnConnectionInstanceId.NotFound";

// The settings each connection will have after this deployment, as the checks of its resources planned them (this
// provider process serves the whole deployment). The sibling rules judge a connection against what its siblings
// will become too.
function plannedSettings(): Map<string, Settings> {
  return processMemory("vpn-planned-settings", () => new Map<string, Settings>());
}

function registerInputSecrets(...bags: unknown[]): void {
  for (const b of bags) registerSecrets(...psksIn(b));
}

function deadlineFrom(timeoutSeconds: unknown): () => number {
  const seconds = typeof timeoutSeconds === "number" ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  const end = Date.now() + seconds * 1000;
  // Each call or wait gets what is left of the operation's deadline (at least a second, so a last read happens).
  return () => Math.max(1000, end - Date.now());
}

/** The lock every change to a connection of this gateway takes, across all resources of the deployment. */
export function gatewayLockKey(region: string, vpnGatewayId: string): string {
  return `alibaba-vpn-gateway:${region}:${vpnGatewayId}`;
}

function parseOrThrow(news: Props): Inputs {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs)
    throw new Error(
      `Invalid VpnConnectionConfig inputs: ${redact(failures.map((f) => f.reason).join("; "))}`,
    );
  registerInputSecrets(inputs);
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

/** Reads and changes of one IPsec connection under one operation deadline. */
class ConnectionOps {
  /** Set once a ModifyVpnConnectionAttribute was accepted: from then on the cloud holds new settings. */
  wrote = false;
  before?: LiveConnection;

  constructor(
    readonly region: string,
    readonly vpnConnectionId: string,
    readonly remaining: () => number,
  ) {}

  private client() {
    return alibabaClient("vpc", this.region);
  }

  async describe(): Promise<LiveConnection | undefined> {
    try {
      const body = await this.client().call(
        "DescribeVpnConnection",
        { VpnConnectionId: this.vpnConnectionId },
        {
          deadlineMs: this.remaining(),
        },
      );
      const conn = connectionFrom(body);
      // PSKs the cloud holds (generated, or set out of band) are secrets too, even if no input carried them.
      registerSecrets(...psksIn(conn.settings));
      return conn;
    } catch (e) {
      if (isCloudError(e, NOT_FOUND)) return undefined;
      throw e;
    }
  }

  async require(): Promise<LiveConnection> {
    const conn = await this.describe();
    if (!conn)
      throw new Error(
        `IPsec connection ${this.vpnConnectionId} was not found in region ${this.region}: check 'vpnConnectionId' ` +
          `and 'region' of the VpnConnectionConfig (and the account of the credentials).`,
      );
    return conn;
  }

  async gateway(vpnGatewayId: string): Promise<LiveGateway> {
    const body = await this.client().call(
      "DescribeVpnGateway",
      { VpnGatewayId: vpnGatewayId },
      {
        deadlineMs: this.remaining(),
      },
    );
    return gatewayFrom(body);
  }

  /** All connections of a gateway (DescribeVpnConnections, every page). */
  async siblings(vpnGatewayId: string): Promise<LiveConnection[]> {
    const out: LiveConnection[] = [];
    for (let page = 1; ; page++) {
      const body = await this.client().call<Props>(
        "DescribeVpnConnections",
        { VpnGatewayId: vpnGatewayId, PageNumber: page, PageSize: 50 },
        { deadlineMs: this.remaining() },
      );
      const items = connectionsFrom(body);
      out.push(...items);
      if (items.length < 50 || out.length >= Number(body.TotalCount ?? 0)) return out;
    }
  }

  private waitGateway(vpnGatewayId: string): Promise<LiveGateway> {
    return waitFor(
      () => this.gateway(vpnGatewayId),
      (g) => g.status === "active",
      (g) => `gateway ${g.status}`,
      {
        description: `VPN gateway ${vpnGatewayId} to be active before changing ${this.vpnConnectionId}`,
        timeoutMs: this.remaining(),
        failed: gatewayWaitFailure,
      },
    );
  }

  /**
   * Brings the connection to `desired` (only the fields that differ are sent) and waits until the gateway is
   * active and the connection shows them. One change per gateway at a time across the deployment.
   */
  async apply(desired: Settings, lastApplied?: Settings): Promise<Applied> {
    const located = await this.require();
    const gatewayId = located.vpnGatewayId;
    return withLock(gatewayLockKey(this.region, gatewayId), async () => {
      await this.waitGateway(gatewayId);
      const before = await this.require();
      this.before = before;
      const change = changeFor(desired, before.settings, lastApplied);
      if (isEmptyChange(change)) return { before, after: before, gw: await this.gateway(gatewayId) };
      try {
        await this.client().call(
          "ModifyVpnConnectionAttribute",
          { VpnConnectionId: this.vpnConnectionId, ...toModifyParams(change) },
          { clientToken: newClientToken(), deadlineMs: this.remaining() },
        );
      } catch (e) {
        if (!(e instanceof CloudError)) throw e;
        throw e.withHint(
          hintFor(e.code, {
            vpnConnectionId: this.vpnConnectionId,
            vpnGatewayId: gatewayId,
            dual: before.tunnelMode === "dual",
          }),
        );
      }
      this.wrote = true;
      const done = await waitFor(
        async () => ({ gw: await this.gateway(gatewayId), conn: await this.require() }),
        (v) =>
          v.gw.status === "active" &&
          v.conn.state === "active" &&
          differences(desired, v.conn.settings).length === 0,
        (v) => {
          const pending = differences(desired, v.conn.settings);
          // Field names only: the values may be PSKs.
          return (
            `gateway ${v.gw.status}, connection ${v.conn.state}` +
            (pending.length ? `, not yet showing ${pending.join(", ")}` : "")
          );
        },
        {
          description: `IPsec connection ${this.vpnConnectionId} (VPN gateway ${gatewayId}) to apply the new settings`,
          timeoutMs: this.remaining(),
          failed: (v) => gatewayWaitFailure(v.gw),
        },
      );
      return { before, after: done.conn, gw: done.gw };
    });
  }
}

/** Outputs: the managed settings as the cloud shows them (plain, PSKs apart), plus what the cloud reports. */
function outputsFor(
  base: Props,
  managed: Settings,
  conn: LiveConnection,
  gw: LiveGateway,
  original: unknown,
): Props {
  const mine = splitSecrets(managed);
  const live = splitSecrets(conn.settings);
  const out: Props = {
    ...base,
    ...mine.plain,
    presharedKeys: mine.presharedKeys,
    vpnGatewayId: conn.vpnGatewayId,
    vpnType: gw.vpnType,
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
  registerInputSecrets(olds, news);
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
  registerInputSecrets(inputs);
  if (sameInputs(olds, inputs as unknown as Props))
    return checkResult(news, inputs as unknown as Props, failures);
  const desired = settingsOf(inputs);
  const ops = new ConnectionOps(inputs.region, inputs.vpnConnectionId, deadlineFrom(inputs.timeoutSeconds));
  const conn = await ops.describe();
  if (!conn) {
    failures.push({
      property: "vpnConnectionId",
      reason:
        `vpnConnectionId: there is no IPsec connection ${inputs.vpnConnectionId} in region ${inputs.region} ` +
        `(for the account of the credentials): check 'vpnConnectionId' and 'region'`,
    });
    return checkResult(news, undefined, failures);
  }
  const gw = await ops.gateway(conn.vpnGatewayId);
  const touchesBlocks =
    desired.bgpConfig?.tunnelCidr !== undefined ||
    (desired.tunnelOptionsSpecification ?? []).some((t) => t.tunnelBgpConfig?.tunnelCidr !== undefined);
  const touchesShared =
    conn.tunnelMode === "single" &&
    (desired.ikeConfig !== undefined ||
      desired.localSubnet !== undefined ||
      desired.remoteSubnet !== undefined);
  const others = touchesBlocks || touchesShared ? await ops.siblings(conn.vpnGatewayId) : [];
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
  registerInputSecrets(olds, news);
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
  const id = resourceId(inputs.region, inputs.vpnConnectionId);
  const desired = settingsOf(inputs);
  const ops = new ConnectionOps(inputs.region, inputs.vpnConnectionId, deadlineFrom(inputs.timeoutSeconds));
  try {
    const { before, after, gw } = await ops.apply(desired);
    return {
      id,
      outs: outputsFor(baseOf(inputs), project(desired, after.settings), after, gw, before.settings),
    };
  } catch (e) {
    if (!ops.wrote || !ops.before) throw e;
    const message = redact(e instanceof Error ? e.message : String(e));
    const { plain, presharedKeys } = splitSecrets(desired);
    throw new PartialCreateError(message, id, {
      ...baseOf(inputs),
      ...plain,
      presharedKeys,
      vpnGatewayId: ops.before.vpnGatewayId,
      tunnelMode: ops.before.tunnelMode,
      originalSettings: ops.before.settings,
      __provider: news.__provider,
    });
  }
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  registerInputSecrets(props);
  const { region, vpnConnectionId } = parseResourceId(id);
  const ops = new ConnectionOps(region, vpnConnectionId, deadlineFrom(props.timeoutSeconds));
  const conn = await ops.describe();
  // The connection is gone: an empty id tells Pulumi to drop the resource from state.
  if (!conn) return {};
  const gw = await ops.gateway(conn.vpnGatewayId);
  const managed = project(settingsOf(props), conn.settings);
  const base = baseOf({ ...props, region, vpnConnectionId });
  const { plain, presharedKeys } = splitSecrets(managed);
  // Same form as the Resource class sends: presharedKeys is always an object.
  const inputs: Props = { ...base, ...plain, presharedKeys: presharedKeys ?? {} };
  return { id, props: outputsFor(base, managed, conn, gw, props.originalSettings), inputs };
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  registerInputSecrets(olds, news);
  const inputs = parseOrThrow(news);
  const desired = settingsOf(inputs);
  const ops = new ConnectionOps(inputs.region, inputs.vpnConnectionId, deadlineFrom(inputs.timeoutSeconds));
  const { after, gw } = await ops.apply(desired, settingsOf(olds));
  return {
    outs: outputsFor(baseOf(inputs), project(desired, after.settings), after, gw, olds.originalSettings),
  };
}

export async function destroy(id: string, props: Props): Promise<void> {
  registerInputSecrets(props);
  if (props.restoreOnDelete !== true) return;
  const original = props.originalSettings as Settings | undefined;
  if (!original) return;
  const { region, vpnConnectionId } = parseResourceId(id);
  const ops = new ConnectionOps(region, vpnConnectionId, deadlineFrom(props.timeoutSeconds));
  if (!(await ops.describe())) return;
  // Only the fields this resource managed go back: others may have been changed since by someone else.
  // autoConfigRoute cannot be restored: no read shows what it was.
  const target = withoutEmpty({ ...project(settingsOf(props), original), autoConfigRoute: undefined });
  await ops.apply(target, settingsOf(props));
}
