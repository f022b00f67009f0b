import { IKE_CONFIG_FIELDS } from "../../../clouds/facts/alibaba-vpc-vpn";
import { type ParamReader, unflatten } from "../../params";
import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { vpcPage, vpcParams } from "../alibaba-vpc-api";
import * as E from "./errors";
import {
  type BgpChange,
  type ConnectionChange,
  type Connection,
  type IkeChange,
  type IpsecChange,
  type Gateway,
  type Scope,
  type TunnelChange,
  type VpnModel,
  peerAddress,
} from "./model";

// The wire side of the VPN actions: reads the flat POP form (JSON-string blocks, flattened tunnel options) into
// raw values for the model, and renders the model's objects in the shapes the real API answers with, quirks
// included (DescribeVpnConnection returns tunnel booleans, lifetimes and ASNs as strings).

type Flat = Record<string, unknown>;

function reader(params: Flat): ParamReader {
  return vpcParams(params, (name, expected) => E.illegalParam(name, `Expected ${expected}.`));
}

/** Maps keys case-insensitively onto the model's names (terraform sends HealthCheckConfig keys in either case). */
function canonical<T extends object>(
  wire: string,
  source: Record<string, unknown>,
  names: ReadonlyArray<keyof T & string>,
): T {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined || v === null) continue;
    const name = byLower.get(k.toLowerCase());
    if (!name) continue;
    if (typeof v === "object") throw E.illegalParam(wire, `${k} must be a scalar.`);
    out[name] = String(v);
  }
  return out as T;
}

function jsonParam(params: ParamReader, key: string): Record<string, unknown> | undefined {
  const raw = params.text(key);
  if (raw === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw E.illegalParam(key, "Expected a JSON object.");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw E.illegalParam(key, "Expected a JSON object.");
  return v as Record<string, unknown>;
}

/** `Prefix.N.A.B=value` keys (or a JSON list under `Prefix`) as an array of nested objects, in index order. */
function indexed(params: Flat, prefix: string): Array<Record<string, unknown>> | undefined {
  const json = reader(params).text(prefix);
  if (json !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(json);
    } catch {
      v = undefined;
    }
    if (!Array.isArray(v)) throw E.illegalParam(prefix, "Expected a list.");
    return v as Array<Record<string, unknown>>;
  }
  const flat = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith(`${prefix}.`)));
  if (Object.keys(flat).length === 0) return undefined;
  const list = unflatten(flat, { invalidCode: `IllegalParam.${prefix}` })[prefix];
  if (!Array.isArray(list) || list.some((x) => !x || typeof x !== "object"))
    throw E.illegalParam(prefix, "Expected TunnelOptionsSpecification.N.Name parameters.");
  return list as Array<Record<string, unknown>>;
}

const IKE_KEYS = IKE_CONFIG_FIELDS;
const IPSEC_KEYS = ["ipsecEncAlg", "ipsecAuthAlg", "ipsecPfs", "ipsecLifetime"] as const;
const BGP_KEYS = ["enableBgp", "localAsn", "tunnelCidr", "localBgpIp"] as const;
const HEALTH_KEYS = ["enable", "dip", "sip", "interval", "retry"] as const;
const TUNNEL_KEYS = [
  "tunnelId",
  "role",
  "customerGatewayId",
  "enableDpd",
  "enableNatTraversal",
  "remoteCaCertificate",
] as const;

function sub(item: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key ? item[key] : undefined;
  if (v === undefined) return undefined;
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as Record<string, unknown>;
    } catch {
      throw E.illegalParam(name, "Expected an object.");
    }
  }
  return v as Record<string, unknown>;
}

