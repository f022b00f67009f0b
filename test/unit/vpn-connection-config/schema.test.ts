import { parseInputs } from "../../../src/resources/common/check";
import { settingsOf } from "../../../src/resources/vpn-connection-config/rules";
import {
  createResourceId,
  inputsSchema,
  parseResourceId,
} from "../../../src/resources/vpn-connection-config/schema";
import { splitPsks } from "../../../src/resources/vpn-connection-config/psk";

const base = { region: "cn-hangzhou", vpnConnectionId: "vco-1" };
const SECRET = "S3cr3t-PSK!";

function failuresOf(extra: Record<string, unknown>): string[] {
  const { failures } = parseInputs(inputsSchema, { ...base, ...extra });
  return failures.map((f) => f.property);
}

function parsed(extra: Record<string, unknown>) {
  const { inputs, failures } = parseInputs(inputsSchema, { ...base, ...extra });
  expect(failures).toEqual([]);
  return inputs!;
}

describe("VpnConnectionConfig schema: per-tunnel customer gateway, optional BGP address", () => {
  it("accepts a tunnel's customerGatewayId up to 64 characters, and a BGP block without localBgpIp", () => {
    const inputs = parsed({
      tunnelOptionsSpecification: [
        {
          role: "master",
          customerGatewayId: "c".repeat(64),
          tunnelBgpConfig: { tunnelCidr: "169.254.30.0/30" },
        },
        { role: "slave", customerGatewayId: "cgw-p0wy363lucf1uyae8****" },
      ],
      enableTunnelsBgp: true,
    });
    expect(inputs.tunnelOptionsSpecification?.[1].customerGatewayId).toBe("cgw-p0wy363lucf1uyae8****");
    expect(parsed({ bgpConfig: { enableBgp: true, tunnelCidr: "169.254.30.0/30" } }).bgpConfig).toEqual({
      enableBgp: true,
      tunnelCidr: "169.254.30.0/30",
    });
  });
});

describe("VpnConnectionConfig schema: boundaries (ModifyVpnConnectionAttribute)", () => {
  it.each([
    [{ name: "n".repeat(100) }, { name: "n".repeat(101) }, "name"],
    [{ ikeConfig: { psk: "p".repeat(100) } }, { ikeConfig: { psk: "p".repeat(101) } }, "ikeConfig.psk"],
    [{ ikeConfig: { ikeLifetime: 86400 } }, { ikeConfig: { ikeLifetime: 86401 } }, "ikeConfig.ikeLifetime"],
    [{ ikeConfig: { ikeLifetime: 0 } }, { ikeConfig: { ikeLifetime: -1 } }, "ikeConfig.ikeLifetime"],
    [
      { ipsecConfig: { ipsecLifetime: 86400 } },
      { ipsecConfig: { ipsecLifetime: 86401 } },
      "ipsecConfig.ipsecLifetime",
    ],
    [
      { ikeConfig: { localId: "l".repeat(100) } },
      { ikeConfig: { localId: "l".repeat(101) } },
      "ikeConfig.localId",
    ],
    [{ bgpConfig: { localAsn: 4294967295 } }, { bgpConfig: { localAsn: 4294967296 } }, "bgpConfig.localAsn"],
    [{ bgpConfig: { localAsn: 1 } }, { bgpConfig: { localAsn: 0 } }, "bgpConfig.localAsn"],
    [{ healthCheckConfig: { retry: 1 } }, { healthCheckConfig: { retry: 0 } }, "healthCheckConfig.retry"],
  ])("last valid %j, first invalid %j", (valid, invalid, property) => {
    expect(failuresOf(valid)).toEqual([]);
    expect(failuresOf(invalid)).toEqual([property]);
  });
});

