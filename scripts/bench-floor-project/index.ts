// The benchmark's floor stack (scripts/bench.ts): the same resources as the benchmark's stack (plan.json, same
// names and inputs), each a dynamic resource whose provider (echo-provider.ts) echoes its inputs, declared
// through this package's own stub (dynamicProvider) and resource base (KeylinkResource, which spares the SDK's
// promise stack traces as the package's resources do), with no network and nothing else. What the engine, the SDK
// and the dynamic-provider process cost for this many resources; the benchmark prints the package's times over
// this stack's. Stack config bench:vpnVariant changes every VPN connection's IKE lifetime, as in the
// benchmark's stack; the provider then takes each gateway's changes one at a time, for the update time.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "pulumi-keylink/dist/resources/common/resource.js";

/** scripts/bench.ts PlannedResource. */
interface Planned {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  gateway?: string;
}

const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8")) as {
  resources: Planned[];
  vpnGatewayUpdateMs: number;
};
const vpnVariant = new pulumi.Config("bench").getNumber("vpnVariant") ?? 0;

// Installed as a package by the benchmark (see echo-provider.ts), not imported from ./echo-provider: state
// records a provider in node_modules by name, a local one as its code.
const echo = require("keylink-bench-floor-echo") as pulumi.dynamic.ResourceProvider;

class Echo extends KeylinkResource {
  constructor(type: string, name: string, inputs: Record<string, unknown>) {
    super(echo, name, { ...inputs, floorId: name }, undefined, "keylinkfloor", type);
  }
}

for (const r of plan.resources) {
  if (r.type === "VpnConnectionConfig") {
    const ikeConfig = r.inputs.ikeConfig as { ikeLifetime: number };
    new Echo(r.type, r.name, {
      ...r.inputs,
      ikeConfig: { ...ikeConfig, ikeLifetime: ikeConfig.ikeLifetime + 600 * vpnVariant },
      floorGateway: r.gateway,
      floorGatewayUpdateMs: plan.vpnGatewayUpdateMs,
    });
  } else new Echo(r.type, r.name, r.inputs);
}
