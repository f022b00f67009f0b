// `npm start`: deploys the demo stack (all five resources) against the local cloud emulator, then shows drift
// detection: it changes a setting out of band, runs `pulumi preview --refresh` to find it and
// `pulumi up --refresh` to repair it. State (the emulator's and Pulumi's) is kept in .keylink/demo, so a second
// run reports every resource unchanged. Nothing is left running.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { tencentClient } from "../src/clouds/tencent";
import { startEmulator } from "../src/emulator";
import { EXAMPLES_DIR, REPO_ROOT, ensurePulumiCli, installPackageIntoExamples, openStack } from "./engine";

const WORK_DIR = path.join(REPO_ROOT, ".keylink", "demo");

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

async function main(): Promise<void> {
  step("Preparing: Pulumi CLI, and the packed package installed into examples/node_modules");
  console.log(`Pulumi CLI: ${ensurePulumiCli()}`);
  installPackageIntoExamples();

  fs.mkdirSync(WORK_DIR, { recursive: true });
  const stateFile = path.join(WORK_DIR, "emulator-state.json");
  const emulator = await startEmulator({
    port: 0,
    stateFile,
    fixtures: path.join(EXAMPLES_DIR, "fixtures", "demo.json"),
    durations: { vpnGatewayUpdate: 1000, macsecTransition: 500, replicaCreate: 500 },
  });
  try {
    console.log(`Local cloud emulator at ${emulator.url} (state in ${path.relative(REPO_ROOT, stateFile)})`);
    // Our own clients (used below for the out-of-band change) talk to the same emulator.
    process.env.KEYLINK_TARGET = "emulator";
    process.env.KEYLINK_EMULATOR_URL = emulator.url;

    const { stack } = await openStack({
      example: "demo",
      stackName: "dev",
      workDir: WORK_DIR,
      emulatorUrl: emulator.url,
    });
    // The demo's secrets are generated once and kept, encrypted, in the stack configuration.
    const config = await stack.getAllConfig();
    const secrets: Record<string, string> = {
      "demo:ckn": randomBytes(32).toString("hex").toUpperCase(),
      "demo:cak": randomBytes(32).toString("hex").toUpperCase(),
      "demo:psk1": randomBytes(12).toString("base64url"),
      "demo:psk2": randomBytes(12).toString("base64url"),
      "demo:keyMaterial": randomBytes(32).toString("base64"),
    };
    for (const [key, value] of Object.entries(secrets)) {
      if (!config[key]) await stack.setConfig(key, { value, secret: key !== "demo:ckn" });
    }
    await stack.removeConfig("demo:appKeyDescription").catch(() => undefined);

    step("pulumi up: deploy the demo stack");
    const up = await stack.up({ onOutput: (s) => process.stdout.write(s) });
    const outputs = Object.fromEntries(
      Object.entries(up.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
    );
    console.log("Stack outputs:", JSON.stringify(outputs, null, 2));

    step("Out of band: someone edits the app key's description in the Tencent Cloud console");
    const appKeyId = String(up.outputs.appKeyId.value);
    await tencentClient("ap-guangzhou").call("UpdateKeyDescription", {
      KeyId: appKeyId,
      Description: "edited by hand in the console",
    });
    console.log(`UpdateKeyDescription(${appKeyId}) sent directly to the emulator's Tencent KMS API`);

    step("pulumi preview --refresh: the drift is found");
    const preview = await stack.preview({
      refresh: true,
      diff: true,
      onOutput: (s) => process.stdout.write(s),
    });
    console.log("Preview summary:", JSON.stringify(preview.changeSummary));

    step("pulumi up --refresh: the drift is repaired");
    const repair = await stack.up({ refresh: true, onOutput: (s) => process.stdout.write(s) });
    console.log("Update summary:", JSON.stringify(repair.summary.resourceChanges));
    console.log(`\nDone. Run 'npm start' again: the deploy step reports every resource unchanged.`);
  } finally {
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
