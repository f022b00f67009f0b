import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "../common/resource";
import provider = require("./dynamic");
import { resourceProps } from "./resource-props";
import type {
  BgpSettings,
  HealthCheckSettings,
  IkeSettings,
  IpsecSettings,
  Settings,
  TunnelSettings,
} from "./cloud";
import type { PresharedKeys } from "./psk";

export type {
  BgpSettings as VpnBgpConfig,
  HealthCheckSettings as VpnHealthCheckConfig,
  IkeSettings as VpnIkeConfig,
  IpsecSettings as VpnIpsecConfig,
  Settings as VpnConnectionSettings,
  TunnelBgpSettings as VpnTunnelBgpConfig,
  TunnelSettings as VpnTunnelOptions,
} from "./cloud";
export type { PresharedKeys as VpnPresharedKeys } from "./psk";

type In<T> = pulumi.Input<T>;

/** Phase-1 (IKE) settings. On a national-cryptography (SM) gateway: ikev1, main, sm4, sm3 only. */
export interface VpnIkeConfigArgs {
  /** Pre-shared key, secret: 1-100 letters, digits and ~!`@#$%^&*()_-+={}[]|;:',.<>/? Kept encrypted in state. */
  psk?: In<string>;
  ikeVersion?: In<"ikev1" | "ikev2">;
  ikeMode?: In<"main" | "aggressive">;
  /** aes, aes192, aes256, des, 3des; sm4 on an SM gateway. */
  ikeEncAlg?: In<string>;
  /** md5, sha1, sha256, sha384, sha512; sm3 on an SM gateway. */
  ikeAuthAlg?: In<string>;
  ikePfs?: In<"group1" | "group2" | "group5" | "group14">;
  /** SA lifetime in seconds, 0-86400. */
  ikeLifetime?: In<number>;
  /** Identifier of the Alibaba side (at most 100 characters, no spaces). */
  localId?: In<string>;
  /** Identifier of the peer (at most 100 characters, no spaces). */
  remoteId?: In<string>;
}

/** Phase-2 (IPsec) settings. */
export interface VpnIpsecConfigArgs {
  ipsecEncAlg?: In<string>;
  ipsecAuthAlg?: In<string>;
  ipsecPfs?: In<"disabled" | "group1" | "group2" | "group5" | "group14">;
  /** SA lifetime in seconds, 0-86400. */
  ipsecLifetime?: In<number>;
}

export interface VpnHealthCheckConfigArgs {
  enable?: In<boolean>;
  /** Destination IP of the probes (required when enabled). */
  dip?: In<string>;
  /** Source IP of the probes (required when enabled). */
  sip?: In<string>;
  /** Seconds between probes. */
  interval?: In<number>;
  /** Probes sent before the tunnel counts as down. */
  retry?: In<number>;
}

export interface VpnTunnelBgpConfigArgs {
  /** ASN of the Alibaba side, 1-4294967295, or two segments "123.456" (= 123 * 65536 + 456). */
  localAsn?: In<number | string>;
  /** A /30 block inside 169.254.0.0/16 (not 169.254.0-6.0/30 or 169.254.169.252/30), unique per gateway. */
  tunnelCidr?: In<string>;
  /**
   * One of the two host addresses of tunnelCidr. Optional even with BGP on: the cloud then chooses one, and
   * `liveSettings` shows which.
   */
  localBgpIp?: In<string>;
}

export interface VpnBgpConfigArgs extends VpnTunnelBgpConfigArgs {
  enableBgp?: In<boolean>;
}

/** Options of one tunnel of a dual-tunnel connection, named by tunnelId or by role. */
export interface VpnTunnelOptionsArgs {
  tunnelId?: In<string>;
  role?: In<"master" | "slave">;
  /** The customer gateway (cgw-...) this tunnel connects to. */
  customerGatewayId?: In<string>;
  tunnelIkeConfig?: In<VpnIkeConfigArgs>;
  tunnelIpsecConfig?: In<VpnIpsecConfigArgs>;
  tunnelBgpConfig?: In<VpnTunnelBgpConfigArgs>;
  enableDpd?: In<boolean>;
  enableNatTraversal?: In<boolean>;
  /** Peer CA certificate (PEM); SM gateways only. */
  remoteCaCertificate?: In<string>;
}

/**
 * Settings of an existing IPsec-VPN connection. Only the settings given are managed (sent, compared, reported
 * back); the others are left as they are. Single-tunnel connections take ikeConfig ... remoteCaCertificate,
 * dual-tunnel connections take tunnelOptionsSpecification and enableTunnelsBgp.
 */
