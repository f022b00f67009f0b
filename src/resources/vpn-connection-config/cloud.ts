import {
  type AlibabaCallOptions,
  alibabaClient,
  alibabaScope,
  newClientToken,
  smallListing,
} from "../../clouds/alibaba";
import { CloudError, isCloudError } from "../../clouds/errors";
import { handOver } from "../../clouds/lock";
import { isRetryable, waitFor, waitLearned } from "../../clouds/retry";
import { processMemory } from "../../common/process-memory";
import {
  CHECK_SHARED_READ_MS,
  REFRESH_SHARED_READ_MS,
  SHARED_LISTING_MAX_ITEMS,
  type SharedReads,
  listingOrNone,
  sharedReads,
} from "../../common/shared-reads";
import { registerPsks } from "./psk";
import type { Remaining } from "../common/deadline";

// Everything that talks to the cloud for VpnConnectionConfig: the VPC 2016-04-28 calls ModifyVpnConnectionAttribute
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns),
// DescribeVpnConnection
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-describevpnconnection-vpns),
// DescribeVpnConnections
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-describevpnconnections-vpns)
// and DescribeVpnGateway
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-describevpngateway-vpns),
// their wire forms and the typed settings they map to, the finder and the named waiters.

/** The connection's settings in one typed form, PSKs inside their IKE blocks. Desired: only what is managed. */
export interface IkeSettings {
  psk?: string;
  ikeVersion?: string;
  ikeMode?: string;
  ikeEncAlg?: string;
  ikeAuthAlg?: string;
  ikePfs?: string;
  ikeLifetime?: number;
  localId?: string;
  remoteId?: string;
}
export interface IpsecSettings {
  ipsecEncAlg?: string;
  ipsecAuthAlg?: string;
  ipsecPfs?: string;
  ipsecLifetime?: number;
}
export interface HealthCheckSettings {
  enable?: boolean;
  dip?: string;
  sip?: string;
  interval?: number;
  retry?: number;
}
export interface TunnelBgpSettings {
  localAsn?: number;
  tunnelCidr?: string;
  localBgpIp?: string;
}
export interface BgpSettings extends TunnelBgpSettings {
  enableBgp?: boolean;
}
export interface TunnelSettings {
  tunnelId?: string;
  role?: string;
  customerGatewayId?: string;
  tunnelIkeConfig?: IkeSettings;
  tunnelIpsecConfig?: IpsecSettings;
  tunnelBgpConfig?: TunnelBgpSettings;
  enableDpd?: boolean;
  enableNatTraversal?: boolean;
  remoteCaCertificate?: string;
}
export interface Settings {
  name?: string;
  localSubnet?: string[];
  remoteSubnet?: string[];
  effectImmediately?: boolean;
  autoConfigRoute?: boolean;
  ikeConfig?: IkeSettings;
  ipsecConfig?: IpsecSettings;
  healthCheckConfig?: HealthCheckSettings;
  bgpConfig?: BgpSettings;
  enableDpd?: boolean;
  enableNatTraversal?: boolean;
  remoteCaCertificate?: string;
  tunnelOptionsSpecification?: TunnelSettings[];
  enableTunnelsBgp?: boolean;
}

// Between the typed settings and the wire forms of VPC 2016-04-28: ModifyVpnConnectionAttribute takes the
// single-tunnel blocks as JSON strings and TunnelOptionsSpecification as an array the client flattens to
// TunnelOptionsSpecification.N.TunnelIkeConfig.X; DescribeVpnConnection answers with mixed types (tunnel
// booleans, lifetimes and ASNs as strings; VcoHealthCheck.Enable and VpnBgpConfig.EnableBgp as strings).

type Bag = Record<string, unknown>;

