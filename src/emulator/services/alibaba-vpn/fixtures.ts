import { z } from "zod";

// The fixture format for VPN gateways and IPsec connections (under fixtures.alibabaVpc). Only the shape is
// checked here; defaults are filled by the model. Field names are the camelCase forms of the API's names.

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

export const gatewayFixture = z
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

export const connectionFixture = z
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

export const vpnFixtures = z.object({
  vpnGateways: z.array(gatewayFixture).optional(),
  vpnConnections: z.array(connectionFixture).optional(),
});

export type GatewayFixture = z.infer<typeof gatewayFixture>;
export type ConnectionFixture = z.infer<typeof connectionFixture>;