export interface VpnConnectionConfigArgs {
  /** Region of the connection, e.g. cn-hangzhou. Changing it replaces the resource. */
  region: In<string>;
  /** The IPsec connection (vco-...). Changing it replaces the resource. */
  vpnConnectionId: In<string>;
  /** 1-100 characters, not starting with http:// or https://. */
  name?: In<string>;
  /** VPC-side CIDR blocks (0.0.0.0/0 on both sides = destination-routing mode). */
  localSubnet?: In<In<string>[]>;
  /** Data-centre-side CIDR blocks. */
  remoteSubnet?: In<In<string>[]>;
  effectImmediately?: In<boolean>;
  /** Write-only in the API (no read shows it): sent when it changes, never reported as drift. */
  autoConfigRoute?: In<boolean>;
  ikeConfig?: In<VpnIkeConfigArgs>;
  ipsecConfig?: In<VpnIpsecConfigArgs>;
  healthCheckConfig?: In<VpnHealthCheckConfigArgs>;
  bgpConfig?: In<VpnBgpConfigArgs>;
  enableDpd?: In<boolean>;
  enableNatTraversal?: In<boolean>;
  /** Peer CA certificate (PEM); SM gateways only. */
  remoteCaCertificate?: In<string>;
  /** One or two tunnels of a dual-tunnel connection. */
  tunnelOptionsSpecification?: In<In<VpnTunnelOptionsArgs>[]>;
  enableTunnelsBgp?: In<boolean>;
  /** On delete, put the managed settings back to what they were before this resource (default false). */
  restoreOnDelete?: In<boolean>;
  /**
   * One deadline in seconds for a whole operation: its reads, its wait for the gateway (another deployment's change
   * included), the write and its retries, and the wait for the change to apply (default 600).
   */
  timeoutSeconds?: In<number>;
}

const SECRET_OUTPUTS = ["presharedKeys", "livePresharedKeys", "originalSettings"];

/**
 * Manages the settings of an Alibaba Cloud IPsec-VPN connection (ModifyVpnConnectionAttribute). The connection
 * itself is not created or deleted: create adopts it (recording its settings in the secret `originalSettings`),
 * delete leaves it (or restores the recorded values of the managed fields with `restoreOnDelete`).
 *
 * PSKs are moved out of ikeConfig / tunnelIkeConfig into the secret `presharedKeys`, so state encrypts them while
 * every other setting stays readable and drift shows field by field. Changes on one VPN gateway run one at a
 * time across the deployment. The id is <region>:<vpnConnectionId>.
 */
export class VpnConnectionConfig extends KeylinkResource {
  public readonly region!: pulumi.Output<string>;
  public readonly vpnConnectionId!: pulumi.Output<string>;
  public readonly name!: pulumi.Output<string | undefined>;
  public readonly localSubnet!: pulumi.Output<string[] | undefined>;
  public readonly remoteSubnet!: pulumi.Output<string[] | undefined>;
  public readonly effectImmediately!: pulumi.Output<boolean | undefined>;
  public readonly autoConfigRoute!: pulumi.Output<boolean | undefined>;
  /** The managed IKE settings as the cloud shows them (the PSK is in presharedKeys). */
  public readonly ikeConfig!: pulumi.Output<Omit<IkeSettings, "psk"> | undefined>;
  public readonly ipsecConfig!: pulumi.Output<IpsecSettings | undefined>;
  public readonly healthCheckConfig!: pulumi.Output<HealthCheckSettings | undefined>;
  public readonly bgpConfig!: pulumi.Output<BgpSettings | undefined>;
  public readonly enableDpd!: pulumi.Output<boolean | undefined>;
  public readonly enableNatTraversal!: pulumi.Output<boolean | undefined>;
  public readonly remoteCaCertificate!: pulumi.Output<string | undefined>;
  public readonly tunnelOptionsSpecification!: pulumi.Output<TunnelSettings[] | undefined>;
  public readonly enableTunnelsBgp!: pulumi.Output<boolean | undefined>;
  /** The managed PSKs as the cloud shows them (secret): { ikeConfig?, tunnels?: { <tunnelId or role>: psk } }. */
  public readonly presharedKeys!: pulumi.Output<PresharedKeys | undefined>;
  public readonly restoreOnDelete!: pulumi.Output<boolean>;
  public readonly timeoutSeconds!: pulumi.Output<number | undefined>;
  public readonly vpnGatewayId!: pulumi.Output<string>;
  /** Normal, or NationalStandard for a national-cryptography (SM) gateway. */
  public readonly vpnType!: pulumi.Output<string>;
  public readonly tunnelMode!: pulumi.Output<"single" | "dual">;
  /** The connection's lifecycle state when last read (active, updating, ...). */
  public readonly state!: pulumi.Output<string>;
  /** Every setting of the connection as last read, managed or not, without PSKs. */
  public readonly liveSettings!: pulumi.Output<Settings>;
  /** Every PSK of the connection as last read (secret), including generated ones. */
  public readonly livePresharedKeys!: pulumi.Output<PresharedKeys | undefined>;
  /**
   * The connection's settings before this resource changed them, PSKs included (secret), as JSON text: what
   * `restoreOnDelete` puts back.
   */
  public readonly originalSettings!: pulumi.Output<string>;

  constructor(name: string, args: VpnConnectionConfigArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...resourceProps(args),
        vpnGatewayId: undefined,
        vpnType: undefined,
        tunnelMode: undefined,
        state: undefined,
        liveSettings: undefined,
        livePresharedKeys: undefined,
        originalSettings: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] },
      "keylink",
      "VpnConnectionConfig",
    );
  }
}
