import {
  AUTH_ALGS,
  CONNECTION_NAME_MAX_LENGTH,
  ENC_ALGS,
  IKE_IDENTIFIER_MAX_LENGTH,
  IKE_MODES,
  IKE_PFS,
  IKE_VERSIONS,
  IPSEC_PFS,
  MAX_ASN,
  MAX_LIFETIME_SECONDS,
  PSK_MAX_LENGTH,
  PSK_PATTERN,
  PSK_SPECIAL_CHARACTERS,
  RESERVED_TUNNEL_CIDRS,
  SHARED_IKE_FIELDS,
  SM_AUTH_ALG,
  SM_ENC_ALG,
  SM_IKE_MODES,
  SM_IKE_VERSIONS,
} from "../../../clouds/facts/alibaba-vpc-vpn";
import { DEFAULT_ACCOUNT } from "../../accounts";
import { type Managed, beginTransition, statusAt } from "../../managed-state";
import type { ServiceContext } from "../../types";
import * as E from "./errors";

// State and rules of Alibaba IPsec-VPN gateways and connections, as ModifyVpnConnectionAttribute
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns)
// describes them. No HTTP here: routes parse the wire form into a `ConnectionChange` of raw strings, and this
// model decides what the cloud accepts. The API's facts (algorithms, PSK characters, lifetimes...) are in
// src/clouds/facts/alibaba-vpc-vpn.ts, shared with the provider.

/** The duration of a gateway's "updating" window after an accepted change (ServiceContext.durationMs). */
export const GATEWAY_UPDATE = "vpnGatewayUpdate";

export type VpnType = "Normal" | "NationalStandard";
export type GatewayStatus = "init" | "provisioning" | "active" | "updating" | "deleting";

export interface IkeSettings {
  psk: string;
  ikeVersion: string;
  ikeMode: string;
  ikeEncAlg: string;
  ikeAuthAlg: string;
  ikePfs: string;
  ikeLifetime: number;
  localId: string;
  remoteId: string;
}

export interface IpsecSettings {
  ipsecEncAlg: string;
  ipsecAuthAlg: string;
  ipsecPfs: string;
  ipsecLifetime: number;
}

export interface HealthCheck {
  enable: boolean;
  dip: string;
  sip: string;
  interval: number;
  retry: number;
}

export interface BgpSettings {
  enableBgp: boolean;
  localAsn: number;
  tunnelCidr: string;
  localBgpIp: string;
}

export interface Tunnel {
  tunnelId: string;
  role: "master" | "slave";
  customerGatewayId: string;
  internetIp: string;
  zoneNo: string;
  enableDpd: boolean;
  enableNatTraversal: boolean;
  remoteCaCertificate: string;
  ike: IkeSettings;
  ipsec: IpsecSettings;
  bgp: Omit<BgpSettings, "enableBgp">;
  peerAsn: number;
}

/** A connection is "updating" while its gateway applies its last accepted change (managed-state.ts). */
export interface Connection extends Managed<"active" | "updating"> {
  vpnConnectionId: string;
  vpnGatewayId: string;
  name: string;
  createTime: number;
  localSubnet: string[];
  remoteSubnet: string[];
  effectImmediately: boolean;
  autoConfigRoute: boolean;
  customerGatewayId: string;
  enableDpd: boolean;
  enableNatTraversal: boolean;
  remoteCaCertificate: string;
  ike: IkeSettings;
  ipsec: IpsecSettings;
  healthCheck: HealthCheck;
  bgp: BgpSettings;
  peerAsn: number;
  /** Present for a dual-tunnel connection. */
  tunnels?: Tunnel[];
  enableTunnelsBgp: boolean;
}

/** The lifecycle status; "updating" is the window after an accepted change (managed-state.ts). */
export interface Gateway extends Managed<GatewayStatus> {
  vpnGatewayId: string;
  /** Owning account; absent only in state files written before accounts scoped VPC objects (= built-in). */
  account?: string;
  region: string;
  name: string;
  vpnType: VpnType;
  businessStatus: "Normal" | "FinancialLocked";
  enableBgp: boolean;
  ikev1MultiSubnet: boolean;
  internetIp: string;
  disasterRecoveryInternetIp: string;
  vpcId: string;
  vSwitchId: string;
  spec: string;
  createTime: number;
  changesAccepted: number;
  conflictsRejected: number;
  maxInFlight: number;
}