export function parseChange(params: Flat): ConnectionChange {
  const p = reader(params);
  const block = <T extends object>(key: string, names: ReadonlyArray<keyof T & string>): T | undefined => {
    const v = jsonParam(p, key);
    return v ? canonical<T>(key, v, names) : undefined;
  };
  const tunnels = indexed(params, "TunnelOptionsSpecification")?.map((item): TunnelChange => {
    const ike = sub(item, "TunnelIkeConfig");
    const ipsec = sub(item, "TunnelIpsecConfig");
    const bgp = sub(item, "TunnelBgpConfig");
    return {
      ...canonical<TunnelChange>("TunnelOptionsSpecification", item, TUNNEL_KEYS),
      ike: ike && canonical<IkeChange>("TunnelIkeConfig", ike, IKE_KEYS),
      ipsec: ipsec && canonical<IpsecChange>("TunnelIpsecConfig", ipsec, IPSEC_KEYS),
      bgp: bgp && canonical<BgpChange>("TunnelBgpConfig", bgp, BGP_KEYS),
    };
  });
  return {
    name: p.text("Name"),
    localSubnet: p.text("LocalSubnet"),
    remoteSubnet: p.text("RemoteSubnet"),
    effectImmediately: p.text("EffectImmediately"),
    autoConfigRoute: p.text("AutoConfigRoute"),
    ikeConfig: block("IkeConfig", IKE_KEYS),
    ipsecConfig: block("IpsecConfig", IPSEC_KEYS),
    healthCheckConfig: block("HealthCheckConfig", HEALTH_KEYS),
    bgpConfig: block("BgpConfig", BGP_KEYS),
    enableDpd: p.text("EnableDpd"),
    enableNatTraversal: p.text("EnableNatTraversal"),
    remoteCaCertificate: p.text("RemoteCaCertificate"),
    tunnelOptions: tunnels,
    enableTunnelsBgp: p.text("EnableTunnelsBgp"),
  };
}

// Protocol parameters that do not make one request differ from another for idempotency.
const PROTOCOL_PARAMS = new Set([
  "Action",
  "Format",
  "Version",
  "AccessKeyId",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "Signature",
  "Timestamp",
  "SecurityToken",
  "ClientToken",
  "RegionId",
]);

export function fingerprint(params: Flat): string {
  return JSON.stringify(
    Object.keys(params)
      .filter((k) => !PROTOCOL_PARAMS.has(k))
      .sort()
      .map((k) => [k, String(params[k])]),
  );
}

// ------------------------------------------------------------------------------------------------ rendering

/** "describe" answers as DescribeVpnConnection(s) does; "modify" as ModifyVpnConnectionAttribute does. */
type Style = "describe" | "modify";

