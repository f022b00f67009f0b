import {
  AUTH_ALGS,
  ENC_ALGS,
  IKE_MODES,
  IKE_VERSIONS,
  SHARED_IKE_FIELDS as SHARED_IKE,
  SM_AUTH_ALG,
  SM_ENC_ALG,
  SM_IKE_MODES,
  SM_IKE_VERSIONS,
} from "../../clouds/facts/alibaba-vpc-vpn";
import { isTunnelHost, overlaps, parseCidr } from "./net";
import { DUAL_TUNNEL_FIELDS, SETTING_FIELDS, SINGLE_TUNNEL_FIELDS } from "./schema";
import type {
  IkeSettings,
  IpsecSettings,
  LiveConnection,
  LiveGateway,
  Settings,
  TunnelSettings,
} from "./cloud";
import { type PresharedKeys, joinPsks } from "./psk";
import { type Failure } from "../common/check";

// What the provider decides, as pure functions of (stored state, desired inputs, live connection and gateway):
// which inputs the cloud would refuse (check), what differs (diff, read-back), what to send (update), and what
// refresh reports. No I/O here.

type Bag = Record<string, unknown>;

const SCALARS = [
  "name",
  "effectImmediately",
  "enableDpd",
  "enableNatTraversal",
  "remoteCaCertificate",
  "enableTunnelsBgp",
] as const;
const SUBNETS = ["localSubnet", "remoteSubnet"] as const;
const BLOCKS = ["ikeConfig", "ipsecConfig", "healthCheckConfig", "bgpConfig"] as const;
const TUNNEL_SCALARS = [
  "customerGatewayId",
  "enableDpd",
  "enableNatTraversal",
  "remoteCaCertificate",
] as const;
const TUNNEL_BLOCKS = ["tunnelIkeConfig", "tunnelIpsecConfig", "tunnelBgpConfig"] as const;

function isBag(v: unknown): v is Bag {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Drops undefined and null members (Pulumi state may carry nulls for absent values). */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (isBag(v)) {
    const out: Bag = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = clean(x);
    return out as T;
  }
  return v;
}

/**
 * The managed settings of checked inputs or of stored outputs (same property names), PSKs put back into their
 * IKE blocks. Lenient: stored outputs are not re-validated (a value the cloud shows is kept as it is).
 */
export function settingsOf(props: Bag): Settings {
  const out: Bag = {};
  for (const f of SETTING_FIELDS) if (props[f] !== undefined && props[f] !== null) out[f] = clean(props[f]);
  for (const f of SUBNETS) {
    const v = out[f];
    if (typeof v === "string")
      out[f] = v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
  }
  return joinPsks(
    out as Settings,
    isBag(props.presharedKeys) ? (props.presharedKeys as PresharedKeys) : undefined,
  );
}

function fail(property: string, message: string): Failure {
  return { property, reason: `${property}: ${message}` };
}

function sameSet(a: string[], b: string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
}

/** The live tunnel an item names: by tunnelId, or by role when no id is given (or the other side has none). */
export function matchTunnel(
  item: TunnelSettings,
  list: TunnelSettings[] | undefined,
): TunnelSettings | undefined {
  if (!list) return undefined;
  if (item.tunnelId !== undefined) {
    const byId = list.find((t) => t.tunnelId === item.tunnelId);
    if (byId || item.role === undefined) return byId;
    return list.find((t) => t.tunnelId === undefined && t.role === item.role);
  }
  return list.find((t) => t.role === item.role);
}

function projectBlock(shape: Bag | undefined, live: Bag | undefined): Bag | undefined {
  if (shape === undefined) return undefined;
  const out: Bag = {};
  for (const k of Object.keys(shape)) if (live?.[k] !== undefined) out[k] = live[k];
  return out;
}

/**
 * The live values at the places `shape` manages: what refresh reports for this resource. The tunnels keep the
 * names (tunnelId/role) the shape gives them. autoConfigRoute is write-only (no read shows it), so the shape's
 * value is kept.
 */
