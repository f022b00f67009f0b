// How close one VPN change cycle comes to the gateway's update time (issue #13, goal 4), measured on the provider
// functions against an in-process emulator: N connections of one gateway are adopted, then all changed at once
// (as Pulumi runs them with --parallel ≥ N), and the cycle is the mean gap between consecutive accepted
// ModifyVpnConnectionAttribute calls on the gateway, over the emulator's vpnGatewayUpdate. The bench reports the
// same figure through the CLI (vpnCycleRatio); this one isolates the provider.
//
// --latency-ms adds that delay to every call (an emulator fault), as a remote cloud or a loaded machine does.
// --fresh forgets, before each round, how long the gateway's last change took, as a new `pulumi up` (a new
// provider process) starts without it.
//
//   node -r ts-node/register/transpile-only scripts/vpn-cycle.ts [--connections N] [--update-ms MS] [--rounds R]
//     [--latency-ms MS] [--fresh]
import { parseArgs } from "node:util";
import { forgetProcessMemory } from "../src/common/process-memory";
import { startEmulator } from "../src/emulator";
import * as provider from "../src/resources/vpn-connection-config/provider";

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: "string", default: "6" },
      "update-ms": { type: "string", default: "1000" },
      rounds: { type: "string", default: "3" },
      "latency-ms": { type: "string", default: "0" },
      fresh: { type: "boolean", default: false },
    },
  });
  const n = Number(values.connections);
  const updateMs = Number(values["update-ms"]);
  const rounds = Number(values.rounds);
  const latencyMs = Number(values["latency-ms"]);
  const emu = await startEmulator({ port: 0 });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
  try {
    await emu.admin.setDurations({ vpnGatewayUpdate: updateMs });
    const ids = Array.from({ length: n }, (_, i) => `vco-cycle${i + 1}`);
    await emu.admin.loadFixtures({
      alibabaVpc: {
        vpnGateways: [{ vpnGatewayId: "vpn-cycle", regionId: REGION }],
        vpnConnections: ids.map((vpnConnectionId) => ({ vpnConnectionId, vpnGatewayId: "vpn-cycle" })),
      },
    });
    const state: Array<{ id: string; outs: Props; inputs: Props }> = [];
    for (const vpnConnectionId of ids) {
      const checked = await provider.check(
        {},
        { region: REGION, vpnConnectionId, name: `${vpnConnectionId}-0` },
      );
      const inputs = checked.inputs as Props;
      const created = await provider.create(inputs);
      state.push({ id: created.id, outs: created.outs as Props, inputs });
    }
    if (latencyMs > 0) await emu.admin.injectFault({ latencyMs, probability: 1 });
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      await emu.admin.clearRequests();
      if (values.fresh) forgetProcessMemory("transition-ms");
      await Promise.all(
        state.map(async (s, i) => {
          const news = { ...s.inputs, name: `${ids[i]}-${round}` };
          const checked = await provider.check(s.inputs, news);
          const updated = await provider.update(s.id, s.outs, checked.inputs as Props);
          state[i] = { id: s.id, outs: updated.outs as Props, inputs: checked.inputs as Props };
        }),
      );
      const report = await emu.admin.requests();
      const arrivals = report.entries
        .filter((e) => e.action === "ModifyVpnConnectionAttribute" && e.code === undefined)
        .map((e) => e.at)
        .sort((a, b) => a - b);
      const reads = report.entries.filter((e) => /^Describe/.test(e.action)).length;
      const ratio = (arrivals[arrivals.length - 1] - arrivals[0]) / ((arrivals.length - 1) * updateMs);
      ratios.push(ratio);
      console.log(
        `round ${round}: ${arrivals.length} changes, cycle ${ratio.toFixed(3)} × vpnGatewayUpdate ` +
          `(${updateMs} ms, calls delayed ${latencyMs} ms), ${reads} reads (${(reads / n).toFixed(1)} per change)`,
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(`median cycle: ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} × vpnGatewayUpdate`);
  } finally {
    await emu.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
