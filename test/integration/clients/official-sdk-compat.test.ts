// Wire compatibility of the emulator with an official SDK that our clients do not use, so that the emulator is
// not merely compatible with our own clients: @alicloud/kms20160120 (1.x, on @alicloud/rpc-client, a dev
// dependency) signs RPC requests with its own code and sends them as GET with everything in the query, where
// our client (pop-core) POSTs a form.
import { startEmulator } from "../../../src/emulator";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  await emulator?.admin.reset();
});

// The SDK ships no usable types for this use; these are the parts used.
interface AlibabaKmsSdk {
  default: new (config: object) => {
    createKey(req: object): Promise<{ requestId: string; keyMetadata: { keyId: string; origin: string } }>;
    describeKey(req: object): Promise<{ requestId: string; keyMetadata: { keyId: string; origin: string } }>;
  };
  CreateKeyRequest: new (map: object) => object;
  DescribeKeyRequest: new (map: object) => object;
}
interface RpcClientModule {
  Config: new (map: object) => object;
}
interface SdkError {
  code?: string;
  message?: string;
  data?: { RequestId?: string };
}

describe("@alicloud/kms20160120 (1.x, GET) against the emulator", () => {
  const client = (secret = "test") => {
    const sdk = require("@alicloud/kms20160120") as AlibabaKmsSdk;
    const rpc = require("@alicloud/rpc-client") as RpcClientModule;
    return new sdk.default(
      new rpc.Config({
        accessKeyId: "test",
        accessKeySecret: secret,
        regionId: "cn-hangzhou",
        endpoint: new URL(emulator.url).host,
        protocol: "http",
      }),
    );
  };

  it("creates and describes a key", async () => {
    const sdk = require("@alicloud/kms20160120") as AlibabaKmsSdk;
    const created = await client().createKey(new sdk.CreateKeyRequest({ origin: "EXTERNAL" }));
    expect(created.keyMetadata.keyId).toEqual(expect.any(String));
    const described = await client().describeKey(
      new sdk.DescribeKeyRequest({ keyId: created.keyMetadata.keyId }),
    );
    expect(described.keyMetadata).toMatchObject({ keyId: created.keyMetadata.keyId, origin: "EXTERNAL" });
    expect(described.requestId).toEqual(expect.any(String));
  });

  it("gets SignatureDoesNotMatch with a wrong secret", async () => {
    const sdk = require("@alicloud/kms20160120") as AlibabaKmsSdk;
    const e = (await client("wrong-secret-value")
      .describeKey(new sdk.DescribeKeyRequest({ keyId: "k" }))
      .then(
        () => undefined,
        (err: unknown) => err,
      )) as SdkError | undefined;
    // rpc-client appends "Error" to the cloud's Code and puts status and request id in the message.
    expect(e?.code).toBe("SignatureDoesNotMatchError");
    expect(e?.message).toMatch(/code: 400, .* requestid: \S+/);
  });
});
