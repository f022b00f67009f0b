// The SDKs our clients delegate signing to, checked against the clouds' published known-answer vectors
// (reference api-alibaba.md §4.6, api-volcengine-tencent.md §1.5 and §2.2). If an SDK upgrade changes how it
// signs, these fail before any emulator or cloud test does.
import RPCClient = require("@alicloud/pop-core");
import Signer from "@volcengine/openapi/lib/base/sign";
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign";
import { createHmac } from "node:crypto";
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { ALIBABA_RPC_VECTOR_PARAMS } from "../../support/signing-vectors";

interface Captured {
  method: string;
  url: string;
}

/** A local HTTP server that records each request and answers an Alibaba-style success body. */
async function captureServer(): Promise<{ server: Server; url: string; requests: Captured[] }> {
  const requests: Captured[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "" });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ RequestId: "req-vector" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

describe("Alibaba RPC signature as @alicloud/pop-core computes it", () => {
  let srv: Awaited<ReturnType<typeof captureServer>>;
  beforeAll(async () => {
    srv = await captureServer();
  });
  afterAll(() => new Promise<void>((resolve) => srv.server.close(() => resolve())));

  it("reproduces the ECS doc vector OLeaidS1JvxuMvnyHOwuJ+uX5qY= on the wire", async () => {
    const client = new RPCClient({
      accessKeyId: "testid",
      accessKeySecret: "testsecret",
      endpoint: srv.url,
      apiVersion: "2014-05-26",
    });
    await client.request("DescribeRegions", {
      Format: "XML",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      Timestamp: "2016-02-23T12:46:24Z",
    });
    expect(srv.requests).toHaveLength(1);
    const { method, url } = srv.requests[0];
    expect(method).toBe("GET");
    const query = new URL(url, srv.url).searchParams;
    expect(query.get("Signature")).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    expect(Object.fromEntries([...query].filter(([k]) => k !== "Signature"))).toEqual(
      ALIBABA_RPC_VECTOR_PARAMS,
    );
  });

  it("matches the documented string to sign", () => {
    const sts =
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
      "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
      "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";
    expect(createHmac("sha1", "testsecret&").update(sts).digest("base64")).toBe(
      "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    );
  });
});

describe("Volcengine signature as @volcengine/openapi computes it", () => {
  it("reproduces the official vector e31c4558… with lib/base/sign.js", () => {
    // The SDK's Service never puts `host` in the signed headers; driving its Signer directly with a Host
    // header reproduces the documented request (SignedHeaders host;x-date).
    const signer = new Signer(
      {
        method: "GET",
        region: "cn-beijing",
        pathname: "/",
        params: { Action: "ListUsers", Version: "2018-01-01", Limit: 10, Offset: 0 },
        headers: { Host: "iam.volcengineapi.com" },
      },
      "iam",
    );
    const credentials = {
      accessKeyId: "AKLTYWViMTVmZGYzM2E0NDI5Mzk2MDZjNjFmMjc2MjRjMzg",
      secretKey: "WkRZeE1EQmxPVGhsWWpWak5HVmtNbUUxTXpZeU9UVXlOMlE1TmpZeVlqTQ==",
    };
    signer.addAuthorization(credentials, new Date("2024-06-19T07:13:06Z"));
    expect(signer.canonicalString()).toBe(
      "GET\n/\nAction=ListUsers&Limit=10&Offset=0&Version=2018-01-01\nhost:iam.volcengineapi.com\n" +
        "x-date:20240619T071306Z\n\nhost;x-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(String(signer.getSigningKey(credentials, "20240619", "cn-beijing", "iam"))).toBe(
      "abee62e533a58934c49954459a3c3237d2fccea517c9a7c8a2651d8ea7779826",
    );
    expect(signer.request.headers["Authorization"]).toBe(
      "HMAC-SHA256 Credential=AKLTYWViMTVmZGYzM2E0NDI5Mzk2MDZjNjFmMjc2MjRjMzg/20240619/cn-beijing/iam/request, " +
        "SignedHeaders=host;x-date, Signature=e31c4558bcfe08a286001f59cedbf0791ffd0b2362f10e55ee2627467bcdde93",
    );
  });
});

describe("Tencent TC3-HMAC-SHA256 as tencentcloud-sdk-nodejs-common computes it", () => {
  // The documented body is this literal text (with \u escapes), so it is passed as bytes: the SDK would
  // otherwise re-serialize an object.
  const payload = Buffer.from(
    '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  );
  const sign = (secretKey: string): string =>
    Sign.sign3({
      method: "POST",
      url: "https://cvm.tencentcloudapi.com/",
      payload,
      timestamp: 1551113065,
      service: "cvm",
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
      secretKey,
      multipart: false,
      boundary: "",
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });

  it.each([
    ["Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"],
    ["Gu5t9xGARNpq86cd98joQYCN3*******", "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"],
  ])("reproduces the official vector for secret %s", (secretKey, signature) => {
    expect(sign(secretKey)).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA/2019-02-25/cvm/tc3_request, " +
        `SignedHeaders=content-type;host, Signature=${signature}`,
    );
  });
});
