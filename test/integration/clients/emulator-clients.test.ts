// Our real cloud clients against the emulator, started in-process: every client's signature is accepted, a
// wrong secret or an unknown key comes back as the cloud's auth error (a CloudError of class "auth" with a
// request id, not retried), an unknown action as the cloud's invalid-action error, and injected throttling is
// retried until the call succeeds.
import { startEmulator } from "../../../src/emulator";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { CloudError } from "../../../src/clouds/errors";
import { tencentClient, tencentLegacyClient } from "../../../src/clouds/tencent";
import { volcengineClient } from "../../../src/clouds/volcengine";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const CREDENTIAL_VARS = {
  alibaba: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
  volcengine: ["VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"],
  tencent: ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"],
} as const;
const ENV = [
  "KEYLINK_TARGET",
  "KEYLINK_EMULATOR_URL",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  ...Object.values(CREDENTIAL_VARS).flat(),
];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  ENV.forEach((k) => delete process.env[k]);
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emulator.url;
});
afterAll(async () => {
  await emulator?.close();
  ENV.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])));
});
beforeEach(async () => {
  await emulator.admin.reset();
  Object.values(CREDENTIAL_VARS)
    .flat()
    .forEach((k) => delete process.env[k]);
});

type CloudKey = keyof typeof CREDENTIAL_VARS;

/** One client per protocol, each with a read the emulator answers, an action it does not have, and its codes. */
interface Case {
  name: string;
  cloud: CloudKey;
  read: () => Promise<unknown>;
  readAction: string;
  check: (result: unknown) => void;
  unknown: () => Promise<unknown>;
  unknownCode: string;
  badSignatureCode: string;
  unknownKeyCode: string;
  throttleCode: string;
}

const CASES: Case[] = [
  {
    name: 'alibabaClient("vpc")',
    cloud: "alibaba",
    read: () => alibabaClient("vpc", "cn-hangzhou").call("DescribeVpnConnections", {}),
    readAction: "DescribeVpnConnections",
    check: (r) => expect(r).toMatchObject({ TotalCount: 0, RequestId: expect.any(String) }),
    unknown: () => alibabaClient("vpc", "cn-hangzhou").call("DescribeNothingAtAll", {}),
    unknownCode: "InvalidAction.NotFound",
    badSignatureCode: "SignatureDoesNotMatch",
    unknownKeyCode: "InvalidAccessKeyId.NotFound",
    throttleCode: "Throttling.User",
  },
  {
    name: 'alibabaClient("kms")',
    cloud: "alibaba",
    read: () =>
      alibabaClient("kms", "cn-hangzhou")
        .call<{ KeyMetadata: { KeyId: string } }>("CreateKey", { Origin: "EXTERNAL" })
        .then((k) => alibabaClient("kms", "cn-hangzhou").call("DescribeKey", { KeyId: k.KeyMetadata.KeyId })),
    readAction: "DescribeKey",
    check: (r) =>
      expect(r).toMatchObject({
        RequestId: expect.any(String),
        KeyMetadata: { KeyId: expect.any(String), Origin: "EXTERNAL" },
      }),
    unknown: () => alibabaClient("kms", "cn-hangzhou").call("DescribeNothingAtAll", {}),
    unknownCode: "InvalidAction.NotFound",
    badSignatureCode: "SignatureDoesNotMatch",
    unknownKeyCode: "InvalidAccessKeyId.NotFound",
    throttleCode: "Throttling.User",
  },
  {
    name: "volcengineClient",
    cloud: "volcengine",
    read: async () => {
      const c = volcengineClient("cn-beijing");
      await c.call("CreateKeyring", { KeyringName: "ring-1" });
      await c.call("CreateKey", { KeyringName: "ring-1", KeyName: "key-1" });
      return c.call("DescribeKey", { KeyringName: "ring-1", KeyName: "key-1" });
    },
    readAction: "DescribeKey",
    check: (r) => expect(r).toMatchObject({ Key: expect.objectContaining({ KeyName: "key-1" }) }),
    unknown: () => volcengineClient("cn-beijing").call("DescribeNothingAtAll", {}),
    unknownCode: "InvalidActionOrVersion",
    badSignatureCode: "SignatureDoesNotMatch",
    unknownKeyCode: "InvalidAccessKey",
    throttleCode: "Reject.Throttling.Action",
  },
  {
    name: "tencentClient",
    cloud: "tencent",
    read: () => tencentClient("ap-guangzhou").call("ListKeys", {}),
    readAction: "ListKeys",
    check: (r) => expect(r).toMatchObject({ TotalCount: 0, RequestId: expect.any(String) }),
    unknown: () => tencentClient("ap-guangzhou").call("DescribeNothingAtAll", {}),
    unknownCode: "InvalidAction",
    badSignatureCode: "AuthFailure.SignatureFailure",
    unknownKeyCode: "AuthFailure.SecretIdNotFound",
    throttleCode: "RequestLimitExceeded",
  },
  {
    name: "tencentLegacyClient",
    cloud: "tencent",
    // API 2.0 has only CreateKey (seed 004).
    read: () => tencentLegacyClient("ap-shanghai").call("CreateKey", { alias: "legacy-alias" }),
    readAction: "CreateKey",
    check: (r) =>
      expect(r).toMatchObject({
        code: 0,
        requestId: expect.any(String),
        keyMetadata: expect.objectContaining({ alias: "legacy-alias" }),
      }),
    unknown: () => tencentLegacyClient("ap-shanghai").call("DescribeNothingAtAll", {}),
    unknownCode: "4000",
    badSignatureCode: "4100",
    unknownKeyCode: "4100",
    // The legacy API's server-side codes (6xxx) are the only retryable ones it has.
    throttleCode: "6000",
  },
];