/** Raw (string) values of a ModifyVpnConnectionAttribute request, as parsed from the wire. */
export interface IkeChange {
  psk?: string;
  ikeVersion?: string;
  ikeMode?: string;
  ikeEncAlg?: string;
  ikeAuthAlg?: string;
  ikePfs?: string;
  ikeLifetime?: string;
  localId?: string;
  remoteId?: string;
}
export interface IpsecChange {
  ipsecEncAlg?: string;
  ipsecAuthAlg?: string;
  ipsecPfs?: string;
  ipsecLifetime?: string;
}
export interface BgpChange {
  enableBgp?: string;
  localAsn?: string;
  tunnelCidr?: string;
  localBgpIp?: string;
}
export interface TunnelChange {
  tunnelId?: string;
  role?: string;
  /** TunnelOptionsSpecification.N.CustomerGatewayId: the tunnel's peer (the SDK's ModifyVpnConnectionAttribute model). */
  customerGatewayId?: string;
  enableDpd?: string;
  enableNatTraversal?: string;
  remoteCaCertificate?: string;
  ike?: IkeChange;
  ipsec?: IpsecChange;
  bgp?: BgpChange;
}
export interface ConnectionChange {
  name?: string;
  localSubnet?: string;
  remoteSubnet?: string;
  effectImmediately?: string;
  autoConfigRoute?: string;
  ikeConfig?: IkeChange;
  ipsecConfig?: IpsecChange;
  healthCheckConfig?: { enable?: string; dip?: string; sip?: string; interval?: string; retry?: string };
  bgpConfig?: BgpChange;
  enableDpd?: string;
  enableNatTraversal?: string;
  remoteCaCertificate?: string;
  tunnelOptions?: TunnelChange[];
  enableTunnelsBgp?: string;
}

export interface Scope {
  account: string;
  region: string;
}

interface TokenRecord {
  fingerprint: string;
  at: number;
  payload: unknown;
}

// Alibaba does not document how long a ClientToken is remembered; an hour covers any client's retries.
const CLIENT_TOKEN_WINDOW_MS = 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------
// IPv4 helpers (the cloud's side; the provider has its own)

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

interface Cidr {
  base: number;
  prefix: number;
}

function cidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = ipv4(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  // A block must be written by its network address (10.0.0.0/24, not 10.0.0.1/24).
  if (base % size !== 0) return undefined;
  return { base, prefix };
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

// ---------------------------------------------------------------------------------------------------------
// Value parsing: each failure is the cloud's error for that parameter.

function bool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw E.illegalParam(name, `Expected true or false, got '${v}'.`);
}

function lifetime(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > MAX_LIFETIME_SECONDS)
    throw E.illegalParam(name, `The lifetime must be an integer from 0 to ${MAX_LIFETIME_SECONDS} seconds.`);
  return Number(v);
}

/** ASN 1..4294967295, or the two-segment form "high.low" = high * 65536 + low. */
function asn(v: string | undefined, dotted: boolean): number | undefined {
  if (v === undefined) return undefined;
  let n: number | undefined;
  const m = /^(\d{1,5})\.(\d{1,5})$/.exec(v);
  if (/^\d{1,10}$/.test(v)) n = Number(v);
  else if (dotted && m && Number(m[1]) <= 65535 && Number(m[2]) <= 65535)
    n = Number(m[1]) * 65536 + Number(m[2]);
  if (n === undefined || n < 1 || n > MAX_ASN) throw E.illegalParam("LocalAsn");
  return n;
}

function subnetList(side: "LocalSubnet" | "RemoteSubnet", v: string): string[] {
  const list = v.split(",").map((s) => s.trim());
  if (list.length === 0 || list.some((s) => cidr(s) === undefined)) throw E.illegalSubnet(side, v);
  return list;
}

function identifier(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length === 0 || v.length > IKE_IDENTIFIER_MAX_LENGTH || /\s/.test(v))
    throw E.illegalParam(name, `At most ${IKE_IDENTIFIER_MAX_LENGTH} characters, without spaces.`);
  return v;
}

