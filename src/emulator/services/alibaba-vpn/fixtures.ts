import { randomBytes } from "node:crypto";
import { z } from "zod";
import { SM_AUTH_ALG, SM_ENC_ALG } from "../../../clouds/facts/alibaba-vpc-vpn";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext } from "../../types";
import {
  type Connection,
  GATEWAY_UPDATE,
  type IkeSettings,
  type IpsecSettings,
  type Tunnel,
  type VpnModel,
} from "./model";

// The fixture format for VPN gateways and IPsec connections (under fixtures.alibabaVpc, keys vpnGateways and
// vpnConnections) and its mapping onto the model's records, with the defaults a fixture may leave out. Field
// names are the camelCase forms of the API's names.

/** The ASN Alibaba gives its side of a BGP session by default. */
const DEFAULT_TUNNEL_ASN = 45104;

function randomId(prefix: string, length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return prefix + [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join("");
}

const subnets = z.union([z.string(), z.array(z.string())]);

const ike = z
  .object({
    psk: z.string(),
    ikeVersion: z.string(),
    ikeMode: z.string(),
    ikeEncAlg: z.string(),
    ikeAuthAlg: z.string(),
    ikePfs: z.string(),
    ikeLifetime: z.number().int(),
    localId: z.string(),
    remoteId: z.string(),
  })
  .partial()
  .strict();

const ipsec = z
  .object({
    ipsecEncAlg: z.string(),
    ipsecAuthAlg: z.string(),
    ipsecPfs: z.string(),
    ipsecLifetime: z.number().int(),
  })
  .partial()
  .strict();

const bgp = z
  .object({
    enableBgp: z.boolean(),
    localAsn: z.number().int(),
    tunnelCidr: z.string(),
    localBgpIp: z.string(),
  })
  .partial()
  .strict();

const tunnel = z
  .object({
    tunnelId: z.string().optional(),
    role: z.enum(["master", "slave"]),
    customerGatewayId: z.string().optional(),
    customerGatewayIp: z.string().optional(),
    internetIp: z.string().optional(),
    zoneNo: z.string().optional(),
    enableDpd: z.boolean().optional(),
    enableNatTraversal: z.boolean().optional(),
    remoteCaCertificate: z.string().optional(),
    ikeConfig: ike.optional(),
    ipsecConfig: ipsec.optional(),
    bgpConfig: bgp.omit({ enableBgp: true }).optional(),
    peerAsn: z.number().int().optional(),
  })
  .strict();

const gatewayFixture = z
  .object({
    vpnGatewayId: z.string().min(1),
    regionId: z.string().min(1),
    /** Owning account (with its connections); omitted = the emulator's built-in account. */
    account: z.string().min(1).optional(),
    name: z.string().optional(),
    vpnType: z.enum(["Normal", "NationalStandard"]).optional(),
    status: z.enum(["init", "provisioning", "active", "updating", "deleting"]).optional(),
    businessStatus: z.enum(["Normal", "FinancialLocked"]).optional(),
    enableBgp: z.boolean().optional(),
    /** false models an older gateway version that rejects IKEv1 with several subnets. */
    ikev1MultiSubnet: z.boolean().optional(),
    internetIp: z.string().optional(),
    disasterRecoveryInternetIp: z.string().optional(),
    vpcId: z.string().optional(),
    vSwitchId: z.string().optional(),
    spec: z.string().optional(),
    createTime: z.number().int().optional(),
  })
  .strict();

const connectionFixture = z
  .object({
    vpnConnectionId: z.string().min(1),
    vpnGatewayId: z.string().min(1),
    name: z.string().optional(),
    localSubnet: subnets.optional(),
    remoteSubnet: subnets.optional(),
    effectImmediately: z.boolean().optional(),
    autoConfigRoute: z.boolean().optional(),
    customerGatewayId: z.string().optional(),
    customerGatewayIp: z.string().optional(),
    enableDpd: z.boolean().optional(),
    enableNatTraversal: z.boolean().optional(),
    remoteCaCertificate: z.string().optional(),
    ikeConfig: ike.optional(),
    ipsecConfig: ipsec.optional(),
    healthCheckConfig: z
      .object({
        enable: z.boolean(),
        dip: z.string(),
        sip: z.string(),
        interval: z.number().int(),
        retry: z.number().int(),
      })
      .partial()
      .strict()
      .optional(),
    bgpConfig: bgp.optional(),
    peerAsn: z.number().int().optional(),
    /** Present = a dual-tunnel connection: exactly one master and one slave tunnel. */
    tunnels: z
      .array(tunnel)
      .length(2)
      .refine((t) => t.some((x) => x.role === "master") && t.some((x) => x.role === "slave"), {
        message: "a dual-tunnel connection has one master and one slave tunnel",
      })
      .optional(),
    enableTunnelsBgp: z.boolean().optional(),
    createTime: z.number().int().optional(),
  })
  .strict();

const vpnFixtures = z.object({
  vpnGateways: z.array(gatewayFixture).optional(),
  vpnConnections: z.array(connectionFixture).optional(),
});

type GatewayFixture = z.infer<typeof gatewayFixture>;
type ConnectionFixture = z.infer<typeof connectionFixture>;

/** Adds the gateways and connections of the fixtures to the model; invalid fixtures throw, naming the field. */
export function loadFixtures(model: VpnModel, raw: unknown, ctx: ServiceContext): void {
  const parsed = vpnFixtures.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [
      "alibabaVpc",
      ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)),
    ]
      .join("")
      .replace(/\.\[/g, "[");
    throw new Error(`Invalid fixture ${where}: ${issue.message}`);
  }
  const now = ctx.now();
  for (const g of parsed.data.vpnGateways ?? []) addGateway(model, g, now, ctx);
  (parsed.data.vpnConnections ?? []).forEach((c, i) => addConnection(model, c, i, now));
  ctx.changed();
}