const caught = async (p: Promise<unknown>): Promise<CloudError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CloudError);
  return e as CloudError;
};

const entries = async (action: string) =>
  (await emulator.admin.requests()).entries.filter((e) => e.action === action);

const useCredentials = (cloud: CloudKey, id: string, secret: string): void => {
  const [idVar, secretVar] = CREDENTIAL_VARS[cloud];
  process.env[idVar] = id;
  process.env[secretVar] = secret;
};

describe.each(CASES)("$name against the emulator", (c) => {
  it("is accepted and answered", async () => {
    c.check(await c.read());
  });

  it("gets the cloud's invalid-action error for an unknown action, so the signature was accepted", async () => {
    const e = await caught(c.unknown());
    expect(e.code).toBe(c.unknownCode);
    expect(e.errorClass).toBe("invalid-input");
    expect(e.requestId).toEqual(expect.any(String));
    expect(await entries("DescribeNothingAtAll")).toHaveLength(1);
  });

  it("with a wrong secret is rejected with the cloud's signature error, class auth, not retried", async () => {
    useCredentials(c.cloud, "test", "wrong-secret-value");
    const e = await caught(c.unknown());
    expect(e).toMatchObject({ code: c.badSignatureCode, errorClass: "auth", requestId: expect.any(String) });
    expect(e.message).toContain(c.badSignatureCode);
    expect(e.message).toContain(e.requestId);
    expect(e.message).not.toContain("wrong-secret-value");
    expect(await entries("DescribeNothingAtAll")).toHaveLength(1);
  });

  it("with an unknown access key id is rejected with the cloud's unknown-key error", async () => {
    useCredentials(c.cloud, "AKIDnobody000", "some-secret-value");
    const e = await caught(c.unknown());
    expect(e).toMatchObject({ code: c.unknownKeyCode, errorClass: "auth", requestId: expect.any(String) });
    expect(await entries("DescribeNothingAtAll")).toHaveLength(1);
  });

  it("retries a dropped connection (a transient network error) and then succeeds", async () => {
    await emulator.admin.injectFault({ action: c.readAction, reset: true, count: 1 });
    c.check(await c.read());
    expect(await entries(c.readAction)).toHaveLength(2);
  });

  it(`retries injected throttling (${c.throttleCode} twice) and then succeeds`, async () => {
    await emulator.admin.injectFault({ action: c.readAction, code: c.throttleCode, count: 2 });
    c.check(await c.read());
    const calls = await entries(c.readAction);
    expect(calls.map((e) => e.code)).toEqual([c.throttleCode, c.throttleCode, undefined]);
  });
});