function certificate(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(v.trim()))
    throw E.illegalParam("RemoteCaCertificate", "Expected a PEM certificate.");
  return v;
}

function pick(
  name: string,
  v: string | undefined,
  allowed: readonly string[],
  what: string,
): string | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v)) throw E.notSupported(name, what);
  return v;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------------------

function isSm(gw: Gateway): boolean {
  return gw.vpnType === "NationalStandard";
}

/** RemoteCaCertificate: only a national-cryptography (SM) gateway takes one, as a PEM certificate. */
function smCertificate(gw: Gateway, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!isSm(gw))
    throw E.illegalParam("RemoteCaCertificate", "Only a national-cryptography (SM) VPN gateway takes one.");
  return certificate(v);
}

/** IKE settings after a change, validated against the gateway type. */
function mergeIke(gw: Gateway, current: IkeSettings, change: IkeChange | undefined): IkeSettings {
  if (!change) return current;
  const sm = isSm(gw);
  if (change.psk !== undefined && !PSK_PATTERN.test(change.psk))
    throw E.illegalParam(
      "Psk",
      `1 to ${PSK_MAX_LENGTH} letters, digits or the characters ${PSK_SPECIAL_CHARACTERS}`,
    );
  return {
    ...current,
    ...defined({
      psk: change.psk,
      // A national-cryptography (SM) gateway negotiates IKEv1 in main mode with SM4/SM3 only.
      ikeVersion: pick("IkeVersion", change.ikeVersion, sm ? SM_IKE_VERSIONS : IKE_VERSIONS, "ike version"),
      ikeMode: pick("IkeMode", change.ikeMode, sm ? SM_IKE_MODES : IKE_MODES, "ike mode"),
      ikeEncAlg: pick("IkeEncAlg", change.ikeEncAlg, sm ? [SM_ENC_ALG] : ENC_ALGS, "ike Enc Alg"),
      ikeAuthAlg: pick("IkeAuthAlg", change.ikeAuthAlg, sm ? [SM_AUTH_ALG] : AUTH_ALGS, "ike Auth Alg"),
      ikePfs: pick("IkePfs", change.ikePfs, IKE_PFS, "ike Pfs"),
      ikeLifetime: lifetime("IkeLifetime", change.ikeLifetime),
      localId: identifier("LocalId", change.localId),
      remoteId: identifier("RemoteId", change.remoteId),
    }),
  };
}

function mergeIpsec(gw: Gateway, current: IpsecSettings, change: IpsecChange | undefined): IpsecSettings {
  if (!change) return current;
  const sm = isSm(gw);
  return {
    ...current,
    ...defined({
      ipsecEncAlg: pick("IpsecEncAlg", change.ipsecEncAlg, sm ? [SM_ENC_ALG] : ENC_ALGS, "ipsec Enc Alg"),
      ipsecAuthAlg: pick(
        "IpsecAuthAlg",
        change.ipsecAuthAlg,
        sm ? [SM_AUTH_ALG] : AUTH_ALGS,
        "ipsec Auth Alg",
      ),
      ipsecPfs: pick("IpsecPfs", change.ipsecPfs, IPSEC_PFS, "ipsec Ipsec Pfs"),
      ipsecLifetime: lifetime("IpsecLifetime", change.ipsecLifetime),
    }),
  };
}

/** What one IPsec tunnel has: a single-tunnel connection its own, a dual-tunnel one each of its tunnels. */
type TunnelSettings = Pick<
  Tunnel,
  "ike" | "ipsec" | "enableDpd" | "enableNatTraversal" | "remoteCaCertificate"
>;

/** Applies a change to one tunnel's settings, a single-tunnel connection's or a tunnel's alike. */
function mergeTunnel(
  gw: Gateway,
  into: TunnelSettings,
  change: Pick<TunnelChange, keyof TunnelSettings>,
): void {
  into.ike = mergeIke(gw, into.ike, change.ike);
  into.ipsec = mergeIpsec(gw, into.ipsec, change.ipsec);
  into.enableDpd = bool("EnableDpd", change.enableDpd) ?? into.enableDpd;
  into.enableNatTraversal = bool("EnableNatTraversal", change.enableNatTraversal) ?? into.enableNatTraversal;
  into.remoteCaCertificate = smCertificate(gw, change.remoteCaCertificate) ?? into.remoteCaCertificate;
}

