import { createRequire } from "node:module";

/**
 * Loads a module as the Pulumi Node.js SDK resolves it (its own google-protobuf and @grpc/grpc-js), so that the
 * shims patch the very classes its provider server uses.
 */
export const requireFromSdk = createRequire(require.resolve("@pulumi/pulumi"));