export function project(shape: Settings, live: Settings): Settings {
  const out: Bag = {};
  const s = shape as Bag;
  const l = live as Bag;
  for (const f of SCALARS) if (s[f] !== undefined && l[f] !== undefined) out[f] = l[f];
  for (const f of SUBNETS) {
    const want = shape[f];
    const have = live[f];
    if (want !== undefined && have !== undefined) out[f] = sameSet(want, have) ? want : have;
  }
  if (shape.autoConfigRoute !== undefined) out.autoConfigRoute = shape.autoConfigRoute;
  for (const b of BLOCKS) {
    const p = projectBlock(s[b] as Bag | undefined, l[b] as Bag | undefined);
    if (p) out[b] = p;
  }
  if (shape.tunnelOptionsSpecification) {
    out.tunnelOptionsSpecification = shape.tunnelOptionsSpecification.map((t) => {
      const lt = matchTunnel(t, live.tunnelOptionsSpecification) as Bag | undefined;
      const item: Bag = {};
      if (t.tunnelId !== undefined) item.tunnelId = t.tunnelId;
      if (t.role !== undefined) item.role = t.role;
      for (const f of TUNNEL_SCALARS) if (t[f] !== undefined && lt?.[f] !== undefined) item[f] = lt[f];
      for (const b of TUNNEL_BLOCKS) {
        const p = projectBlock(t[b] as Bag | undefined, lt?.[b] as Bag | undefined);
        if (p) item[b] = p;
      }
      return item;
    });
  }
  return out as Settings;
}

/** Every managed leaf as path → comparable text. Paths are the user's: ikeConfig.ikeEncAlg, tunnelOptionsSpecification[1].enableDpd. */
function leaves(s: Settings): Map<string, string> {
  const out = new Map<string, string>();
  const put = (path: string, v: unknown) => {
    if (v === undefined) return;
    out.set(
      path,
      Array.isArray(v) ? [...v].sort().join(",") : typeof v === "string" ? v.trim() : JSON.stringify(v),
    );
  };
  const b = s as Bag;
  for (const f of [...SCALARS, ...SUBNETS, "autoConfigRoute"]) put(f, b[f]);
  for (const blk of BLOCKS) for (const [k, v] of Object.entries((b[blk] as Bag) ?? {})) put(`${blk}.${k}`, v);
  (s.tunnelOptionsSpecification ?? []).forEach((t, i) => {
    const tb = t as Bag;
    for (const f of TUNNEL_SCALARS) put(`tunnelOptionsSpecification[${i}].${f}`, tb[f]);
    for (const blk of TUNNEL_BLOCKS)
      for (const [k, v] of Object.entries((tb[blk] as Bag) ?? {}))
        put(`tunnelOptionsSpecification[${i}].${blk}.${k}`, v);
  });
  return out;
}

/**
 * The managed fields whose desired value the live settings do not show, by the user's path. A tunnel the live
 * connection does not have counts as different in every field. autoConfigRoute is never compared: no read
 * returns it.
 */
export function differences(desired: Settings, live: Settings): string[] {
  const want = leaves(desired);
  const have = leaves({ ...project(desired, live), autoConfigRoute: desired.autoConfigRoute });
  return [...want.keys()].filter((k) => want.get(k) !== have.get(k));
}

/**
 * The fields a change is about to write whose live value is no longer the one the stack's state recorded: someone
 * changed them outside this deployment since the state was last read (by hand during `up`, or since the last
 * refresh), so the preview, which compared the program with the state, never showed that value, and writing would
 * overwrite it unseen. A field the state has no value for (newly managed) is adopted as on create. Paths are the
 * user's; values are never returned (some are PSKs).
 */
export function changedOutside(recorded: Settings, desired: Settings, live: Settings): string[] {
  const wasRecorded = leaves(project(desired, recorded));
  const now = leaves(project(desired, live));
  return differences(desired, live).filter((p) => wasRecorded.has(p) && wasRecorded.get(p) !== now.get(p));
}

/**
 * A block laid over its live values. A BGP block that moves to another tunnelCidr without a localBgpIp drops the
 * live address of the old block: the cloud chooses one in the new block (see bgpFailures).
 */
function overlay(name: string, live: Bag | undefined, desired: Bag | undefined): Bag {
  const out: Bag = { ...(live ?? {}), ...(desired ?? {}) };
  const isBgp = name === "bgpConfig" || name === "tunnelBgpConfig";
  if (
    isBgp &&
    typeof desired?.tunnelCidr === "string" &&
    desired.localBgpIp === undefined &&
    typeof out.localBgpIp === "string" &&
    !isTunnelHost(out.localBgpIp, desired.tunnelCidr)
  )
    delete out.localBgpIp;
  return out;
}

