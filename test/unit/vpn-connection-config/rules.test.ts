import {
  changeFor,
  changedOutside,
  diffInputs,
  differences,
  effective,
  gatewayStateFailure,
  hintFor,
  liveFailures,
  project,
  siblingFailures,
  type LiveContext,
} from "../../../src/resources/vpn-connection-config/rules";
import type {
  LiveConnection,
  LiveGateway,
  Settings,
} from "../../../src/resources/vpn-connection-config/cloud";

const IKE = {
  psk: "live-psk",
  ikeVersion: "ikev2",
  ikeMode: "main",
  ikeEncAlg: "aes",
  ikeAuthAlg: "sha1",
  ikePfs: "group2",
  ikeLifetime: 86400,
  localId: "198.51.100.1",
  remoteId: "203.0.113.1",
};
const IPSEC = { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 };

const singleLive: Settings = {
  name: "vco-1",
  localSubnet: ["10.0.0.0/16"],
  remoteSubnet: ["192.168.0.0/16"],
  effectImmediately: false,
  enableDpd: true,
  enableNatTraversal: true,
  ikeConfig: IKE,
  ipsecConfig: IPSEC,
  healthCheckConfig: { enable: false, dip: "", sip: "", interval: 3, retry: 3 },
  bgpConfig: { enableBgp: false, localAsn: 45104, tunnelCidr: "", localBgpIp: "" },
};

const dualLive: Settings = {
  name: "vco-2",
  localSubnet: ["10.0.0.0/16"],
  remoteSubnet: ["192.168.0.0/16"],
  effectImmediately: false,
  enableTunnelsBgp: false,
  tunnelOptionsSpecification: ["master", "slave"].map((role, i) => ({
    tunnelId: `tun-${i}`,
    role,
    enableDpd: true,
    enableNatTraversal: true,
    tunnelIkeConfig: { ...IKE, psk: `tunnel-psk-${i}` },
    tunnelIpsecConfig: IPSEC,
    tunnelBgpConfig: { localAsn: 45104, tunnelCidr: "", localBgpIp: "" },
  })),
};

const conn = (id: string, settings: Settings, mode: "single" | "dual" = "single"): LiveConnection => ({
  vpnConnectionId: id,
  vpnGatewayId: "vpn-1",
  state: "active",
  tunnelMode: mode,
  settings,
});
const normalGw: LiveGateway = {
  vpnGatewayId: "vpn-1",
  status: "active",
  businessStatus: "Normal",
  vpnType: "Normal",
  enableBgp: false,
};
const smGw: LiveGateway = { ...normalGw, vpnType: "NationalStandard" };

function failures(desired: Settings, ctx: Partial<LiveContext> = {}): string[] {
  return liveFailures(desired, { conn: conn("vco-1", singleLive), gw: normalGw, others: [], ...ctx }).map(
    (f) => f.property,
  );
}