function mergeBgp<T extends Omit<BgpSettings, "enableBgp">>(
  current: T,
  change: BgpChange,
  dotted: boolean,
): T {
  const tunnelCidr = change.tunnelCidr;
  if (tunnelCidr !== undefined) {
    const c = cidr(tunnelCidr);
    if (!c) throw E.tunnelCidrMalformed();
    const linkLocal = c.base >>> 16 === 0xa9fe;
    if (c.prefix !== 30 || !linkLocal || RESERVED_TUNNEL_CIDRS.includes(tunnelCidr))
      throw E.illegalParam("TunnelCidr", "Use a /30 block inside 169.254.0.0/16 that is not reserved.");
  }
  if (change.localBgpIp !== undefined && ipv4(change.localBgpIp) === undefined) throw E.localBgpIpMalformed();
  const next = {
    ...current,
    ...defined({ localAsn: asn(change.localAsn, dotted), tunnelCidr, localBgpIp: change.localBgpIp }),
  };
  // A new block without an address: the address of the old block cannot stay, the cloud chooses one.
  if (tunnelCidr !== undefined && change.localBgpIp === undefined && !isHostOf(next.localBgpIp, tunnelCidr))
    next.localBgpIp = "";
  return next;
}

function isHostOf(address: string, block: string): boolean {
  const c = cidr(block);
  const ip = ipv4(address);
  return c !== undefined && ip !== undefined && ip > c.base && ip < c.base + 3;
}

/**
 * LocalBgpIp must be one of the two host addresses of the /30 tunnel block. With BGP on, only TunnelCidr is
 * required (MissingParameter.TunnelCidr in ModifyVpnConnectionAttribute,
 * https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns;
 * terraform-provider-alicloud has local_bgp_ip optional and computed): without an address the cloud chooses one.
 * Which one is not documented; the emulator takes the first host.
 */
function checkBgpAddress(bgp: Omit<BgpSettings, "enableBgp">, required: boolean): void {
  if (!bgp.tunnelCidr) {
    if (required) throw E.missingTunnelCidr();
    return;
  }
  const block = cidr(bgp.tunnelCidr)!;
  const ip = ipv4(bgp.localBgpIp);
  if (ip === undefined) {
    if (required) bgp.localBgpIp = [24, 16, 8, 0].map((s) => ((block.base + 1) >>> s) & 255).join(".");
    return;
  }
  if (ip <= block.base || ip >= block.base + 3)
    throw E.illegalParam("LocalBgpIp", `It must be a host address inside ${bgp.tunnelCidr}.`);
}

export function peerAddress(bgp: Omit<BgpSettings, "enableBgp">): string {
  const block = bgp.tunnelCidr ? cidr(bgp.tunnelCidr) : undefined;
  const ip = ipv4(bgp.localBgpIp);
  if (!block || ip === undefined) return "";
  const peer = ip === block.base + 1 ? block.base + 2 : block.base + 1;
  return [24, 16, 8, 0].map((s) => (peer >>> s) & 255).join(".");
}

const SINGLE_ONLY: Array<[keyof ConnectionChange, string]> = [
  ["ikeConfig", "IkeConfig"],
  ["ipsecConfig", "IpsecConfig"],
  ["healthCheckConfig", "HealthCheckConfig"],
  ["bgpConfig", "BgpConfig"],
  ["enableDpd", "EnableDpd"],
  ["enableNatTraversal", "EnableNatTraversal"],
  ["remoteCaCertificate", "RemoteCaCertificate"],
];
const DUAL_ONLY: Array<[keyof ConnectionChange, string]> = [
  ["tunnelOptions", "TunnelOptionsSpecification"],
  ["enableTunnelsBgp", "EnableTunnelsBgp"],
];

export class VpnModel {
  private gateways = new Map<string, Gateway>();
  private connections = new Map<string, Connection>();
  private tokens = new Map<string, TokenRecord>();