function nonEmpty(b: Bag | undefined): Bag {
  return Object.fromEntries(Object.entries(b ?? {}).filter(([, v]) => v !== undefined && v !== ""));
}

/**
 * What ModifyVpnConnectionAttribute must carry to bring the live settings to the desired ones: only the fields
 * that differ. A block (IkeConfig, a tunnel's TunnelIkeConfig, ...) that differs is sent whole, its other
 * fields at their live values, so the cloud never has to guess a missing member. autoConfigRoute (write-only)
 * is sent when it differs from what was last applied, or on the first apply.
 */
export function changeFor(desired: Settings, live: Settings, lastApplied?: Settings): Settings {
  const diff = differences(desired, live);
  const has = (prefix: string) => diff.some((d) => d === prefix || d.startsWith(`${prefix}.`));
  const out: Bag = {};
  const d = desired as Bag;
  const l = live as Bag;
  for (const f of [...SCALARS, ...SUBNETS]) if (has(f)) out[f] = d[f];
  if (desired.autoConfigRoute !== undefined && desired.autoConfigRoute !== lastApplied?.autoConfigRoute)
    out.autoConfigRoute = desired.autoConfigRoute;
  for (const b of BLOCKS) if (has(b)) out[b] = overlay(b, nonEmpty(l[b] as Bag), d[b] as Bag);
  const tunnels: TunnelSettings[] = [];
  (desired.tunnelOptionsSpecification ?? []).forEach((t, i) => {
    const prefix = `tunnelOptionsSpecification[${i}]`;
    if (!has(prefix)) return;
    const lt = (matchTunnel(t, live.tunnelOptionsSpecification) ?? {}) as Bag;
    const item: Bag = { tunnelId: lt.tunnelId ?? t.tunnelId, role: lt.role ?? t.role };
    const tb = t as Bag;
    for (const f of TUNNEL_SCALARS) if (has(`${prefix}.${f}`)) item[f] = tb[f];
    for (const b of TUNNEL_BLOCKS)
      if (has(`${prefix}.${b}`)) item[b] = overlay(b, nonEmpty(lt[b] as Bag), tb[b] as Bag);
    tunnels.push(item as TunnelSettings);
  });
  if (tunnels.length > 0) out.tunnelOptionsSpecification = tunnels;
  return out as Settings;
}

export function isEmptyChange(change: Settings): boolean {
  return Object.keys(change).length === 0;
}

/** The desired settings laid over the live ones: the connection as it will be after the change. */
export function effective(desired: Settings, live: Settings): Settings {
  const out: Bag = { ...(live as Bag) };
  const d = desired as Bag;
  for (const f of [...SCALARS, ...SUBNETS, "autoConfigRoute"]) if (d[f] !== undefined) out[f] = d[f];
  for (const b of BLOCKS) if (d[b] !== undefined) out[b] = overlay(b, out[b] as Bag, d[b] as Bag);
  if (live.tunnelOptionsSpecification) {
    out.tunnelOptionsSpecification = live.tunnelOptionsSpecification.map((lt) => {
      const dt = (desired.tunnelOptionsSpecification ?? []).find(
        (t) => matchTunnel(t, [lt]) !== undefined,
      ) as Bag | undefined;
      if (!dt) return lt;
      const merged: Bag = { ...(lt as Bag) };
      for (const f of TUNNEL_SCALARS) if (dt[f] !== undefined) merged[f] = dt[f];
      for (const b of TUNNEL_BLOCKS)
        if (dt[b] !== undefined) merged[b] = overlay(b, merged[b] as Bag, dt[b] as Bag);
      return merged;
    });
  }
  return out as Settings;
}

// ------------------------------------------------------------------------------------------------ check

export interface LiveContext {
  conn: LiveConnection;
  gw: LiveGateway;
  /** The other connections of the same gateway (for the per-gateway uniqueness of BGP tunnel blocks). */
  others: LiveConnection[];
}

function describeTunnels(list: TunnelSettings[] | undefined): string {
  return (list ?? []).map((t) => `${t.tunnelId} (${t.role})`).join(", ") || "none";
}