export function renderConnection(
  model: VpnModel,
  conn: Connection,
  gw: Gateway,
  now: number,
  style: Style,
): Record<string, unknown> {
  const sm = gw.vpnType === "NationalStandard";
  // DescribeVpnConnection types tunnel booleans, lifetimes and ASNs as strings; the modify answer does not.
  const q = <T extends boolean | number>(v: T): T | string => (style === "describe" ? String(v) : v);
  const state = model.connectionState(conn, gw, now);
  const out: Record<string, unknown> = {
    VpnConnectionId: conn.vpnConnectionId,
    VpnGatewayId: conn.vpnGatewayId,
    Name: conn.name,
    // Only the modify answer declares Description (@alicloud/vpc20160428 7.x response models).
    ...(style === "modify" ? { Description: "" } : {}),
    LocalSubnet: conn.localSubnet.join(","),
    RemoteSubnet: conn.remoteSubnet.join(","),
    CreateTime: conn.createTime,
    EffectImmediately: conn.effectImmediately,
    ResourceGroupId: `rg-${gw.account ?? "default"}`,
  };
  if (style === "describe") {
    Object.assign(out, {
      State: state,
      // Negotiation status, not the lifecycle (that is State).
      Status: "ipsec_sa_established",
      AttachType: "VPNGW",
      NetworkType: "public",
      Spec: gw.spec,
      TunnelBandwidth: "Standard",
      CrossAccountAuthorized: false,
      Tags: { Tag: [] },
    });
  }
  if (!conn.tunnels) {
    const bgpUp = conn.bgp.enableBgp ? "success" : "false";
    Object.assign(out, {
      CustomerGatewayId: conn.customerGatewayId,
      EnableDpd: conn.enableDpd,
      EnableNatTraversal: conn.enableNatTraversal,
      IkeConfig: {
        Psk: conn.ike.psk,
        IkeVersion: conn.ike.ikeVersion,
        IkeMode: conn.ike.ikeMode,
        IkeEncAlg: conn.ike.ikeEncAlg,
        IkeAuthAlg: conn.ike.ikeAuthAlg,
        IkePfs: conn.ike.ikePfs,
        IkeLifetime: conn.ike.ikeLifetime,
        LocalId: conn.ike.localId,
        RemoteId: conn.ike.remoteId,
      },
      IpsecConfig: {
        IpsecEncAlg: conn.ipsec.ipsecEncAlg,
        IpsecAuthAlg: conn.ipsec.ipsecAuthAlg,
        IpsecPfs: conn.ipsec.ipsecPfs,
        IpsecLifetime: conn.ipsec.ipsecLifetime,
      },
      VcoHealthCheck: {
        Enable: String(conn.healthCheck.enable),
        Dip: conn.healthCheck.dip,
        Sip: conn.healthCheck.sip,
        Interval: conn.healthCheck.interval,
        Retry: conn.healthCheck.retry,
        ...(style === "describe"
          ? { Policy: "revoke_route", Status: conn.healthCheck.enable ? "success" : "failed" }
          : {}),
      },
      VpnBgpConfig: {
        EnableBgp: String(conn.bgp.enableBgp),
        LocalAsn: conn.bgp.localAsn,
        TunnelCidr: conn.bgp.tunnelCidr,
        LocalBgpIp: conn.bgp.localBgpIp,
        PeerAsn: conn.peerAsn,
        PeerBgpIp: peerAddress(conn.bgp),
        Status: bgpUp,
        ...(style === "describe" ? { AuthKey: "" } : {}),
      },
    });
    if (sm) out.RemoteCaCertificate = conn.remoteCaCertificate;
    return out;
  }
  out.EnableTunnelsBgp = conn.enableTunnelsBgp;
  out.TunnelOptionsSpecification = {
    TunnelOptions: conn.tunnels.map((t) => ({
      TunnelId: t.tunnelId,
      Role: t.role,
      CustomerGatewayId: t.customerGatewayId,
      InternetIp: t.internetIp,
      ZoneNo: t.zoneNo,
      State: state,
      ...(style === "describe" ? { Status: "ipsec_sa_established" } : {}),
      EnableDpd: q(t.enableDpd),
      EnableNatTraversal: q(t.enableNatTraversal),
      ...(sm ? { RemoteCaCertificate: t.remoteCaCertificate } : {}),
      TunnelBgpConfig: {
        LocalAsn: q(t.bgp.localAsn),
        LocalBgpIp: t.bgp.localBgpIp,
        TunnelCidr: t.bgp.tunnelCidr,
        PeerAsn: q(t.peerAsn),
        PeerBgpIp: peerAddress(t.bgp),
        ...(style === "describe" ? { BgpStatus: conn.enableTunnelsBgp ? "success" : "false" } : {}),
      },
      TunnelIkeConfig: {
        Psk: t.ike.psk,
        IkeVersion: t.ike.ikeVersion,
        IkeMode: t.ike.ikeMode,
        IkeEncAlg: t.ike.ikeEncAlg,
        IkeAuthAlg: t.ike.ikeAuthAlg,
        IkePfs: t.ike.ikePfs,
        IkeLifetime: q(t.ike.ikeLifetime),
        LocalId: t.ike.localId,
        RemoteId: t.ike.remoteId,
      },
      TunnelIpsecConfig: {
        IpsecEncAlg: t.ipsec.ipsecEncAlg,
        IpsecAuthAlg: t.ipsec.ipsecAuthAlg,
        IpsecPfs: t.ipsec.ipsecPfs,
        IpsecLifetime: q(t.ipsec.ipsecLifetime),
      },
    })),
  };
  return out;
}

