// Settings of existing Alibaba Cloud IPsec-VPN connections: one single-tunnel connection and, optionally, one
// dual-tunnel connection with BGP on both tunnels. The connections themselves are made elsewhere (console,
// terraform); these resources adopt them, record their settings and manage the ones given here.
//
//   pulumi config set example:singleTunnelConnectionId vco-...
//   pulumi config set --secret example:psk '<pre-shared key of the single-tunnel connection>'
//
//   pulumi config set example:dualTunnelConnectionId vco-...
//   pulumi config set --secret example:masterPsk '<pre-shared key of the master tunnel>'
//   pulumi config set --secret example:slavePsk '<pre-shared key of the slave tunnel>'
//
// More single-tunnel connections (branch offices) with the same IKE/IPsec policy, each with its own PSK:
//   pulumi config set example:branchConnectionIds '["vco-...","vco-..."]'
//   pulumi config set --secret example:branchPsks '{"vco-...":"<psk>","vco-...":"<psk>"}'
//
// The PSKs stay in secret config and are stored encrypted in state. Changes to connections of one VPN gateway
// are applied one at a time (the gateway takes one change at a time); different gateways change in parallel.
// With example:restoreOnDelete true, `pulumi destroy` puts the managed settings back as they were found.
import * as pulumi from "@pulumi/pulumi";
import { VpnConnectionConfig } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("example");
  const region = cfg.get("region") ?? "cn-hangzhou";
  const restoreOnDelete = cfg.getBoolean("restoreOnDelete") ?? false;
  const ike = {
    ikeVersion: "ikev2" as const,
    ikeEncAlg: "aes256",
    ikeAuthAlg: "sha256",
    ikePfs: "group14" as const,
  };
  const ipsec = {
    ipsecEncAlg: "aes256",
    ipsecAuthAlg: "sha256",
    ipsecPfs: "group14" as const,
    ipsecLifetime: 3600,
  };

  const single = new VpnConnectionConfig("hq-ipsec", {
    region,
    vpnConnectionId: cfg.get("singleTunnelConnectionId") ?? "vco-demo0001",
    ikeConfig: { ...ike, psk: cfg.requireSecret("psk"), ikeLifetime: cfg.getNumber("ikeLifetime") ?? 28800 },
    ipsecConfig: ipsec,
    enableDpd: true,
    restoreOnDelete,
  });
  const outputs: Record<string, unknown> = {
    singleTunnel: { vpnGatewayId: single.vpnGatewayId, ikeConfig: single.ikeConfig, state: single.state },
  };

  const dualTunnelConnectionId = cfg.get("dualTunnelConnectionId");
  if (dualTunnelConnectionId) {
    // A dual-tunnel connection is configured per tunnel; a tunnel is named by its role (or its tunnelId).
    const tunnel = (role: "master" | "slave", cidr: string, localBgpIp: string) => ({
      role,
      tunnelIkeConfig: { ...ike, psk: cfg.requireSecret(`${role}Psk`), ikeLifetime: 28800 },
      tunnelIpsecConfig: ipsec,
      // A /30 block inside 169.254.0.0/16, unique on the gateway; localBgpIp is one of its two hosts.
      tunnelBgpConfig: {
        localAsn: 65010,
        tunnelCidr: cfg.get(`${role}TunnelCidr`) ?? cidr,
        localBgpIp: cfg.get(`${role}LocalBgpIp`) ?? localBgpIp,
      },
      enableDpd: true,
    });
    const dual = new VpnConnectionConfig("dc-ipsec", {
      region,
      vpnConnectionId: dualTunnelConnectionId,
      tunnelOptionsSpecification: [
        tunnel("master", "169.254.20.0/30", "169.254.20.1"),
        tunnel("slave", "169.254.21.0/30", "169.254.21.1"),
      ],
      enableTunnelsBgp: true,
      restoreOnDelete,
    });
    outputs.dualTunnel = { vpnGatewayId: dual.vpnGatewayId, tunnels: dual.tunnelOptionsSpecification };
  }

  const branchIds = cfg.getObject<string[]>("branchConnectionIds") ?? [];
  if (branchIds.length > 0) {
    const psks = cfg.requireSecretObject<Record<string, string>>("branchPsks");
    outputs.branches = branchIds.map((vpnConnectionId) => {
      const branch = new VpnConnectionConfig(`branch-${vpnConnectionId}`, {
        region,
        vpnConnectionId,
        ikeConfig: {
          ...ike,
          psk: psks.apply((p) => {
            if (typeof p[vpnConnectionId] !== "string")
              throw new Error(`example:branchPsks has no PSK for ${vpnConnectionId}`);
            return p[vpnConnectionId];
          }),
        },
        ipsecConfig: ipsec,
        restoreOnDelete,
      });
      return { vpnConnectionId, vpnGatewayId: branch.vpnGatewayId };
    });
  }
  return outputs;
};