function addGateway(model: VpnModel, g: GatewayFixture, now: number, ctx: ServiceContext): void {
  const n = model.size().gateways + 1;
  model.putGateway({
    vpnGatewayId: g.vpnGatewayId,
    account: g.account ?? DEFAULT_ACCOUNT.account,
    region: g.regionId,
    name: g.name ?? g.vpnGatewayId,
    vpnType: g.vpnType ?? "Normal",
    status: g.status === "updating" || g.status === undefined ? "active" : g.status,
    transition:
      g.status === "updating"
        ? { during: "updating", until: now + ctx.durationMs(GATEWAY_UPDATE) }
        : undefined,
    businessStatus: g.businessStatus ?? "Normal",
    enableBgp: g.enableBgp ?? false,
    ikev1MultiSubnet: g.ikev1MultiSubnet ?? true,
    internetIp: g.internetIp ?? `198.51.100.${n}`,
    disasterRecoveryInternetIp: g.disasterRecoveryInternetIp ?? `198.51.100.${100 + n}`,
    vpcId: g.vpcId ?? `vpc-${g.vpnGatewayId}`,
    vSwitchId: g.vSwitchId ?? `vsw-${g.vpnGatewayId}`,
    spec: g.spec ?? "10M",
    createTime: g.createTime ?? now,
    changesAccepted: 0,
    conflictsRejected: 0,
    maxInFlight: 0,
  });
}

