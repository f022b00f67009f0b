import { flattenParams } from "../../../src/clouds/alibaba";
import { createModel } from "../../../src/emulator/services/alibaba-vpn";
import { vpcRequest } from "../../support/service-request";
import type { ServiceContext } from "../../../src/emulator/types";
import { changeFor, differences } from "../../../src/resources/vpn-connection-config/rules";
import { DEFAULT_ACCOUNT } from "../../../src/emulator/accounts";
import {
  type Settings,
  connectionFrom,
  gatewayFrom,
  handedOverConnection,
  listedInFull,
  toModifyParams,
} from "../../../src/resources/vpn-connection-config/cloud";

describe("VpnConnectionConfig wire mapping", () => {
  it("builds JSON-string blocks and a tunnel list the client flattens", () => {
    const params = toModifyParams({
      localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
      ikeConfig: { psk: "k", ikeLifetime: 3600 },
      healthCheckConfig: { enable: true, dip: "1.1.1.1", interval: 3 },
      bgpConfig: { enableBgp: true, localAsn: 65530 },
      tunnelOptionsSpecification: [
        {
          tunnelId: "tun-a",
          role: "master",
          tunnelIkeConfig: { ikeVersion: "ikev2" },
          tunnelBgpConfig: { localAsn: 65001 },
        },
      ],
    });
    expect(params.LocalSubnet).toBe("10.1.0.0/24,10.2.0.0/24");
    expect(JSON.parse(params.IkeConfig as string)).toEqual({ Psk: "k", IkeLifetime: 3600 });
    // As the API document writes them: lower-case keys and string values for these two blocks.
    expect(JSON.parse(params.HealthCheckConfig as string)).toEqual({
      enable: "true",
      dip: "1.1.1.1",
      interval: "3",
    });
    expect(JSON.parse(params.BgpConfig as string)).toEqual({ EnableBgp: "true", LocalAsn: "65530" });
    expect(flattenParams(params)).toMatchObject({
      "TunnelOptionsSpecification.1.TunnelId": "tun-a",
      "TunnelOptionsSpecification.1.Role": "master",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion": "ikev2",
      "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn": "65001",
    });
    expect(toModifyParams({})).toEqual({});
  });

  it("takes a DescribeVpnConnections item for the single read only when it shows BGP's state too", () => {
    const single = (bgp: Record<string, unknown>) =>
      connectionFrom({ VpnConnectionId: "vco-1", VpnGatewayId: "vpn-1", State: "active", VpnBgpConfig: bgp });
    // The list's documented VpnBgpConfig has no EnableBgp: such an item leaves the BGP rules blind.
    expect(listedInFull(single({ TunnelCidr: "169.254.10.0/30" }))).toBe(false);
    expect(listedInFull(single({ EnableBgp: "true", TunnelCidr: "169.254.10.0/30" }))).toBe(true);
    const dual = connectionFrom({
      VpnConnectionId: "vco-2",
      VpnGatewayId: "vpn-1",
      State: "active",
      TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: "tun-a", Role: "master" }] },
    });
    expect(listedInFull(dual)).toBe(true);
  });

  it("takes a connection handed over by the last change's wait only when listed in full and active", () => {
    const listed = (id: string, state: string, bgp: Record<string, unknown>) =>
      connectionFrom({ VpnConnectionId: id, VpnGatewayId: "vpn-1", State: state, VpnBgpConfig: bgp });
    const gw = gatewayFrom({ VpnGatewayId: "vpn-1", Status: "active" });
    const left = {
      gw,
      connections: [
        listed("vco-1", "active", { EnableBgp: "false" }),
        listed("vco-2", "updating", { EnableBgp: "false" }),
        listed("vco-3", "active", {}),
      ],
    };
    expect(handedOverConnection(left, "vco-1")?.vpnConnectionId).toBe("vco-1");
    // Another change in progress, settings left out of the list, not listed, nothing handed over: read it.
    expect(handedOverConnection(left, "vco-2")).toBeUndefined();
    expect(handedOverConnection(left, "vco-3")).toBeUndefined();
    expect(handedOverConnection(left, "vco-4")).toBeUndefined();
    expect(handedOverConnection({ gw }, "vco-1")).toBeUndefined();
    expect(handedOverConnection(undefined, "vco-1")).toBeUndefined();
  });

  it("normalises the describe quirks: string booleans, lifetimes and ASNs", () => {
    const dual = connectionFrom({
      VpnConnectionId: "vco-1",
      VpnGatewayId: "vpn-1",
      State: "updating",
      Status: "ipsec_sa_established",
      LocalSubnet: "10.1.0.0/24, 10.2.0.0/24",
      RemoteSubnet: "0.0.0.0/0",
      EffectImmediately: false,
      EnableTunnelsBgp: true,
      TunnelOptionsSpecification: {
        TunnelOptions: [
          {
            TunnelId: "tun-a",
            Role: "master",
            EnableDpd: "true",
            EnableNatTraversal: "false",
            TunnelIkeConfig: { Psk: "p", IkeLifetime: "86400" },
            TunnelIpsecConfig: { IpsecLifetime: "3600" },
            TunnelBgpConfig: { LocalAsn: "65530", TunnelCidr: "169.254.10.0/30", LocalBgpIp: "169.254.10.1" },
          },
        ],
      },
    });
    expect(dual).toMatchObject({ state: "updating", tunnelMode: "dual", vpnGatewayId: "vpn-1" });
    expect(dual.settings.localSubnet).toEqual(["10.1.0.0/24", "10.2.0.0/24"]);
    expect(dual.settings.tunnelOptionsSpecification?.[0]).toEqual({
      tunnelId: "tun-a",
      role: "master",
      enableDpd: true,
      enableNatTraversal: false,
      tunnelIkeConfig: { psk: "p", ikeLifetime: 86400 },
      tunnelIpsecConfig: { ipsecLifetime: 3600 },
      tunnelBgpConfig: { localAsn: 65530, tunnelCidr: "169.254.10.0/30", localBgpIp: "169.254.10.1" },
    });
    const single = connectionFrom({
      VpnConnectionId: "vco-2",
      EnableDpd: true,
      VcoHealthCheck: { Enable: "true", Interval: 3, Retry: 3, Dip: "1.1.1.1", Sip: "2.2.2.2" },
      VpnBgpConfig: { EnableBgp: "false", LocalAsn: 45104 },
      IkeConfig: { IkeLifetime: 86400 },
    });
    expect(single.tunnelMode).toBe("single");
    expect(single.settings.healthCheckConfig).toEqual({
      enable: true,
      dip: "1.1.1.1",
      sip: "2.2.2.2",
      interval: 3,
      retry: 3,
    });
    expect(single.settings.bgpConfig).toEqual({ enableBgp: false, localAsn: 45104 });
    expect(
      gatewayFrom({ VpnGatewayId: "vpn-1", Status: "active", EnableBgp: false, VpnType: "NationalStandard" }),
    ).toEqual({
      vpnGatewayId: "vpn-1",
      status: "active",
      businessStatus: "",
      vpnType: "NationalStandard",
      enableBgp: false,
    });
  });

  describe("round trip through the emulator's model", () => {
    let now = 1_700_000_000_000;
    const ctx: ServiceContext = { now: () => now, durationMs: () => 10, changed: () => undefined };
    const part = createModel();
    part.loadFixtures(
      {
        vpnGateways: [{ vpnGatewayId: "vpn-1", regionId: "cn-hangzhou" }],
        vpnConnections: [
          { vpnConnectionId: "vco-s", vpnGatewayId: "vpn-1" },
          {
            vpnConnectionId: "vco-d",
            vpnGatewayId: "vpn-1",
            tunnels: [
              { tunnelId: "tun-m", role: "master" },
              { tunnelId: "tun-s", role: "slave" },
            ],
          },
        ],
      },
      ctx,
    );
    const call = (action: string, params: Record<string, unknown>) => {
      const req = vpcRequest(
        action,
        { RegionId: "cn-hangzhou", ...flattenParams(params) },
        {
          account: DEFAULT_ACCOUNT.account,
        },
      );
      return part.actions("alibaba-rpc")[action](req, ctx) as Record<string, unknown>;
    };
    const live = (id: string) => connectionFrom(call("DescribeVpnConnection", { VpnConnectionId: id }));
    const apply = (id: string, desired: Settings) => {
      const change = changeFor(desired, live(id).settings);
      call("ModifyVpnConnectionAttribute", { VpnConnectionId: id, ...toModifyParams(change) });
      now += 10;
      return live(id).settings;
    };

    it("applies single-tunnel settings that then read back equal", () => {
      const desired: Settings = {
        name: "office",
        localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
        effectImmediately: true,
        ikeConfig: {
          psk: "Pa$$w0rd!",
          ikeVersion: "ikev2",
          ikeEncAlg: "aes256",
          ikeLifetime: 28800,
          localId: "a.example",
        },
        ipsecConfig: { ipsecPfs: "disabled", ipsecLifetime: 3600 },
        healthCheckConfig: { enable: true, dip: "192.168.1.1", sip: "10.1.1.1", interval: 5, retry: 4 },
        bgpConfig: {
          enableBgp: true,
          localAsn: 8061384,
          tunnelCidr: "169.254.11.0/30",
          localBgpIp: "169.254.11.1",
        },
        enableDpd: false,
        enableNatTraversal: false,
      };
      expect(differences(desired, apply("vco-s", desired))).toEqual([]);
    });

    it("applies dual-tunnel settings that then read back equal", () => {
      const desired: Settings = {
        enableTunnelsBgp: true,
        tunnelOptionsSpecification: [
          {
            tunnelId: "tun-m",
            enableDpd: false,
            tunnelIkeConfig: { psk: "tunnel-m-psk", ikeLifetime: 600 },
            tunnelBgpConfig: { localAsn: 65001, tunnelCidr: "169.254.20.0/30", localBgpIp: "169.254.20.1" },
          },
          {
            role: "slave",
            tunnelIpsecConfig: { ipsecAuthAlg: "sha256" },
            tunnelBgpConfig: { tunnelCidr: "169.254.21.0/30", localBgpIp: "169.254.21.1" },
          },
        ],
      };
      expect(differences(desired, apply("vco-d", desired))).toEqual([]);
    });
  });
});