/** The IKE and IPsec blocks of the desired settings, with the user's path of each. */
function cryptoBlocks(desired: Settings): Array<{ path: string; ike?: IkeSettings; ipsec?: IpsecSettings }> {
  const out: Array<{ path: string; ike?: IkeSettings; ipsec?: IpsecSettings }> = [];
  if (desired.ikeConfig) out.push({ path: "ikeConfig", ike: desired.ikeConfig });
  if (desired.ipsecConfig) out.push({ path: "ipsecConfig", ipsec: desired.ipsecConfig });
  (desired.tunnelOptionsSpecification ?? []).forEach((t, i) => {
    if (t.tunnelIkeConfig)
      out.push({ path: `tunnelOptionsSpecification[${i}].tunnelIkeConfig`, ike: t.tunnelIkeConfig });
    if (t.tunnelIpsecConfig)
      out.push({ path: `tunnelOptionsSpecification[${i}].tunnelIpsecConfig`, ipsec: t.tunnelIpsecConfig });
  });
  return out;
}

function gatewayTypeFailures(desired: Settings, gw: LiveGateway): Failure[] {
  const out: Failure[] = [];
  const sm = gw.vpnType === "NationalStandard";
  const gwText = sm
    ? `VPN gateway ${gw.vpnGatewayId} is a national-cryptography (SM) gateway`
    : `VPN gateway ${gw.vpnGatewayId} is a normal (non-SM) gateway`;
  const need = (path: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value))
      out.push(
        fail(path, `${gwText}: use ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(", ")}`}`),
      );
  };
  for (const { path, ike, ipsec } of cryptoBlocks(desired)) {
    if (ike) {
      need(`${path}.ikeVersion`, ike.ikeVersion, sm ? SM_IKE_VERSIONS : IKE_VERSIONS);
      need(`${path}.ikeMode`, ike.ikeMode, sm ? SM_IKE_MODES : IKE_MODES);
      need(`${path}.ikeEncAlg`, ike.ikeEncAlg, sm ? [SM_ENC_ALG] : ENC_ALGS);
      need(`${path}.ikeAuthAlg`, ike.ikeAuthAlg, sm ? [SM_AUTH_ALG] : AUTH_ALGS);
    }
    if (ipsec) {
      need(`${path}.ipsecEncAlg`, ipsec.ipsecEncAlg, sm ? [SM_ENC_ALG] : ENC_ALGS);
      need(`${path}.ipsecAuthAlg`, ipsec.ipsecAuthAlg, sm ? [SM_AUTH_ALG] : AUTH_ALGS);
    }
  }
  if (!sm) {
    const certs: Array<[string, string | undefined]> = [["remoteCaCertificate", desired.remoteCaCertificate]];
    (desired.tunnelOptionsSpecification ?? []).forEach((t, i) =>
      certs.push([`tunnelOptionsSpecification[${i}].remoteCaCertificate`, t.remoteCaCertificate]),
    );
    for (const [path, v] of certs)
      if (v !== undefined)
        out.push(
          fail(
            path,
            `${gwText}: only a national-cryptography gateway takes a peer CA certificate; remove it`,
          ),
        );
  }
  return out;
}

function bgpFailures(desired: Settings, ctx: LiveContext): Failure[] {
  const out: Failure[] = [];
  const { conn, gw } = ctx;
  const eff = effective(desired, conn.settings);
  const gwBgp = `VPN gateway ${gw.vpnGatewayId} has BGP enabled, so its IPsec connections must keep BGP on`;
  // With BGP on, only TunnelCidr is required (MissingParameter.TunnelCidr; terraform-provider-alicloud has
  // local_bgp_ip optional and computed): without a localBgpIp the cloud chooses the address. One that is given
  // must be a host of the block.
  const blockNeeds = (path: string, cidr: string | undefined, ip: string | undefined, why: string) => {
    if (!cidr) out.push(fail(`${path}.tunnelCidr`, `is required ${why}: a /30 block inside 169.254.0.0/16`));
    else if (ip && !isTunnelHost(ip, cidr))
      out.push(
        fail(`${path}.localBgpIp`, `must be one of the two host addresses of tunnelCidr ${cidr} ${why}`),
      );
  };
  if (conn.tunnelMode === "single" && desired.bgpConfig) {
    if (desired.bgpConfig.enableBgp === false && gw.enableBgp) out.push(fail("bgpConfig.enableBgp", gwBgp));
    const b = eff.bgpConfig ?? {};
    if (b.enableBgp) blockNeeds("bgpConfig", b.tunnelCidr, b.localBgpIp, "when enableBgp is true");
    else if (
      desired.bgpConfig.localBgpIp &&
      b.tunnelCidr &&
      !isTunnelHost(desired.bgpConfig.localBgpIp, b.tunnelCidr)
    )
      out.push(
        fail("bgpConfig.localBgpIp", `must be one of the two host addresses of tunnelCidr ${b.tunnelCidr}`),
      );
  }
  if (
    conn.tunnelMode === "dual" &&
    (desired.tunnelOptionsSpecification || desired.enableTunnelsBgp !== undefined)
  ) {
    if (desired.enableTunnelsBgp === false && gw.enableBgp) out.push(fail("enableTunnelsBgp", gwBgp));
    const tunnels = eff.tunnelOptionsSpecification ?? [];
    tunnels.forEach((lt) => {
      const i = (desired.tunnelOptionsSpecification ?? []).findIndex((t) => matchTunnel(t, [lt]));
      const path = i >= 0 ? `tunnelOptionsSpecification[${i}].tunnelBgpConfig` : "enableTunnelsBgp";
      const why =
        i >= 0
          ? "when enableTunnelsBgp is true"
          : `for tunnel ${lt.tunnelId} (${lt.role}) when enableTunnelsBgp is true`;
      const b = lt.tunnelBgpConfig ?? {};
      if (eff.enableTunnelsBgp) blockNeeds(path, b.tunnelCidr, b.localBgpIp, why);
      else if (i >= 0 && b.tunnelCidr && b.localBgpIp && !isTunnelHost(b.localBgpIp, b.tunnelCidr))
        out.push(
          fail(`${path}.localBgpIp`, `must be one of the two host addresses of tunnelCidr ${b.tunnelCidr}`),
        );
    });
    const [a, b] = tunnels;
    const cidr = a?.tunnelBgpConfig?.tunnelCidr;
    if (cidr && cidr === b?.tunnelBgpConfig?.tunnelCidr)
      out.push(
        fail(
          "tunnelOptionsSpecification",
          `both tunnels use the BGP block ${cidr}; give each its own /30 block`,
        ),
      );
  }
  // Tunnel blocks are unique per gateway, across all its connections and tunnels.
  const used = new Map<string, string>();
  for (const o of ctx.others) {
    if (o.vpnConnectionId === conn.vpnConnectionId) continue;
    const s = o.settings;
    const cidrs =
      o.tunnelMode === "dual"
        ? (s.tunnelOptionsSpecification ?? []).map((t) => t.tunnelBgpConfig?.tunnelCidr)
        : [s.bgpConfig?.tunnelCidr];
    for (const c of cidrs) if (c) used.set(c, o.vpnConnectionId);
  }
  const wanted: Array<[string, string | undefined]> = [
    ["bgpConfig.tunnelCidr", desired.bgpConfig?.tunnelCidr],
  ];
  (desired.tunnelOptionsSpecification ?? []).forEach((t, i) =>
    wanted.push([
      `tunnelOptionsSpecification[${i}].tunnelBgpConfig.tunnelCidr`,
      t.tunnelBgpConfig?.tunnelCidr,
    ]),
  );
  for (const [path, c] of wanted) {
    if (c && used.has(c))
      out.push(
        fail(
          path,
          `${c} is already used by IPsec connection ${used.get(c)} on VPN gateway ${gw.vpnGatewayId}; ` +
            `BGP tunnel blocks are unique per gateway, choose another /30 block`,
        ),
      );
  }
  return out;
}

/** Rules that depend on the live connection and gateway: what the cloud would refuse, found at preview. */
export function liveFailures(desired: Settings, ctx: LiveContext): Failure[] {
  const { conn, gw } = ctx;
  const where = `IPsec connection ${conn.vpnConnectionId}`;
  if (conn.tunnelMode === "dual") {
    const wrong = SINGLE_TUNNEL_FIELDS.filter((f) => desired[f] !== undefined);
    if (wrong.length > 0)
      return wrong.map((f) =>
        fail(
          f,
          `${where} is a dual-tunnel connection: set this per tunnel in tunnelOptionsSpecification ` +
            `(tunnelIkeConfig, tunnelIpsecConfig, tunnelBgpConfig, enableDpd, enableNatTraversal, remoteCaCertificate)`,
        ),
      );
  } else {
    const wrong = DUAL_TUNNEL_FIELDS.filter((f) => desired[f] !== undefined);
    if (wrong.length > 0)
      return wrong.map((f) =>
        fail(
          f,
          `${where} is a single-tunnel connection: use ikeConfig, ipsecConfig, bgpConfig, healthCheckConfig, ` +
            `enableDpd, enableNatTraversal and remoteCaCertificate instead`,
        ),
      );
  }
  const out: Failure[] = [];
  const claimed = new Map<string, number>();
  (desired.tunnelOptionsSpecification ?? []).forEach((t, i) => {
    const live = conn.settings.tunnelOptionsSpecification;
    const found = matchTunnel(t, live);
    const path = `tunnelOptionsSpecification[${i}]`;
    if (!found) {
      out.push(
        fail(
          t.tunnelId !== undefined ? `${path}.tunnelId` : `${path}.role`,
          `${where} has no tunnel ${t.tunnelId ?? t.role}; its tunnels are ${describeTunnels(live)}`,
        ),
      );
      return;
    }
    if (t.role !== undefined && found.role !== t.role)
      out.push(
        fail(
          `${path}.role`,
          `tunnel ${found.tunnelId} of ${where} is the ${found.role} tunnel, not ${t.role}`,
        ),
      );
    const other = claimed.get(found.tunnelId ?? "");
    if (other !== undefined)
      out.push(
        fail(
          path,
          `names tunnel ${found.tunnelId}, like tunnelOptionsSpecification[${other}]: give each tunnel's options once`,
        ),
      );
    claimed.set(found.tunnelId ?? "", i);
  });
  out.push(...gatewayTypeFailures(desired, gw));
  if (desired.healthCheckConfig) {
    const hc = effective(desired, conn.settings).healthCheckConfig ?? {};
    if (hc.enable && (!hc.dip || !hc.sip))
      out.push(
        fail(`healthCheckConfig.${hc.dip ? "sip" : "dip"}`, "is required when the health check is enabled"),
      );
  }
  if (out.length === 0) out.push(...bgpFailures(desired, ctx));
  return out;
}

