// A VPN program of test/e2e/concurrent.e2e.test.ts: one VpnConnectionConfig on the connection stack config names
// (concurrent:vpnConnectionId), with its PSK from config. It manages the PSK and the encryption algorithms only,
// so that a person may change the other settings of the connection (its IKE lifetime) by hand.
import * as pulumi from "@pulumi/pulumi";
import { VpnConnectionConfig } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("concurrent");
  const conn = new VpnConnectionConfig("branch-ipsec", {
    region: "cn-hangzhou",
    vpnConnectionId: cfg.require("vpnConnectionId"),
    ikeConfig: { psk: cfg.requireSecret("psk"), ikeEncAlg: "aes256" },
    ipsecConfig: { ipsecEncAlg: "aes256" },
    restoreOnDelete: true,
  });
  return { vpnConnectionId: conn.vpnConnectionId };
};