function compact(o: Bag): Bag {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const ikeWire = (c: IkeSettings): Bag =>
  compact({
    Psk: c.psk,
    IkeVersion: c.ikeVersion,
    IkeMode: c.ikeMode,
    IkeEncAlg: c.ikeEncAlg,
    IkeAuthAlg: c.ikeAuthAlg,
    IkePfs: c.ikePfs,
    IkeLifetime: c.ikeLifetime,
    LocalId: c.localId,
    RemoteId: c.remoteId,
  });

const ipsecWire = (c: IpsecSettings): Bag =>
  compact({
    IpsecEncAlg: c.ipsecEncAlg,
    IpsecAuthAlg: c.ipsecAuthAlg,
    IpsecPfs: c.ipsecPfs,
    IpsecLifetime: c.ipsecLifetime,
  });

const str = (v: boolean | number | undefined) => (v === undefined ? undefined : String(v));

// Keys and string values as the API document's examples write these two blocks.
const healthCheckWire = (c: HealthCheckSettings): Bag =>
  compact({ enable: str(c.enable), dip: c.dip, sip: c.sip, interval: str(c.interval), retry: str(c.retry) });

const bgpWire = (c: BgpSettings): Bag =>
  compact({
    EnableBgp: str(c.enableBgp),
    LocalAsn: str(c.localAsn),
    TunnelCidr: c.tunnelCidr,
    LocalBgpIp: c.localBgpIp,
  });

const tunnelBgpWire = (c: TunnelBgpSettings): Bag =>
  compact({ LocalAsn: c.localAsn, LocalBgpIp: c.localBgpIp, TunnelCidr: c.tunnelCidr });

const json = (o: Bag | undefined) => (o && Object.keys(o).length > 0 ? JSON.stringify(o) : undefined);

/** ModifyVpnConnectionAttribute parameters for a change (VpnConnectionId and ClientToken are added by the caller). */
export function toModifyParams(change: Settings): Bag {
  return compact({
    Name: change.name,
    LocalSubnet: change.localSubnet?.join(","),
    RemoteSubnet: change.remoteSubnet?.join(","),
    EffectImmediately: change.effectImmediately,
    AutoConfigRoute: change.autoConfigRoute,
    IkeConfig: json(change.ikeConfig && ikeWire(change.ikeConfig)),
    IpsecConfig: json(change.ipsecConfig && ipsecWire(change.ipsecConfig)),
    HealthCheckConfig: json(change.healthCheckConfig && healthCheckWire(change.healthCheckConfig)),
    BgpConfig: json(change.bgpConfig && bgpWire(change.bgpConfig)),
    EnableDpd: change.enableDpd,
    EnableNatTraversal: change.enableNatTraversal,
    RemoteCaCertificate: change.remoteCaCertificate,
    TunnelOptionsSpecification: change.tunnelOptionsSpecification?.map((t) =>
      compact({
        TunnelId: t.tunnelId,
        Role: t.role,
        CustomerGatewayId: t.customerGatewayId,
        EnableDpd: t.enableDpd,
        EnableNatTraversal: t.enableNatTraversal,
        RemoteCaCertificate: t.remoteCaCertificate,
        TunnelIkeConfig: t.tunnelIkeConfig && ikeWire(t.tunnelIkeConfig),
        TunnelIpsecConfig: t.tunnelIpsecConfig && ipsecWire(t.tunnelIpsecConfig),
        TunnelBgpConfig: t.tunnelBgpConfig && tunnelBgpWire(t.tunnelBgpConfig),
      }),
    ),
    EnableTunnelsBgp: change.enableTunnelsBgp,
  });
}

// ------------------------------------------------------------------------------------------------ reads

function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function bag(v: unknown): Bag {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Bag) : {};
}

function ikeFrom(v: unknown): IkeSettings {
  const b = bag(v);
  return compact({
    psk: text(b.Psk),
    ikeVersion: text(b.IkeVersion),
    ikeMode: text(b.IkeMode),
    ikeEncAlg: text(b.IkeEncAlg),
    ikeAuthAlg: text(b.IkeAuthAlg),
    ikePfs: text(b.IkePfs),
    ikeLifetime: num(b.IkeLifetime),
    localId: text(b.LocalId),
    remoteId: text(b.RemoteId),
  }) as IkeSettings;
}

function ipsecFrom(v: unknown): IpsecSettings {
  const b = bag(v);
  return compact({
    ipsecEncAlg: text(b.IpsecEncAlg),
    ipsecAuthAlg: text(b.IpsecAuthAlg),
    ipsecPfs: text(b.IpsecPfs),
    ipsecLifetime: num(b.IpsecLifetime),
  }) as IpsecSettings;
}