// ------------------------------------------------------------------------------------------------ siblings

export interface SiblingContext {
  conn: LiveConnection;
  gw: LiveGateway;
  /** The gateway's connections as the cloud shows them. */
  others: LiveConnection[];
  /** Settings other resources of this deployment, checked earlier, will give their connections. */
  planned: ReadonlyMap<string, Settings>;
}

function anyOverlap(a: string[] | undefined, b: string[] | undefined): boolean {
  const blocks = (l: string[] | undefined) => (l ?? []).map(parseCidr).filter((x) => x !== undefined);
  return blocks(a).some((x) => blocks(b).some((y) => overlaps(x, y)));
}

/**
 * ModifyVpnConnectionAttribute's SameVpnAndCgw* rules
 * (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns,
 * error codes): single-tunnel connections of one VPN gateway and one customer gateway must share the PSK and the
 * IKE settings, and their interesting-traffic subnets must not overlap. The cloud judges each change against the
 * other connections as they are at that moment; a sibling is therefore judged both as the cloud shows it and as
 * this deployment will leave it (its planned settings, if another resource changes it), since the order in which
 * the deployment applies the changes is not known. That is why a shared PSK or IKE setting cannot be changed on
 * several siblings by one deployment: whichever connection is changed first differs from the others. No public
 * page documents a way around it; the failure says what the cloud requires.
 */