describe("VpnConnectionConfig schema", () => {
  it("accepts a full single-tunnel configuration and normalises it", () => {
    const inputs = parsed({
      name: "office",
      localSubnet: "10.1.0.0/24, 10.2.0.0/24",
      remoteSubnet: ["192.168.0.0/16"],
      ikeConfig: { psk: SECRET, ikeVersion: "ikev2", ikeLifetime: 0, localId: "gw.example.com" },
      ipsecConfig: { ipsecPfs: "disabled", ipsecLifetime: 86400 },
      healthCheckConfig: { enable: true, dip: "192.168.1.1", sip: "10.1.1.1", interval: 3, retry: 3 },
      bgpConfig: {
        enableBgp: true,
        localAsn: "123.456",
        tunnelCidr: "169.254.11.0/30",
        localBgpIp: "169.254.11.1",
      },
    });
    expect(inputs.localSubnet).toEqual(["10.1.0.0/24", "10.2.0.0/24"]);
    expect(inputs.bgpConfig?.localAsn).toBe(123 * 65536 + 456);
    expect(inputs.restoreOnDelete).toBe(false);
    // The nested PSK is moved into the secret property.
    expect(inputs.ikeConfig).toEqual({ ikeVersion: "ikev2", ikeLifetime: 0, localId: "gw.example.com" });
    expect(inputs.presharedKeys).toEqual({ ikeConfig: SECRET });
  });

  it("keys tunnel PSKs by tunnelId, or by role when no id is given", () => {
    const inputs = parsed({
      tunnelOptionsSpecification: [
        { tunnelId: "tun-a", tunnelIkeConfig: { psk: "psk-a" } },
        { role: "slave", tunnelIkeConfig: { psk: "psk-b", ikePfs: "group14" } },
      ],
    });
    expect(inputs.presharedKeys).toEqual({ tunnels: { "tun-a": "psk-a", slave: "psk-b" } });
    expect(inputs.tunnelOptionsSpecification?.[1].tunnelIkeConfig).toEqual({ ikePfs: "group14" });
    // And settingsOf puts them back where the wire wants them.
    const s = settingsOf(inputs as unknown as Record<string, unknown>);
    expect(s.tunnelOptionsSpecification?.[1].tunnelIkeConfig).toEqual({ ikePfs: "group14", psk: "psk-b" });
    expect(splitPsks(s).presharedKeys).toEqual(inputs.presharedKeys);
  });

  it("accepts the empty or null presharedKeys the Resource class sends without PSKs", () => {
    expect(parsed({ presharedKeys: {} }).presharedKeys).toEqual({});
    expect(parsed({ presharedKeys: null }).presharedKeys).toBeUndefined();
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "n".repeat(101) }, "name"],
    [{ name: "http://x" }, "name"],
    [{ name: "https://x" }, "name"],
    [{ localSubnet: "10.0.0.1/24" }, "localSubnet[0]"],
    [{ localSubnet: "" }, "localSubnet"],
    [{ remoteSubnet: ["10.0.0.0/24", "300.0.0.0/8"] }, "remoteSubnet[1]"],
    [{ ikeConfig: { ikeVersion: "ikev3" } }, "ikeConfig.ikeVersion"],
    [{ ikeConfig: { ikeMode: "quick" } }, "ikeConfig.ikeMode"],
    [{ ikeConfig: { ikeEncAlg: "rc4" } }, "ikeConfig.ikeEncAlg"],
    [{ ikeConfig: { ikeAuthAlg: "sha3" } }, "ikeConfig.ikeAuthAlg"],
    [{ ikeConfig: { ikePfs: "disabled" } }, "ikeConfig.ikePfs"],
    [{ ikeConfig: { ikeLifetime: 86401 } }, "ikeConfig.ikeLifetime"],
    [{ ikeConfig: { ikeLifetime: -1 } }, "ikeConfig.ikeLifetime"],
    [{ ikeConfig: { ikeLifetime: 1.5 } }, "ikeConfig.ikeLifetime"],
    [{ ikeConfig: { localId: "has space" } }, "ikeConfig.localId"],
    [{ ikeConfig: { remoteId: "r".repeat(101) } }, "ikeConfig.remoteId"],
    [{ ikeConfig: { psk: "" } }, "ikeConfig.psk"],
    [{ ikeConfig: { psk: "with space" } }, "ikeConfig.psk"],
    [{ ikeConfig: { psk: 'dq"' } }, "ikeConfig.psk"],
    [{ ikeConfig: { psk: "p".repeat(101) } }, "ikeConfig.psk"],
    [{ ikeConfig: { ikeVerison: "ikev2" } }, "ikeConfig"],
    [{ ipsecConfig: { ipsecPfs: "group3" } }, "ipsecConfig.ipsecPfs"],
    [{ ipsecConfig: { ipsecLifetime: 90000 } }, "ipsecConfig.ipsecLifetime"],
    [{ healthCheckConfig: { dip: "1.2.3" } }, "healthCheckConfig.dip"],
    [{ healthCheckConfig: { interval: 0 } }, "healthCheckConfig.interval"],
    [{ bgpConfig: { tunnelCidr: "169.254.20.0/29" } }, "bgpConfig.tunnelCidr"],
    [{ bgpConfig: { tunnelCidr: "10.0.0.0/30" } }, "bgpConfig.tunnelCidr"],
    [{ bgpConfig: { tunnelCidr: "169.254.6.0/30" } }, "bgpConfig.tunnelCidr"],
    [{ bgpConfig: { tunnelCidr: "169.254.169.252/30" } }, "bgpConfig.tunnelCidr"],
    [{ bgpConfig: { tunnelCidr: "169.254.20.1/30" } }, "bgpConfig.tunnelCidr"],
    [{ bgpConfig: { tunnelCidr: "169.254.20.0/30", localBgpIp: "169.254.21.1" } }, "bgpConfig.localBgpIp"],
    [{ bgpConfig: { tunnelCidr: "169.254.20.0/30", localBgpIp: "169.254.20.0" } }, "bgpConfig.localBgpIp"],
    [{ bgpConfig: { tunnelCidr: "169.254.20.0/30", localBgpIp: "169.254.20.3" } }, "bgpConfig.localBgpIp"],
    [{ bgpConfig: { localBgpIp: "x" } }, "bgpConfig.localBgpIp"],
    [{ bgpConfig: { localAsn: 0 } }, "bgpConfig.localAsn"],
    [{ bgpConfig: { localAsn: 4294967296 } }, "bgpConfig.localAsn"],
    [{ bgpConfig: { localAsn: "65536.1" } }, "bgpConfig.localAsn"],
    [{ bgpConfig: { localAsn: "as65000" } }, "bgpConfig.localAsn"],
    [{ remoteCaCertificate: "not a certificate" }, "remoteCaCertificate"],
    [{ tunnelOptionsSpecification: [] }, "tunnelOptionsSpecification"],
    [
      { tunnelOptionsSpecification: [{ role: "master" }, { role: "slave" }, { tunnelId: "t" }] },
      "tunnelOptionsSpecification",
    ],
    [{ tunnelOptionsSpecification: [{ enableDpd: true }] }, "tunnelOptionsSpecification[0]"],
    [{ tunnelOptionsSpecification: [{ role: "backup" }] }, "tunnelOptionsSpecification[0].role"],
    [
      { tunnelOptionsSpecification: [{ role: "master", customerGatewayId: "" }] },
      "tunnelOptionsSpecification[0].customerGatewayId",
    ],
    [
      { tunnelOptionsSpecification: [{ role: "master", customerGatewayId: "c".repeat(65) }] },
      "tunnelOptionsSpecification[0].customerGatewayId",
    ],
    [
      { tunnelOptionsSpecification: [{ role: "master" }, { role: "master" }] },
      "tunnelOptionsSpecification[1]",
    ],
    [
      { tunnelOptionsSpecification: [{ role: "master", tunnelBgpConfig: { localAsn: -5 } }] },
      "tunnelOptionsSpecification[0].tunnelBgpConfig.localAsn",
    ],
    [{ tunnelOptionsSpecification: [{ role: "master" }], ikeConfig: {} }, "tunnelOptionsSpecification"],
    [{ enableTunnelsBgp: true, bgpConfig: {} }, "enableTunnelsBgp"],
    [{ presharedKeys: { tunnels: { "tun-x": "abc" } } }, "presharedKeys.tunnels"],
    [{ region: "Hangzhou" }, "region"],
    [{ timeoutSeconds: 0 }, "timeoutSeconds"],
  ])("rejects %j naming %s", (extra, field) => {
    expect(failuresOf(extra)).toContain(field);
  });

  it("never repeats a PSK in a failure", () => {
    const bad = "bad psk with spaces";
    const { failures } = parseInputs(inputsSchema, { ...base, ikeConfig: { psk: bad } });
    expect(JSON.stringify(failures)).not.toContain(bad);
  });

  it("round-trips the resource id", () => {
    expect(parseResourceId(createResourceId("cn-shanghai", "vco-9"))).toEqual({
      region: "cn-shanghai",
      vpnConnectionId: "vco-9",
    });
    for (const bad of ["vco-9", "cn-shanghai:", "cn-shanghai/vco-9", "a:b:c"])
      expect(() => parseResourceId(bad)).toThrow(
        /is not a VpnConnectionConfig id: expected <region>:<vpnConnectionId>, e\.g\. .*Give the id in that form/,
      );
  });
});
