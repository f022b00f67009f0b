import {
  ConfigurationError,
  DEFAULT_EMULATOR_URL,
  resolveSettings,
  setStackConfig,
} from "../../../src/config";
import { redact } from "../../../src/clouds/secrets";

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
];

const saved: Record<string, string | undefined> = {};
beforeAll(() => VARS.forEach((v) => (saved[v] = process.env[v])));
beforeEach(() => {
  VARS.forEach((v) => delete process.env[v]);
  setStackConfig(undefined);
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
  it("defaults to the emulator at the default URL with the test/test account", () => {
    expect(resolveSettings()).toEqual({
      target: "emulator",
      emulatorUrl: DEFAULT_EMULATOR_URL,
      alibaba: { accessKeyId: "test", secret: "test" },
      volcengine: { accessKeyId: "test", secret: "test" },
      tencent: { accessKeyId: "test", secret: "test" },
    });
    expect(DEFAULT_EMULATOR_URL).toBe("http://127.0.0.1:4577");
  });

  it("reads target, emulator URL (trailing slashes dropped) and each cloud's credentials from the environment", () => {
    Object.assign(process.env, ALL_ENV, {
      KEYLINK_TARGET: "cloud",
      KEYLINK_EMULATOR_URL: "http://localhost:9/",
    });
    expect(resolveSettings()).toEqual({
      target: "cloud",
      emulatorUrl: "http://localhost:9",
      alibaba: { accessKeyId: "LTAIenvid", secret: "ali-env-secret" },
      volcengine: { accessKeyId: "AKLTenvid", secret: "volc-env-secret" },
      tencent: { accessKeyId: "AKIDenvid", secret: "tc-env-secret" },
    });
  });

  it("accepts the older ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY names", () => {
    Object.assign(process.env, { ALICLOUD_ACCESS_KEY: "old-id", ALICLOUD_SECRET_KEY: "old-secret" });
    expect(resolveSettings().alibaba).toEqual({ accessKeyId: "old-id", secret: "old-secret" });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "new-id";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "new-secret";
    expect(resolveSettings().alibaba).toEqual({ accessKeyId: "new-id", secret: "new-secret" });
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
    expect(resolveSettings()).toEqual({
      target: "emulator",
      emulatorUrl: "http://stack:2",
      alibaba: { accessKeyId: "ali-stack-id", secret: "ali-stack-secret" },
      volcengine: { accessKeyId: "volc-stack-id", secret: "volc-stack-secret" },
      tencent: { accessKeyId: "tc-stack-id", secret: "tc-stack-secret" },
    });
    // An empty stack value counts as unset.
    stack({ "keylink:target": "", "keylink:tencentSecretId": "tc-stack-id" });
    const s = resolveSettings();
    expect(s.target).toBe("cloud");
    expect(s.tencent).toEqual({ accessKeyId: "tc-stack-id", secret: "tc-env-secret" });
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
    (label, cloud, others, idKey, secretKey, idEnv, secretEnv) => {
      for (const [k, v] of Object.entries(ALL_ENV))
        if (others.some((o) => k.startsWith(o))) process.env[k] = v;
      process.env.KEYLINK_TARGET = "cloud";
      let err: unknown;
      try {
        // Either when resolving or when reading that cloud's credentials.
        void resolveSettings()[cloud as "alibaba" | "volcengine" | "tencent"];
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

  it("target cloud with only an access key id (no secret) is still missing credentials", () => {
    Object.assign(process.env, ALL_ENV, { KEYLINK_TARGET: "cloud" });
    delete process.env.TENCENTCLOUD_SECRET_KEY;
    expect(() => resolveSettings().tencent).toThrow(/No Tencent Cloud credentials/);
  });

  it("target cloud needs only the credentials of the cloud being called", () => {
    // A program with only Alibaba resources must not have to configure Volcengine and Tencent keys.
    Object.assign(process.env, {
      KEYLINK_TARGET: "cloud",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenvid",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ali-env-secret",
    });
    expect(() => resolveSettings().alibaba).not.toThrow();
    expect(resolveSettings().alibaba).toEqual({ accessKeyId: "LTAIenvid", secret: "ali-env-secret" });
    expect(() => resolveSettings().volcengine).toThrow(ConfigurationError);
  });

  it.each(["Cloud", "aws", "emulator "])("rejects target '%s' naming the allowed values", (target) => {
    stack({ "keylink:target": target });
    expect(() => resolveSettings()).toThrow(ConfigurationError);
    expect(() => resolveSettings()).toThrow(`keylink:target is '${target}': use 'emulator'`);
    expect(() => resolveSettings()).toThrow(/'cloud'/);
  });
});
