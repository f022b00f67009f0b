import {
  ConfigurationError,
  DEFAULT_EMULATOR_URL,
  resolveSettings,
  setStackConfig,
} from "../../../src/config";
import { redact } from "../../../src/clouds/secrets";
import { clearCredentialCache, resolveChain } from "../../../src/clouds/credentials";
import { alibabaCredentials } from "../../../src/clouds/alibaba-credentials";
import { tencentCredentials } from "../../../src/clouds/tencent-credentials";
import { volcengineCredentials } from "../../../src/clouds/volcengine-credentials";

const VARS = [
  "KEYLINK_TARGET",
  "KEYLINK_EMULATOR_URL",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "VOLCENGINE_ACCESS_KEY",
  "VOLCENGINE_SECRET_KEY",
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "TENCENTCLOUD_SESSION_TOKEN",
  "VOLCENGINE_SESSION_TOKEN",
  "HOME",
];

/** The access key a cloud's settings hold, without where it came from. */
const key = (c: { explicit?: { accessKeyId: string; secret: string } }) =>
  c.explicit && { accessKeyId: c.explicit.accessKeyId, secret: c.explicit.secret };

const saved: Record<string, string | undefined> = {};
beforeAll(() => VARS.forEach((v) => (saved[v] = process.env[v])));
beforeEach(() => {
  VARS.forEach((v) => delete process.env[v]);
  setStackConfig(undefined);
  clearCredentialCache();
});
afterAll(() => {
  VARS.forEach((v) => (saved[v] === undefined ? delete process.env[v] : (process.env[v] = saved[v])));
  setStackConfig(undefined);
});

const stack = (values: Record<string, string>): void => setStackConfig({ get: (key: string) => values[key] });

const ALL_ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenvid",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ali-env-secret",
  VOLCENGINE_ACCESS_KEY: "AKLTenvid",
  VOLCENGINE_SECRET_KEY: "volc-env-secret",
  TENCENTCLOUD_SECRET_ID: "AKIDenvid",
  TENCENTCLOUD_SECRET_KEY: "tc-env-secret",
};

