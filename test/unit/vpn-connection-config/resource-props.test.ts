import * as pulumi from "@pulumi/pulumi";
import { resourceProps } from "../../../src/resources/vpn-connection-config/resource-props";

function settle(o: unknown): Promise<{ value: unknown; secret: boolean }> {
  const out = pulumi.output(o);
  return new Promise((resolve) =>
    pulumi.all([out, pulumi.isSecret(out)]).apply(([value, secret]) => resolve({ value, secret })),
  );
}

describe("VpnConnectionConfig resource arguments", () => {
  it("moves PSKs into the secret presharedKeys and keeps the other settings plain", async () => {
    const props = resourceProps({
      region: "cn-hangzhou",
      vpnConnectionId: "vco-1",
      ikeConfig: { psk: pulumi.secret("psk-one"), ikeEncAlg: "aes256" },
      tunnelOptionsSpecification: [
        { role: "master", tunnelIkeConfig: { psk: "psk-two", ikeLifetime: 60 } },
        { tunnelId: "tun-b", enableDpd: false },
      ],
    });
    expect(await settle(props.ikeConfig)).toEqual({ value: { ikeEncAlg: "aes256" }, secret: false });
    expect(await settle(props.tunnelOptionsSpecification)).toEqual({
      value: [
        { role: "master", tunnelIkeConfig: { ikeLifetime: 60 } },
        { tunnelId: "tun-b", enableDpd: false },
      ],
      secret: false,
    });
    expect(await settle(props.presharedKeys)).toEqual({
      value: { ikeConfig: "psk-one", tunnels: { master: "psk-two" } },
      secret: true,
    });
    expect(props.restoreOnDelete).toBe(false);
  });

  it("sends an empty secret presharedKeys without PSKs", async () => {
    const props = resourceProps({ region: "cn-hangzhou", vpnConnectionId: "vco-1", name: "n" });
    expect(props.ikeConfig).toBeUndefined();
    expect(await settle(props.presharedKeys)).toEqual({ value: {}, secret: true });
  });

  it("splits plain settings at once: plain objects out, the PSKs in one secret", async () => {
    const props = resourceProps({
      region: "cn-hangzhou",
      vpnConnectionId: "vco-1",
      ikeConfig: { psk: "psk-one", ikeEncAlg: "aes256" },
      tunnelOptionsSpecification: [{ role: "slave", tunnelIkeConfig: { psk: "psk-two", ikeLifetime: 60 } }],
      restoreOnDelete: true,
    });
    expect(props.ikeConfig).toEqual({ ikeEncAlg: "aes256" });
    expect(props.tunnelOptionsSpecification).toEqual([
      { role: "slave", tunnelIkeConfig: { ikeLifetime: 60 } },
    ]);
    expect(await settle(props.presharedKeys)).toEqual({
      value: { ikeConfig: "psk-one", tunnels: { slave: "psk-two" } },
      secret: true,
    });
    expect(props.restoreOnDelete).toBe(true);
  });

  it("waits for settings given as a promise or with an Output inside", async () => {
    const props = resourceProps({
      region: "cn-hangzhou",
      vpnConnectionId: "vco-1",
      ikeConfig: Promise.resolve({ psk: "psk-one", ikeEncAlg: "aes256" }),
      tunnelOptionsSpecification: [{ role: "master", tunnelIkeConfig: { psk: pulumi.output("psk-two") } }],
    });
    expect(pulumi.Output.isInstance(props.ikeConfig)).toBe(true);
    expect(await settle(props.ikeConfig)).toEqual({ value: { ikeEncAlg: "aes256" }, secret: false });
    expect(await settle(props.tunnelOptionsSpecification)).toEqual({
      value: [{ role: "master", tunnelIkeConfig: {} }],
      secret: false,
    });
    expect(await settle(props.presharedKeys)).toEqual({
      value: { ikeConfig: "psk-one", tunnels: { master: "psk-two" } },
      secret: true,
    });
  });
});
