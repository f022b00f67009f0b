import { createModel } from "../../../../../src/emulator/services/alibaba-vpn";
import { vpcRequest } from "../../../../support/service-request";
import { ServiceError, type ServiceContext } from "../../../../../src/emulator/types";

const REGION = "cn-hangzhou";
const UPDATE_MS = 1000;

function setup() {
  let now = 1_700_000_000_000;
  const ctx: ServiceContext = {
    now: () => now,
    durationMs: (name) => (name === "vpnGatewayUpdate" ? UPDATE_MS : 0),
    changed: () => undefined,
  };
  const part = createModel();
  part.loadFixtures(
    {
      physicalConnections: [{ ignored: true }],
      vpnGateways: [
        { vpnGatewayId: "vpn-normal", regionId: REGION },
        { vpnGatewayId: "vpn-sm", regionId: REGION, vpnType: "NationalStandard" },
        { vpnGatewayId: "vpn-bgp", regionId: REGION, enableBgp: true },
        { vpnGatewayId: "vpn-locked", regionId: REGION, businessStatus: "FinancialLocked" },
        { vpnGatewayId: "vpn-new", regionId: REGION, status: "provisioning" },
        { vpnGatewayId: "vpn-old", regionId: REGION, ikev1MultiSubnet: false },
      ],
      vpnConnections: [
        {
          vpnConnectionId: "vco-single",
          vpnGatewayId: "vpn-normal",
          ikeConfig: { psk: "fixture-psk-1" },
          bgpConfig: { enableBgp: true, tunnelCidr: "169.254.10.0/30", localBgpIp: "169.254.10.1" },
        },
        { vpnConnectionId: "vco-single2", vpnGatewayId: "vpn-normal" },
        {
          vpnConnectionId: "vco-dual",
          vpnGatewayId: "vpn-normal",
          tunnels: [
            { tunnelId: "tun-a", role: "master", ikeConfig: { psk: "tunnel-psk-a" } },
            { tunnelId: "tun-b", role: "slave" },
          ],
        },
        { vpnConnectionId: "vco-sm", vpnGatewayId: "vpn-sm" },
        { vpnConnectionId: "vco-bgpgw", vpnGatewayId: "vpn-bgp" },
        { vpnConnectionId: "vco-locked", vpnGatewayId: "vpn-locked" },
        { vpnConnectionId: "vco-new", vpnGatewayId: "vpn-new" },
        { vpnConnectionId: "vco-old", vpnGatewayId: "vpn-old", ikeConfig: { ikeVersion: "ikev1" } },
        ...[1, 2].map((i) => ({
          vpnConnectionId: `vco-cgw${i}`,
          vpnGatewayId: "vpn-old",
          customerGatewayId: "cgw-shared",
          localSubnet: `10.${i}.0.0/24`,
          ikeConfig: { psk: "shared-psk" },
        })),
      ],
    },
    ctx,
  );
  let n = 0;
  const call = (action: string, params: Record<string, string>, region = REGION): Record<string, unknown> => {
    const sent = { RegionId: region, Timestamp: `t${n++}`, SignatureNonce: `n${n}`, ...params };
    const req = vpcRequest(action, sent, { region, requestId: `req-${n}` });
    return part.actions("alibaba-rpc")[action](req, ctx) as Record<string, unknown>;
  };
  const modify = (id: string, params: Record<string, string>) =>
    call("ModifyVpnConnectionAttribute", { VpnConnectionId: id, ...params });
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ServiceError) return `${e.httpStatus} ${e.code}`;
      throw e;
    }
    return "ok";
  };
  const reject = (id: string, params: Record<string, string>) => codeOf(() => modify(id, params));
  const advance = (ms: number) => (now += ms);
  const gatewayStatus = (id: string) => call("DescribeVpnGateway", { VpnGatewayId: id }).Status;
  const inventoryOf = (id: string) =>
    (part.inventory(ctx) as { vpnGateways: Array<Record<string, unknown>> }).vpnGateways.find(
      (g) => g.vpnGatewayId === id,
    )!;
  return { part, ctx, call, modify, reject, codeOf, advance, gatewayStatus, inventoryOf };
}