export function siblingFailures(desired: Settings, ctx: SiblingContext): Failure[] {
  const { conn, gw } = ctx;
  if (conn.tunnelMode !== "single" || !conn.customerGatewayId) return [];
  const touchesIke = desired.ikeConfig !== undefined;
  const touchesSubnets = desired.localSubnet !== undefined || desired.remoteSubnet !== undefined;
  if (!touchesIke && !touchesSubnets) return [];
  const mine = effective(desired, conn.settings);
  const out: Failure[] = [];
  for (const o of ctx.others) {
    if (o.vpnConnectionId === conn.vpnConnectionId || o.tunnelMode !== "single") continue;
    if (o.customerGatewayId !== conn.customerGatewayId) continue;
    const planned = ctx.planned.get(o.vpnConnectionId);
    const views = planned ? [o.settings, planned] : [o.settings];
    const peer = `IPsec connection ${o.vpnConnectionId}, which uses the same customer gateway ${conn.customerGatewayId} on VPN gateway ${gw.vpnGatewayId}`;
    if (touchesIke) {
      const fields = SHARED_IKE.filter((f) =>
        views.some((v) => (v.ikeConfig?.[f] ?? undefined) !== (mine.ikeConfig?.[f] ?? undefined)),
      );
      if (fields.length > 0) {
        const named = fields.map((f) => (f === "psk" ? "the pre-shared key" : f)).join(", ");
        out.push(
          fail(
            `ikeConfig.${fields[0]}`,
            `${peer}, would have another ${named}` +
              (planned ? " (as it is now, or as this deployment leaves it)" : "") +
              `; the cloud requires such connections to share the pre-shared key and IKE settings ` +
              `(VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs) and checks each change against the ` +
              `others as they are, so they cannot change them one at a time. Keep ikeConfig equal to ` +
              `${o.vpnConnectionId}'s, or move one of them to another customer gateway first.`,
          ),
        );
      }
    }
    if (touchesSubnets) {
      const clash = views.some(
        (v) => anyOverlap(mine.localSubnet, v.localSubnet) && anyOverlap(mine.remoteSubnet, v.remoteSubnet),
      );
      if (clash)
        out.push(
          fail(
            desired.localSubnet !== undefined ? "localSubnet" : "remoteSubnet",
            `${peer}, has interesting-traffic subnets that overlap these` +
              (planned ? " (as it is now, or as this deployment leaves it)" : "") +
              `; the cloud refuses overlapping selectors for such connections ` +
              `(VpnConnectionParamInvalid.SameVpnAndCgwTrafficSelectorOverlap). Choose localSubnet or ` +
              `remoteSubnet blocks that do not overlap ${o.vpnConnectionId}'s.`,
          ),
        );
    }
  }
  return out;
}