function subnets(v: unknown): string[] | undefined {
  if (typeof v !== "string") return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface LiveConnection {
  vpnConnectionId: string;
  vpnGatewayId: string;
  /** Lifecycle state (DescribeVpnConnection.State; Status is the IKE/IPsec negotiation state). */
  state: string;
  tunnelMode: "single" | "dual";
  /** The customer gateway (peer) of a single-tunnel connection; its tunnels have their own. */
  customerGatewayId?: string;
  /** Every setting as the cloud shows it, PSKs included. AutoConfigRoute is never shown: it is write-only. */
  settings: Settings;
}

export interface LiveGateway {
  vpnGatewayId: string;
  status: string;
  businessStatus: string;
  /** "Normal" or "NationalStandard" (national cryptography, SM algorithms). */
  vpnType: string;
  enableBgp: boolean;
}

/** A DescribeVpnConnection answer (or one DescribeVpnConnections item) in the typed form. */
export function connectionFrom(body: Bag): LiveConnection {
  const options = bag(body.TunnelOptionsSpecification).TunnelOptions;
  const tunnels = Array.isArray(options) ? options.map(bag) : [];
  const dual = tunnels.length > 0;
  const common: Settings = compact({
    name: text(body.Name),
    localSubnet: subnets(body.LocalSubnet),
    remoteSubnet: subnets(body.RemoteSubnet),
    effectImmediately: bool(body.EffectImmediately),
  });
  let settings: Settings;
  if (dual) {
    settings = compact({
      ...common,
      enableTunnelsBgp: bool(body.EnableTunnelsBgp),
      tunnelOptionsSpecification: tunnels.map(
        (t): TunnelSettings =>
          compact({
            tunnelId: text(t.TunnelId),
            role: text(t.Role),
            customerGatewayId: text(t.CustomerGatewayId),
            enableDpd: bool(t.EnableDpd),
            enableNatTraversal: bool(t.EnableNatTraversal),
            remoteCaCertificate: text(t.RemoteCaCertificate),
            tunnelIkeConfig: ikeFrom(t.TunnelIkeConfig),
            tunnelIpsecConfig: ipsecFrom(t.TunnelIpsecConfig),
            tunnelBgpConfig: compact({
              localAsn: num(bag(t.TunnelBgpConfig).LocalAsn),
              tunnelCidr: text(bag(t.TunnelBgpConfig).TunnelCidr),
              localBgpIp: text(bag(t.TunnelBgpConfig).LocalBgpIp),
            }),
          }) as TunnelSettings,
      ),
    });
  } else {
    const hc = bag(body.VcoHealthCheck);
    const bgp = bag(body.VpnBgpConfig);
    settings = compact({
      ...common,
      enableDpd: bool(body.EnableDpd),
      enableNatTraversal: bool(body.EnableNatTraversal),
      remoteCaCertificate: text(body.RemoteCaCertificate),
      ikeConfig: ikeFrom(body.IkeConfig),
      ipsecConfig: ipsecFrom(body.IpsecConfig),
      healthCheckConfig: compact({
        enable: bool(hc.Enable),
        dip: text(hc.Dip),
        sip: text(hc.Sip),
        interval: num(hc.Interval),
        retry: num(hc.Retry),
      }),
      bgpConfig: compact({
        enableBgp: bool(bgp.EnableBgp),
        localAsn: num(bgp.LocalAsn),
        tunnelCidr: text(bgp.TunnelCidr),
        localBgpIp: text(bgp.LocalBgpIp),
      }),
    });
  }
  return {
    vpnConnectionId: text(body.VpnConnectionId) ?? "",
    vpnGatewayId: text(body.VpnGatewayId) ?? "",
    state: text(body.State) ?? "",
    tunnelMode: dual ? "dual" : "single",
    customerGatewayId: text(body.CustomerGatewayId),
    settings,
  };
}

export function gatewayFrom(body: Bag): LiveGateway {
  return {
    vpnGatewayId: text(body.VpnGatewayId) ?? "",
    status: text(body.Status) ?? "",
    businessStatus: text(body.BusinessStatus) ?? "",
    vpnType: text(body.VpnType) ?? "Normal",
    enableBgp: bool(body.EnableBgp) ?? false,
  };
}

export function connectionsFrom(body: Bag): LiveConnection[] {
  const list = bag(body.VpnConnections).VpnConnection;
  return Array.isArray(list) ? list.map((c) => connectionFrom(bag(c))) : [];
}

// ------------------------------------------------------------------------------------------------ calls

const CONNECTION_NOT_FOUND = "InvalidVpnConnectionInstanceId.NotFound";

// The region's connections (undefined: more than SHARED_LISTING_MAX_ITEMS, or the listing failed), else each
// gateway's list; the region's gateways, else each gateway. A change this deployment writes does not make them
// stale for check's rules, so it keeps them: the gateway states the rules judge (financially locked, deleting) are
// never its doing, and the settings of its own connections come from plannedSettings(). (Forgetting them at each
// write made a 120-connection create list the region again after every change: 7.5 reads per VPN change instead of
// 5.6.)
const checkRegionConnections = () =>
  sharedReads<LiveConnection[] | undefined>("vpn-check-region-connections", CHECK_SHARED_READ_MS);
const checkConnectionLists = () =>
  sharedReads<LiveConnection[]>("vpn-check-gateway-connections", CHECK_SHARED_READ_MS);
const checkRegionGateways = () =>
  sharedReads<LiveGateway[] | undefined>("vpn-check-region-gateways", CHECK_SHARED_READ_MS);
const checkGateways = () => sharedReads<LiveGateway>("vpn-check-gateways", CHECK_SHARED_READ_MS);

// Apart from check's tables: each has its own window, and a refresh never takes an answer a check read.
const readRegionConnections = () =>
  sharedReads<LiveConnection[] | undefined>("vpn-read-region-connections", REFRESH_SHARED_READ_MS);
const readConnectionLists = () =>
  sharedReads<LiveConnection[]>("vpn-read-gateway-connections", REFRESH_SHARED_READ_MS);

/**
 * Whether a DescribeVpnConnections item shows every setting DescribeVpnConnection shows. The list's documented
 * answer has no VpnBgpConfig.EnableBgp for a single-tunnel connection (its dual-tunnel fields are all there): one
 * without it needs the single read.
 */
export function listedInFull(conn: LiveConnection): boolean {
  return conn.tunnelMode === "dual" || conn.settings.bgpConfig?.enableBgp !== undefined;
}

/** The connection `vpnConnectionId` as `list` shows it, when it shows every setting and the connection stays. */
function shownInFull(list: LiveConnection[], vpnConnectionId: string): LiveConnection | undefined {
  const listed = list.find((c) => c.vpnConnectionId === vpnConnectionId);
  return listed && listed.state !== "deleting" && listedInFull(listed) ? listed : undefined;
}

/** The lock every change to a connection of this gateway takes, across all resources of the deployment. */
export function gatewayLockKey(region: string, vpnGatewayId: string): string {
  return `alibaba-vpn-gateway:${region}:${vpnGatewayId}`;
}

/** The VPN calls of one region under one operation's budget. */
export class VpnCloud {
  constructor(
    readonly region: string,
    readonly remaining: Remaining,
  ) {}

  private call<T = Bag>(action: string, params: Bag, opts?: AlibabaCallOptions): Promise<T> {
    return alibabaClient("vpc", this.region).call<T>(action, params, {
      deadlineMs: this.remaining(),
      ...opts,
    });
  }

  /**
   * The connection, or undefined when it is gone: not found, or being deleted (State "deleting"), so a read has
   * one "gone" branch. The PSKs it shows (generated, or set out of band) are registered as secrets.
   */
  async findConnection(vpnConnectionId: string): Promise<LiveConnection | undefined> {
    try {
      const conn = connectionFrom(
        await this.call("DescribeVpnConnection", { VpnConnectionId: vpnConnectionId }),
      );
      registerPsks(conn.settings);
      return conn.state === "deleting" ? undefined : conn;
    } catch (e) {
      if (isCloudError(e, CONNECTION_NOT_FOUND)) return undefined;
      throw e;
    }
  }

  /** The connection, which must exist (a change is about to be applied to it). */
  async requireConnection(vpnConnectionId: string): Promise<LiveConnection> {
    const conn = await this.findConnection(vpnConnectionId);
    if (!conn)
      throw new Error(
        `IPsec connection ${vpnConnectionId} was not found in region ${this.region}: check 'vpnConnectionId' and ` +
          `'region' of the VpnConnectionConfig (and the account of the credentials); if it was deleted, run ` +
          `'pulumi refresh' to drop it from the stack.`,
      );
    return conn;
  }

  async describeGateway(vpnGatewayId: string): Promise<LiveGateway> {
    return gatewayFrom(await this.call("DescribeVpnGateway", { VpnGatewayId: vpnGatewayId }));
  }

  /** All connections of the region (DescribeVpnConnections), when it has at most SHARED_LISTING_MAX_ITEMS. */
  async regionConnections(): Promise<LiveConnection[] | undefined> {
    const items = await smallListing(async (paging) => {
      const body = await this.call("DescribeVpnConnections", paging);
      return { items: connectionsFrom(body), totalCount: Number(body.TotalCount ?? 0) };
    }, SHARED_LISTING_MAX_ITEMS);
    for (const c of items ?? []) registerPsks(c.settings);
    return items;
  }

  /**
   * All gateways of the region (DescribeVpnGateways) that the listing shows in full, when it has at most
   * SHARED_LISTING_MAX_ITEMS.
   */
  async regionGateways(): Promise<LiveGateway[] | undefined> {
    return smallListing(async (paging) => {
      const body = await this.call("DescribeVpnGateways", paging);
      const list = bag(body.VpnGateways).VpnGateway;
      const items = (Array.isArray(list) ? list : []).map(bag);
      // Every field gatewayFrom reads is in the list's documented answer; an item without them is read alone.
      const full = items.filter((g) =>
        ["Status", "BusinessStatus", "VpnType", "EnableBgp"].every((k) => k in g),
      );
      return { items: full.map(gatewayFrom), totalCount: Number(body.TotalCount ?? 0) };
    }, SHARED_LISTING_MAX_ITEMS);
  }

  /** One page (50) of a gateway's connections (DescribeVpnConnections); `complete` when no other page has any. */
  async gatewayConnectionsPage(
    vpnGatewayId: string,
    page = 1,
  ): Promise<{ items: LiveConnection[]; complete: boolean }> {
    const body = await this.call("DescribeVpnConnections", {
      VpnGatewayId: vpnGatewayId,
      PageNumber: page,
      PageSize: 50,
    });
    const items = connectionsFrom(body);
    for (const c of items) registerPsks(c.settings);
    return { items, complete: items.length < 50 || page * 50 >= Number(body.TotalCount ?? 0) };
  }

  /** All connections of a gateway (DescribeVpnConnections, every page). */
  async gatewayConnections(vpnGatewayId: string): Promise<LiveConnection[]> {
    const out: LiveConnection[] = [];
    for (let page = 1; ; page++) {
      const { items, complete } = await this.gatewayConnectionsPage(vpnGatewayId, page);
      out.push(...items);
      if (complete) return out;
    }
  }

  // The reads of check (CHECK_SHARED_READ_MS) and of read (REFRESH_SHARED_READ_MS), each shared by the
  // deployment's calls of that operation: keyed by the endpoint, the account of the credentials, the region and
  // the gateway. Never used by create, update, delete or a wait.

  /** alibabaScope, resolved once per operation. */
  private scope?: Promise<string>;

  private async sharedKey(vpnGatewayId: string): Promise<string> {
    return `${await this.sharedPrefix()}${vpnGatewayId}`;
  }

  private async sharedPrefix(): Promise<string> {
    this.scope ??= alibabaScope("vpc", this.region);
    return `${await this.scope}|`;
  }

  /**
   * For check: the gateway as the region's gateways, listed by a check less than CHECK_SHARED_READ_MS ago or now,
   * show it (one listing for a check pass over the connections of many gateways); else as a check read it less
   * than CHECK_SHARED_READ_MS ago, else read now.
   */
  async checkGateway(vpnGatewayId: string): Promise<LiveGateway> {
    const region = await checkRegionGateways().read(
      await this.sharedPrefix(),
      listingOrNone(() => this.regionGateways()),
    );
    const listed = region?.find((g) => g.vpnGatewayId === vpnGatewayId);
    if (listed) return listed;
    const key = await this.sharedKey(vpnGatewayId);
    return checkGateways().read(key, () => this.describeGateway(vpnGatewayId));
  }

  /**
   * The region's connections, listed less than `table`'s window ago or now; undefined when the region has more
   * than SHARED_LISTING_MAX_ITEMS or the listing failed (a policy allowing only DescribeVpnConnection, say).
   */
  private async regionListing(
    table: SharedReads<LiveConnection[] | undefined>,
  ): Promise<LiveConnection[] | undefined> {
    return table.read(
      await this.sharedPrefix(),
      listingOrNone(() => this.regionConnections()),
    );
  }

  /**
   * For check: the gateway's connections, as a check listed them (the region's, else the gateway's) less than
   * CHECK_SHARED_READ_MS ago, else listed now.
   */
  async checkGatewayConnections(vpnGatewayId: string): Promise<LiveConnection[]> {
    const region = await this.regionListing(checkRegionConnections());
    if (region) return region.filter((c) => c.vpnGatewayId === vpnGatewayId);
    const key = await this.sharedKey(vpnGatewayId);
    return checkConnectionLists().read(key, () => this.gatewayConnections(vpnGatewayId));
  }

  /**
   * For check: the connection as the region's connections, listed by a check less than CHECK_SHARED_READ_MS ago
   * or now, show it, when they show every setting (listedInFull): the engine checks a deployment's resources one
   * after another, so a check pass over a region's connections waits for one listing, not a read per connection.
   * In a region of more than SHARED_LISTING_MAX_ITEMS connections, from a list of its gateway a check read less
   * than CHECK_SHARED_READ_MS ago. Else findConnection.
   */
  async checkConnection(vpnConnectionId: string): Promise<LiveConnection | undefined> {
    const listed =
      (await this.regionListing(checkRegionConnections())) ??
      checkConnectionLists()
        .fresh(await this.sharedPrefix())
        .flat();
    return shownInFull(listed, vpnConnectionId) ?? this.findConnection(vpnConnectionId);
  }

  /**
   * For read: the connection as a listing sent less than REFRESH_SHARED_READ_MS ago or now shows it, when the
   * listing shows every setting (listedInFull): the region's connections, so that a refresh of a region's
   * connections lists it once; in a region of more than SHARED_LISTING_MAX_ITEMS connections, the connection list
   * of `vpnGatewayId` (its gateway, as the state recorded it). Else, or when the listing leaves it out (it may be
   * gone, or on another gateway) or could not be read, findConnection.
   */
  async readConnection(
    vpnConnectionId: string,
    vpnGatewayId: string | undefined,
  ): Promise<LiveConnection | undefined> {
    const region = await this.regionListing(readRegionConnections());
    if (region) return shownInFull(region, vpnConnectionId) ?? this.findConnection(vpnConnectionId);
    if (vpnGatewayId) {
      const key = await this.sharedKey(vpnGatewayId);
      const list = await readConnectionLists()
        .read(key, () => this.gatewayConnections(vpnGatewayId))
        // A list that cannot be read (a policy allowing only DescribeVpnConnection, say) is no answer: read alone.
        .catch((): LiveConnection[] => []);
      const listed = shownInFull(list, vpnConnectionId);
      if (listed) return listed;
    }
    return this.findConnection(vpnConnectionId);
  }

  /**
   * ModifyVpnConnectionAttribute, with one ClientToken across its retries. Throttling and transient failures are
   * retried here; a busy gateway (VpnTask.CONFLICT, VpnGateway.Configuring, ...: another change in progress,
   * another deployment's or a person's) is not: the caller must read the connection again before it writes
   * again, or it would send settings read before that change (see isBusy).
   */
  async modifyConnection(vpnConnectionId: string, change: Settings): Promise<void> {
    await this.call(
      "ModifyVpnConnectionAttribute",
      { VpnConnectionId: vpnConnectionId, ...toModifyParams(change) },
      { clientToken: newClientToken(), retryable: (e) => isRetryable(e) && !isBusy(e) },
    );
  }
}

/** A busy answer: the gateway is applying another change. */
export function isBusy(e: unknown): e is CloudError {
  return e instanceof CloudError && e.errorClass === "busy";
}

/** An IncorrectStatus answer: the object is in a state the change cannot be applied in (for now, or ever). */
export function isIncorrectStatus(e: unknown): e is CloudError {
  return e instanceof CloudError && /^IncorrectStatus/.test(e.code);
}

// ------------------------------------------------------------------------------------------------ waiters

/** Waits until the gateway is active, failing at once in a state it will not leave (financially locked, deleting). */
export function waitGatewayActive(
  cloud: VpnCloud,
  vpnGatewayId: string,
  purpose: string,
  failed: (gw: LiveGateway) => string | undefined,
): Promise<LiveGateway> {
  return waitFor(
    () => cloud.describeGateway(vpnGatewayId),
    (g) => g.status === "active",
    (g) => `gateway ${g.status}`,
    {
      description: `VPN gateway ${vpnGatewayId} to be active ${purpose}`,
      timeoutMs: cloud.remaining(),
      failed,
    },
  );
}

export interface AppliedView {
  gw: LiveGateway;
  conn: LiveConnection;
}

/** The kind of transition waitLearned learns a gateway's time to apply a change under. */
const GATEWAY_UPDATE = "vpn-gateway-update";

/**
 * With nothing learnt yet, the first read after a change waits this long: the gateway is updating right after
 * the call, so a read at once only costs a call.
 */
const FIRST_READ_AFTER_CHANGE_MS = 200;

/** What a change's wait hands the next change on its gateway (takeOver): the gateway and its connections. */
export interface GatewayHandover {
  gw: LiveGateway;
  /** The gateway's connections, when the wait read them as one list. */
  connections?: LiveConnection[];
}

/**
 * The connection as the last change's wait on its gateway listed it, when it shows every setting and is active:
 * it stands in for the connection's read before the next write, as the gateway does (takeOver).
 */
export function handedOverConnection(
  left: GatewayHandover | undefined,
  vpnConnectionId: string,
): LiveConnection | undefined {
  const listed = left?.connections && shownInFull(left.connections, vpnConnectionId);
  return listed && listed.state === "active" ? listed : undefined;
}

/**
 * Gateways whose connection list a wait cannot take its connection from: the list left the connection's settings
 * out (listedInFull: the documented list of single-tunnel connections), ran past one page, or was refused (a
 * policy allowing only DescribeVpnConnection, say). Their waits read the connection alone.
 */
const listsUnfit = () => processMemory("vpn-gateway-lists-unfit", () => new Set<string>());

/** A list the cloud refused is no answer (the connection is read alone); a retryable failure fails the read. */
function unlessRetryable(e: unknown): undefined {
  if (isRetryable(e)) throw e;
  return undefined;
}

/**
 * Waits, after a change was accepted, until the gateway and the connection are active and the connection shows
 * the desired settings (`pending` lists the fields it does not show yet: names only, values may be PSKs). The
 * gateway and the connection are read together, when the gateway's last change in this process took to apply
 * (waitLearned). The gateway and its connections as the last read showed them go to the next change on the gateway
 * (GatewayHandover).
 */
export async function waitChangeApplied(
  cloud: VpnCloud,
  target: { vpnConnectionId: string; vpnGatewayId: string },
  pending: (conn: LiveConnection) => string[],
  failed: (gw: LiveGateway) => string | undefined,
): Promise<AppliedView> {
  const key = gatewayLockKey(cloud.region, target.vpnGatewayId);
  const {
    value: applied,
    sentAt,
    tookMs,
  } = await waitLearned(
    { kind: GATEWAY_UPDATE, key, acceptedAt: Date.now(), firstReadAfterMs: FIRST_READ_AFTER_CHANGE_MS },
    async () => {
      // The gateway's connection list costs the same one call as the connection's read, and shows the connection
      // the deployment's next change on the gateway is about to write.
      const byList = !listsUnfit().has(key);
      const [gw, list] = await Promise.all([
        cloud.describeGateway(target.vpnGatewayId),
        byList ? cloud.gatewayConnectionsPage(target.vpnGatewayId).catch(unlessRetryable) : undefined,
      ]);
      const listed = list?.complete ? shownInFull(list.items, target.vpnConnectionId) : undefined;
      if (byList && !listed) listsUnfit().add(key);
      const conn = listed ?? (await cloud.requireConnection(target.vpnConnectionId));
      return { gw, conn, connections: listed && list?.items };
    },
    (v) => v.gw.status === "active" && v.conn.state === "active" && pending(v.conn).length === 0,
    (v) => {
      const missing = pending(v.conn);
      return (
        `gateway ${v.gw.status}, connection ${v.conn.state}` +
        (missing.length ? `, not yet showing ${missing.join(", ")}` : "")
      );
    },
    {
      description:
        `IPsec connection ${target.vpnConnectionId} (VPN gateway ${target.vpnGatewayId}) to apply the new ` +
        `settings`,
      timeoutMs: cloud.remaining(),
      failed: (v) => failed(v.gw),
    },
  );
  handOver<GatewayHandover>(key, { gw: applied.gw, connections: applied.connections }, sentAt, tookMs);
  return { gw: applied.gw, conn: applied.conn };
}
