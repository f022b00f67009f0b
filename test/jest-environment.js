// The Node test environment, letting through one kind of unhandled rejection. When a Pulumi run fails (e.g. a
// check failure at preview, which several tests expect), the CLI exits while the inline program's last
// registrations are in flight; the Pulumi runtime reads gRPC UNAVAILABLE or CANCELLED there as "the resource
// monitor is terminating" but still rejects, unhandled, in the test process, and Jest would fail whichever test
// runs next. Jest installs its handler when a file's run starts; this wraps it, once per file.
const { TestEnvironment } = require("jest-environment-node");

const GRPC_UNAVAILABLE = 14;
const GRPC_CANCELLED = 1;

class KeylinkTestEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name !== "run_start") return;
    const jestHandlers = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", (reason, promise) => {
      const code = reason && reason.code;
      if (code === GRPC_UNAVAILABLE || code === GRPC_CANCELLED) return;
      for (const handler of jestHandlers) handler(reason, promise);
    });
  }
}

module.exports = KeylinkTestEnvironment;