/** A gateway state in which a change cannot be applied, as a failure for check (only when there is a change). */
export function gatewayStateFailure(gw: LiveGateway, vpnConnectionId: string): Failure | undefined {
  if (gw.businessStatus === "FinancialLocked")
    return fail(
      "vpnConnectionId",
      `VPN gateway ${gw.vpnGatewayId} of ${vpnConnectionId} is financially locked (overdue payment): ` +
        `settle the account, then run 'pulumi up' again`,
    );
  if (gw.status === "deleting")
    return fail(
      "vpnConnectionId",
      `VPN gateway ${gw.vpnGatewayId} of ${vpnConnectionId} is being deleted, and its connections with it: ` +
        `remove this VpnConnectionConfig from the program, or give it a connection of another gateway`,
    );
  return undefined;
}

/** A gateway state that will never become active, for the wait before a change. */
export function gatewayWaitFailure(gw: LiveGateway): string | undefined {
  return gatewayStateFailure(gw, "the connection")?.reason.replace(/^vpnConnectionId: /, "");
}

// ------------------------------------------------------------------------------------------------ diff

export interface InputsDiff {
  changes: boolean;
  replaces: string[];
}

/** Compares stored outputs (olds) with checked inputs (news). A different connection or region replaces. */
export function diffInputs(olds: Bag, news: Bag): InputsDiff {
  const replaces = (["region", "vpnConnectionId"] as const).filter(
    (k) => olds[k] !== undefined && news[k] !== olds[k],
  );
  const o = settingsOf(olds);
  const n = settingsOf(news);
  const changed = differences(n, o);
  if (n.autoConfigRoute !== undefined && n.autoConfigRoute !== o.autoConfigRoute)
    changed.push("autoConfigRoute");
  // A field no longer managed changes nothing in the cloud, but the state must stop reporting it.
  const kept = leaves({ ...project(o, n), autoConfigRoute: n.autoConfigRoute });
  const dropped = [...leaves(o).keys()].filter((k) => !kept.has(k));
  const own = (["restoreOnDelete", "timeoutSeconds"] as const).filter(
    (k) => (news[k] ?? false) !== (olds[k] ?? false),
  );
  const changes = replaces.length > 0 || changed.length > 0 || dropped.length > 0 || own.length > 0;
  return { changes, replaces };
}