function addConnection(model: VpnModel, c: ConnectionFixture, index: number, now: number): void {
  const gw = model.gatewayById(c.vpnGatewayId);
  if (!gw)
    throw new Error(
      `Invalid fixture alibabaVpc.vpnConnections[${index}].vpnGatewayId: no VPN gateway ${c.vpnGatewayId}; ` +
        `add it under alibabaVpc.vpnGateways.`,
    );
  const sm = gw.vpnType === "NationalStandard";
  const list = (v: string | string[] | undefined, fallback: string) =>
    (Array.isArray(v) ? v : (v ?? fallback).split(",")).map((s) => s.trim());
  const ike = (f: ConnectionFixture["ikeConfig"], localId: string, remoteId: string): IkeSettings => ({
    psk: f?.psk ?? randomId("", 16),
    ikeVersion: f?.ikeVersion ?? (sm ? "ikev1" : "ikev2"),
    ikeMode: f?.ikeMode ?? "main",
    ikeEncAlg: f?.ikeEncAlg ?? (sm ? SM_ENC_ALG : "aes"),
    ikeAuthAlg: f?.ikeAuthAlg ?? (sm ? SM_AUTH_ALG : "sha1"),
    ikePfs: f?.ikePfs ?? "group2",
    ikeLifetime: f?.ikeLifetime ?? 86400,
    localId: f?.localId ?? localId,
    remoteId: f?.remoteId ?? remoteId,
  });
  const ipsec = (f: ConnectionFixture["ipsecConfig"]): IpsecSettings => ({
    ipsecEncAlg: f?.ipsecEncAlg ?? (sm ? SM_ENC_ALG : "aes"),
    ipsecAuthAlg: f?.ipsecAuthAlg ?? (sm ? SM_AUTH_ALG : "sha1"),
    ipsecPfs: f?.ipsecPfs ?? "group2",
    ipsecLifetime: f?.ipsecLifetime ?? 86400,
  });
  const cgwIp = c.customerGatewayIp ?? `203.0.113.${(model.size().connections % 250) + 1}`;
  const conn: Connection = {
    vpnConnectionId: c.vpnConnectionId,
    vpnGatewayId: c.vpnGatewayId,
    name: c.name ?? c.vpnConnectionId,
    // Keeps fixture order stable for listings even when loaded within one millisecond.
    createTime: c.createTime ?? now + model.size().connections,
    localSubnet: list(c.localSubnet, "10.0.0.0/16"),
    remoteSubnet: list(c.remoteSubnet, "192.168.0.0/16"),
    effectImmediately: c.effectImmediately ?? false,
    autoConfigRoute: c.autoConfigRoute ?? true,
    customerGatewayId: c.customerGatewayId ?? `cgw-${c.vpnConnectionId}`,
    enableDpd: c.enableDpd ?? true,
    enableNatTraversal: c.enableNatTraversal ?? true,
    remoteCaCertificate: c.remoteCaCertificate ?? "",
    ike: ike(c.ikeConfig, gw.internetIp, cgwIp),
    ipsec: ipsec(c.ipsecConfig),
    healthCheck: {
      enable: c.healthCheckConfig?.enable ?? false,
      dip: c.healthCheckConfig?.dip ?? "",
      sip: c.healthCheckConfig?.sip ?? "",
      interval: c.healthCheckConfig?.interval ?? 3,
      retry: c.healthCheckConfig?.retry ?? 3,
    },
    bgp: {
      enableBgp: c.bgpConfig?.enableBgp ?? false,
      localAsn: c.bgpConfig?.localAsn ?? DEFAULT_TUNNEL_ASN,
      tunnelCidr: c.bgpConfig?.tunnelCidr ?? "",
      localBgpIp: c.bgpConfig?.localBgpIp ?? "",
    },
    peerAsn: c.peerAsn ?? 65000,
    enableTunnelsBgp: c.enableTunnelsBgp ?? false,
    status: "active",
  };
  if (c.tunnels) {
    conn.tunnels = c.tunnels
      .map((t, i): Tunnel => {
        const internetIp =
          t.internetIp ?? (t.role === "master" ? gw.internetIp : gw.disasterRecoveryInternetIp);
        return {
          tunnelId: t.tunnelId ?? randomId("tun-", 18),
          role: t.role,
          customerGatewayId: t.customerGatewayId ?? `cgw-${c.vpnConnectionId}-${i + 1}`,
          internetIp,
          zoneNo: t.zoneNo ?? `${gw.region}-${t.role === "master" ? "a" : "b"}`,
          enableDpd: t.enableDpd ?? true,
          enableNatTraversal: t.enableNatTraversal ?? true,
          remoteCaCertificate: t.remoteCaCertificate ?? "",
          ike: ike(t.ikeConfig, internetIp, t.customerGatewayIp ?? `203.0.113.${200 + i}`),
          ipsec: ipsec(t.ipsecConfig),
          bgp: {
            localAsn: t.bgpConfig?.localAsn ?? DEFAULT_TUNNEL_ASN,
            tunnelCidr: t.bgpConfig?.tunnelCidr ?? "",
            localBgpIp: t.bgpConfig?.localBgpIp ?? "",
          },
          peerAsn: t.peerAsn ?? 65000,
        };
      })
      .sort((a, b) => (a.role === "master" ? -1 : b.role === "master" ? 1 : 0));
  }
  model.putConnection(conn);
}
