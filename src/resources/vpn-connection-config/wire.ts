import type {
  BgpSettings,
  HealthCheckSettings,
  IkeSettings,
  IpsecSettings,
  Settings,
  TunnelBgpSettings,
  TunnelSettings,
} from "./schema";

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
