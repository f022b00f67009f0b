// Our four cloud clients against a recording HTTP server: what they put on the wire (method, path, parameters,
// headers), that each signature verifies with the cloud's documented algorithm, and how each cloud's error
// envelope becomes a CloudError. Complements the emulator tests in emulator-clients.test.ts.
import { alibabaClient } from "../../../src/clouds/alibaba";
import { CloudError } from "../../../src/clouds/errors";
import { registerSecrets } from "../../../src/clouds/secrets";
import { tencentClient, tencentLegacyClient } from "../../../src/clouds/tencent";
import { volcengineClient } from "../../../src/clouds/volcengine";
import {
  alibabaParams,
  alibabaSignatureOk,
  CaptureServer,
  startCaptureServer,
  tencentLegacySignatureOk,
  tencentTc3SignatureOk,
  volcengineAuth,
  volcengineSignatureOk,
} from "./capture-server";

const ENV = [
  "KEYLINK_TARGET",
  "KEYLINK_EMULATOR_URL",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let srv: CaptureServer;
beforeAll(async () => {
  srv = await startCaptureServer({ body: {} });
  ENV.forEach((k) => delete process.env[k]);
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = srv.url;
});
afterAll(async () => {
  await srv.close();
  ENV.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])));
});
beforeEach(() => {
  srv.requests.length = 0;
  srv.script();
});

const caught = (p: Promise<unknown>): Promise<CloudError> =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(CloudError);
      return e as CloudError;
    },
  );

