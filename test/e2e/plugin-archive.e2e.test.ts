// The plugin archive (scripts/plugin-archive.sh) as users outside Node.js get the plugin: installed with
// `pulumi plugin install resource keylink <version> --file <archive>`, then used by a Pulumi YAML stack with no
// `plugins` block, through up and destroy; configured by an explicit `keylink` provider resource only.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import { type ProjectStack, REPO_ROOT, languageTools, openProject } from "../../scripts/engine";
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
let project: ProjectStack;
/** The project's source folder (the CLI runs a copy of it in workDir). */
let dir: string;
let workDir: string;
/** Everything the CLI printed, for secret searches. */
const output: string[] = [];

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
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-archive-"));
  project = await openProject({
    projectDir: dir,
    stackName: "e2e",
    workDir,
    tools: languageTools("yaml"),
    isolated: true,
    onOutput: (s) => output.push(s),
    config: { url: { value: emu.url }, tencentSecret: { value: ACCOUNT.secret, secret: true } },
  });
});

afterAll(async () => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await emu?.close();
});

test("the archive installs with pulumi plugin install and serves a stack without a plugins block", async () => {
  const archive = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-archive.sh"), workDir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  await project.check(["plugin", "install", "resource", "keylink", VERSION, "--file", archive], {
    stack: false,
  });
  expect((await project.check(["plugin", "ls"], { stack: false })).stdout).toMatch(
    new RegExp(`keylink\\s+resource\\s+${VERSION}`),
  );
  await project.check(["up", "--yes"]);
  const out = JSON.parse((await project.check(["stack", "output", "--json"])).stdout) as Bag;
  expect(out.keyState).toBe("Enabled");
  const log = await emu.admin.requests();
  expect(log.entries.some((e) => e.action === "CreateKey")).toBe(true);
  const exported = (await project.check(["stack", "export"])).stdout;
  expectNoSecrets([exported, ...output], [ACCOUNT.secret]);
  await project.check(["destroy", "--yes"]);
});
