// Each cloud's credentials as users hold them, through the real clients against the emulator's STS: a session
// token from the environment, a profile file in a temporary HOME, an assumed role, an OIDC token file; tokens
// refreshed before they expire and after the cloud says they expired; the cloud's error, and what to fix, for an
// unknown role and a wrong OIDC token.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import os = require("node:os");
import { join } from "node:path";
import { startEmulator } from "../../../src/emulator";
import { setStackConfig } from "../../../src/config";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { tencentClient } from "../../../src/clouds/tencent";
import { volcengineClient } from "../../../src/clouds/volcengine";
import { alibabaCredentials } from "../../../src/clouds/alibaba-credentials";
import { tencentCredentials } from "../../../src/clouds/tencent-credentials";
import { volcengineCredentials } from "../../../src/clouds/volcengine-credentials";
import {
  type ChainSpec,
  type ResolvedCredentials,
  clearCredentialCache,
  resolveChain,
} from "../../../src/clouds/credentials";
import { CloudError } from "../../../src/clouds/errors";
import { type TestIdp, testIdp } from "../../support/oidc";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The account the roles live in; the emulator's built-in key `test` belongs to 1234567890. */
const ROLE_ACCOUNT = "2100000001";
const PROFILE_ACCOUNT = {
  accessKeyId: "AKLTprofileKey",
  secret: "profile-secret-4d7Hq",
  account: "2100000002",
};

