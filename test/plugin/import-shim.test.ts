// The import shim (src/plugin/import-shim.ts): `pulumi import` sends a Read without properties, which the
// Node.js provider SDK's server dereferences. A minimal plugin on the SDK shows both sides: without the shim the
// SDK still fails (when it stops failing, the shim is no longer needed: remove it), with it the read runs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine, PluginProcess, startPlugin, urnOf } from "./grpc-client";

const REPO = path.resolve(__dirname, "..", "..");
const SHIM = path.join(REPO, "dist", "plugin", "import-shim.js");
let dir: string;
let script: string;

beforeAll(() => {
  if (!fs.existsSync(SHIM)) throw new Error("dist/ is missing: run 'npm run build' first");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-import-shim-"));
  script = path.join(dir, "plugin.js");
  fs.writeFileSync(
    script,
    `const provider = require(require.resolve("@pulumi/pulumi/provider", { paths: [${JSON.stringify(REPO)}] }));
if (process.argv.includes("--shim")) require(${JSON.stringify(SHIM)}).installImportShim();
provider.main({ version: "0.0.1", read: async (id, urn, props) => ({ id, props: { given: JSON.stringify(props) } }) }, []);
`,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readWithoutProperties(
  args: string[],
): Promise<{ id: string; props: Record<string, unknown> }> {
  let plugin: PluginProcess | undefined;
  try {
    plugin = await startPlugin(script, process.env, args);
    return await new Engine(plugin.client).read(urnOf("keylink:tencent:Cmk", "imported"), "ap-guangzhou:k-1");
  } finally {
    await plugin?.close();
  }
}

test("without the shim, the SDK's server still fails a read with no properties (the shim is still needed)", async () => {
  await expect(readWithoutProperties([])).rejects.toThrow(
    "Cannot read properties of undefined (reading 'toJavaScript')",
  );
});

test("with the shim, a read with no properties reaches the provider with empty properties", async () => {
  const r = await readWithoutProperties(["--shim"]);
  expect(r).toEqual({ id: "ap-guangzhou:k-1", props: { given: "{}" } });
});