  reset(): void {
    this.gateways.clear();
    this.connections.clear();
    this.tokens.clear();
  }

  // ------------------------------------------------------------------------------------------- lookups

  private visible(gw: Gateway, scope: Scope): boolean {
    // Another account's gateway (and its connections) does not exist for the caller: not found, as in the cloud.
    return gw.region === scope.region && (gw.account ?? DEFAULT_ACCOUNT.account) === scope.account;
  }

  gateway(scope: Scope, id: string): Gateway {
    const gw = this.gateways.get(id);
    if (!gw || !this.visible(gw, scope)) throw E.gatewayNotFound(id);
    return gw;
  }

  connection(scope: Scope, id: string): { conn: Connection; gw: Gateway } {
    const conn = this.connections.get(id);
    const gw = conn && this.gateways.get(conn.vpnGatewayId);
    if (!conn || !gw || !this.visible(gw, scope)) throw E.connectionNotFound(id);
    return { conn, gw };
  }

  /** Gateways visible in scope, in creation order. */
  gatewaysIn(scope: Scope): Gateway[] {
    return [...this.gateways.values()]
      .filter((gw) => this.visible(gw, scope))
      .sort((a, b) => a.createTime - b.createTime);
  }

  /** Connections visible in scope, optionally of one gateway, in creation order. */
  list(scope: Scope, vpnGatewayId?: string): Array<{ conn: Connection; gw: Gateway }> {
    const out: Array<{ conn: Connection; gw: Gateway }> = [];
    for (const conn of this.connections.values()) {
      const gw = this.gateways.get(conn.vpnGatewayId);
      if (!gw || !this.visible(gw, scope)) continue;
      if (vpnGatewayId && conn.vpnGatewayId !== vpnGatewayId) continue;
      out.push({ conn, gw });
    }
    return out.sort((a, b) => a.conn.createTime - b.conn.createTime);
  }

  /** The gateway a write to this connection touches (for the request log's in-flight count). */
  gatewayOf(region: string, vpnConnectionId: string): string | undefined {
    const conn = this.connections.get(vpnConnectionId);
    const gw = conn && this.gateways.get(conn.vpnGatewayId);
    return gw && gw.region === region ? gw.vpnGatewayId : undefined;
  }

  gatewayStatus(gw: Gateway, now: number): GatewayStatus {
    return statusAt(gw, now);
  }

  connectionState(conn: Connection, gw: Gateway, now: number): string {
    if (gw.businessStatus === "FinancialLocked") return "financialLocked";
    return statusAt(conn, now);
  }

  // ------------------------------------------------------------------------------------------- modify

  /**
   * ModifyVpnConnectionAttribute. `render` shapes the answer from the changed connection; with a ClientToken
   * seen before with the same parameters, the first answer is returned and nothing is applied again.
   */
  modify(
    ctx: ServiceContext,
    scope: Scope,
    vpnConnectionId: string | undefined,
    change: ConnectionChange,
    idempotency: { clientToken?: string; fingerprint: string },
    render: (conn: Connection, gw: Gateway) => unknown,
  ): unknown {
    if (!vpnConnectionId) throw E.missingParameter("VpnConnectionId");
    const { conn, gw } = this.connection(scope, vpnConnectionId);
    const now = ctx.now();

    const tokenKey = idempotency.clientToken
      ? `${scope.account}|${scope.region}|${idempotency.clientToken}`
      : undefined;
    const seen = tokenKey ? this.tokens.get(tokenKey) : undefined;
    if (seen && now - seen.at < CLIENT_TOKEN_WINDOW_MS) {
      if (seen.fingerprint !== idempotency.fingerprint) throw E.idempotentMismatch();
      return seen.payload;
    }

    const next = this.validate(gw, conn, change);

    if (gw.businessStatus === "FinancialLocked") throw E.financialLocked();
    const status = this.gatewayStatus(gw, now);
    if (status === "init" || status === "provisioning") throw E.gatewayConfiguring();
    if (status === "deleting") throw E.gatewayIncorrectStatus(status);
    // This change plus the one still being applied, if any: what a client without a per-gateway lock causes.
    gw.maxInFlight = Math.max(gw.maxInFlight, status === "updating" ? 2 : 1);
    if (status === "updating") {
      gw.conflictsRejected++;
      ctx.changed();
      throw E.taskConflict();
    }

    const duration = ctx.durationMs(GATEWAY_UPDATE);
    Object.assign(conn, next);
    beginTransition(conn, "updating", "active", now, duration);
    beginTransition<GatewayStatus>(gw, "updating", "active", now, duration);
    gw.changesAccepted++;
    const payload = render(conn, gw);
    if (tokenKey) this.tokens.set(tokenKey, { fingerprint: idempotency.fingerprint, at: now, payload });
    for (const [k, t] of this.tokens) if (now - t.at >= CLIENT_TOKEN_WINDOW_MS) this.tokens.delete(k);
    ctx.changed();
    return payload;
  }