interface CloudCase {
  cloud: "alibaba" | "tencent" | "volcengine";
  roleArn: string;
  providerId: (idp: TestIdp) => string;
  stsFixtureKey: "alibabaSts" | "tencentSts" | "volcengineSts";
  chain: () => ChainSpec;
  /** The role stack config for `arn`. */
  role: (arn: string) => Record<string, string>;
  /** One write through the real client; resolves to the account it acted in. */
  act: (emu: Emulator) => Promise<string>;
  writeAction: string;
  envToken: (c: ResolvedCredentials) => Record<string, string>;
  /** Writes the cloud's profile file under `home`; `c` is a temporary credential where the format has a token. */
  profile: (home: string, c: ResolvedCredentials) => void;
  oidcEnv: (tokenFile: string, roleArn: string) => Record<string, string>;
  oidcAction: string;
  unknownRoleCode: string;
  /** The cloud's code for a token that does not belong to the temporary key. */
  badTokenCode: string;
  roleKey: string;
  wrongTokenCode: string;
  tokenFileVar: string;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

const CASES: CloudCase[] = [
  {
    cloud: "alibaba",
    roleArn: `acs:ram::${ROLE_ACCOUNT}:role/deployer`,
    providerId: () => `acs:ram::${ROLE_ACCOUNT}:oidc-provider/ci`,
    stsFixtureKey: "alibabaSts",
    chain: () => alibabaCredentials(),
    role: (arn) => ({ "keylink:alibabaRoleArn": arn, "keylink:alibabaRoleDurationSeconds": "3600" }),
    act: async () => {
      const r = await alibabaClient("kms", "cn-hangzhou").call<{ KeyMetadata: { Creator: string } }>(
        "CreateKey",
        { Description: "credentials test" },
      );
      return r.KeyMetadata.Creator;
    },
    writeAction: "CreateKey",
    envToken: (c) => ({
      ALIBABA_CLOUD_ACCESS_KEY_ID: c.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.secret,
      ALIBABA_CLOUD_SECURITY_TOKEN: c.sessionToken!,
    }),
    profile: (home, c) => {
      mkdirSync(join(home, ".aliyun"), { recursive: true });
      writeFileSync(
        join(home, ".aliyun", "config.json"),
        JSON.stringify({
          current: "ci",
          profiles: [
            {
              name: "ci",
              mode: "StsToken",
              access_key_id: c.accessKeyId,
              access_key_secret: c.secret,
              sts_token: c.sessionToken,
              region_id: "cn-hangzhou",
            },
          ],
        }),
      );
    },
    oidcEnv: (tokenFile, roleArn) => ({
      ALIBABA_CLOUD_ROLE_ARN: roleArn,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: `acs:ram::${ROLE_ACCOUNT}:oidc-provider/ci`,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
    }),
    oidcAction: "AssumeRoleWithOIDC",
    unknownRoleCode: "EntityNotExist.Role",
    badTokenCode: "InvalidSecurityToken.MismatchWithAccessKey",
    roleKey: "keylink:alibabaRoleArn",
    wrongTokenCode: "AuthenticationFail.OIDCToken.Invalid",
    tokenFileVar: "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  },
  {
    cloud: "tencent",
    roleArn: `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/deployer`,
    providerId: () => "ci",
    stsFixtureKey: "tencentSts",
    chain: () => tencentCredentials(),
    role: (arn) => ({ "keylink:tencentRoleArn": arn, "keylink:tencentRoleDurationSeconds": "3600" }),
    act: async () => {
      const kms = tencentClient("ap-guangzhou");
      const created = await kms.call<{ KeyId: string }>("CreateKey", { Alias: `cred-${unique()}` });
      const d = await kms.call<{ KeyMetadata: { CreatorUin: string | number } }>("DescribeKey", {
        KeyId: created.KeyId,
      });
      return String(d.KeyMetadata.CreatorUin);
    },
    writeAction: "CreateKey",
    envToken: (c) => ({
      TENCENTCLOUD_SECRET_ID: c.accessKeyId,
      TENCENTCLOUD_SECRET_KEY: c.secret,
      TENCENTCLOUD_SESSION_TOKEN: c.sessionToken!,
    }),
    profile: (home, c) => {
      mkdirSync(join(home, ".tencentcloud"), { recursive: true });
      writeFileSync(
        join(home, ".tencentcloud", "credentials"),
        `[default]\nsecret_id = ${c.accessKeyId}\nsecret_key = ${c.secret}\ntoken = ${c.sessionToken}\n`,
      );
    },
    oidcEnv: (tokenFile, roleArn) => ({
      TKE_REGION: "ap-guangzhou",
      TKE_PROVIDER_ID: "ci",
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      TKE_ROLE_ARN: roleArn,
    }),
    oidcAction: "AssumeRoleWithWebIdentity",
    unknownRoleCode: "ResourceNotFound.RoleNotExist",
    badTokenCode: "AuthFailure.TokenFailure",
    roleKey: "keylink:tencentRoleArn",
    wrongTokenCode: "InvalidParameter.WebIdentityTokenError",
    tokenFileVar: "TKE_WEB_IDENTITY_TOKEN_FILE",
  },
  {
    cloud: "volcengine",
    roleArn: `trn:iam::${ROLE_ACCOUNT}:role/deployer`,
    providerId: (idp) => idp.issuer,
    stsFixtureKey: "volcengineSts",
    chain: () => volcengineCredentials(),
    role: (arn) => ({ "keylink:volcengineRoleTrn": arn, "keylink:volcengineRoleDurationSeconds": "3600" }),
    act: async (emu) => {
      const kms = volcengineClient("cn-beijing");
      const keyringName = `ring-${unique()}`;
      await kms.call("CreateKeyring", { KeyringName: keyringName });
      await kms.call("CreateKey", { KeyringName: keyringName, KeyName: "k1" });
      const inv = (await emu.admin.inventory()) as {
        volcengineKms: { accounts: Record<string, Record<string, { keyrings: string[] }>> };
      };
      // The account whose keyrings include the one just created.
      const owner = Object.entries(inv.volcengineKms.accounts).find(([, regions]) =>
        regions["cn-beijing"]?.keyrings.includes(keyringName),
      );
      if (!owner) throw new Error(`keyring ${keyringName} is in no account`);
      return owner[0];
    },
    writeAction: "CreateKeyring",
    envToken: (c) => ({
      VOLCENGINE_ACCESS_KEY: c.accessKeyId,
      VOLCENGINE_SECRET_KEY: c.secret,
      VOLCENGINE_SESSION_TOKEN: c.sessionToken!,
    }),
    // The Node SDK's ~/.volc/config holds a long-lived key only (no token field).
    profile: (home) => {
      mkdirSync(join(home, ".volc"), { recursive: true });
      writeFileSync(
        join(home, ".volc", "config"),
        JSON.stringify({
          VOLC_ACCESSKEY: PROFILE_ACCOUNT.accessKeyId,
          VOLC_SECRETKEY: PROFILE_ACCOUNT.secret,
        }),
      );
    },
    oidcEnv: (tokenFile, roleArn) => ({
      VOLCENGINE_OIDC_ROLE_TRN: roleArn,
      VOLCENGINE_OIDC_TOKEN_FILE: tokenFile,
    }),
    oidcAction: "AssumeRoleWithOIDC",
    unknownRoleCode: "RoleNotExist",
    badTokenCode: "InvalidSecurityToken",
    roleKey: "keylink:volcengineRoleTrn",
    wrongTokenCode: "InvalidOIDCToken",
    tokenFileVar: "VOLCENGINE_OIDC_TOKEN_FILE",
  },
];

const CREDENTIAL_VARS = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "ALICLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  "ALIBABA_CLOUD_PROFILE",
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
  "ALIBABA_CLOUD_CREDENTIALS_URI",
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "TENCENTCLOUD_SESSION_TOKEN",
  "TKE_REGION",
  "TKE_PROVIDER_ID",
  "TKE_WEB_IDENTITY_TOKEN_FILE",
  "TKE_ROLE_ARN",
  "VOLCENGINE_ACCESS_KEY",
  "VOLCENGINE_SECRET_KEY",
  "VOLCENGINE_SESSION_TOKEN",
  "VOLC_ACCESSKEY",
  "VOLC_SECRETKEY",
  "VOLCENGINE_OIDC_ROLE_TRN",
  "VOLCENGINE_OIDC_TOKEN_FILE",
];

let emu: Emulator;
let idp: TestIdp;
let home: string;
const saved = { ...process.env };

function fixtures(c: CloudCase) {
  return {
    accounts: [PROFILE_ACCOUNT],
    [c.stsFixtureKey]: {
      roles: [
        {
          arn: c.roleArn,
          trustedAccounts: ["1234567890"],
          oidcProviders: [c.providerId(idp)],
          maxSessionDurationSeconds: 7200,
        },
      ],
      oidcProviders: [
        {
          id: c.providerId(idp),
          issuer: idp.issuer,
          audiences: [idp.audience],
          publicKeyPem: idp.publicKeyPem,
        },
      ],
    },
  };
}

const stack = (values: Record<string, string> | undefined): void =>
  setStackConfig(values ? { get: (k: string) => values[k] } : undefined);

async function countOf(cloud: string, action: string): Promise<number> {
  return (await emu.admin.requests()).byCloudAction[cloud]?.[action] ?? 0;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  // Jest gives each test file its own copy of process.env: a HOME set here never reaches the real environment,
  // which os.homedir() reads. Outside Jest the two are one; this restores that for the libraries' profile files.
  jest.spyOn(os, "homedir").mockImplementation(() => process.env.HOME ?? "/");
  idp = testIdp();
  emu = await startEmulator({ port: 0 });
});

