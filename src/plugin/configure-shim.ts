import type { ConfigSource } from "../config";
import { requireFromSdk } from "./sdk";

// The Node.js provider SDK's server (sdk/nodejs/provider/server.ts, `configure`, Pulumi 3.259) answers
// Configure without reading the request, and its Provider interface has no configure: a plugin built on it never
// sees its configuration (stack config `keylink:*` for the default provider, the inputs of an explicit
// `keylink` provider resource). This wraps the server's configure handler, as it is registered with gRPC, so that
// the request's variables reach `onConfigure` first. test/plugin/plugin.test.ts shows the configuration arriving.

interface ConfigureRequest {
  getVariablesMap(): { forEach(fn: (value: string, key: string) => void): void };
}
type Handler = (call: { request: ConfigureRequest }, callback: unknown) => unknown;
interface GrpcServer {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}

/**
 * The variables of a Configure request as keylink settings. The engine names them `keylink:<key>` (stack config)
 * or `keylink:config:<key>` (a provider resource's inputs, on some engine versions); both read as `keylink:<key>`.
 */
export function configSource(variables: Map<string, string>): ConfigSource {
  const byKey = new Map<string, string>();
  for (const [k, v] of variables) byKey.set(k.replace(/^keylink:config:/, "keylink:"), v);
  return { get: (key) => byKey.get(key) };
}

let installed = false;

export function installConfigureShim(onConfigure: (config: ConfigSource) => void): void {
  if (installed) return;
  installed = true;
  const grpc = requireFromSdk("@grpc/grpc-js") as { Server: { prototype: GrpcServer } };
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: GrpcServer, service, implementation) {
    const configure = implementation.configure as Handler | undefined;
    if (typeof configure === "function") {
      implementation.configure = function (
        this: unknown,
        call: { request: ConfigureRequest },
        callback: unknown,
      ) {
        const variables = new Map<string, string>();
        call.request.getVariablesMap().forEach((value, key) => variables.set(key, value));
        onConfigure(configSource(variables));
        return configure.call(implementation, call, callback);
      };
    }
    return addService.call(this, service, implementation);
  };
}
