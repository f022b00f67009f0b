// The demo stack: one of each pulumi-keylink resource against the local cloud emulator's demo fixtures
// (examples/fixtures/demo.json). Secrets come from stack config; `npm start` generates them on the first run.
import * as pulumi from "@pulumi/pulumi";
import {
  Cmk,
  ImportedKeyMaterial,
  MacsecKeyAssociation,
  ReplicaKey,
  VpnConnectionConfig,
} from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("demo");

  const linkKey = new MacsecKeyAssociation("dc1-uplink-key", {
    region: "cn-hangzhou",
    physicalConnectionId: "pc-demo0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: cfg.require("ckn"),
    cak: cfg.requireSecret("cak"),
  });

  const branches = ["vco-demo0001", "vco-demo0002"].map(
    (vpnConnectionId, i) =>
      new VpnConnectionConfig(`branch-${i + 1}-ipsec`, {
        region: "cn-hangzhou",
        vpnConnectionId,
        ikeConfig: {
          psk: cfg.requireSecret(`psk${i + 1}`),
          ikeVersion: "ikev2",
          ikeEncAlg: "aes256",
          ikeAuthAlg: "sha256",
          ikePfs: "group14",
          ikeLifetime: 28800,
        },
        ipsecConfig: {
          ipsecEncAlg: "aes256",
          ipsecAuthAlg: "sha256",
          ipsecPfs: "group14",
          ipsecLifetime: 3600,
        },
        enableDpd: true,
        restoreOnDelete: true,
      }),
  );

  const byok = new ImportedKeyMaterial("byok-material", {
    region: "cn-hangzhou",
    keyId: "key-byok-demo-0001",
    keyMaterial: cfg.requireSecret("keyMaterial"),
  });

  const replica = new ReplicaKey("orders-replica", {
    keyringName: "orders",
    keyName: "mrk-orders",
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-shanghai",
    description: "Orders key, Shanghai replica",
  });

  const appKey = new Cmk("app-data-key", {
    region: "ap-guangzhou",
    alias: "app-data-key",
    description: cfg.get("appKeyDescription") ?? "Encrypts application data",
    // Takes over an existing key instead of creating one: e.g. the key an interrupted `up` created before
    // Pulumi could record it (the next `up` names it in its error).
    adoptKeyId: cfg.get("appKeyAdoptId"),
  });

  return {
    macsecStatus: linkKey.status,
    vpnConnections: branches.map((b) => b.vpnConnectionId),
    byokKeyState: byok.keyState,
    replicaTrn: replica.trn,
    appKeyId: appKey.keyId,
    appKeyDescription: appKey.description,
  };
};
