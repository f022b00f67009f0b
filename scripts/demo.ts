// `npm start`: deploys the demo project (examples/demo, all five resources) against the local cloud emulator with
// `pulumi up` (its preview first, as every user's `pulumi up`), then shows drift detection: it changes a setting
// out of band, runs `pulumi preview --refresh` to find it and `pulumi up --refresh` to repair it. State (the
// emulator's, Pulumi's and the stack config file, in a copy of the project) is kept in .keylink/demo, so a second
// run reports every resource unchanged. Nothing is left running.
// Without a Node.js language host (a clone without ../shared and no Pulumi install), the same program runs inline
// through the Automation API instead, whose `up` skips the preview; the demo says so.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { tencentClient } from "../src/clouds/tencent";
import { startEmulator } from "../src/emulator";
import {
  ConfigValue,
  EXAMPLES_DIR,
  REPO_ROOT,
  cliEnv,
  copyProject,
  ensurePulumiCli,
  findLanguageHost,
  installPackageIntoExamples,
  openProject,
} from "./engine";

const WORK_DIR = path.join(REPO_ROOT, ".keylink", "demo");
const PROJECT = path.join(EXAMPLES_DIR, "demo");
const STACK = "dev";

/** What the demo does with a stack: the project's (scripts/engine.ts) and the Automation API's both offer it. */
interface DemoStack {
  getAllConfig(): Promise<Record<string, unknown>>;
  setConfig(key: string, value: ConfigValue): Promise<void>;
  removeConfig(key: string): Promise<void>;
  up(opts: { refresh?: boolean; onOutput: (s: string) => void }): Promise<{
    outputs: Record<string, { value: unknown; secret?: boolean }>;
    summary: { resourceChanges?: Record<string, number> };
  }>;
  preview(opts: {
    refresh?: boolean;
    diff?: boolean;
    onOutput: (s: string) => void;
  }): Promise<{ changeSummary: Record<string, number> }>;
}

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

/**
 * The fallback: the program of the same project copy (same project name, backend and stack config file, so the
 * state carries over once a language host is installed), run inline in this process.
 */
async function openInline(bin: string, emulatorUrl: string): Promise<DemoStack> {
  const projectDir = copyProject(PROJECT, WORK_DIR);
  const program = require(path.join(projectDir, "index.ts")) as () => Promise<Record<string, unknown>>;
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, projectName: "keylink-demo", program },
    {
      workDir: projectDir,
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(bin) }),
      envVars: cliEnv(bin, WORK_DIR),
    },
  );
  await stack.setConfig("keylink:target", { value: "emulator" });
  await stack.setConfig("keylink:emulatorUrl", { value: emulatorUrl });
  return stack;
}

async function main(): Promise<void> {
  step(
    "Preparing: Pulumi CLI and language host, and the packed package installed into examples/node_modules",
  );
  const bin = ensurePulumiCli();
  const host = findLanguageHost(bin);
  console.log(`Pulumi CLI: ${bin}; Node.js language host: ${host ?? "none"}`);
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

    let stack: DemoStack;
    if (host) {
      stack = await openProject({
        projectDir: PROJECT,
        stackName: STACK,
        workDir: WORK_DIR,
        emulatorUrl: emulator.url,
      });
    } else {
      console.log(
        "No pulumi-language-nodejs found (see scripts/pulumi-cli.sh): running examples/demo inline through the " +
          "Automation API instead, whose up skips the preview.",
      );
      stack = await openInline(bin, emulator.url);
    }
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
    if ("demo:appKeyDescription" in config) await stack.removeConfig("demo:appKeyDescription");

    step(`pulumi up: deploy the demo stack${host ? " (the preview runs first)" : ""}`);
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

    step("pulumi preview --refresh --diff: the drift is found");
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