  /** Every rule of the ModifyVpnConnectionAttribute document for one change; returns the connection's next settings or throws the cloud's error. */
  private validate(gw: Gateway, conn: Connection, change: ConnectionChange): Connection {
    const dual = conn.tunnels !== undefined;
    for (const [key, wire] of dual ? SINGLE_ONLY : DUAL_ONLY) {
      if (change[key] !== undefined)
        throw E.illegalParam(
          wire,
          `${wire} is not supported by a ${dual ? "dual" : "single"}-tunnel IPsec-VPN connection.`,
        );
    }

    const next: Connection = structuredClone(conn);
    if (change.name !== undefined) {
      if (
        change.name.length < 1 ||
        change.name.length > CONNECTION_NAME_MAX_LENGTH ||
        /^https?:\/\//.test(change.name)
      )
        throw E.invalidName();
      next.name = change.name;
    }
    if (change.localSubnet !== undefined) next.localSubnet = subnetList("LocalSubnet", change.localSubnet);
    if (change.remoteSubnet !== undefined)
      next.remoteSubnet = subnetList("RemoteSubnet", change.remoteSubnet);
    next.effectImmediately = bool("EffectImmediately", change.effectImmediately) ?? next.effectImmediately;
    next.autoConfigRoute = bool("AutoConfigRoute", change.autoConfigRoute) ?? next.autoConfigRoute;

    if (!dual) {
      mergeTunnel(gw, next, { ...change, ike: change.ikeConfig, ipsec: change.ipsecConfig });
      if (change.healthCheckConfig) next.healthCheck = this.mergeHealthCheck(next.healthCheck, change);
      if (change.bgpConfig) {
        const enableBgp = bool("EnableBgp", change.bgpConfig.enableBgp);
        if (enableBgp === false && gw.enableBgp) throw E.mustEnableBgp();
        next.bgp = {
          ...mergeBgp(next.bgp, change.bgpConfig, true),
          enableBgp: enableBgp ?? next.bgp.enableBgp,
        };
        checkBgpAddress(next.bgp, next.bgp.enableBgp);
      }
    } else {
      next.enableTunnelsBgp = bool("EnableTunnelsBgp", change.enableTunnelsBgp) ?? next.enableTunnelsBgp;
      if (change.enableTunnelsBgp === "false" && gw.enableBgp) throw E.mustEnableBgp();
      const touched = new Set<string>();
      for (const t of change.tunnelOptions ?? []) {
        const tunnel = this.tunnelFor(next, t);
        if (touched.has(tunnel.tunnelId))
          throw E.illegalParam("TunnelId", `Tunnel ${tunnel.tunnelId} is given more than once.`);
        touched.add(tunnel.tunnelId);
        if (t.customerGatewayId !== undefined) {
          if (t.customerGatewayId === "") throw E.illegalParam("CustomerGatewayId");
          tunnel.customerGatewayId = t.customerGatewayId;
        }
        mergeTunnel(gw, tunnel, t);
        // The tunnel ASN is a `long` parameter: no two-segment form.
        if (t.bgp) tunnel.bgp = mergeBgp(tunnel.bgp, t.bgp, false);
      }
      if (change.tunnelOptions || change.enableTunnelsBgp !== undefined) {
        for (const tunnel of next.tunnels!) checkBgpAddress(tunnel.bgp, next.enableTunnelsBgp);
        const [a, b] = next.tunnels!;
        if (a.bgp.tunnelCidr && a.bgp.tunnelCidr === b.bgp.tunnelCidr)
          throw E.illegalParam("TunnelCidr", `Both tunnels use ${a.bgp.tunnelCidr}.`);
      }
    }

    this.checkAgainstGateway(gw, next);
    return next;
  }

