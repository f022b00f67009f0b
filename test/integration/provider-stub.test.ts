// `__provider`, the provider object Pulumi serializes into every dynamic resource's state (twice: inputs and
// outputs), through the SDK's own serializer as a Pulumi program runs it: the built package installed in a
// node_modules (dist/, as `npm run build` leaves it), required by name. It stays under 1 KB per copy, is a
// require() of the resource's dynamic.js and nothing of the package's code, and keeps the same text when the
// package is rebuilt with other code. The text, evaluated as the dynamic-provider host does, forwards to the
// provider module.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const RESOURCES = [
  "cmk",
  "imported-key-material",
  "macsec-key-association",
  "replica-key",
  "vpn-connection-config",
];

/** The serialized provider of each resource, from a fresh node process in `dir` (its node_modules). */
function serializeIn(dir: string): Record<string, string> {
  const script = `
    const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");
    (async () => {
      const out = {};
      for (const r of ${JSON.stringify(RESOURCES)}) {
        const provider = require("pulumi-keylink/dist/resources/" + r + "/dynamic.js");
        out[r] = (await serializeFunction(() => provider, { allowSecrets: true })).text;
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" }));
}

/** The package as a user's project has it: dist/ and package.json under node_modules, with the SDK beside it. */
function installCopy(): string {
  const dist = path.join(REPO_ROOT, "dist");
  if (!fs.existsSync(path.join(dist, "resources", "cmk", "dynamic.js")))
    throw new Error("dist/ is missing or stale: run 'npm run build' first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-provider-stub-"));
  const pkg = path.join(dir, "node_modules", "pulumi-keylink");
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.cpSync(dist, path.join(pkg, "dist"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
  fs.symlinkSync(
    path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
    path.join(dir, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  return dir;
}

let dir: string;
let texts: Record<string, string>;

beforeAll(() => {
  dir = installCopy();
  texts = serializeIn(dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(RESOURCES)("%s __provider", (resource) => {
  it("is at most 1 KB and requires the resource's dynamic.js, with none of the package's code", () => {
    const text = texts[resource];
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(1024);
    expect(text.match(/require\([^)]*\)/g)).toEqual([
      `require("pulumi-keylink/dist/resources/${resource}/dynamic.js")`,
    ]);
    for (const absent of ["safeParse", "zod", "check(", "create(", "configure", "credential", "emulator"])
      expect(text).not.toContain(absent);
  });
});

it("keeps its text when the package is rebuilt with other code", () => {
  const dist = path.join(dir, "node_modules", "pulumi-keylink", "dist");
  const changed = [
    path.join(dist, "index.js"),
    path.join(dist, "resources", "common", "stub.js"),
    ...RESOURCES.flatMap((r) =>
      ["provider.js", "dynamic.js", "index.js"].map((f) => path.join(dist, "resources", r, f)),
    ),
  ];
  for (const f of changed) fs.appendFileSync(f, `\nexports.rebuiltAt = ${Date.now()};\n`);
  expect(serializeIn(dir)).toEqual(texts);
});

it("evaluated as the dynamic-provider host does, forwards to the provider module", () => {
  // The host evaluates the text as a module and calls its handler (@pulumi/pulumi cmd/dynamic-provider).
  const script = `
    const requireFromString = require("require-from-string");
    const text = ${JSON.stringify(texts["macsec-key-association"])};
    const provider = requireFromString(text).handler();
    provider.check({}, { region: "cn-hangzhou" }).then((r) => process.stdout.write(JSON.stringify(r)));`;
  const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi");
  const result = JSON.parse(
    execFileSync(process.execPath, ["-e", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: path.join(fs.realpathSync(sdk), "..", "..") },
    }),
  ) as { failures?: { property: string }[] };
  expect(result.failures?.map((f) => f.property)).toEqual(
    expect.arrayContaining(["physicalConnectionId", "ckn"]),
  );
});