type Obj = Record<string, unknown>;
const tunnels = (body: Obj) => (body.TunnelOptionsSpecification as { TunnelOptions: Obj[] }).TunnelOptions;

describe("alibaba VPN model: fixtures and reads", () => {
  it("describes a single-tunnel connection with the real quirks (strings in health check and BGP)", () => {
    const { call } = setup();
    const body = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" });
    expect(body.State).toBe("active");
    expect(body.Status).toBe("ipsec_sa_established");
    expect(body.EnableDpd).toBe(true);
    const ike = body.IkeConfig as Obj;
    expect(ike.Psk).toBe("fixture-psk-1");
    expect(ike.IkeLifetime).toBe(86400);
    expect((body.VcoHealthCheck as Obj).Enable).toBe("false");
    const bgp = body.VpnBgpConfig as Obj;
    expect(bgp).toMatchObject({ EnableBgp: "true", LocalAsn: 45104, PeerBgpIp: "169.254.10.2" });
    expect(body.TunnelOptionsSpecification).toBeUndefined();
  });

  it("generates a 16-character PSK when the fixture has none", () => {
    const { call } = setup();
    const ike = call("DescribeVpnConnection", { VpnConnectionId: "vco-single2" }).IkeConfig as Obj;
    expect(ike.Psk).toMatch(/^[a-z0-9]{16}$/);
  });

  it("describes a dual-tunnel connection with booleans, lifetimes and ASNs as strings", () => {
    const { call } = setup();
    const body = call("DescribeVpnConnection", { VpnConnectionId: "vco-dual" });
    expect(body.IkeConfig).toBeUndefined();
    expect(body.EnableTunnelsBgp).toBe(false);
    const [a, b] = tunnels(body);
    expect(a).toMatchObject({ TunnelId: "tun-a", Role: "master", EnableDpd: "true", State: "active" });
    expect(b.Role).toBe("slave");
    expect((a.TunnelIkeConfig as Obj).IkeLifetime).toBe("86400");
    expect((a.TunnelIkeConfig as Obj).Psk).toBe("tunnel-psk-a");
    expect((a.TunnelIpsecConfig as Obj).IpsecLifetime).toBe("86400");
    expect((a.TunnelBgpConfig as Obj).LocalAsn).toBe("45104");
  });

  it("answers unknown ids with the documented not-found codes", () => {
    const { codeOf, call } = setup();
    expect(codeOf(() => call("DescribeVpnConnection", { VpnConnectionId: "vco-nope" }))).toBe(
      "404 InvalidVpnConnectionInstanceId.NotFound",
    );
    expect(codeOf(() => call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }, "cn-beijing"))).toBe(
      "404 InvalidVpnConnectionInstanceId.NotFound",
    );
    expect(codeOf(() => call("DescribeVpnGateway", { VpnGatewayId: "vpn-nope" }))).toBe(
      "404 InvalidVpnGatewayInstanceId.NotFound",
    );
  });

  it("lists a gateway's connections with paging", () => {
    const { call } = setup();
    const page = call("DescribeVpnConnections", { VpnGatewayId: "vpn-normal", PageSize: "2" });
    expect(page.TotalCount).toBe(3);
    const items = (page.VpnConnections as { VpnConnection: Obj[] }).VpnConnection;
    expect(items.map((c) => c.VpnConnectionId)).toEqual(["vco-single", "vco-single2"]);
  });

  it("lists the region's gateways with paging and the documented filters, as the single read shows each", () => {
    const { call } = setup();
    const ids = (page: Obj) =>
      (page.VpnGateways as { VpnGateway: Obj[] }).VpnGateway.map((g) => g.VpnGatewayId);
    const first = call("DescribeVpnGateways", { PageSize: "2" });
    expect(first).toMatchObject({ TotalCount: 6, PageNumber: 1, PageSize: 2 });
    expect(ids(first)).toEqual(["vpn-normal", "vpn-sm"]);
    expect(ids(call("DescribeVpnGateways", { PageSize: "2", PageNumber: "3" }))).toEqual([
      "vpn-new",
      "vpn-old",
    ]);
    expect(ids(call("DescribeVpnGateways", { BusinessStatus: "FinancialLocked" }))).toEqual(["vpn-locked"]);
    expect(ids(call("DescribeVpnGateways", { Status: "provisioning" }))).toEqual(["vpn-new"]);
    expect(ids(call("DescribeVpnGateways", { VpnGatewayId: "vpn-bgp" }))).toEqual(["vpn-bgp"]);
    const [listed] = (
      call("DescribeVpnGateways", { VpnGatewayId: "vpn-sm" }).VpnGateways as { VpnGateway: Obj[] }
    ).VpnGateway;
    expect(listed).toEqual(call("DescribeVpnGateway", { VpnGatewayId: "vpn-sm" }));
    // Another region's gateways are not listed.
    expect(call("DescribeVpnGateways", {}, "cn-beijing").TotalCount).toBe(0);
  });

  it("rejects invalid fixtures naming the field", () => {
    const { part, ctx } = setup();
    expect(() =>
      part.loadFixtures({ vpnGateways: [{ vpnGatewayId: "x", regionId: REGION, vpnType: "Guomi" }] }, ctx),
    ).toThrow(/alibabaVpc\.vpnGateways\[0\]\.vpnType/);
    expect(() =>
      part.loadFixtures({ vpnConnections: [{ vpnConnectionId: "c", vpnGatewayId: "vpn-x" }] }, ctx),
    ).toThrow(/vpnConnections\[0\]\.vpnGatewayId: no VPN gateway vpn-x/);
  });

  it("keeps PSKs out of the inventory and survives a state round trip", () => {
    const { part, ctx } = setup();
    expect(JSON.stringify(part.inventory(ctx))).not.toMatch(/fixture-psk-1|tunnel-psk-a/);
    const copy = createModel();
    copy.fromJSON(JSON.parse(JSON.stringify(part.toJSON())));
    expect(copy.inventory(ctx)).toEqual(part.inventory(ctx));
  });
});