  private mergeHealthCheck(current: HealthCheck, change: ConnectionChange): HealthCheck {
    const h = change.healthCheckConfig!;
    const count = (name: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v) || Number(v) < 1)
        throw E.illegalParam("HealthCheckConfig", `${name} must be >= 1.`);
      return Number(v);
    };
    const address = (name: string, v: string | undefined): string | undefined => {
      if (v === undefined || v === "") return v;
      if (ipv4(v) === undefined)
        throw E.illegalParam("HealthCheckConfig", `${name} must be an IPv4 address.`);
      return v;
    };
    const next: HealthCheck = {
      ...current,
      ...defined({
        enable: bool("HealthCheckConfig", h.enable),
        dip: address("dip", h.dip),
        sip: address("sip", h.sip),
        interval: count("interval", h.interval),
        retry: count("retry", h.retry),
      }),
    };
    if (next.enable && (!next.dip || !next.sip))
      throw E.illegalParam("HealthCheckConfig", "dip and sip are required when the health check is enabled.");
    return next;
  }

  private tunnelFor(conn: Connection, t: TunnelChange): Tunnel {
    if (t.role !== undefined && t.role !== "master" && t.role !== "slave") throw E.illegalParam("Role");
    const tunnels = conn.tunnels!;
    const byId = t.tunnelId !== undefined ? tunnels.find((x) => x.tunnelId === t.tunnelId) : undefined;
    if (t.tunnelId !== undefined && !byId) throw E.illegalParam("TunnelId");
    if (byId) {
      if (t.role !== undefined && t.role !== byId.role)
        throw E.illegalParam("Role", `Tunnel ${byId.tunnelId} is the ${byId.role} tunnel.`);
      return byId;
    }
    // terraform sends tunnel options without TunnelId: the role names the tunnel then.
    const byRole = tunnels.find((x) => x.role === t.role);
    if (!byRole) throw E.illegalParam("TunnelId", "Give TunnelId or Role.");
    return byRole;
  }

  /** Rules between this connection and the others of its gateway. */
  private checkAgainstGateway(gw: Gateway, next: Connection): void {
    const others = [...this.connections.values()].filter(
      (c) => c.vpnGatewayId === gw.vpnGatewayId && c.vpnConnectionId !== next.vpnConnectionId,
    );
    // A tunnel CIDR is unique per gateway, across single-tunnel BGP blocks and tunnel BGP blocks alike.
    const used = new Map<string, string>();
    for (const o of others) for (const c of cidrsOf(o)) used.set(c, o.vpnConnectionId);
    for (const c of cidrsOf(next)) {
      if (used.has(c)) throw E.illegalParam("TunnelCidr", `${c} is already used by ${used.get(c)}.`);
    }

    const ikes = next.tunnels ? next.tunnels.map((t) => t.ike) : [next.ike];
    if (!gw.ikev1MultiSubnet && ikes.some((i) => i.ikeVersion === "ikev1")) {
      if (next.localSubnet.length > 1 || next.remoteSubnet.length > 1) throw E.ikev1MultiRoutes();
    }

    if (next.tunnels) return;
    for (const o of others) {
      if (o.tunnels || o.customerGatewayId !== next.customerGatewayId) continue;
      // Local and remote identifiers may differ; the key and the negotiation parameters may not.
      const ikeKey = (ike: IkeSettings) => JSON.stringify(SHARED_IKE_FIELDS.map((f) => ike[f]));
      if (ikeKey(o.ike) !== ikeKey(next.ike)) throw E.sameCgwDifferentIke();
      const sel = (c: Connection) => ({
        local: c.localSubnet.map((s) => cidr(s)!),
        remote: c.remoteSubnet.map((s) => cidr(s)!),
      });
      const a = sel(next);
      const b = sel(o);
      const any = (x: Cidr[], y: Cidr[]) => x.some((p) => y.some((q) => overlaps(p, q)));
      if (any(a.local, b.local) && any(a.remote, b.remote)) throw E.sameCgwSelectorOverlap();
    }
  }

  // ------------------------------------------------------------------------------------------- fixtures

  /** Adds a gateway or replaces the one with its id (fixtures.ts builds the records). */
  putGateway(gw: Gateway): void {
    this.gateways.set(gw.vpnGatewayId, gw);
  }

  putConnection(conn: Connection): void {
    this.connections.set(conn.vpnConnectionId, conn);
  }

  /** A gateway by id, whatever its account and region (for fixtures, which name their gateway). */
  gatewayById(id: string): Gateway | undefined {
    return this.gateways.get(id);
  }

  /** How many gateways and connections exist (fixtures number their default addresses by them). */
  size(): { gateways: number; connections: number } {
    return { gateways: this.gateways.size, connections: this.connections.size };
  }

  // ------------------------------------------------------------------------------------------- state

  toJSON(): unknown {
    return {
      gateways: [...this.gateways.values()],
      connections: [...this.connections.values()],
      tokens: [...this.tokens.entries()],
    };
  }

  fromJSON(state: unknown): void {
    this.reset();
    const s = (state ?? {}) as {
      gateways?: Gateway[];
      connections?: Connection[];
      tokens?: Array<[string, TokenRecord]>;
    };
    for (const g of s.gateways ?? []) this.gateways.set(g.vpnGatewayId, fromStored(g));
    for (const c of s.connections ?? []) this.connections.set(c.vpnConnectionId, fromStored(c));
    for (const [k, t] of s.tokens ?? []) this.tokens.set(k, t);
  }

  /** A readable summary; PSKs never appear. */
  inventory(ctx: ServiceContext): unknown {
    const now = ctx.now();
    return {
      vpnGateways: [...this.gateways.values()].map((gw) => ({
        vpnGatewayId: gw.vpnGatewayId,
        region: gw.region,
        account: gw.account,
        vpnType: gw.vpnType,
        status: this.gatewayStatus(gw, now),
        businessStatus: gw.businessStatus,
        enableBgp: gw.enableBgp,
        changesAccepted: gw.changesAccepted,
        conflictsRejected: gw.conflictsRejected,
        maxInFlight: gw.maxInFlight,
      })),
      vpnConnections: [...this.connections.values()].map((c) => {
        const gw = this.gateways.get(c.vpnGatewayId)!;
        return {
          vpnConnectionId: c.vpnConnectionId,
          vpnGatewayId: c.vpnGatewayId,
          name: c.name,
          state: this.connectionState(c, gw, now),
          tunnelMode: c.tunnels ? "dual" : "single",
          localSubnet: c.localSubnet.join(","),
          remoteSubnet: c.remoteSubnet.join(","),
          ikeConfig: withoutPsk(c.ike),
          ipsecConfig: c.ipsec,
          bgpConfig: c.bgp,
          tunnels: c.tunnels?.map((t) => ({
            tunnelId: t.tunnelId,
            role: t.role,
            ikeConfig: withoutPsk(t.ike),
            ipsecConfig: t.ipsec,
            bgpConfig: t.bgp,
          })),
        };
      }),
    };
  }
}

/**
 * A gateway or connection as a state file of an earlier version kept it: the window as `updatingUntil` (epoch
 * ms, 0 when none), a connection without a status.
 */
function fromStored<T extends Managed<string>>(stored: T & { updatingUntil?: number }): T {
  const { updatingUntil, ...record } = stored;
  const mapped = { ...record, status: record.status ?? "active" } as unknown as T;
  if (updatingUntil && mapped.transition === undefined)
    mapped.transition = { during: "updating", until: updatingUntil };
  return mapped;
}

function withoutPsk(ike: IkeSettings): Omit<IkeSettings, "psk"> {
  return Object.fromEntries(Object.entries(ike).filter(([k]) => k !== "psk")) as Omit<IkeSettings, "psk">;
}

function cidrsOf(c: Connection): string[] {
  if (c.tunnels) return c.tunnels.map((t) => t.bgp.tunnelCidr).filter(Boolean);
  return c.bgp.tunnelCidr ? [c.bgp.tunnelCidr] : [];
}