describe("VpnConnectionConfig rules: differences and changes", () => {
  it("sees no difference when the managed fields match, whatever the subnet order", () => {
    const live = { ...singleLive, localSubnet: ["10.1.0.0/24", "10.2.0.0/24"] };
    expect(
      differences({ localSubnet: ["10.2.0.0/24", "10.1.0.0/24"], ikeConfig: { ikePfs: "group2" } }, live),
    ).toEqual([]);
    expect(changeFor({ name: "vco-1" }, live)).toEqual({});
  });

  it("sends only what differs, a differing block whole with its live values", () => {
    const change = changeFor(
      { name: "vco-1", ikeConfig: { ikeEncAlg: "aes256" }, enableDpd: false },
      singleLive,
    );
    expect(change).toEqual({ ikeConfig: { ...IKE, ikeEncAlg: "aes256" }, enableDpd: false });
  });

  it("does not send empty live values back inside a block", () => {
    const change = changeFor({ healthCheckConfig: { interval: 5 } }, singleLive);
    expect(change.healthCheckConfig).toEqual({ enable: false, interval: 5, retry: 3 });
  });

  it("detects a PSK change without echoing it in the field name", () => {
    expect(differences({ ikeConfig: { psk: "new-psk" } }, singleLive)).toEqual(["ikeConfig.psk"]);
  });

  it("sends autoConfigRoute (write-only) on the first apply and when it changed since the last", () => {
    expect(changeFor({ autoConfigRoute: true }, singleLive)).toEqual({ autoConfigRoute: true });
    expect(changeFor({ autoConfigRoute: true }, singleLive, { autoConfigRoute: true })).toEqual({});
    expect(changeFor({ autoConfigRoute: false }, singleLive, { autoConfigRoute: true })).toEqual({
      autoConfigRoute: false,
    });
  });

  it("addresses a changed tunnel by its live id and role, by tunnelId or by role", () => {
    const change = changeFor(
      {
        tunnelOptionsSpecification: [
          { role: "slave", tunnelIpsecConfig: { ipsecPfs: "group14" } },
          { tunnelId: "tun-0", enableDpd: true },
        ],
      },
      dualLive,
    );
    expect(change).toEqual({
      tunnelOptionsSpecification: [
        { tunnelId: "tun-1", role: "slave", tunnelIpsecConfig: { ...IPSEC, ipsecPfs: "group14" } },
      ],
    });
  });

  it("projects live values onto the managed fields only", () => {
    const shape: Settings = {
      name: "wanted",
      autoConfigRoute: true,
      ikeConfig: { ikeEncAlg: "aes256", psk: "x" },
      tunnelOptionsSpecification: [{ role: "master", tunnelIkeConfig: { ikeLifetime: 10 } }],
    };
    expect(project(shape, { ...dualLive, ikeConfig: IKE })).toEqual({
      name: "vco-2",
      autoConfigRoute: true,
      ikeConfig: { ikeEncAlg: "aes", psk: "live-psk" },
      tunnelOptionsSpecification: [{ role: "master", tunnelIkeConfig: { ikeLifetime: 86400 } }],
    });
  });

  it("lays desired settings over live ones", () => {
    const eff = effective({ bgpConfig: { enableBgp: true }, tunnelOptionsSpecification: [] }, singleLive);
    expect(eff.bgpConfig).toEqual({ ...singleLive.bgpConfig, enableBgp: true });
    const dual = effective({ tunnelOptionsSpecification: [{ role: "slave", enableDpd: false }] }, dualLive);
    expect(dual.tunnelOptionsSpecification?.map((t) => t.enableDpd)).toEqual([true, false]);
  });
});

describe("VpnConnectionConfig rules: diff of stored outputs against inputs", () => {
  const olds = {
    region: "cn-hangzhou",
    vpnConnectionId: "vco-1",
    name: "a",
    localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
    ikeConfig: { ikeEncAlg: "aes" },
    presharedKeys: { ikeConfig: "old-psk" },
    restoreOnDelete: false,
    liveSettings: { name: "a" },
  };

  it("reports no change for the same inputs", () => {
    const news = { ...olds, localSubnet: ["10.2.0.0/24", "10.1.0.0/24"], liveSettings: undefined };
    expect(diffInputs(olds, news)).toEqual({ changes: false, replaces: [] });
  });

  it("sees a changed field and a changed PSK alone, never carrying a value", () => {
    expect(diffInputs(olds, { ...olds, name: "b" })).toEqual({ changes: true, replaces: [] });
    const d = diffInputs(olds, { ...olds, presharedKeys: { ikeConfig: "new-psk" } });
    expect(d).toEqual({ changes: true, replaces: [] });
    expect(JSON.stringify(d)).not.toContain("new-psk");
  });

  it("replaces for another connection or region", () => {
    expect(diffInputs(olds, { ...olds, vpnConnectionId: "vco-2" }).replaces).toEqual(["vpnConnectionId"]);
    expect(diffInputs(olds, { ...olds, region: "cn-beijing" }).replaces).toEqual(["region"]);
  });

  it("counts a field no longer managed and a changed restoreOnDelete as changes", () => {
    const rest = { ...olds, name: undefined };
    const changed = { changes: true, replaces: [] };
    expect(diffInputs(olds, rest)).toEqual(changed);
    expect(diffInputs(olds, { ...olds, restoreOnDelete: true })).toEqual(changed);
    expect(diffInputs(olds, { ...olds, timeoutSeconds: 60 })).toEqual(changed);
    expect(diffInputs({ ...olds, autoConfigRoute: true }, olds)).toEqual(changed);
  });

  it("matches tunnels by tunnelId or role, not by position", () => {
    const o = {
      ...olds,
      tunnelOptionsSpecification: [
        { role: "master", enableDpd: true },
        { role: "slave", enableDpd: false },
      ],
    };
    const n = {
      ...olds,
      tunnelOptionsSpecification: [
        { role: "slave", enableDpd: false },
        { role: "master", enableDpd: true },
      ],
    };
    expect(diffInputs(o, n).changes).toBe(false);
  });
});