describe("alibaba VPN model: ModifyVpnConnectionAttribute rules", () => {
  it("applies a change, then shows the gateway and the connection updating until the duration passes", () => {
    const { modify, call, advance, gatewayStatus } = setup();
    const answer = modify("vco-single", {
      Name: "renamed",
      IkeConfig: JSON.stringify({ Psk: "new-psk", IkeVersion: "ikev1", IkeLifetime: 0 }),
    });
    expect(answer.Name).toBe("renamed");
    expect(gatewayStatus("vpn-normal")).toBe("updating");
    const body = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" });
    expect(body.State).toBe("updating");
    expect(body.IkeConfig).toMatchObject({
      Psk: "new-psk",
      IkeVersion: "ikev1",
      IkeLifetime: 0,
      IkeEncAlg: "aes",
    });
    advance(UPDATE_MS);
    expect(gatewayStatus("vpn-normal")).toBe("active");
    expect(call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }).State).toBe("active");
  });

  it("keeps the PSK when IkeConfig omits it", () => {
    const { modify, call } = setup();
    modify("vco-single", { IkeConfig: JSON.stringify({ IkePfs: "group14" }) });
    const ike = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }).IkeConfig as Obj;
    expect(ike).toMatchObject({ Psk: "fixture-psk-1", IkePfs: "group14" });
  });

  it("rejects a second change on the same gateway while it is updating, and counts it", () => {
    const { modify, reject, advance, inventoryOf } = setup();
    modify("vco-single", { Name: "a" });
    expect(reject("vco-single2", { Name: "b" })).toBe("400 VpnTask.CONFLICT");
    expect(inventoryOf("vpn-normal")).toMatchObject({
      changesAccepted: 1,
      conflictsRejected: 1,
      maxInFlight: 2,
    });
    advance(UPDATE_MS);
    expect(reject("vco-single2", { Name: "b" })).toBe("ok");
    expect(inventoryOf("vpn-normal")).toMatchObject({ changesAccepted: 2, conflictsRejected: 1 });
  });

  it("reports a serialised client as one change in flight at a time", () => {
    const { modify, advance, inventoryOf } = setup();
    for (const id of ["vco-single", "vco-single2"]) {
      modify(id, { Name: id });
      advance(UPDATE_MS);
    }
    expect(inventoryOf("vpn-normal")).toMatchObject({
      changesAccepted: 2,
      conflictsRejected: 0,
      maxInFlight: 1,
    });
  });

  it("answers a repeated ClientToken with the first result without applying twice", () => {
    const { modify, reject, inventoryOf } = setup();
    const first = modify("vco-single", { ClientToken: "tok-1", Name: "x" });
    const again = modify("vco-single", { ClientToken: "tok-1", Name: "x" });
    expect(again).toEqual(first);
    expect(inventoryOf("vpn-normal")).toMatchObject({ changesAccepted: 1, conflictsRejected: 0 });
    expect(reject("vco-single", { ClientToken: "tok-1", Name: "y" })).toBe("400 IdempotentParameterMismatch");
  });

  it("maps gateway states to their codes", () => {
    const { reject } = setup();
    expect(reject("vco-locked", { Name: "x" })).toBe("400 VpnGateway.FinancialLocked");
    expect(reject("vco-new", { Name: "x" })).toBe("400 VpnGateway.Configuring");
    expect(reject("vco-nope", { Name: "x" })).toBe("404 InvalidVpnConnectionInstanceId.NotFound");
  });

  it.each([
    [{ Name: "" }, "InvalidName"],
    [{ Name: "x".repeat(101) }, "InvalidName"],
    [{ Name: "http://vpn" }, "InvalidName"],
    [{ Name: "https://vpn" }, "InvalidName"],
    [{ LocalSubnet: "10.0.0.0/33" }, "IllegalParam.LocalSubnet"],
    [{ LocalSubnet: "10.0.0.1/24" }, "IllegalParam.LocalSubnet"],
    [{ RemoteSubnet: "10.0.0.0/24,oops" }, "IllegalParam.RemoteSubnet"],
    [{ EffectImmediately: "yes" }, "IllegalParam.EffectImmediately"],
    [{ IkeConfig: "{not json" }, "IllegalParam.IkeConfig"],
    [{ IkeConfig: JSON.stringify({ IkeVersion: "ikev3" }) }, "NotSupportVpnConnectionParameter.IkeVersion"],
    [{ IkeConfig: JSON.stringify({ IkeMode: "quick" }) }, "NotSupportVpnConnectionParameter.IkeMode"],
    [{ IkeConfig: JSON.stringify({ IkeEncAlg: "sm4" }) }, "NotSupportVpnConnectionParameter.IkeEncAlg"],
    [{ IkeConfig: JSON.stringify({ IkeAuthAlg: "sm3" }) }, "NotSupportVpnConnectionParameter.IkeAuthAlg"],
    [{ IkeConfig: JSON.stringify({ IkePfs: "disabled" }) }, "NotSupportVpnConnectionParameter.IkePfs"],
    [{ IkeConfig: JSON.stringify({ IkeLifetime: 86401 }) }, "IllegalParam.IkeLifetime"],
    [{ IkeConfig: JSON.stringify({ Psk: "" }) }, "IllegalParam.Psk"],
    [{ IkeConfig: JSON.stringify({ Psk: "has space" }) }, "IllegalParam.Psk"],
    [{ IkeConfig: JSON.stringify({ Psk: 'quote"' }) }, "IllegalParam.Psk"],
    [{ IkeConfig: JSON.stringify({ Psk: "a".repeat(101) }) }, "IllegalParam.Psk"],
    [{ IkeConfig: JSON.stringify({ LocalId: "x".repeat(101) }) }, "IllegalParam.LocalId"],
    [{ IpsecConfig: JSON.stringify({ IpsecPfs: "group3" }) }, "NotSupportVpnConnectionParameter.IpsecPfs"],
    [
      { IpsecConfig: JSON.stringify({ IpsecAuthAlg: "sha3" }) },
      "NotSupportVpnConnectionParameter.IpsecAuthAlg",
    ],
    [{ IpsecConfig: JSON.stringify({ IpsecLifetime: -1 }) }, "IllegalParam.IpsecLifetime"],
    [
      { HealthCheckConfig: JSON.stringify({ enable: "true", dip: "1.2.3.4" }) },
      "IllegalParam.HealthCheckConfig",
    ],
    [{ HealthCheckConfig: JSON.stringify({ Interval: "0" }) }, "IllegalParam.HealthCheckConfig"],
    [{ BgpConfig: JSON.stringify({ TunnelCidr: "169.254.20.0/29" }) }, "IllegalParam.TunnelCidr"],
    [{ BgpConfig: JSON.stringify({ TunnelCidr: "10.0.0.0/30" }) }, "IllegalParam.TunnelCidr"],
    [{ BgpConfig: JSON.stringify({ TunnelCidr: "169.254.3.0/30" }) }, "IllegalParam.TunnelCidr"],
    [{ BgpConfig: JSON.stringify({ TunnelCidr: "169.254.169.252/30" }) }, "IllegalParam.TunnelCidr"],
    [{ BgpConfig: JSON.stringify({ TunnelCidr: "169.254.20.1/30" }) }, "InvalidTunnelCidr.Malformed"],
    [{ BgpConfig: JSON.stringify({ LocalBgpIp: "169.254.999.1" }) }, "InvalidLocalBgpIp.Malformed"],
    [{ BgpConfig: JSON.stringify({ LocalBgpIp: "169.254.11.1" }) }, "IllegalParam.LocalBgpIp"],
    [{ BgpConfig: JSON.stringify({ LocalBgpIp: "169.254.10.3" }) }, "IllegalParam.LocalBgpIp"],
    [{ BgpConfig: JSON.stringify({ LocalAsn: "0" }) }, "IllegalParam.LocalAsn"],
    [{ BgpConfig: JSON.stringify({ LocalAsn: "4294967296" }) }, "IllegalParam.LocalAsn"],
    [{ BgpConfig: JSON.stringify({ LocalAsn: "65536.1" }) }, "IllegalParam.LocalAsn"],
    [
      { RemoteCaCertificate: "-----BEGIN CERTIFICATE-----x-----END CERTIFICATE-----" },
      "IllegalParam.RemoteCaCertificate",
    ],
    [{ EnableTunnelsBgp: "true" }, "IllegalParam.EnableTunnelsBgp"],
    [{ "TunnelOptionsSpecification.1.Role": "master" }, "IllegalParam.TunnelOptionsSpecification"],
  ])("rejects %j on a normal single-tunnel connection with %s", (params, code) => {
    const { reject } = setup();
    expect(reject("vco-single", params as Record<string, string>)).toBe(`400 ${code}`);
  });

  it("accepts a two-segment ASN and stores its value", () => {
    const { modify, call } = setup();
    modify("vco-single", { BgpConfig: JSON.stringify({ LocalAsn: "123.456" }) });
    const bgp = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }).VpnBgpConfig as Obj;
    expect(bgp.LocalAsn).toBe(123 * 65536 + 456);
  });

  it("reads HealthCheckConfig keys in either case", () => {
    const { modify, call } = setup();
    modify("vco-single", {
      HealthCheckConfig: JSON.stringify({
        Enable: "true",
        Dip: "192.168.1.1",
        sip: "10.1.1.1",
        Interval: 5,
        retry: "4",
      }),
    });
    const hc = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }).VcoHealthCheck as Obj;
    expect(hc).toMatchObject({ Enable: "true", Dip: "192.168.1.1", Sip: "10.1.1.1", Interval: 5, Retry: 4 });
  });

  it("requires a tunnel CIDR when BGP is enabled and keeps CIDRs unique per gateway", () => {
    const { reject } = setup();
    expect(reject("vco-single2", { BgpConfig: JSON.stringify({ EnableBgp: "true" }) })).toBe(
      "400 MissingParameter.TunnelCidr",
    );
    expect(
      reject("vco-single2", {
        BgpConfig: JSON.stringify({
          EnableBgp: "true",
          TunnelCidr: "169.254.10.0/30",
          LocalBgpIp: "169.254.10.1",
        }),
      }),
    ).toBe("400 IllegalParam.TunnelCidr");
    expect(
      reject("vco-dual", {
        "TunnelOptionsSpecification.1.TunnelId": "tun-a",
        "TunnelOptionsSpecification.1.TunnelBgpConfig.TunnelCidr": "169.254.10.0/30",
        "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalBgpIp": "169.254.10.2",
      }),
    ).toBe("400 IllegalParam.TunnelCidr");
  });

  it("chooses the BGP address when only the tunnel CIDR is given (LocalBgpIp is optional)", () => {
    const { modify, call, advance } = setup();
    modify("vco-single2", {
      BgpConfig: JSON.stringify({ EnableBgp: "true", TunnelCidr: "169.254.12.0/30" }),
    });
    advance(UPDATE_MS);
    const bgp = call("DescribeVpnConnection", { VpnConnectionId: "vco-single2" }).VpnBgpConfig as Obj;
    expect(bgp).toMatchObject({ TunnelCidr: "169.254.12.0/30", LocalBgpIp: "169.254.12.1" });
    // A new block without an address replaces the old block's address.
    modify("vco-single", { BgpConfig: JSON.stringify({ TunnelCidr: "169.254.13.0/30" }) });
    advance(UPDATE_MS);
    const moved = call("DescribeVpnConnection", { VpnConnectionId: "vco-single" }).VpnBgpConfig as Obj;
    expect(moved).toMatchObject({ TunnelCidr: "169.254.13.0/30", LocalBgpIp: "169.254.13.1" });
  });

  it("changes a tunnel's customer gateway (TunnelOptionsSpecification.N.CustomerGatewayId)", () => {
    const { modify, reject, call, advance } = setup();
    modify("vco-dual", {
      "TunnelOptionsSpecification.1.Role": "slave",
      "TunnelOptionsSpecification.1.CustomerGatewayId": "cgw-standby",
    });
    advance(UPDATE_MS);
    const [a, b] = tunnels(call("DescribeVpnConnection", { VpnConnectionId: "vco-dual" }));
    expect(b.CustomerGatewayId).toBe("cgw-standby");
    expect(a.CustomerGatewayId).not.toBe("cgw-standby");
    expect(
      reject("vco-dual", {
        "TunnelOptionsSpecification.1.Role": "slave",
        "TunnelOptionsSpecification.1.CustomerGatewayId": "",
      }),
    ).toBe("400 IllegalParam.CustomerGatewayId");
  });

  it("makes connections of a BGP gateway keep BGP on", () => {
    const { reject } = setup();
    expect(reject("vco-bgpgw", { BgpConfig: JSON.stringify({ EnableBgp: "false" }) })).toBe(
      "400 IllegalParam.EnableBgp",
    );
  });

  it("allows only SM algorithms, IKEv1 and main mode on a national-cryptography gateway", () => {
    const { reject } = setup();
    expect(reject("vco-sm", { IkeConfig: JSON.stringify({ IkeEncAlg: "aes" }) })).toBe(
      "400 NotSupportVpnConnectionParameter.IkeEncAlg",
    );
    expect(reject("vco-sm", { IkeConfig: JSON.stringify({ IkeVersion: "ikev2" }) })).toBe(
      "400 NotSupportVpnConnectionParameter.IkeVersion",
    );
    expect(reject("vco-sm", { IkeConfig: JSON.stringify({ IkeMode: "aggressive" }) })).toBe(
      "400 NotSupportVpnConnectionParameter.IkeMode",
    );
    expect(reject("vco-sm", { IpsecConfig: JSON.stringify({ IpsecAuthAlg: "sha1" }) })).toBe(
      "400 NotSupportVpnConnectionParameter.IpsecAuthAlg",
    );
    expect(
      reject("vco-sm", {
        IkeConfig: JSON.stringify({
          IkeEncAlg: "sm4",
          IkeAuthAlg: "sm3",
          IkeVersion: "ikev1",
          IkeMode: "main",
        }),
        IpsecConfig: JSON.stringify({ IpsecEncAlg: "sm4", IpsecAuthAlg: "sm3" }),
        RemoteCaCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      }),
    ).toBe("ok");
  });

  it("changes dual-tunnel options by TunnelId or by Role, and rejects single-tunnel parameters", () => {
    const { modify, reject, call, advance } = setup();
    expect(reject("vco-dual", { IkeConfig: "{}" })).toBe("400 IllegalParam.IkeConfig");
    expect(reject("vco-dual", { EnableDpd: "true" })).toBe("400 IllegalParam.EnableDpd");
    expect(reject("vco-dual", { "TunnelOptionsSpecification.1.TunnelId": "tun-zz" })).toBe(
      "400 IllegalParam.TunnelId",
    );
    expect(
      reject("vco-dual", {
        "TunnelOptionsSpecification.1.TunnelId": "tun-a",
        "TunnelOptionsSpecification.1.Role": "slave",
      }),
    ).toBe("400 IllegalParam.Role");
    expect(reject("vco-dual", { "TunnelOptionsSpecification.1.Role": "backup" })).toBe(
      "400 IllegalParam.Role",
    );
    expect(reject("vco-dual", { "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn": "1.2" })).toBe(
      "400 IllegalParam.TunnelId",
    );
    expect(
      reject("vco-dual", {
        "TunnelOptionsSpecification.1.Role": "slave",
        "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn": "1.2",
      }),
    ).toBe("400 IllegalParam.LocalAsn");
    expect(reject("vco-dual", { EnableTunnelsBgp: "true" })).toBe("400 MissingParameter.TunnelCidr");
    modify("vco-dual", {
      EnableTunnelsBgp: "true",
      "TunnelOptionsSpecification.1.TunnelId": "tun-a",
      "TunnelOptionsSpecification.1.EnableDpd": "false",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk": "tunnel-psk-new",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeLifetime": "3600",
      "TunnelOptionsSpecification.1.TunnelBgpConfig.TunnelCidr": "169.254.30.0/30",
      "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalBgpIp": "169.254.30.1",
      "TunnelOptionsSpecification.2.Role": "slave",
      "TunnelOptionsSpecification.2.TunnelIpsecConfig.IpsecPfs": "disabled",
      "TunnelOptionsSpecification.2.TunnelBgpConfig.TunnelCidr": "169.254.31.0/30",
      "TunnelOptionsSpecification.2.TunnelBgpConfig.LocalBgpIp": "169.254.31.2",
      "TunnelOptionsSpecification.2.TunnelBgpConfig.LocalAsn": "65001",
    });
    advance(UPDATE_MS);
    const [a, b] = tunnels(call("DescribeVpnConnection", { VpnConnectionId: "vco-dual" }));
    expect(a.EnableDpd).toBe("false");
    expect(a.TunnelIkeConfig).toMatchObject({ Psk: "tunnel-psk-new", IkeLifetime: "3600" });
    expect((b.TunnelIpsecConfig as Obj).IpsecPfs).toBe("disabled");
    expect(b.TunnelBgpConfig).toMatchObject({ LocalAsn: "65001", PeerBgpIp: "169.254.31.1" });
  });

  it("refuses several subnets with IKEv1 on a gateway version that cannot do it", () => {
    const { reject } = setup();
    expect(reject("vco-old", { LocalSubnet: "10.0.0.0/24,10.0.1.0/24" })).toBe(
      "400 ModifyIkeV1WithMultiRoutes.Invalid",
    );
    expect(reject("vco-single", { LocalSubnet: "10.0.0.0/24,10.0.1.0/24" })).toBe("ok");
  });

  it("keeps IKE settings equal and selectors apart between connections of one customer gateway", () => {
    const { reject } = setup();
    expect(reject("vco-cgw1", { IkeConfig: JSON.stringify({ Psk: "different" }) })).toBe(
      "400 VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs",
    );
    expect(reject("vco-cgw1", { LocalSubnet: "10.2.0.0/16" })).toBe(
      "400 VpnConnectionParamInvalid.SameVpnAndCgwTrafficSelectorOverlap",
    );
  });

  it("names the gateway of a modify as its lock key", () => {
    const { part } = setup();
    const req = (action: string, params: Record<string, unknown>) =>
      vpcRequest(action, params, { region: REGION });
    expect(part.lockKey!(req("ModifyVpnConnectionAttribute", { VpnConnectionId: "vco-dual" }))).toBe(
      "vpn-normal",
    );
    expect(part.lockKey!(req("DescribeVpnConnection", { VpnConnectionId: "vco-dual" }))).toBeUndefined();
    expect(
      part.lockKey!(req("ModifyVpnConnectionAttribute", { VpnConnectionId: "vco-nope" })),
    ).toBeUndefined();
  });
});
