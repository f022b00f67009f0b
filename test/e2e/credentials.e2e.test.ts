// The demo stack through the real Pulumi CLI with no long-lived key anywhere: only an OIDC token file and each
// cloud's role settings in the environment. Every cloud's provider assumes its role through the emulator's STS
// (AssumeRoleWithOIDC, AssumeRoleWithWebIdentity), acts in the role's account (the demo's cloud objects exist
// only there), and the session tokens and temporary secrets appear neither in state nor in the CLI's output.
// The suite opens the stack of examples/demo itself (not startE2E, which gives the stack long-lived keys in
// config and the environment).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import {
  EXAMPLES_DIR,
  installPackageIntoExamples,
  openProject,
  type ProjectStack,
} from "../../scripts/engine";
import { testIdp } from "../support/oidc";
import { demoFixtures, demoFixturesOwnedBy } from "../support/fixtures";
import { expectNoSecrets } from "../support/e2e";

jest.setTimeout(600_000);

const ROLE_ACCOUNT = "2100000001";
const LONG_LIVED = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "VOLCENGINE_ACCESS_KEY",
  "VOLCENGINE_SECRET_KEY",
  "VOLC_ACCESSKEY",
  "VOLC_SECRETKEY",
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
];

const saved = { ...process.env };
let workDir: string;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let stack: ProjectStack;
const output: string[] = [];

interface StackProcess {
  command: string;
  variables: string[];
}

/**
 * Every process running with this stack's PULUMI_HOME (the CLI, the language host, the program, the dynamic
 * providers: each inherits it), with the names of its environment variables, from /proc.
 */
function stackProcesses(pulumiHome: string): StackProcess[] {
  const found: StackProcess[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (!environ.includes(`PULUMI_HOME=${pulumiHome}`)) continue;
      found.push({
        command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "),
        variables: environ.map((v) => v.slice(0, v.indexOf("="))),
      });
    } catch {
      // The process ended, or is not ours.
    }
  }
  return found;
}

/**
 * The demo fixtures with every cloud object owned by the roles' account: the built-in account sees none. The
 * role account has no access key at all (only demo.json's accounts are kept), so whatever acts in it used a
 * session.
 */
function demoFixturesInRoleAccount() {
  const owned = demoFixturesOwnedBy({ accessKeyId: "unused", secret: "unused", account: ROLE_ACCOUNT });
  return { ...owned, accounts: demoFixtures().accounts };
}

beforeAll(async () => {
  installPackageIntoExamples();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-e2e-credentials-"));
  const idp = testIdp();
  const provider = (id: string) => ({
    id,
    issuer: idp.issuer,
    audiences: [idp.audience],
    publicKeyPem: idp.publicKeyPem,
  });
  const role = (arn: string, providerId: string) => ({
    arn,
    oidcProviders: [providerId],
    maxSessionDurationSeconds: 7200,
  });
  const alibabaProvider = `acs:ram::${ROLE_ACCOUNT}:oidc-provider/ci`;
  const roles = {
    alibaba: `acs:ram::${ROLE_ACCOUNT}:role/deployer`,
    tencent: `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/deployer`,
    volcengine: `trn:iam::${ROLE_ACCOUNT}:role/deployer`,
  };
  emulator = await startEmulator({
    port: 0,
    stateFile: path.join(workDir, "emulator.json"),
    fixtures: {
      ...demoFixturesInRoleAccount(),
      alibabaSts: {
        roles: [role(roles.alibaba, alibabaProvider)],
        oidcProviders: [provider(alibabaProvider)],
      },
      tencentSts: { roles: [role(roles.tencent, "ci")], oidcProviders: [provider("ci")] },
      volcengineSts: { roles: [role(roles.volcengine, idp.issuer)], oidcProviders: [provider(idp.issuer)] },
    },
    durations: { vpnGatewayUpdate: 300, macsecTransition: 200, replicaCreate: 200 },
  });

  const tokenFile = path.join(workDir, "oidc-token");
  fs.writeFileSync(tokenFile, idp.token({ ttlSeconds: 3600 }));
  for (const name of LONG_LIVED) delete process.env[name];
  Object.assign(process.env, {
    KEYLINK_TARGET: "emulator",
    KEYLINK_EMULATOR_URL: emulator.url,
    ALIBABA_CLOUD_ROLE_ARN: roles.alibaba,
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: alibabaProvider,
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
    TKE_REGION: "ap-guangzhou",
    TKE_PROVIDER_ID: "ci",
    TKE_ROLE_ARN: roles.tencent,
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    VOLCENGINE_OIDC_ROLE_TRN: roles.volcengine,
    VOLCENGINE_OIDC_TOKEN_FILE: tokenFile,
    // No profile files either.
    HOME: workDir,
  });

  stack = await openProject({
    projectDir: path.join(EXAMPLES_DIR, "demo"),
    stackName: "e2e",
    workDir,
    emulatorUrl: emulator.url,
    config: {
      "demo:ckn": { value: randomBytes(32).toString("hex").toUpperCase() },
      "demo:cak": { value: randomBytes(32).toString("hex").toUpperCase(), secret: true },
      "demo:psk1": { value: randomBytes(12).toString("base64url"), secret: true },
      "demo:psk2": { value: randomBytes(12).toString("base64url"), secret: true },
      "demo:keyMaterial": { value: randomBytes(32).toString("base64"), secret: true },
    },
  });
});