describe("VpnConnectionConfig rules: a new BGP block without an address", () => {
  it("drops the live address of the old block from the change and from the effective settings", () => {
    const live: Settings = {
      ...singleLive,
      bgpConfig: {
        enableBgp: true,
        localAsn: 65530,
        tunnelCidr: "169.254.40.0/30",
        localBgpIp: "169.254.40.1",
      },
    };
    const desired: Settings = { bgpConfig: { tunnelCidr: "169.254.44.0/30" } };
    expect(changeFor(desired, live).bgpConfig).toEqual({
      enableBgp: true,
      localAsn: 65530,
      tunnelCidr: "169.254.44.0/30",
    });
    expect(effective(desired, live).bgpConfig?.localBgpIp).toBeUndefined();
    // An address that is a host of the new block stays.
    const kept = { bgpConfig: { ...live.bgpConfig, localBgpIp: "169.254.44.2" } };
    expect(changeFor(desired, { ...live, ...kept }).bgpConfig?.localBgpIp).toBe("169.254.44.2");
  });
});

describe("VpnConnectionConfig rules: a tunnel's customer gateway", () => {
  it("is compared, sent and read back like the tunnel's other scalars", () => {
    const live: Settings = {
      ...dualLive,
      tunnelOptionsSpecification: dualLive.tunnelOptionsSpecification!.map((t) => ({
        ...t,
        customerGatewayId: `cgw-${t.role}`,
      })),
    };
    const desired: Settings = {
      tunnelOptionsSpecification: [{ role: "slave", customerGatewayId: "cgw-new" }],
    };
    expect(differences(desired, live)).toEqual(["tunnelOptionsSpecification[0].customerGatewayId"]);
    expect(changeFor(desired, live).tunnelOptionsSpecification).toEqual([
      expect.objectContaining({ role: "slave", customerGatewayId: "cgw-new" }),
    ]);
    expect(project(desired, live).tunnelOptionsSpecification).toEqual([
      { role: "slave", customerGatewayId: "cgw-slave" },
    ]);
  });
});

