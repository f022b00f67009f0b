// Contract: Tencent Cloud's official KMS client (tencentcloud-sdk-nodejs, kms v20190118; the provider uses only
// the common client) against every API 3.0 action the emulator models. Each answer is checked against the
// <Action>Response interface the SDK declares in kms_models.d.ts, read with the TypeScript compiler API: the
// SDK's types exist only as TypeScript, so they are taken from its own declaration file, not a hand-written list.
import * as path from "node:path";
import { kms } from "tencentcloud-sdk-nodejs/tencentcloud/services/kms";
import { startEmulator } from "../../src/emulator";
import { allModels } from "../../src/emulator/services";
import { TsModels, splitMismatches } from "./sdk-models";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Body = Record<string, unknown>;

const MODELS = new TsModels(
  path.join(
    path.dirname(require.resolve("tencentcloud-sdk-nodejs/tencentcloud/services/kms/v20190118/kms_client")),
    "kms_models.d.ts",
  ),
);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});

function client() {
  return new kms.v20190118.Client({
    credential: { secretId: "test", secretKey: "test" },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: new URL(emulator.url).host, protocol: "http://" } },
  });
}

const modeled = () =>
  Object.keys(
    allModels()
      .find((m) => m.key === "tencentKms")
      ?.actions("tencent-tc3") ?? {},
  ).sort();

const state: { keyId?: string } = {};
const keyId = () => state.keyId as string;
// One call per action, in an order that meets each one's precondition (a key disabled before it is deleted).
const calls: Array<[string, () => Body]> = [
  ["CreateKey", () => ({ Alias: "contract-key", Description: "contract" })],
  ["DescribeKey", () => ({ KeyId: keyId() })],
  ["DescribeKeys", () => ({ KeyIds: [keyId()] })],
  ["ListKeys", () => ({ Limit: 10 })],
  ["ListKeyDetail", () => ({ Limit: 10, MemberAccounts: [{ MemberUin: 1234567890 }] })],
  ["GetServiceStatus", () => ({})],
  ["ListAlgorithms", () => ({})],
  ["UpdateAlias", () => ({ KeyId: keyId(), Alias: "contract-key-2" })],
  ["UpdateKeyDescription", () => ({ KeyId: keyId(), Description: "changed" })],
  ["EnableKey", () => ({ KeyId: keyId() })],
  ["DisableKey", () => ({ KeyId: keyId() })],
  ["ScheduleKeyDeletion", () => ({ KeyId: keyId(), PendingWindowInDays: 7 })],
  ["CancelKeyDeletion", () => ({ KeyId: keyId() })],
];

describe("tencentcloud-sdk-nodejs kms v20190118 against every modeled API 3.0 action", () => {
  it("has a call for every action the emulator models", () => {
    expect(calls.map(([a]) => a).sort()).toEqual(modeled());
  });

  it.each(calls)("%s answers what the SDK's <Action>Response interface declares", async (action, request) => {
    const c = client() as unknown as Record<string, (req: Body) => Promise<Body>>;
    // The Tencent SDK names its methods as the actions.
    const body = await c[action].call(c, request());
    if (action === "CreateKey") state.keyId = body.KeyId as string;
    expect(body.RequestId).toEqual(expect.any(String));
    expect(MODELS.has(`${action}Response`)).toBe(true);
    const { wrongType, undeclared } = splitMismatches(MODELS.mismatches(body, `${action}Response`));
    expect(wrongType).toEqual([]);
    expect(undeclared).toEqual([]);
  });

  it("types KeyMetadata.CreatorUin as the integer the SDK declares", async () => {
    const body = (await client().DescribeKey({ KeyId: keyId() })) as unknown as { KeyMetadata: Body };
    expect(body.KeyMetadata.CreatorUin).toBe(1234567890);
  });
});
