import { z } from "zod";
import {
  AUTH_ALGS,
  CONNECTION_NAME_MAX_LENGTH,
  ENC_ALGS,
  IKE_IDENTIFIER_MAX_LENGTH,
  IKE_MODES,
  IKE_PFS,
  IKE_VERSIONS,
  IPSEC_PFS,
  MAX_LIFETIME_SECONDS as MAX_LIFETIME,
  PSK_MAX_LENGTH,
  PSK_PATTERN,
  PSK_SPECIAL_CHARACTERS,
  SM_AUTH_ALG,
  SM_ENC_ALG,
} from "../../clouds/facts/alibaba-vpc-vpn";
import { excerpt } from "../common/check";
import { isTunnelHost, parseAsn, parseCidr, parseIpv4, tunnelCidrProblem } from "./net";
import { moveNestedPsks, tunnelKey } from "./psk";

// Inputs of VpnConnectionConfig, validated and normalised in check() as ModifyVpnConnectionAttribute
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns)
// judges each value on its own. Rules that need the live connection or gateway (tunnel mode, gateway type, BGP
// blocks of the other connections) are in rules.ts.
//
// PSKs: the Resource class moves every PSK out of ikeConfig / tunnelIkeConfig into one top-level secret input,
// `presharedKeys`; a PSK given nested (a direct provider call) is moved there too (psk.ts).

export const DEFAULT_TIMEOUT_SECONDS = 600;