afterAll(async () => {
  process.env = saved;
  stack(undefined);
  await emu.close();
});

beforeEach(async () => {
  await emu.admin.reset();
  for (const v of CREDENTIAL_VARS) delete process.env[v];
  home = mkdtempSync(join(tmpdir(), "keylink-home-"));
  process.env.HOME = home;
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
  stack(undefined);
  clearCredentialCache();
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

describe.each(CASES)("$cloud credentials", (c) => {
  beforeEach(() => emu.admin.loadFixtures(fixtures(c)));

  /** Temporary credentials for the role, issued by the emulator's STS to the built-in key. */
  async function temporaryCredentials(): Promise<ResolvedCredentials> {
    stack(c.role(c.roleArn));
    const creds = await resolveChain(c.chain());
    stack(undefined);
    clearCredentialCache();
    expect(creds.sessionToken).toBeTruthy();
    return creds;
  }

  it("a session token from the environment acts in the role's account", async () => {
    const creds = await temporaryCredentials();
    Object.assign(process.env, c.envToken(creds));
    expect(await c.act(emu)).toBe(ROLE_ACCOUNT);
  });

  it("a session token that is not the key's fails with the cloud's error, which never shows it", async () => {
    const creds = await temporaryCredentials();
    const forged = `${creds.sessionToken!.slice(0, -8)}AAAAAAAA`;
    Object.assign(process.env, c.envToken({ ...creds, sessionToken: forged }));
    const err = await failure(c.act(emu));
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe(c.badTokenCode);
    for (const secret of [forged, creds.sessionToken!, creds.secret])
      expect(err.message).not.toContain(secret);
  });

  it("a profile file in HOME is used when nothing else is set", async () => {
    const creds = await temporaryCredentials();
    c.profile(home, creds);
    const account = await c.act(emu);
    expect(account).toBe(c.cloud === "volcengine" ? PROFILE_ACCOUNT.account : ROLE_ACCOUNT);
  });

  it("an assumed role (stack config) acts in the role's account", async () => {
    stack(c.role(c.roleArn));
    expect(await c.act(emu)).toBe(ROLE_ACCOUNT);
    expect(await countOf(c.cloud, "AssumeRole")).toBe(1);
  });

  it("an OIDC token file and role settings in the environment need no key at all", async () => {
    const tokenFile = join(home, "oidc-token");
    writeFileSync(tokenFile, idp.token());
    Object.assign(process.env, c.oidcEnv(tokenFile, c.roleArn));
    expect(await c.act(emu)).toBe(ROLE_ACCOUNT);
    expect(await countOf(c.cloud, c.oidcAction)).toBe(1);
  });

  it("a token that expires between two calls is renewed and the second call completes", async () => {
    stack(c.role(c.roleArn));
    expect(await c.act(emu)).toBe(ROLE_ACCOUNT);
    const writes = await countOf(c.cloud, c.writeAction);
    // The cloud's clock passes the token's expiry; the client's clock does not know.
    await emu.admin.advanceClock(2 * 3600_000);
    expect(await c.act(emu)).toBe(ROLE_ACCOUNT);
    expect(await countOf(c.cloud, "AssumeRole")).toBe(2);
    // The write met the expired token once, then went through with the new one.
    expect(await countOf(c.cloud, c.writeAction)).toBe(writes + 2);
  });

  it("a token close to its expiry is renewed before the call, which never meets an expired token", async () => {
    // Issued by a cloud whose clock is 58 minutes behind: the one-hour token expires two minutes from now.
    await emu.admin.advanceClock(-58 * 60_000);
    stack(c.role(c.roleArn));
    await c.act(emu);
    const assumed = await countOf(c.cloud, "AssumeRole");
    const writes = await countOf(c.cloud, c.writeAction);
    await c.act(emu);
    // Renewed for every call (the token is always within the refresh margin), never refused.
    expect(await countOf(c.cloud, "AssumeRole")).toBe(2 * assumed);
    expect(await countOf(c.cloud, c.writeAction)).toBe(writes + 1);
  });

  it("an unknown role fails with the cloud's error, naming the setting to fix", async () => {
    const unknown = c.roleArn.replace("deployer", "nobody");
    stack(c.role(unknown));
    const err = await failure(c.act(emu));
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe(c.unknownRoleCode);
    expect(err.message).toContain(c.roleKey);
    expect(err.message).toContain(unknown);
  });

  it("an OIDC token signed by another key fails with the cloud's error, naming the token file", async () => {
    const tokenFile = join(home, "oidc-token");
    const stranger = testIdp(idp.issuer, idp.audience);
    writeFileSync(tokenFile, idp.token({ key: stranger.privateKey }));
    Object.assign(process.env, c.oidcEnv(tokenFile, c.roleArn));
    const err = await failure(c.act(emu));
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe(c.wrongTokenCode);
    expect(err.message).toContain(c.tokenFileVar);
    expect(await countOf(c.cloud, c.writeAction)).toBe(0);
  });
});

describe("alibaba credentials URI", () => {
  const alibaba = CASES[0];

  it("ALIBABA_CLOUD_CREDENTIALS_URI served by the emulator gives the instance role's credentials", async () => {
    const sts = fixtures(alibaba).alibabaSts as Record<string, unknown>;
    await emu.admin.loadFixtures({ alibabaSts: { ...sts, instanceRole: alibaba.roleArn } });
    process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emu.url}/_emulator/instance-credentials/alibaba`;
    expect(await alibaba.act(emu)).toBe(ROLE_ACCOUNT);
  });

  it("without an instance role in the fixtures the endpoint answers 404, and the chain says which source failed", async () => {
    process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emu.url}/_emulator/instance-credentials/alibaba`;
    const err = await failure(alibaba.act(emu));
    expect(err.message).toMatch(/credentials URI/);
    expect(err.message).toMatch(/404/);
  });
});
