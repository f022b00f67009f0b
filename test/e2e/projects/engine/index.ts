// The program of test/e2e/engine.e2e.test.ts: the demo (demo.ts, a link to examples/demo/index.ts), one adopter
// of each resource type, and what the suite's current step declares through stack config:
// - engine:importOption: instead of all that, only a Cmk with Pulumi's `import` resource option;
// - engine:adoptKeyId: the Cmk adopter's adoptKeyId;
// - engine:invalid: one extra resource of that type with one invalid input.
// The objects to adopt and the invalid values come from config too (secrets as secrets).
import * as pulumi from "@pulumi/pulumi";
import {
  Cmk,
  ImportedKeyMaterial,
  MacsecKeyAssociation,
  ReplicaKey,
  VpnConnectionConfig,
} from "pulumi-keylink";
import demo = require("./demo");

const HANGZHOU = "cn-hangzhou";
const GUANGZHOU = "ap-guangzhou";

function invalidResource(cfg: pulumi.Config, type: string): void {
  switch (type) {
    case "MacsecKeyAssociation":
      // 32 hex characters: the -256 suites need 64.
      new MacsecKeyAssociation("invalid-macsec", {
        region: HANGZHOU,
        physicalConnectionId: "pc-adopt0001",
        cipherSuite: "GCM-AES-XPN-256",
        ckn: "AB".repeat(16),
        cak: cfg.requireSecret("adoptCak"),
      });
      break;
    case "MacsecKeyAssociation.cak":
      new MacsecKeyAssociation("invalid-macsec-cak", {
        region: HANGZHOU,
        physicalConnectionId: "pc-adopt0001",
        cipherSuite: "GCM-AES-XPN-256",
        ckn: "CD".repeat(32),
        cak: cfg.requireSecret("badCak"),
      });
      break;
    case "VpnConnectionConfig":
      new VpnConnectionConfig("invalid-vpn", {
        region: HANGZHOU,
        vpnConnectionId: "vco-demo0002",
        ikeConfig: { psk: cfg.requireSecret("badPsk") },
      });
      break;
    case "ImportedKeyMaterial":
      new ImportedKeyMaterial("invalid-material", {
        region: HANGZHOU,
        keyId: "key-byok-adopt-0001",
        keyMaterial: cfg.requireSecret("adoptMaterial"),
        expireAt: "2020-01-01T00:00:00Z",
      });
      break;
    case "ImportedKeyMaterial.keyMaterial":
      new ImportedKeyMaterial("invalid-material-size", {
        region: HANGZHOU,
        keyId: "key-byok-adopt-0001",
        keyMaterial: cfg.requireSecret("shortMaterial"),
      });
      break;
    case "ReplicaKey":
      new ReplicaKey("invalid-replica", {
        keyringName: "orders",
        keyName: "mrk orders!",
        primaryRegion: "cn-beijing",
        replicaRegion: "cn-guangzhou",
      });
      break;
    case "Cmk":
      new Cmk("invalid-cmk", { region: GUANGZHOU, alias: "kms-reserved" });
      break;
    default:
      throw new Error(`engine:invalid: unknown type '${type}'`);
  }
}

export = async () => {
  const cfg = new pulumi.Config("engine");
  const importOption = cfg.get("importOption");
  if (importOption) {
    new Cmk("imported", { region: GUANGZHOU, alias: "made-by-hand" }, { import: importOption });
    return {};
  }
  const outputs = await demo();
  const macsec = new MacsecKeyAssociation("adopted-macsec", {
    region: HANGZHOU,
    physicalConnectionId: "pc-adopt0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: cfg.require("adoptCkn"),
    cak: cfg.requireSecret("adoptCak"),
  });
  const material = new ImportedKeyMaterial("adopted-material", {
    region: HANGZHOU,
    keyId: "key-byok-adopt-0001",
    keyMaterial: cfg.requireSecret("adoptMaterial"),
  });
  const replica = new ReplicaKey("adopted-replica", {
    keyringName: "orders",
    keyName: "mrk-adopt",
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-shanghai",
  });
  const cmk = new Cmk("adopted-cmk", {
    region: GUANGZHOU,
    alias: "made-by-hand",
    description: "now managed by Pulumi",
    adoptKeyId: cfg.get("adoptKeyId"),
  });
  const invalid = cfg.get("invalid");
  if (invalid) invalidResource(cfg, invalid);
  return {
    ...outputs,
    adoptedMacsecStatus: macsec.status,
    adoptedMaterialState: material.keyState,
    adoptedReplicaId: replica.replicaKeyId,
    adoptedCmkId: cmk.keyId,
  };
};
