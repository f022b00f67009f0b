import { requireFromSdk } from "./sdk";

// `pulumi import` sends a ReadRequest with an id and no properties. The Node.js provider SDK's server
// (sdk/nodejs/provider/server.ts, `read`, Pulumi 3.259 and still upstream) calls
// `req.getProperties().toJavaScript()` unguarded, so every import fails with "Cannot read properties of
// undefined (reading 'toJavaScript')" before the provider runs. This makes an absent properties field read as
// an empty Struct; test/plugin/import-shim.test.ts fails once the SDK no longer needs it, or if it stops working.

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface ReadRequest {
  getProperties(): Struct | undefined;
}

let installed = false;

export function installImportShim(): void {
  if (installed) return;
  installed = true;
  const { Struct } = requireFromSdk("google-protobuf/google/protobuf/struct_pb") as {
    Struct: new () => Struct;
  };
  const { ReadRequest } = requireFromSdk("@pulumi/pulumi/proto/provider_pb") as {
    ReadRequest: { prototype: ReadRequest };
  };
  const original = ReadRequest.prototype.getProperties;
  ReadRequest.prototype.getProperties = function (this: ReadRequest): Struct {
    return original.call(this) ?? new Struct();
  };
}