// ------------------------------------------------------------------------------------------------ errors

/** Advice for a cloud error of ModifyVpnConnectionAttribute: the field to fix and what to do. */
export function hintFor(
  code: string,
  ctx: { vpnConnectionId: string; vpnGatewayId: string; dual: boolean },
): string {
  const where = `IPsec connection ${ctx.vpnConnectionId} (VPN gateway ${ctx.vpnGatewayId})`;
  const ike = ctx.dual ? "tunnelOptionsSpecification[].tunnelIkeConfig" : "ikeConfig";
  const ipsec = ctx.dual ? "tunnelOptionsSpecification[].tunnelIpsecConfig" : "ipsecConfig";
  const bgp = ctx.dual ? "tunnelOptionsSpecification[].tunnelBgpConfig" : "bgpConfig";
  const field = (f: string) => `Fix '${f}' of the VpnConnectionConfig for ${where}`;
  const exact: Record<string, string> = {
    InvalidName: field("name") + ": 1 to 100 characters, not starting with http:// or https://",
    "IllegalParam.LocalSubnet": field("localSubnet"),
    "IllegalParam.RemoteSubnet": field("remoteSubnet"),
    "IllegalParam.Psk": field(`${ike}.psk`),
    "IllegalParam.LocalAsn": field(`${bgp}.localAsn`),
    "IllegalParam.TunnelCidr":
      field(`${bgp}.tunnelCidr`) + ": a /30 block in 169.254.0.0/16, unique per gateway",
    "InvalidTunnelCidr.Malformed": field(`${bgp}.tunnelCidr`),
    "MissingParameter.TunnelCidr": field(`${bgp}.tunnelCidr`) + ": it is required when BGP is enabled",
    "IllegalParam.LocalBgpIp": field(`${bgp}.localBgpIp`),
    "InvalidLocalBgpIp.Malformed": field(`${bgp}.localBgpIp`),
    "IllegalParam.EnableBgp":
      field(ctx.dual ? "enableTunnelsBgp" : "bgpConfig.enableBgp") + ": the gateway has BGP on",
    "IllegalParam.RemoteCaCertificate": field("remoteCaCertificate") + ": only SM gateways take one",
    "IllegalParam.TunnelId": field("tunnelOptionsSpecification[].tunnelId"),
    "IllegalParam.Role": field("tunnelOptionsSpecification[].role"),
    "VpnGateway.FinancialLocked": `The VPN gateway of ${where} is financially locked: settle the account, then run 'pulumi up' again`,
    "VpnTask.CONFLICT":
      `Another change on the VPN gateway of ${where} was still being applied after the retries; ` +
      `run 'pulumi up' again, or raise 'timeoutSeconds'`,
    "VpnGateway.Configuring": `The VPN gateway of ${where} stayed busy after the retries; run 'pulumi up' again, or raise 'timeoutSeconds'`,
    "InvalidVpnConnectionInstanceId.NotFound": `Check 'vpnConnectionId' and 'region' (${where} was not found)`,
    "ModifyIkeV1WithMultiRoutes.Invalid":
      `This gateway version refuses several subnets with IKEv1: set ${ike}.ikeVersion to ikev2, or give one block ` +
      `each in 'localSubnet' and 'remoteSubnet' (${where})`,
    "VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs":
      `Connections of this gateway with the same customer gateway must share the PSK and IKE settings: align ` +
      `'${ike}' with them (${where})`,
    "VpnConnectionParamInvalid.SameVpnAndCgwTrafficSelectorOverlap":
      `Connections of this gateway with the same customer gateway must not overlap: change 'localSubnet' or ` +
      `'remoteSubnet' (${where})`,
  };
  if (exact[code]) return exact[code];
  const m = /^NotSupportVpnConnectionParameter\.(\w+)$/.exec(code);
  if (m) {
    const name = m[1].charAt(0).toLowerCase() + m[1].slice(1);
    return field(`${name.startsWith("ipsec") ? ipsec : ike}.${name}`);
  }
  const p = /^IllegalParam\.(\w+)$/.exec(code);
  if (p) return field(p[1].charAt(0).toLowerCase() + p[1].slice(1));
  return `While applying settings to ${where}`;
}
