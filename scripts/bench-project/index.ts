// The benchmark's stack (scripts/bench.ts): the resources its plan.json lists (type, name, inputs), which the
// benchmark generates for each stack size and writes beside this file in its copy of the project; the plugin
// stack of the benchmark deploys the same list from Pulumi YAML. Stack config: bench:vpnVariant changes every
// VPN connection's IKE lifetime; bench:chainPerGateway makes each VPN config dependsOn the previous one on its
// gateway; bench:adoptKeyIds ({ <Cmk name>: <key id> }) adopts existing keys (the soak runner's recovery after a
// kill, scripts/soak.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  Cmk,
  type CmkArgs,
  ImportedKeyMaterial,
  type ImportedKeyMaterialArgs,
  MacsecKeyAssociation,
  type MacsecKeyAssociationArgs,
  ReplicaKey,
  type ReplicaKeyArgs,
  VpnConnectionConfig,
  type VpnConnectionConfigArgs,
} from "pulumi-keylink";

/** scripts/bench.ts PlannedResource. */
interface Planned {
  type: "VpnConnectionConfig" | "MacsecKeyAssociation" | "ImportedKeyMaterial" | "ReplicaKey" | "Cmk";
  name: string;
  inputs: Record<string, unknown>;
  /** The VPN gateway of a VpnConnectionConfig. */
  gateway?: string;
}

const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8")) as {
  resources: Planned[];
};
const cfg = new pulumi.Config("bench");
const vpnVariant = cfg.getNumber("vpnVariant") ?? 0;
const chainPerGateway = cfg.getBoolean("chainPerGateway") ?? false;
const adoptKeyIds = cfg.getObject<Record<string, string>>("adoptKeyIds") ?? {};

// A user's loop: gateway by gateway, connection by connection (the plan lists them in that order).
const previousOnGateway = new Map<string, VpnConnectionConfig>();
for (const r of plan.resources) {
  switch (r.type) {
    case "MacsecKeyAssociation":
      new MacsecKeyAssociation(r.name, r.inputs as unknown as MacsecKeyAssociationArgs);
      break;
    case "VpnConnectionConfig": {
      const inputs = r.inputs as unknown as VpnConnectionConfigArgs & { ikeConfig: { ikeLifetime: number } };
      const previous = previousOnGateway.get(r.gateway ?? "");
      const config = new VpnConnectionConfig(
        r.name,
        {
          ...inputs,
          ikeConfig: { ...inputs.ikeConfig, ikeLifetime: inputs.ikeConfig.ikeLifetime + 600 * vpnVariant },
        },
        // With chainPerGateway, each connection waits for the previous one on its gateway in Pulumi's graph, so
        // changes queued on a gateway do not hold Pulumi's parallel slots.
        chainPerGateway && previous ? { dependsOn: [previous] } : undefined,
      );
      previousOnGateway.set(r.gateway ?? "", config);
      break;
    }
    case "ImportedKeyMaterial":
      new ImportedKeyMaterial(r.name, r.inputs as unknown as ImportedKeyMaterialArgs);
      break;
    case "ReplicaKey":
      new ReplicaKey(r.name, r.inputs as unknown as ReplicaKeyArgs);
      break;
    case "Cmk":
      new Cmk(r.name, { ...(r.inputs as unknown as CmkArgs), adoptKeyId: adoptKeyIds[r.name] });
      break;
  }
}