describe("VpnConnectionConfig rules: what the cloud would refuse (live)", () => {
  it("refuses dual-tunnel settings on a single-tunnel connection and the reverse", () => {
    expect(failures({ enableTunnelsBgp: true })).toEqual(["enableTunnelsBgp"]);
    expect(
      failures(
        { ikeConfig: { ikePfs: "group2" }, enableDpd: true },
        { conn: conn("vco-2", dualLive, "dual") },
      ),
    ).toEqual(["ikeConfig", "enableDpd"]);
  });

  it("allows only SM algorithms, IKEv1 and main mode on an SM gateway", () => {
    expect(
      failures(
        {
          ikeConfig: { ikeVersion: "ikev2", ikeMode: "aggressive", ikeEncAlg: "aes", ikeAuthAlg: "sha1" },
          ipsecConfig: { ipsecEncAlg: "aes" },
        },
        { gw: smGw },
      ),
    ).toEqual([
      "ikeConfig.ikeVersion",
      "ikeConfig.ikeMode",
      "ikeConfig.ikeEncAlg",
      "ikeConfig.ikeAuthAlg",
      "ipsecConfig.ipsecEncAlg",
    ]);
    expect(
      failures({ ikeConfig: { ikeVersion: "ikev1", ikeEncAlg: "sm4", ikeAuthAlg: "sm3" } }, { gw: smGw }),
    ).toEqual([]);
  });

  it("refuses SM algorithms and a peer CA certificate on a normal gateway", () => {
    const cert = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----";
    expect(failures({ ipsecConfig: { ipsecAuthAlg: "sm3" }, remoteCaCertificate: cert })).toEqual([
      "ipsecConfig.ipsecAuthAlg",
      "remoteCaCertificate",
    ]);
    expect(failures({ remoteCaCertificate: cert }, { gw: smGw })).toEqual([]);
    const dual = { conn: conn("vco-2", dualLive, "dual") };
    expect(
      failures(
        {
          tunnelOptionsSpecification: [
            { role: "master", remoteCaCertificate: cert, tunnelIkeConfig: { ikeEncAlg: "sm4" } },
          ],
        },
        dual,
      ),
    ).toEqual([
      "tunnelOptionsSpecification[0].tunnelIkeConfig.ikeEncAlg",
      "tunnelOptionsSpecification[0].remoteCaCertificate",
    ]);
  });

  it("names tunnels the connection does not have, or by the wrong role", () => {
    const dual = { conn: conn("vco-2", dualLive, "dual") };
    const f = liveFailures(
      { tunnelOptionsSpecification: [{ tunnelId: "tun-9" }, { tunnelId: "tun-1", role: "master" }] },
      {
        ...dual,
        gw: normalGw,
        others: [],
      },
    );
    expect(f.map((x) => x.property)).toEqual([
      "tunnelOptionsSpecification[0].tunnelId",
      "tunnelOptionsSpecification[1].role",
    ]);
    expect(f[0].reason).toMatch(/tun-0 \(master\), tun-1 \(slave\)/);
  });

  it("requires a tunnel block when BGP is on (not localBgpIp: the cloud chooses it), using live values", () => {
    expect(failures({ bgpConfig: { enableBgp: true } })).toEqual(["bgpConfig.tunnelCidr"]);
    const withBlock = conn("vco-1", {
      ...singleLive,
      bgpConfig: { ...singleLive.bgpConfig, tunnelCidr: "169.254.40.0/30" },
    });
    expect(failures({ bgpConfig: { enableBgp: true } }, { conn: withBlock })).toEqual([]);
    expect(failures({ bgpConfig: { enableBgp: true, tunnelCidr: "169.254.44.0/30" } })).toEqual([]);
    expect(failures({ bgpConfig: { localBgpIp: "169.254.41.1" } }, { conn: withBlock })).toEqual([
      "bgpConfig.localBgpIp",
    ]);
    expect(
      failures({ bgpConfig: { enableBgp: true, localBgpIp: "169.254.40.2" } }, { conn: withBlock }),
    ).toEqual([]);
    const dual = { conn: conn("vco-2", dualLive, "dual") };
    expect(failures({ enableTunnelsBgp: true }, dual)).toEqual([
      "enableTunnelsBgp.tunnelCidr",
      "enableTunnelsBgp.tunnelCidr",
    ]);
    expect(
      failures(
        {
          enableTunnelsBgp: true,
          tunnelOptionsSpecification: [
            { role: "master", tunnelBgpConfig: { tunnelCidr: "169.254.51.0/30" } },
            { role: "slave", tunnelBgpConfig: { tunnelCidr: "169.254.52.0/30" } },
          ],
        },
        dual,
      ),
    ).toEqual([]);
    expect(
      failures(
        {
          enableTunnelsBgp: true,
          tunnelOptionsSpecification: [
            {
              role: "master",
              tunnelBgpConfig: { tunnelCidr: "169.254.50.0/30", localBgpIp: "169.254.50.1" },
            },
            { role: "slave", tunnelBgpConfig: { tunnelCidr: "169.254.50.0/30", localBgpIp: "169.254.50.2" } },
          ],
        },
        dual,
      ),
    ).toEqual(["tunnelOptionsSpecification"]);
  });

  it("keeps BGP on for connections of a BGP gateway", () => {
    const gw = { ...normalGw, enableBgp: true };
    expect(failures({ bgpConfig: { enableBgp: false } }, { gw })).toEqual(["bgpConfig.enableBgp"]);
    expect(failures({ enableTunnelsBgp: false }, { gw, conn: conn("vco-2", dualLive, "dual") })).toEqual([
      "enableTunnelsBgp",
    ]);
  });

  it("keeps BGP tunnel blocks unique on the gateway", () => {
    const other = conn("vco-9", {
      ...singleLive,
      bgpConfig: { enableBgp: true, tunnelCidr: "169.254.60.0/30", localBgpIp: "169.254.60.1" },
    });
    const f = liveFailures(
      { bgpConfig: { enableBgp: true, tunnelCidr: "169.254.60.0/30", localBgpIp: "169.254.60.2" } },
      { conn: conn("vco-1", singleLive), gw: normalGw, others: [other, conn("vco-1", singleLive)] },
    );
    expect(f.map((x) => x.property)).toEqual(["bgpConfig.tunnelCidr"]);
    expect(f[0].reason).toMatch(/already used by IPsec connection vco-9 on VPN gateway vpn-1/);
  });

  it("requires dip and sip for an enabled health check", () => {
    expect(failures({ healthCheckConfig: { enable: true, dip: "1.1.1.1" } })).toEqual([
      "healthCheckConfig.sip",
    ]);
  });

  it("reports a gateway that cannot take a change", () => {
    expect(gatewayStateFailure({ ...normalGw, businessStatus: "FinancialLocked" }, "vco-1")?.reason).toMatch(
      /financially locked/,
    );
    expect(gatewayStateFailure(normalGw, "vco-1")).toBeUndefined();
  });
});