describe("resolveSettings", () => {
  it("defaults to the emulator at the default URL, whose chain ends with the test/test account", async () => {
    const s = resolveSettings();
    expect(s).toMatchObject({ target: "emulator", emulatorUrl: DEFAULT_EMULATOR_URL });
    for (const c of [s.alibaba, s.volcengine, s.tencent])
      expect(c).toEqual({ explicit: undefined, role: undefined });
    expect(DEFAULT_EMULATOR_URL).toBe("http://127.0.0.1:4577");
    process.env.HOME = "/nonexistent-home";
    for (const chain of [alibabaCredentials(), volcengineCredentials(), tencentCredentials()]) {
      await expect(resolveChain(chain)).resolves.toMatchObject({ accessKeyId: "test", secret: "test" });
    }
  });

  it("reads target, emulator URL (trailing slashes dropped) and each cloud's credentials from the environment", () => {
    Object.assign(process.env, ALL_ENV, {
      KEYLINK_TARGET: "cloud",
      KEYLINK_EMULATOR_URL: "http://localhost:9/",
    });
    const s = resolveSettings();
    expect(s).toMatchObject({ target: "cloud", emulatorUrl: "http://localhost:9" });
    expect(s.alibaba.explicit).toEqual({
      accessKeyId: "LTAIenvid",
      secret: "ali-env-secret",
      source: "environment ALIBABA_CLOUD_ACCESS_KEY_ID",
    });
    expect(key(s.volcengine)).toEqual({ accessKeyId: "AKLTenvid", secret: "volc-env-secret" });
    expect(key(s.tencent)).toEqual({ accessKeyId: "AKIDenvid", secret: "tc-env-secret" });
  });

  it("accepts the older ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY names", () => {
    Object.assign(process.env, { ALICLOUD_ACCESS_KEY: "old-id", ALICLOUD_SECRET_KEY: "old-secret" });
    expect(key(resolveSettings().alibaba)).toEqual({ accessKeyId: "old-id", secret: "old-secret" });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "new-id";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "new-secret";
    expect(key(resolveSettings().alibaba)).toEqual({ accessKeyId: "new-id", secret: "new-secret" });
  });

  it("lets the stack configuration override the environment, key by key", () => {
    Object.assign(process.env, ALL_ENV, { KEYLINK_TARGET: "cloud", KEYLINK_EMULATOR_URL: "http://env:1" });
    stack({
      "keylink:target": "emulator",
      "keylink:emulatorUrl": "http://stack:2//",
      "keylink:alibabaAccessKeyId": "ali-stack-id",
      "keylink:alibabaAccessKeySecret": "ali-stack-secret",
      "keylink:volcengineAccessKey": "volc-stack-id",
      "keylink:volcengineSecretKey": "volc-stack-secret",
      "keylink:tencentSecretId": "tc-stack-id",
      "keylink:tencentSecretKey": "tc-stack-secret",
    });
    const all = resolveSettings();
    expect(all).toMatchObject({ target: "emulator", emulatorUrl: "http://stack:2" });
    expect(all.alibaba.explicit?.source).toBe("stack config keylink:alibabaAccessKeyId");
    expect(key(all.alibaba)).toEqual({ accessKeyId: "ali-stack-id", secret: "ali-stack-secret" });
    expect(key(all.volcengine)).toEqual({ accessKeyId: "volc-stack-id", secret: "volc-stack-secret" });
    expect(key(all.tencent)).toEqual({ accessKeyId: "tc-stack-id", secret: "tc-stack-secret" });
    // An empty stack value counts as unset.
    stack({ "keylink:target": "", "keylink:tencentSecretId": "tc-stack-id" });
    const s = resolveSettings();
    expect(s.target).toBe("cloud");
    expect(key(s.tencent)).toEqual({ accessKeyId: "tc-stack-id", secret: "tc-env-secret" });
  });

  it("reads session tokens (stack config, else environment) and registers them for redaction", () => {
    Object.assign(process.env, ALL_ENV, {
      ALIBABA_CLOUD_SECURITY_TOKEN: "ali-env-token-0123",
      VOLCENGINE_SESSION_TOKEN: "volc-env-token-0123",
    });
    stack({ "keylink:tencentSessionToken": "tc-stack-token-0123" });
    const s = resolveSettings();
    expect(s.alibaba.explicit?.sessionToken).toBe("ali-env-token-0123");
    expect(s.volcengine.explicit?.sessionToken).toBe("volc-env-token-0123");
    expect(s.tencent.explicit?.sessionToken).toBe("tc-stack-token-0123");
    expect(redact("ali-env-token-0123 volc-env-token-0123 tc-stack-token-0123")).toBe(
      "[secret] [secret] [secret]",
    );
  });

  it("reads a role to assume per cloud from stack config, with a default session name", () => {
    stack({
      "keylink:alibabaRoleArn": "acs:ram::1:role/deployer",
      "keylink:alibabaRoleSessionName": "ci",
      "keylink:alibabaRoleDurationSeconds": "1800",
      "keylink:alibabaRoleExternalId": "ext-id-0123",
      "keylink:volcengineRoleTrn": "trn:iam::2:role/deployer",
      "keylink:tencentRoleArn": "qcs::cam::uin/3:roleName/deployer",
    });
    const s = resolveSettings();
    expect(s.alibaba.role).toEqual({
      arn: "acs:ram::1:role/deployer",
      sessionName: "ci",
      durationSeconds: 1800,
      externalId: "ext-id-0123",
    });
    expect(s.volcengine.role).toEqual({
      arn: "trn:iam::2:role/deployer",
      sessionName: "pulumi-keylink",
      durationSeconds: undefined,
      externalId: undefined,
    });
    expect(s.tencent.role?.arn).toBe("qcs::cam::uin/3:roleName/deployer");
    expect(redact("ext-id-0123")).toBe("[secret]");
  });

  it("refuses a role duration under 900 seconds naming the key", () => {
    stack({
      "keylink:tencentRoleArn": "qcs::cam::uin/3:roleName/r",
      "keylink:tencentRoleDurationSeconds": "60",
    });
    expect(() => resolveSettings().tencent).toThrow(/keylink:tencentRoleDurationSeconds is '60'/);
  });

  it("is read at call time, not captured", () => {
    expect(resolveSettings().emulatorUrl).toBe(DEFAULT_EMULATOR_URL);
    process.env.KEYLINK_EMULATOR_URL = "http://127.0.0.1:1234";
    expect(resolveSettings().emulatorUrl).toBe("http://127.0.0.1:1234");
  });

  it("registers the credential secrets for redaction", () => {
    Object.assign(process.env, ALL_ENV);
    resolveSettings();
    expect(redact("ali-env-secret volc-env-secret tc-env-secret LTAIenvid")).toBe(
      "[secret] [secret] [secret] LTAIenvid",
    );
  });

  it.each([
    [
      "Alibaba Cloud",
      "alibaba",
      ["VOLCENGINE", "TENCENTCLOUD"],
      "alibabaAccessKeyId",
      "alibabaAccessKeySecret",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ],
    [
      "Volcengine",
      "volcengine",
      ["ALIBABA", "TENCENTCLOUD"],
      "volcengineAccessKey",
      "volcengineSecretKey",
      "VOLCENGINE_ACCESS_KEY",
      "VOLCENGINE_SECRET_KEY",
    ],
    [
      "Tencent Cloud",
      "tencent",
      ["ALIBABA", "VOLCENGINE"],
      "tencentSecretId",
      "tencentSecretKey",
      "TENCENTCLOUD_SECRET_ID",
      "TENCENTCLOUD_SECRET_KEY",
    ],
  ])(
    "target cloud without %s credentials fails naming the config keys and environment variables",
    async (label, cloud, others, idKey, secretKey, idEnv, secretEnv) => {
      for (const [k, v] of Object.entries(ALL_ENV))
        if (others.some((o) => k.startsWith(o))) process.env[k] = v;
      process.env.KEYLINK_TARGET = "cloud";
      process.env.HOME = "/nonexistent-home";
      // No instance-metadata server here: the chain must not wait for one.
      process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
      const chain = {
        alibaba: alibabaCredentials,
        volcengine: volcengineCredentials,
        tencent: tencentCredentials,
      };
      let err: unknown;
      try {
        await resolveChain(chain[cloud as keyof typeof chain]());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      const message = (err as Error).message;
      expect(message).toContain(`No ${label} credentials`);
      for (const name of [`keylink:${idKey}`, `keylink:${secretKey}`, idEnv, secretEnv])
        expect(message).toContain(name);
      expect(message).toContain("--secret");
    },
  );

  it("an access key id without its secret is no access key", () => {
    Object.assign(process.env, ALL_ENV, { KEYLINK_TARGET: "cloud" });
    delete process.env.TENCENTCLOUD_SECRET_KEY;
    expect(resolveSettings().tencent.explicit).toBeUndefined();
  });

  it("target cloud needs only the credentials of the cloud being called", () => {
    // A program with only Alibaba resources must not have to configure Volcengine and Tencent keys.
    Object.assign(process.env, {
      KEYLINK_TARGET: "cloud",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenvid",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ali-env-secret",
    });
    expect(key(resolveSettings().alibaba)).toEqual({ accessKeyId: "LTAIenvid", secret: "ali-env-secret" });
    expect(resolveSettings().volcengine).toEqual({ explicit: undefined, role: undefined });
  });

  it.each(["Cloud", "aws", "emulator "])("rejects target '%s' naming the allowed values", (target) => {
    stack({ "keylink:target": target });
    expect(() => resolveSettings()).toThrow(ConfigurationError);
    expect(() => resolveSettings()).toThrow(`keylink:target is '${target}': use 'emulator'`);
    expect(() => resolveSettings()).toThrow(/'cloud'/);
  });
});
