// The benchmark's stack (scripts/bench.ts): the resources its plan.json lists, which the benchmark generates for
// each stack size and writes beside this file in its copy of the project. Stack config: bench:vpnVariant changes
// every VPN connection's IKE lifetime; bench:chainPerGateway makes each VPN config dependsOn the previous one on its
// gateway. Secrets are deterministic stand-ins, so every run of the program asks for the same values.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  Cmk,
  ImportedKeyMaterial,
  MacsecKeyAssociation,
  ReplicaKey,
  VpnConnectionConfig,
} from "pulumi-keylink";

/** scripts/bench.ts StackPlan, with the regions it uses. */
interface Plan {
  alibabaRegion: string;
  volcenginePrimaryRegion: string;
  tencentRegion: string;
  gateways: { id: string; connections: string[] }[];
  physicalConnections: { id: string; keys: number }[];
  externalKeys: string[];
  primaries: { keyring: string; key: string; replicaRegions: string[] }[];
  cmks: number;
}

function digest(label: string): Buffer {
  return createHash("sha256").update(`keylink-bench:${label}`).digest();
}
const hex64 = (label: string) => digest(label).toString("hex").toUpperCase();

const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8")) as Plan;
const cfg = new pulumi.Config("bench");
const vpnVariant = cfg.getNumber("vpnVariant") ?? 0;
const chainPerGateway = cfg.getBoolean("chainPerGateway") ?? false;

for (const pc of plan.physicalConnections) {
  for (let i = 0; i < pc.keys; i++) {
    new MacsecKeyAssociation(`macsec-${pc.id}-${i + 1}`, {
      region: plan.alibabaRegion,
      physicalConnectionId: pc.id,
      cipherSuite: "GCM-AES-256",
      ckn: hex64(`ckn-${pc.id}-${i}`),
      cak: hex64(`cak-${pc.id}-${i}`),
      active: i === 0,
    });
  }
}
// A user's loop: gateway by gateway, connection by connection.
for (const g of plan.gateways) {
  let previous: VpnConnectionConfig | undefined;
  g.connections.forEach((id, i) => {
    previous = new VpnConnectionConfig(
      `ipsec-${id}`,
      {
        region: plan.alibabaRegion,
        vpnConnectionId: id,
        ikeConfig: {
          psk: digest(`psk-${id}`).subarray(0, 12).toString("base64url"),
          ikeVersion: "ikev2",
          ikeEncAlg: "aes256",
          ikeAuthAlg: "sha256",
          ikePfs: "group14",
          ikeLifetime: 28800 + 600 * vpnVariant,
        },
        ipsecConfig: {
          ipsecEncAlg: "aes256",
          ipsecAuthAlg: "sha256",
          ipsecPfs: "group14",
          ipsecLifetime: 3600,
        },
        enableDpd: true,
        // Half the connections go back to their earlier settings on destroy: destroy changes them too.
        restoreOnDelete: i % 2 === 0,
      },
      // With chainPerGateway, each connection waits for the previous one on its gateway in Pulumi's graph, so
      // changes queued on a gateway do not hold Pulumi's parallel slots.
      chainPerGateway && previous ? { dependsOn: [previous] } : undefined,
    );
  });
}
for (const keyId of plan.externalKeys) {
  new ImportedKeyMaterial(`material-${keyId}`, {
    region: plan.alibabaRegion,
    keyId,
    keyMaterial: digest(`material-${keyId}`).toString("base64"),
  });
}
for (const primary of plan.primaries) {
  for (const replicaRegion of primary.replicaRegions) {
    new ReplicaKey(`replica-${primary.key}-${replicaRegion}`, {
      keyringName: primary.keyring,
      keyName: primary.key,
      primaryRegion: plan.volcenginePrimaryRegion,
      replicaRegion,
      description: `${primary.key} in ${replicaRegion}`,
    });
  }
}
for (let i = 1; i <= plan.cmks; i++) {
  new Cmk(`cmk-${i}`, {
    region: plan.tencentRegion,
    alias: `bench-key-${i}`,
    description: `Benchmark key ${i}`,
  });
}