function renderGateway(
  model: VpnModel,
  gw: Gateway,
  now: number,
  reservation: boolean,
): Record<string, unknown> {
  return {
    VpnGatewayId: gw.vpnGatewayId,
    VpcId: gw.vpcId,
    VSwitchId: gw.vSwitchId,
    InternetIp: gw.internetIp,
    DisasterRecoveryInternetIp: gw.disasterRecoveryInternetIp,
    CreateTime: gw.createTime,
    EndTime: gw.createTime + 365 * 24 * 3600 * 1000,
    Spec: gw.spec,
    Name: gw.name,
    Description: "",
    Status: model.gatewayStatus(gw, now),
    BusinessStatus: gw.businessStatus,
    ChargeType: "POSTPAY",
    IpsecVpn: "enable",
    SslVpn: "disable",
    SslMaxConnections: 0,
    // The automatically generated tag is a JSON text, not an object.
    Tag: JSON.stringify({
      VpnEnableBgp: "true",
      VisuallySsl: "true",
      PbrPriority: "true",
      VpnNewImage: "true",
    }),
    Tags: { Tag: [] },
    EnableBgp: gw.enableBgp,
    AutoPropagate: true,
    VpnType: gw.vpnType,
    NetworkType: "public",
    ...(reservation ? { ReservationData: {} } : {}),
  };
}

function scopeOf(req: ServiceRequest): Scope {
  return { account: req.account, region: req.region };
}

/** The handlers of the VPN actions, over one model. */
export function routes(model: VpnModel): Record<string, ActionHandler> {
  return {
    ModifyVpnConnectionAttribute: (req: ServiceRequest, ctx: ServiceContext) => {
      const params = reader(req.params);
      const change = parseChange(req.params);
      const now = ctx.now();
      return model.modify(
        ctx,
        scopeOf(req),
        params.text("VpnConnectionId"),
        change,
        { clientToken: params.text("ClientToken"), fingerprint: fingerprint(req.params) },
        (conn, gw) => renderConnection(model, conn, gw, now, "modify"),
      );
    },
    DescribeVpnConnection: (req, ctx) => {
      const id = reader(req.params).str("VpnConnectionId", { required: true });
      const { conn, gw } = model.connection(scopeOf(req), id);
      return renderConnection(model, conn, gw, ctx.now(), "describe");
    },
    DescribeVpnConnections: (req, ctx) => {
      const params = reader(req.params);
      const gatewayId = params.text("VpnGatewayId");
      const connectionId = params.text("VpnConnectionId");
      const cgw = params.text("CustomerGatewayId");
      const all = model
        .list(scopeOf(req), gatewayId)
        .filter(({ conn }) => !connectionId || conn.vpnConnectionId === connectionId)
        .filter(({ conn }) => !cgw || conn.customerGatewayId === cgw);
      const { paging, items } = vpcPage(params, all);
      return {
        ...paging,
        VpnConnections: {
          VpnConnection: items.map(({ conn, gw }) => {
            const { Tags, ...rest } = renderConnection(model, conn, gw, ctx.now(), "describe");
            // The list names the tag container "Tag", the single read "Tags".
            return { ...rest, Tag: Tags };
          }),
        },
      };
    },
    // https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevpngateways
    DescribeVpnGateways: (req, ctx) => {
      const params = reader(req.params);
      const vpcId = params.text("VpcId");
      const gatewayId = params.text("VpnGatewayId");
      const status = params.text("Status");
      const businessStatus = params.text("BusinessStatus");
      const reservation = params.text("IncludeReservationData") === "true";
      const now = ctx.now();
      const all = model
        .gatewaysIn(scopeOf(req))
        .filter((gw) => !vpcId || gw.vpcId === vpcId)
        .filter((gw) => !gatewayId || gw.vpnGatewayId === gatewayId)
        .filter((gw) => !status || model.gatewayStatus(gw, now) === status)
        .filter((gw) => !businessStatus || gw.businessStatus === businessStatus);
      const { paging, items } = vpcPage(params, all);
      return {
        ...paging,
        VpnGateways: { VpnGateway: items.map((gw) => renderGateway(model, gw, now, reservation)) },
      };
    },
    DescribeVpnGateway: (req, ctx) => {
      const params = reader(req.params);
      const id = params.str("VpnGatewayId", { required: true });
      const gw = model.gateway(scopeOf(req), id);
      return renderGateway(model, gw, ctx.now(), params.text("IncludeReservationData") === "true");
    },
  };
}
