// The plugin archive (scripts/plugin-archive.sh) as users outside Node.js get the plugin: installed with
// `pulumi plugin install resource keylink <version> --file <archive>`, then used by a Pulumi YAML stack with no
// `plugins` block, through up and destroy.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import { Project, REPO_ROOT, openProject, toolsBin } from "../plugin/project";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Bag = Record<string, unknown>;

jest.setTimeout(600_000);

const VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
let emu: Emulator;
let project: Project;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-archive-project-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: keylink-archive
runtime: yaml
resources:
  appKey:
    type: keylink:tencent:Cmk
    properties:
      region: ap-guangzhou
      alias: from-the-archive
outputs:
  keyState: \${appKey.keyState}
`,
  );
  project = await openProject({
    dir,
    bins: toolsBin("yaml"),
    config: { "keylink:emulatorUrl": { value: emu.url } },
  });
});

afterAll(async () => {
  project?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await emu?.close();
});

test("the archive installs with pulumi plugin install and serves a stack without a plugins block", async () => {
  const archive = execFileSync(
    "bash",
    [path.join(REPO_ROOT, "scripts", "plugin-archive.sh"), project.workDir],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  ).trim();
  await project.ok(["plugin", "install", "resource", "keylink", VERSION, "--file", archive], {
    stack: false,
  });
  expect(await project.ok(["plugin", "ls"], { stack: false })).toMatch(
    new RegExp(`keylink\\s+resource\\s+${VERSION}`),
  );
  await project.ok(["up", "--yes"]);
  const out = JSON.parse(await project.ok(["stack", "output", "--json"], { configFile: false })) as Bag;
  expect(out.keyState).toBe("Enabled");
  await project.ok(["destroy", "--yes"]);
});