afterAll(async () => {
  try {
    if (stack) await stack.destroy({ onOutput: (s) => output.push(s) });
  } finally {
    process.env = saved;
    await emulator?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

test("the demo deploys with an OIDC token file and role settings only, and no token reaches state or output", async () => {
  const stackConfig = await stack.getAllConfig();
  expect(Object.keys(stackConfig).filter((k) => /AccessKey|SecretId|SecretKey|Token/i.test(k))).toEqual([]);
  // The CLI runs with this process's environment and the stack's own (ProjectStack.cli): no long-lived key.
  const cliEnvironment = { ...process.env, ...stack.env };
  expect(LONG_LIVED.filter((name) => name in cliEnvironment)).toEqual([]);

  // While `up` runs, the environments of the processes it starts, the dynamic providers' among them.
  const seen = new Map<string, StackProcess>();
  const watch = setInterval(() => {
    for (const p of stackProcesses(stack.env.PULUMI_HOME)) seen.set(p.command, p);
  }, 100);
  const up = await stack.up({ onOutput: (s) => output.push(s) }).finally(() => clearInterval(watch));
  const processes = [...seen.values()];
  expect(processes.some((p) => p.command.includes("dynamic-provider"))).toBe(true);
  for (const p of processes)
    expect([p.command, LONG_LIVED.filter((n) => p.variables.includes(n))]).toEqual([p.command, []]);
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.appKeyId.value).toBeTruthy();

  const report = await emulator.admin.requests();
  expect(report.byCloudAction.alibaba?.AssumeRoleWithOIDC).toBeGreaterThanOrEqual(1);
  expect(report.byCloudAction.tencent?.AssumeRoleWithWebIdentity).toBeGreaterThanOrEqual(1);
  expect(report.byCloudAction.volcengine?.AssumeRoleWithOIDC).toBeGreaterThanOrEqual(1);
  // The new Tencent key belongs to the role's account: its calls acted there.
  const inventory = await emulator.admin.inventory<{ tencentKms: unknown }>();
  expect(JSON.stringify(inventory.tencentKms)).toContain(ROLE_ACCOUNT);

  // Every temporary credential the emulator issued, from its state file: none may appear anywhere.
  const state = JSON.parse(fs.readFileSync(path.join(workDir, "emulator.json"), "utf8")) as {
    sessions: Array<{ sessionToken: string; secret: string; account: string }>;
  };
  expect(state.sessions.length).toBeGreaterThanOrEqual(3);
  expect(new Set(state.sessions.map((s) => s.account))).toEqual(new Set([ROLE_ACCOUNT]));
  expectNoSecrets(
    [await stack.exportState(), ...output],
    state.sessions.flatMap((s) => [s.sessionToken, s.secret]),
  );
});