describe("VpnConnectionConfig rules: hints for cloud errors", () => {
  const ctx = { vpnConnectionId: "vco-1", vpnGatewayId: "vpn-1", dual: false };
  it.each([
    ["InvalidName", "'name'"],
    ["IllegalParam.LocalSubnet", "'localSubnet'"],
    ["NotSupportVpnConnectionParameter.IpsecPfs", "'ipsecConfig.ipsecPfs'"],
    ["NotSupportVpnConnectionParameter.IkeEncAlg", "'ikeConfig.ikeEncAlg'"],
    ["IllegalParam.TunnelCidr", "'bgpConfig.tunnelCidr'"],
    ["VpnTask.CONFLICT", "timeoutSeconds"],
    ["VpnGateway.FinancialLocked", "settle the account"],
  ])("%s points at %s and names the connection", (code, text) => {
    const hint = hintFor(code, ctx);
    expect(hint).toContain(text);
    expect(hint).toContain("vco-1");
  });

  it("points at tunnel fields on a dual-tunnel connection", () => {
    expect(hintFor("IllegalParam.LocalBgpIp", { ...ctx, dual: true })).toContain(
      "tunnelOptionsSpecification[].tunnelBgpConfig.localBgpIp",
    );
  });
});

describe("VpnConnectionConfig rules: connections of one customer gateway (SameVpnAndCgw*)", () => {
  const withCgw = (id: string, settings: Settings, cgw = "cgw-1"): LiveConnection => ({
    ...conn(id, settings),
    customerGatewayId: cgw,
  });
  const me = withCgw("vco-1", { ...singleLive, localSubnet: ["10.1.0.0/24"] });
  const sibling = withCgw("vco-9", { ...singleLive, localSubnet: ["10.2.0.0/24"] });
  const sib = (desired: Settings, planned: Map<string, Settings> = new Map(), others = [sibling]) =>
    siblingFailures(desired, { conn: me, gw: normalGw, others, planned });

  it("passes a change that keeps the shared IKE settings and keeps selectors apart", () => {
    expect(
      sib({ ikeConfig: { psk: "live-psk", localId: "other-id" }, localSubnet: ["10.3.0.0/24"] }),
    ).toEqual([]);
    // Another customer gateway, a dual-tunnel connection, or a change of neither IKE nor subnets: no rule.
    expect(
      sib({ ikeConfig: { psk: "new-psk" } }, new Map(), [withCgw("vco-8", singleLive, "cgw-2")]),
    ).toEqual([]);
    expect(sib({ name: "renamed" })).toEqual([]);
  });

  it("fails a PSK or IKE change that the sibling does not share, naming it, never the PSK", () => {
    const [f] = sib({ ikeConfig: { psk: "new-psk" } });
    expect(f.property).toBe("ikeConfig.psk");
    expect(f.reason).toMatch(
      /IPsec connection vco-9, which uses the same customer gateway cgw-1 on VPN gateway vpn-1/,
    );
    expect(f.reason).toMatch(/SameVpnAndCgwDifferentIkeConfigs/);
    expect(f.reason).not.toContain("new-psk");
    expect(f.reason).not.toContain("live-psk");
    expect(sib({ ikeConfig: { ikeLifetime: 3600 } })[0].property).toBe("ikeConfig.ikeLifetime");
    // The last value that matches the sibling passes; the first that does not fails.
    expect(sib({ ikeConfig: { ikeLifetime: 86400 } })).toEqual([]);
  });

  it("counts the deployment's planned change of the sibling: it cannot make a joint change pass", () => {
    const planned = new Map([["vco-9", { ...sibling.settings, ikeConfig: { ...IKE, psk: "new-psk" } }]]);
    const [f] = sib({ ikeConfig: { psk: "new-psk" } }, planned);
    expect(f.reason).toMatch(/as it is now, or as this deployment leaves it/);
    expect(f.reason).toMatch(/cannot change them one at a time/);
  });

  it("fails selectors that overlap the sibling's, now or as planned", () => {
    expect(sib({ localSubnet: ["10.2.0.0/25"] }).map((f) => f.property)).toEqual(["localSubnet"]);
    expect(sib({ localSubnet: ["10.2.0.0/25"] })[0].reason).toMatch(/SameVpnAndCgwTrafficSelectorOverlap/);
    // Adjacent blocks do not overlap: the last free block passes.
    expect(sib({ localSubnet: ["10.1.255.0/24"] })).toEqual([]);
    const planned = new Map([["vco-9", { ...sibling.settings, localSubnet: ["10.5.0.0/24"] }]]);
    expect(sib({ localSubnet: ["10.5.0.0/24"] }, planned).map((f) => f.property)).toEqual(["localSubnet"]);
  });
});

