// The plugin archive (scripts/plugin-archive.sh) as users outside Node.js get the plugin: installed with
// `pulumi plugin install resource keylink <version> --file <archive>`, then used by a Pulumi YAML stack with no
// `plugins` block, through up and destroy; configured by an explicit `keylink` provider resource only.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import { Project, REPO_ROOT, openProject, toolsBin } from "../plugin/project";
import { expectNoSecrets } from "../support/secrets";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Bag = Record<string, unknown>;

const ACCOUNT = {
  accessKeyId: "AKIDkeylinkArchive",
  secret: "archiveAccessSecret-8Jd2Wq5",
  account: "2100000004",
};

jest.setTimeout(600_000);

const VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
let emu: Emulator;
let project: Project;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fixtures: { accounts: [ACCOUNT] } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-archive-project-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: keylink-archive
runtime: yaml
config:
  url:
    type: string
  tencentSecret:
    type: string
    secret: true
resources:
  emulator:
    type: pulumi:providers:keylink
    properties:
      emulatorUrl: \${url}
      tencentSecretId: AKIDkeylinkArchive
      tencentSecretKey: \${tencentSecret}
  appKey:
    type: keylink:tencent:Cmk
    properties:
      region: ap-guangzhou
      alias: from-the-archive
    options:
      provider: \${emulator}
outputs:
  keyState: \${appKey.keyState}
`,
  );
  project = await openProject({
    dir,
    bins: toolsBin("yaml"),
    config: { url: { value: emu.url }, tencentSecret: { value: ACCOUNT.secret, secret: true } },
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
  const log = await emu.admin.requests();
  expect(log.entries.some((e) => e.action === "CreateKey")).toBe(true);
  const exported = await project.ok(["stack", "export"], { configFile: false });
  expectNoSecrets([exported, ...project.output], [ACCOUNT.secret]);
  await project.ok(["destroy", "--yes"]);
});
