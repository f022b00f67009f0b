// `pulumi import` of each of the five types through pulumi-resource-keylink, in a Pulumi YAML project: objects
// made out of band in the emulator (by the cloud clients, not by Pulumi) are read with their id alone, the code
// Pulumi generates goes into the program (plus the secrets the cloud never returns, which the import asks for by
// name), and the preview then has no change.
import { demoFixturesOwnedBy } from "../support/fixtures";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tencentClient } from "../../src/clouds/tencent";
import { startEmulator } from "../../src/emulator";
import * as importedKeyMaterial from "../../src/resources/imported-key-material/provider";
import * as macsec from "../../src/resources/macsec-key-association/provider";
import * as replicaKey from "../../src/resources/replica-key/provider";
import { type ProjectStack, REPO_ROOT, languageTools, openProject } from "../../scripts/engine";
import { expectNoSecrets } from "../support/secrets";
import { useAccountInProcess, credentialsConfig } from "../support/accounts";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const ACCOUNT = {
  accessKeyId: "AKIDkeylinkImport",
  secret: "importAccessSecret-3Vb9Nc5Rt",
  account: "2100000003",
};
const CKN = "7D".repeat(32);
const CAK = "9C".repeat(30) + "A0B1";
const KEY_MATERIAL = Buffer.from("keylink-import-e2e-material-0032").toString("base64");

jest.setTimeout(900_000);

let emu: Emulator;
let project: ProjectStack;
/** The project's source folder (the CLI runs a copy of it in workDir, project.projectDir). */
let dir: string;
let workDir: string;
/** Everything the CLI printed, for secret searches. */
const output: string[] = [];
const saved = { ...process.env };
const ids: Record<string, string> = {};

const HEADER = `name: keylink-import
runtime: yaml
plugins:
  providers:
    - name: keylink
      path: ${path.join(REPO_ROOT, "plugin")}
config:
  cak:
    type: string
    secret: true
  keyMaterial:
    type: string
    secret: true
`;

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    fixtures: demoFixturesOwnedBy(ACCOUNT),
    durations: { vpnGatewayUpdate: 200, macsecTransition: 100, replicaCreate: 100 },
  });
  useAccountInProcess(emu.url, ACCOUNT);
  await macsec.configure({ get: () => undefined });

  // Out of band: the clouds' own calls (here through our clients and provider modules, not through Pulumi).
  const key = await tencentClient("ap-guangzhou").call<{ KeyId: string }>("CreateKey", {
    Alias: "made-by-hand",
    Description: "Made in the console",
    KeyUsage: "ENCRYPT_DECRYPT",
    Type: 1,
  });
  ids.appKey = `ap-guangzhou:${key.KeyId}`;
  const link = {
    region: "cn-hangzhou",
    physicalConnectionId: "pc-demo0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: CKN,
    cak: CAK,
  };
  ids.uplinkKey = (await macsec.create((await macsec.check({}, link)).inputs as Record<string, unknown>)).id;
  const material = { region: "cn-hangzhou", keyId: "key-byok-demo-0001", keyMaterial: KEY_MATERIAL };
  ids.byokMaterial = (
    await importedKeyMaterial.create(
      (await importedKeyMaterial.check({}, material)).inputs as Record<string, unknown>,
    )
  ).id;
  const replica = {
    keyringName: "orders",
    keyName: "mrk-orders",
    primaryRegion: "cn-beijing",
    replicaRegion: "cn-shanghai",
  };
  ids.ordersReplica = (
    await replicaKey.create((await replicaKey.check({}, replica)).inputs as Record<string, unknown>)
  ).id;
  ids.branchIpsec = "cn-hangzhou:vco-demo0002";

  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-import-project-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${HEADER}resources: {}\n`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-import-"));
  project = await openProject({
    projectDir: dir,
    stackName: "e2e",
    workDir,
    emulatorUrl: emu.url,
    tools: languageTools("yaml"),
    isolated: true,
    onOutput: (s) => output.push(s),
    config: {
      ...credentialsConfig(ACCOUNT),
      cak: { value: CAK, secret: true },
      keyMaterial: { value: KEY_MATERIAL, secret: true },
    },
  });
});

afterAll(async () => {
  process.env = saved;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await emu?.close();
});

const TYPES: Record<string, string> = {
  appKey: "keylink:tencent:Cmk",
  uplinkKey: "keylink:alibaba:MacsecKeyAssociation",
  byokMaterial: "keylink:alibaba:ImportedKeyMaterial",
  ordersReplica: "keylink:volcengine:ReplicaKey",
  branchIpsec: "keylink:alibaba:VpnConnectionConfig",
};

/** Where the user supplies what the cloud never returns. */
const SUPPLIED: Record<string, string> = {
  uplinkKey: "cak: ${cak}",
  byokMaterial: "keyMaterial: ${keyMaterial}",
};

test("each type imports with its id alone; the generated code previews with no change", async () => {
  const generated: string[] = [];
  for (const [name, type] of Object.entries(TYPES)) {
    const out = path.join(workDir, `${name}.yaml`);
    const r = await project.cli(["import", type, name, ids[name], "--yes", "--protect=false", "--out", out]);
    if (r.code !== 0) throw new Error(`import ${type} failed:\n${r.stdout}\n${r.stderr}`);
    if (SUPPLIED[name]) {
      const field = SUPPLIED[name].split(":")[0];
      expect(r.stdout + r.stderr).toContain(`${field}: required, and the cloud never returns it`);
    }
    let code = fs.readFileSync(out, "utf8").replace(/^resources:\n/, "");
    // Pulumi writes a required input it could not read as "": the user puts the secret there.
    if (SUPPLIED[name]) code = code.replace(`${SUPPLIED[name].split(":")[0]}: ""`, SUPPLIED[name]);
    generated.push(code);
  }
  const program = path.join(project.projectDir, "Pulumi.yaml");
  fs.writeFileSync(program, `${HEADER}resources:\n${generated.join("")}`);
  const preview = await project.cli(["preview", "--expect-no-changes", "--diff"]);
  if (preview.code !== 0)
    throw new Error(
      `preview after import has changes:\n${fs.readFileSync(program, "utf8")}\n${preview.stdout}\n${preview.stderr}`,
    );
  const exported = (await project.check(["stack", "export"])).stdout;
  expectNoSecrets([exported, ...output], [CAK, KEY_MATERIAL, ACCOUNT.secret]);
});