describe("alibabaClient on the wire", () => {
  it("POSTs a signed form to / with RegionId, version, flattened params and nothing empty", async () => {
    srv.fallback = { body: { RequestId: "r-1", VpnGateways: { VpnGateway: [] } } };
    const out = await alibabaClient("vpc", "cn-hangzhou").call(
      "DescribeVpnGateways",
      {
        VpnGatewayId: "vpn-1",
        Skip: undefined,
        Nothing: null,
        Tag: [{ Key: "team", Value: "net" }],
        TunnelOptionsSpecification: [{ TunnelIkeConfig: { IkeVersion: "ikev2" } }],
        EnableDpd: true,
        PageSize: 10,
      },
      { clientToken: "tok-1" },
    );
    expect(out).toEqual({ RequestId: "r-1", VpnGateways: { VpnGateway: [] } });
    expect(srv.requests).toHaveLength(1);
    const r = srv.requests[0];
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/");
    expect([...r.query]).toEqual([]);
    expect(r.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const p = alibabaParams(r);
    expect(p).toMatchObject({
      Action: "DescribeVpnGateways",
      Version: "2016-04-28",
      RegionId: "cn-hangzhou",
      AccessKeyId: "test",
      Format: "JSON",
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      VpnGatewayId: "vpn-1",
      "Tag.1.Key": "team",
      "Tag.1.Value": "net",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion": "ikev2",
      EnableDpd: "true",
      PageSize: "10",
      ClientToken: "tok-1",
    });
    expect(p.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(p)).not.toEqual(expect.arrayContaining(["Skip", "Nothing"]));
    expect(Object.values(p).join()).not.toMatch(/\[object Object\]|undefined/);
    expect(alibabaSignatureOk(r, "test")).toBe(true);
    expect(alibabaSignatureOk(r, "wrong")).toBe(false);
  });

  it("signs KMS calls with the KMS API version and the region", async () => {
    srv.fallback = { body: { RequestId: "r-2" } };
    await alibabaClient("kms", "cn-shanghai").call("DescribeKey", { KeyId: "key-1" });
    const p = alibabaParams(srv.requests[0]);
    expect(p).toMatchObject({
      Action: "DescribeKey",
      Version: "2016-01-20",
      RegionId: "cn-shanghai",
      KeyId: "key-1",
    });
    expect(alibabaSignatureOk(srv.requests[0], "test")).toBe(true);
  });

  it("returns integers over 15 digits as exact strings", async () => {
    srv.fallback = { body: '{"RequestId":"r-3","OwnerId":1234567890123456789,"Small":42}' };
    const out = await alibabaClient("vpc", "cn-hangzhou").call<Record<string, unknown>>("DescribeX", {});
    expect(out).toEqual({ RequestId: "r-3", OwnerId: "1234567890123456789", Small: 42 });
  });

  it("turns the POP error body into a CloudError with code, HTTP status and request id", async () => {
    srv.fallback = {
      status: 404,
      body: {
        RequestId: "R-404",
        HostId: "vpc.aliyuncs.com",
        Code: "InvalidAccessKeyId.NotFound",
        Message: "x",
      },
    };
    const e = await caught(alibabaClient("vpc", "cn-hangzhou").call("DescribeVpnGateways", {}));
    expect(e).toMatchObject({
      cloud: "alibaba",
      action: "DescribeVpnGateways",
      code: "InvalidAccessKeyId.NotFound",
      httpStatus: 404,
      requestId: "R-404",
      errorClass: "auth",
    });
    expect(e.message).toMatch(/InvalidAccessKeyId\.NotFound.*HTTP 404, request id R-404/);
    expect(srv.requests).toHaveLength(1);
  });

  it("treats a 5xx without a Code as an error, not a success", async () => {
    srv.fallback = { status: 503, body: { RequestId: "R-503", Message: "upstream busy" } };
    const e = await caught(
      alibabaClient("vpc", "cn-hangzhou").call("DescribeVpnGateways", {}, { retry: false }),
    );
    expect(e).toMatchObject({
      code: "HTTP503",
      httpStatus: 503,
      requestId: "R-503",
      errorClass: "transient",
    });
  });

  it("retries a throttled call with a fresh nonce and the same client token", async () => {
    srv.script(
      {
        status: 400,
        body: {
          RequestId: "T1",
          Code: "Throttling.User",
          Message: "Request was denied due to user flow control.",
        },
      },
      { status: 400, body: { RequestId: "T2", Code: "Throttling.User", Message: "again" } },
    );
    srv.fallback = { body: { RequestId: "OK" } };
    await expect(
      alibabaClient("vpc", "cn-hangzhou").call("ModifyVpnConnectionAttribute", {}, { clientToken: "same" }),
    ).resolves.toEqual({ RequestId: "OK" });
    expect(srv.requests).toHaveLength(3);
    const params = srv.requests.map(alibabaParams);
    expect(new Set(params.map((p) => p.SignatureNonce)).size).toBe(3);
    expect(params.map((p) => p.ClientToken)).toEqual(["same", "same", "same"]);
    srv.requests.forEach((r) => expect(alibabaSignatureOk(r, "test")).toBe(true));
  });

  it("keeps business secrets out of the URL and out of the error the cloud echoes them in", async () => {
    const psk = "psk-Zx81-secret-value";
    registerSecrets(psk);
    const ike = JSON.stringify({ Psk: psk, IkeVersion: "ikev2" });
    srv.fallback = {
      status: 400,
      body: {
        RequestId: "R-E",
        Code: "IllegalParam.IkeConfig",
        Message: `The param of IkeConfig ${ike} is illegal.`,
      },
    };
    const e = await caught(
      alibabaClient("vpc", "cn-hangzhou").call("ModifyVpnConnectionAttribute", { IkeConfig: ike }),
    );
    expect(srv.requests[0].query.toString()).toBe("");
    expect(alibabaParams(srv.requests[0]).IkeConfig).toBe(ike);
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(psk);
    expect(e.message).toContain("IllegalParam.IkeConfig");
  });
});

describe("volcengineClient on the wire", () => {
  it("POSTs JSON with Action and Version in the query, signed for its own region", async () => {
    srv.fallback = {
      body: { ResponseMetadata: { RequestId: "v-1", Action: "DescribeKey" }, Result: { Key: { ID: "k1" } } },
    };
    const out = await volcengineClient("cn-shanghai").call("DescribeKey", {
      KeyringName: "ring",
      KeyName: "key",
      Skip: undefined,
    });
    expect(out).toEqual({ Key: { ID: "k1" } });
    const r = srv.requests[0];
    expect(r.method).toBe("POST");
    expect(Object.fromEntries(r.query)).toEqual({ Action: "DescribeKey", Version: "2021-02-18" });
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({ KeyringName: "ring", KeyName: "key" });
    const auth = volcengineAuth(r);
    expect(auth).toMatchObject({ accessKeyId: "test", region: "cn-shanghai", service: "kms" });
    expect(auth.signedHeaders).toContain("x-date");
    expect(auth.signedHeaders).toContain("x-content-sha256");
    expect(volcengineSignatureOk(r, "test")).toBe(true);
    expect(volcengineSignatureOk(r, "wrong")).toBe(false);
  });

  it("sends GET calls with the parameters in the query", async () => {
    srv.fallback = { body: { ResponseMetadata: { RequestId: "v-2" }, Result: {} } };
    await volcengineClient("cn-beijing").call("DescribeKey", { KeyID: "k-1" }, { method: "GET" });
    const r = srv.requests[0];
    expect(r.method).toBe("GET");
    expect(Object.fromEntries(r.query)).toEqual({
      Action: "DescribeKey",
      Version: "2021-02-18",
      KeyID: "k-1",
    });
    expect(volcengineAuth(r).region).toBe("cn-beijing");
    expect(volcengineSignatureOk(r, "test")).toBe(true);
  });

  it("turns ResponseMetadata.Error into a CloudError with the request id", async () => {
    srv.fallback = {
      status: 401,
      body: {
        ResponseMetadata: {
          RequestId: "v-err",
          Action: "DescribeKey",
          Error: {
            CodeN: 100010,
            Code: "SignatureDoesNotMatch",
            Message: "The request signature we calculated...",
          },
        },
      },
    };
    const e = await caught(volcengineClient("cn-beijing").call("DescribeKey", {}));
    expect(e).toMatchObject({
      cloud: "volcengine",
      code: "SignatureDoesNotMatch",
      requestId: "v-err",
      errorClass: "auth",
    });
    expect(e.message).toContain("request id v-err");
  });

  it("an answer without ResponseMetadata is a transient MalformedResponse", async () => {
    srv.fallback = { status: 502, body: "<html>Bad Gateway</html>" };
    const e = await caught(volcengineClient("cn-beijing").call("DescribeKey", {}, { retry: false }));
    expect(e).toMatchObject({ code: "MalformedResponse", errorClass: "transient" });
  });
});

describe("tencentClient (API 3.0) on the wire", () => {
  it("POSTs JSON with the TC3 headers and a signature that verifies", async () => {
    srv.fallback = { body: { Response: { KeyMetadata: { KeyId: "k1" }, RequestId: "t-1" } } };
    const out = await tencentClient("ap-guangzhou").call("DescribeKey", { KeyId: "k1", Skip: undefined });
    expect(out).toEqual({ KeyMetadata: { KeyId: "k1" }, RequestId: "t-1" });
    const r = srv.requests[0];
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/");
    expect(JSON.parse(r.body)).toEqual({ KeyId: "k1" });
    expect(r.headers).toMatchObject({
      "x-tc-action": "DescribeKey",
      "x-tc-version": "2019-01-18",
      "x-tc-region": "ap-guangzhou",
    });
    expect(String(r.headers.authorization)).toMatch(/^TC3-HMAC-SHA256 Credential=test\//);
    expect(tencentTc3SignatureOk(r, "test")).toBe(true);
    expect(tencentTc3SignatureOk(r, "wrong")).toBe(false);
  });

  it("turns the HTTP 200 error envelope into a CloudError with the request id", async () => {
    srv.fallback = {
      body: {
        Response: {
          Error: { Code: "AuthFailure.SecretIdNotFound", Message: "no such id" },
          RequestId: "t-err",
        },
      },
    };
    const e = await caught(tencentClient("ap-guangzhou").call("DescribeKey", { KeyId: "k1" }));
    expect(e).toMatchObject({
      cloud: "tencent",
      code: "AuthFailure.SecretIdNotFound",
      requestId: "t-err",
      errorClass: "auth",
    });
  });

  it("retries RequestLimitExceeded", async () => {
    srv.script({
      body: { Response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "t-t" } },
    });
    srv.fallback = { body: { Response: { RequestId: "t-ok" } } };
    await expect(tencentClient("ap-guangzhou").call("DescribeKey", { KeyId: "k1" })).resolves.toEqual({
      RequestId: "t-ok",
    });
    expect(srv.requests).toHaveLength(2);
  });
});

describe("tencentLegacyClient (API 2.0) on the wire", () => {
  it("GETs /v2/index.php with the short region code and a signature that verifies", async () => {
    srv.fallback = { body: { code: 0, message: "", requestId: "l-1", keyMetadata: { keyId: "k1" } } };
    const out = await tencentLegacyClient("ap-shanghai").call("DescribeKey", {
      keyId: "k1",
      skip: undefined,
    });
    expect(out).toEqual({ code: 0, message: "", requestId: "l-1", keyMetadata: { keyId: "k1" } });
    const r = srv.requests[0];
    expect(r.method).toBe("GET");
    expect(r.path).toBe("/v2/index.php");
    const q = Object.fromEntries(r.query);
    expect(q).toMatchObject({
      Action: "DescribeKey",
      Region: "sh",
      SecretId: "test",
      SignatureMethod: "HmacSHA256",
      keyId: "k1",
    });
    expect(q).not.toHaveProperty("skip");
    expect(q.Timestamp).toMatch(/^\d{10}$/);
    expect(q.Nonce).toMatch(/^\d+$/);
    expect(tencentLegacySignatureOk(r, "test")).toBe(true);
    expect(tencentLegacySignatureOk(r, "wrong")).toBe(false);
  });

  it.each([
    [5000, "not-found"], // resource does not exist
    [5100, "fatal"], // resource operation failed: not a sign that the resource is gone
    [5400, "fatal"], // partly executed
    [6000, "transient"], // internal server error
    [4200, "auth"], // request expired
    [4000, "invalid-input"],
  ])("classifies legacy code %s as %s", async (code, errorClass) => {
    srv.fallback = { body: { code, message: "m", requestId: "l-c" } };
    const e = await caught(
      tencentLegacyClient("ap-shanghai").call("CreateKey", { alias: "a" }, { retry: false }),
    );
    expect(e.errorClass).toBe(errorClass);
  });

  it("turns a non-zero code into a CloudError with the numeric code and request id", async () => {
    srv.fallback = { body: { code: 4100, message: "鉴权失败", codeDesc: "AuthFailure", requestId: "l-err" } };
    const e = await caught(tencentLegacyClient("ap-shanghai").call("DescribeKey", { keyId: "k1" }));
    expect(e).toMatchObject({
      cloud: "tencent",
      code: "4100",
      requestId: "l-err",
      errorClass: "auth",
      httpStatus: 200,
    });
  });
});

describe("connections", () => {
  // Against the cloud a new connection is a TCP and a TLS handshake, and an idle socket left behind per call
  // piles up over a deployment's hundreds of calls.
  it("each client keeps its connections alive across its calls", async () => {
    const clients: Array<[string, unknown, () => Promise<unknown>]> = [
      [
        "alibaba",
        { RequestId: "r-1", VpnGateways: { VpnGateway: [] } },
        () => alibabaClient("vpc", "cn-hangzhou").call("DescribeVpnGateways", {}),
      ],
      [
        "volcengine",
        { ResponseMetadata: { RequestId: "v-1" }, Result: {} },
        () => volcengineClient("cn-beijing").call("DescribeKey", { KeyID: "k-1" }),
      ],
      [
        "tencent",
        { Response: { KeyMetadata: { KeyId: "k1" }, RequestId: "t-1" } },
        () => tencentClient("ap-guangzhou").call("DescribeKey", { KeyId: "k1" }),
      ],
      [
        "tencent legacy",
        { code: 0, message: "", requestId: "l-1", keyMetadata: { keyId: "k1" } },
        () => tencentLegacyClient("ap-shanghai").call("DescribeKey", { keyId: "k1" }),
      ],
    ];
    const opened: Record<string, number> = {};
    for (const [cloud, body, call] of clients) {
      srv.fallback = { body };
      const before = srv.connections;
      for (let i = 0; i < 6; i++) await call();
      opened[cloud] = srv.connections - before;
    }
    expect(srv.requests).toHaveLength(24);
    // Six calls one after another open one connection (none when an earlier call's is still open), or two for
    // Node's fetch under the legacy Tencent client (its pool opened a second in every run here); never six.
    expect(Object.entries(opened).filter(([, n]) => n > 2)).toEqual([]);
  });
});