describe("VpnConnectionConfig rules: a connection changed outside the deployment", () => {
  const recorded: Settings = {
    name: "a",
    localSubnet: ["10.1.0.0/24", "10.2.0.0/24"],
    ikeConfig: { psk: "recorded-psk", ikeEncAlg: "aes" },
  };

  it("finds nothing when the live connection is as the state recorded it", () => {
    const desired: Settings = { ...recorded, name: "b", localSubnet: ["10.2.0.0/24", "10.1.0.0/24"] };
    const live: Settings = { ...recorded, ikeConfig: { ...recorded.ikeConfig, ikePfs: "group14" } };
    expect(changedOutside(recorded, desired, live)).toEqual([]);
  });

  it("names each field about to be written whose live value moved since the state, PSK included, no value", () => {
    const desired: Settings = { ...recorded, name: "b", ikeConfig: { psk: "desired-psk", ikeEncAlg: "aes" } };
    const live: Settings = { ...recorded, name: "by-hand", ikeConfig: { psk: "hand-psk", ikeEncAlg: "aes" } };
    const fields = changedOutside(recorded, desired, live);
    expect(fields.sort()).toEqual(["ikeConfig.psk", "name"]);
    expect(JSON.stringify(fields)).not.toMatch(/hand-psk|desired-psk|recorded-psk/);
  });

  it("lets a field through that is not written: changed by hand to the desired value, or not managed", () => {
    const desired: Settings = { ...recorded, name: "b" };
    expect(changedOutside(recorded, desired, { ...recorded, name: "b" })).toEqual([]);
    expect(changedOutside(recorded, desired, { ...recorded, remoteSubnet: ["172.16.0.0/12"] })).toEqual([]);
    // A drifted field that the update would write back is named even though the program did not change it.
    expect(
      changedOutside(recorded, desired, {
        ...recorded,
        ikeConfig: { psk: "recorded-psk", ikeEncAlg: "des" },
      }),
    ).toEqual(["ikeConfig.ikeEncAlg"]);
  });

  it("adopts a field the state has no value for, as create does", () => {
    const desired: Settings = { ...recorded, ipsecConfig: { ipsecPfs: "group5" } };
    expect(changedOutside(recorded, desired, { ...recorded, ipsecConfig: { ipsecPfs: "group2" } })).toEqual(
      [],
    );
  });

  it("matches tunnels by tunnelId or role", () => {
    const was: Settings = {
      tunnelOptionsSpecification: [
        { role: "master", enableDpd: true },
        { tunnelId: "tun-s", customerGatewayId: "cgw-1" },
      ],
    };
    const desired: Settings = {
      tunnelOptionsSpecification: [
        { tunnelId: "tun-s", customerGatewayId: "cgw-2" },
        { role: "master", enableDpd: false },
      ],
    };
    const live: Settings = {
      tunnelOptionsSpecification: [
        { tunnelId: "tun-m", role: "master", enableDpd: true },
        { tunnelId: "tun-s", role: "slave", customerGatewayId: "cgw-by-hand" },
      ],
    };
    expect(changedOutside(was, desired, live)).toEqual(["tunnelOptionsSpecification[0].customerGatewayId"]);
  });
});