// The message never repeats the value: it is a secret.
const psk = z
  .string()
  .regex(
    PSK_PATTERN,
    `must be 1 to ${PSK_MAX_LENGTH} characters: letters, digits and ${PSK_SPECIAL_CHARACTERS}`,
  );

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.join(", ")}` });

const lifetime = z
  .number()
  .int()
  .min(0, `must be 0 to ${MAX_LIFETIME} seconds`)
  .max(MAX_LIFETIME, `must be 0 to ${MAX_LIFETIME} seconds`);

const identifier = z
  .string()
  .min(1, "must not be empty")
  .max(IKE_IDENTIFIER_MAX_LENGTH, `must be at most ${IKE_IDENTIFIER_MAX_LENGTH} characters`)
  .regex(/^\S+$/, "must not contain spaces");

const ipv4 = z
  .string()
  .refine((s) => parseIpv4(s) !== undefined, "must be an IPv4 address such as 192.168.1.1");

const asn = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseAsn(v);
  if (n === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "must be an ASN from 1 to 4294967295, or two segments such as 123.456",
    });
    return z.NEVER;
  }
  return n;
});

const tunnelCidr = z.string().superRefine((s, ctx) => {
  const problem = tunnelCidrProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const cidrList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter((s) => s !== ""))
  .pipe(
    z
      .array(
        z
          .string()
          .refine(
            (s) => parseCidr(s) !== undefined,
            "must be an IPv4 CIDR block written by its network address",
          ),
      )
      .min(1, "must hold at least one CIDR block"),
  );

const certificate = z
  .string()
  .refine(
    (s) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(s.trim()),
    "must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)",
  );

const ikeConfig = z
  .object({
    psk: psk.optional(),
    ikeVersion: oneOf(IKE_VERSIONS).optional(),
    ikeMode: oneOf(IKE_MODES).optional(),
    ikeEncAlg: oneOf([...ENC_ALGS, SM_ENC_ALG]).optional(),
    ikeAuthAlg: oneOf([...AUTH_ALGS, SM_AUTH_ALG]).optional(),
    ikePfs: oneOf(IKE_PFS).optional(),
    ikeLifetime: lifetime.optional(),
    localId: identifier.optional(),
    remoteId: identifier.optional(),
  })
  .strict();

const ipsecConfig = z
  .object({
    ipsecEncAlg: oneOf([...ENC_ALGS, SM_ENC_ALG]).optional(),
    ipsecAuthAlg: oneOf([...AUTH_ALGS, SM_AUTH_ALG]).optional(),
    ipsecPfs: oneOf(IPSEC_PFS).optional(),
    ipsecLifetime: lifetime.optional(),
  })
  .strict();

const healthCheckConfig = z
  .object({
    enable: z.boolean().optional(),
    dip: ipv4.optional(),
    sip: ipv4.optional(),
    interval: z.number().int().min(1, "must be at least 1 second").optional(),
    retry: z.number().int().min(1, "must be at least 1").optional(),
  })
  .strict();

function bgpAddressInBlock(v: { tunnelCidr?: string; localBgpIp?: string }, ctx: z.RefinementCtx): void {
  if (
    v.tunnelCidr &&
    v.localBgpIp &&
    !tunnelCidrProblem(v.tunnelCidr) &&
    !isTunnelHost(v.localBgpIp, v.tunnelCidr)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["localBgpIp"],
      message: `must be one of the two host addresses of tunnelCidr ${v.tunnelCidr}`,
    });
  }
}

const bgpConfig = z
  .object({
    enableBgp: z.boolean().optional(),
    localAsn: asn.optional(),
    tunnelCidr: tunnelCidr.optional(),
    localBgpIp: ipv4.optional(),
  })
  .strict()
  .superRefine(bgpAddressInBlock);

const tunnelBgpConfig = z
  .object({
    localAsn: asn.optional(),
    tunnelCidr: tunnelCidr.optional(),
    localBgpIp: ipv4.optional(),
  })
  .strict()
  .superRefine(bgpAddressInBlock);

const tunnelOptions = z
  .object({
    tunnelId: z.string().min(1).optional(),
    role: oneOf(["master", "slave"]).optional(),
    // TunnelOptionsSpecification.N.CustomerGatewayId (the SDK's ModifyVpnConnectionAttributeRequest model;
    // terraform-provider-alicloud's tunnel_options_specification.customer_gateway_id): the tunnel's peer.
    customerGatewayId: z
      .string()
      .min(1, "must be the id of a customer gateway (cgw-...)")
      .max(64, "must be at most 64 characters")
      .optional(),
    tunnelIkeConfig: ikeConfig.optional(),
    tunnelIpsecConfig: ipsecConfig.optional(),
    tunnelBgpConfig: tunnelBgpConfig.optional(),
    enableDpd: z.boolean().optional(),
    enableNatTraversal: z.boolean().optional(),
    remoteCaCertificate: certificate.optional(),
  })
  .strict()
  .refine((t) => t.tunnelId !== undefined || t.role !== undefined, {
    message: "give tunnelId or role (master or slave) to say which tunnel these options are for",
  });

const presharedKeys = z
  .object({
    ikeConfig: psk.optional(),
    tunnels: z.record(z.string(), psk).optional(),
  })
  .strict();

export const SINGLE_TUNNEL_FIELDS = [
  "ikeConfig",
  "ipsecConfig",
  "healthCheckConfig",
  "bgpConfig",
  "enableDpd",
  "enableNatTraversal",
  "remoteCaCertificate",
] as const;
export const DUAL_TUNNEL_FIELDS = ["tunnelOptionsSpecification", "enableTunnelsBgp"] as const;

export const inputsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]+(-[a-z0-9]+)+$/, "must be an Alibaba Cloud region id such as cn-hangzhou"),
    vpnConnectionId: z.string().min(1, "must be the id of an IPsec connection (vco-...)"),
    name: z
      .string()
      .min(1, `must be 1 to ${CONNECTION_NAME_MAX_LENGTH} characters`)
      .max(CONNECTION_NAME_MAX_LENGTH, `must be 1 to ${CONNECTION_NAME_MAX_LENGTH} characters`)
      .refine((s) => !/^https?:\/\//.test(s), "must not start with http:// or https://")
      .optional(),
    localSubnet: cidrList.optional(),
    remoteSubnet: cidrList.optional(),
    effectImmediately: z.boolean().optional(),
    autoConfigRoute: z.boolean().optional(),
    ikeConfig: ikeConfig.optional(),
    ipsecConfig: ipsecConfig.optional(),
    healthCheckConfig: healthCheckConfig.optional(),
    bgpConfig: bgpConfig.optional(),
    enableDpd: z.boolean().optional(),
    enableNatTraversal: z.boolean().optional(),
    remoteCaCertificate: certificate.optional(),
    tunnelOptionsSpecification: z
      .array(tunnelOptions)
      .min(1, "must hold one or two tunnels")
      .max(2, "must hold one or two tunnels")
      .optional(),
    enableTunnelsBgp: z.boolean().optional(),
    // The Resource class always sends an object (empty without PSKs); null is what an absent secret becomes.
    presharedKeys: presharedKeys.nullish().transform((v) => v ?? undefined),
    restoreOnDelete: z.boolean().default(false),
    timeoutSeconds: z.number().int().min(1).max(86400).optional(),
  })
  .superRefine((v, ctx) => {
    const single = SINGLE_TUNNEL_FIELDS.filter((f) => v[f] !== undefined);
    const dual = DUAL_TUNNEL_FIELDS.filter((f) => v[f] !== undefined);
    if (single.length > 0 && dual.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: [dual[0]],
        message:
          `a connection is single-tunnel or dual-tunnel: ${dual.join(", ")} (dual-tunnel) cannot be set together ` +
          `with ${single.join(", ")} (single-tunnel)`,
      });
    }
    const seen = new Map<string, number>();
    (v.tunnelOptionsSpecification ?? []).forEach((t, i) => {
      const key = tunnelKey(t);
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["tunnelOptionsSpecification", i],
          message: `names the same tunnel (${excerpt(key)}) as tunnelOptionsSpecification[${seen.get(key)}]`,
        });
      }
      seen.set(key, i);
    });
    for (const key of Object.keys(v.presharedKeys?.tunnels ?? {})) {
      if (!seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["presharedKeys", "tunnels"],
          message: `has a PSK for tunnel '${excerpt(key)}', which no tunnelOptionsSpecification item names`,
        });
      }
    }
  })
  .transform(moveNestedPsks);

export type Inputs = z.output<typeof inputsSchema>;

export const SETTING_FIELDS = [
  "name",
  "localSubnet",
  "remoteSubnet",
  "effectImmediately",
  "autoConfigRoute",
  ...SINGLE_TUNNEL_FIELDS,
  ...DUAL_TUNNEL_FIELDS,
] as const;

// ------------------------------------------------------------------------------------------------ ids

const ID_FORM = "<region>:<vpnConnectionId>";

/** The resource id: everything read() needs to find the connection again. */
export function createResourceId(region: string, vpnConnectionId: string): string {
  return `${region}:${vpnConnectionId}`;
}

/** Reads an id of createResourceId (the only form any version wrote: ":" was always the separator here). */
export function parseResourceId(id: string): { region: string; vpnConnectionId: string } {
  const parts = id.split(":");
  if (parts.length !== 2 || parts.some((p) => p === "")) {
    throw new Error(
      `'${id}' is not a VpnConnectionConfig id: expected ${ID_FORM}, e.g. cn-hangzhou:vco-bp1bbi27hojx80nckxxxx. ` +
        `Give the id in that form, e.g. to 'pulumi import keylink:alibaba:VpnConnectionConfig <name> ${ID_FORM}'.`,
    );
  }
  return { region: parts[0], vpnConnectionId: parts[1] };
}
