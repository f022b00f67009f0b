// The program of test/e2e/unknown-inputs.e2e.test.ts: per resource type, one resource whose inputs come from
// another resource's outputs, which Pulumi does not know at preview. The upstream values come from outputs that
// only exist once a resource is created (a key id, a key's state), as another provider's outputs would. Stack
// config picks the case (unknown:case) and gives the secrets (CAKs, PSK, key material) as secrets.
import * as pulumi from "@pulumi/pulumi";
import {
  Cmk,
  ImportedKeyMaterial,
  MacsecKeyAssociation,
  ReplicaKey,
  VpnConnectionConfig,
} from "pulumi-keylink";

const HANGZHOU = "cn-hangzhou";
const GUANGZHOU = "ap-guangzhou";

/** `value` once `after` is known: an input that, like another resource's output, is unknown at preview. */
function once<T>(after: pulumi.Output<unknown>, value: pulumi.Input<T>): pulumi.Output<T> {
  return pulumi.all([after, value]).apply(([, v]) => v as T);
}

function replicaKey(cfg: pulumi.Config): Record<string, unknown> {
  const first = new ReplicaKey("first", {
    keyringName: "orders",
    keyName: "mrk-orders",
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-shanghai",
    description: cfg.require("replicaDescription"),
  });
  // A replica has its primary's ID and names.
  const byId = new ReplicaKey("by-id", {
    keyId: first.replicaKeyId,
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-guangzhou",
  });
  const byName = new ReplicaKey("by-name", {
    keyringName: "orders",
    keyName: first.trn.apply((trn) => trn.split("/").pop() as string),
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-hongkong",
  });
  return { byId: byId.replicaKeyId, byName: byName.replicaKeyId };
}

function cmk(): Record<string, unknown> {
  const base = new Cmk("base", { region: GUANGZHOU, alias: "base-key" });
  const derived = new Cmk("derived", {
    region: GUANGZHOU,
    alias: base.keyId.apply((id) => `derived-${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 8)}`),
    description: pulumi.interpolate`wraps the data keys of ${base.keyId}`,
  });
  return { derived: derived.alias };
}

function macsec(cfg: pulumi.Config): Record<string, unknown> {
  const first = new MacsecKeyAssociation("first", {
    region: HANGZHOU,
    physicalConnectionId: "pc-demo0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: "1F".repeat(32),
    cak: cfg.requireSecret("cak1"),
  });
  const standby = new MacsecKeyAssociation("standby", {
    region: HANGZHOU,
    physicalConnectionId: once(first.status, "pc-demo0001"),
    cipherSuite: "GCM-AES-XPN-256",
    ckn: "2E".repeat(32),
    cak: once(first.status, cfg.requireSecret("cak2")),
    active: false,
  });
  return { standby: standby.status };
}

function vpn(cfg: pulumi.Config): Record<string, unknown> {
  const key = new Cmk("psk-key", { region: GUANGZHOU, alias: "vpn-psk-key" });
  new VpnConnectionConfig("branch", {
    region: HANGZHOU,
    vpnConnectionId: once(key.keyState, "vco-demo0001"),
    // A secret output: the config secret, once the key exists.
    ikeConfig: { psk: once(key.keyId, cfg.requireSecret("psk")), ikeVersion: "ikev2" },
  });
  return {};
}

function importedKeyMaterial(cfg: pulumi.Config): Record<string, unknown> {
  const first = new ImportedKeyMaterial("first", {
    region: HANGZHOU,
    keyId: "key-byok-demo-0001",
    keyMaterial: cfg.requireSecret("material1"),
  });
  new ImportedKeyMaterial("second", {
    region: HANGZHOU,
    keyId: once(first.keyState, "key-byok-later-0002"),
    keyMaterial: cfg.requireSecret("material2"),
  });
  return {};
}

export = async () => {
  const cfg = new pulumi.Config("unknown");
  const name = cfg.require("case");
  switch (name) {
    case "replica-key":
      return replicaKey(cfg);
    case "cmk":
      return cmk();
    case "macsec-key-association":
      return macsec(cfg);
    case "vpn-connection-config":
      return vpn(cfg);
    case "imported-key-material":
      return importedKeyMaterial(cfg);
    default:
      throw new Error(`unknown:case: no case '${name}'`);
  }
};
