import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { redact } from "../../clouds/secrets";
import { processMemory, setProcessMemory } from "../../common/process-memory";

// What the provider tells the user (a displaced active key, a deferred check, a move through a temporary alias)
// must reach the CLI as a Pulumi warning in every display mode. Inside the Node.js dynamic-provider host,
// pulumi.log has no engine connection (the host never gives the runtime one), so it falls back to console.warn:
// the CLI then shows the plugin's stderr as unstructured "info" text, not as a warning (no `warning:` in the
// `--json` events). The host is started with the engine's address as its last argument, and the engine serves
// its Log RPC there (the one pulumi.log uses in a program), so warnings are sent there directly. The provider
// plugin (pulumi-resource-keylink) has the same problem outside Construct, and gives its engine address here.

interface EngineLog {
  log(severity: "warning", message: string): Promise<void>;
}

/** The dynamic-provider host's entry module, from @pulumi/pulumi (cmd/dynamic-provider/index.js). */
function inProviderHost(): boolean {
  const main = require.main?.filename ?? process.argv[1] ?? "";
  return main.split(path.sep).join("/").includes("/cmd/dynamic-provider/");
}

/** A client of the engine's Log RPC, made with the modules of the @pulumi/pulumi that runs the host. */
function engineLog(address: string): EngineLog {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const load = <T>(id: string): T => require(require.resolve(id, { paths: [sdkDir] })) as T;
  const grpc = load<typeof import("@grpc/grpc-js")>("@grpc/grpc-js");
  const services = load<typeof import("@pulumi/pulumi/proto/engine_grpc_pb")>(
    path.join(sdkDir, "proto", "engine_grpc_pb"),
  );
  const messages = load<typeof import("@pulumi/pulumi/proto/engine_pb")>(
    path.join(sdkDir, "proto", "engine_pb"),
  );
  const client = new services.EngineClient(address, grpc.credentials.createInsecure());
  let last: Promise<void> = Promise.resolve();
  return {
    log(_severity, message) {
      const req = new messages.LogRequest();
      req.setSeverity(messages.LogSeverity.WARNING);
      req.setMessage(message);
      req.setUrn("");
      req.setStreamid(0);
      // One at a time, in order.
      last = last.then(
        () =>
          new Promise<void>((resolve) => {
            client.log(req, (err) => {
              if (err) console.warn(`warning: ${message}`);
              resolve();
            });
          }),
      );
      return last;
    },
  };
}

function engine(): EngineLog | undefined {
  return processMemory("engine-log", () => {
    const address = process.argv[process.argv.length - 1];
    return inProviderHost() && /:\d+$/.test(address ?? "") ? engineLog(address) : undefined;
  });
}

/** Sends this process's warnings to the engine at `address` (the provider plugin's start argument). */
export function sendWarningsToEngine(address: string): void {
  setProcessMemory<EngineLog | undefined>("engine-log", engineLog(address));
}

/**
 * Shows `message` (secrets scrubbed) as a Pulumi warning: through the engine inside the provider host, through
 * pulumi.log elsewhere (a program, a test). Resolves once delivered; never rejects.
 */
export async function warn(message: string): Promise<void> {
  const text = redact(message);
  const e = engine();
  if (e) return e.log("warning", text);
  await pulumi.log.warn(text);
}
