// Server-side verifiers against the clouds' published signature examples (reference api-alibaba.md §4.6,
// api-volcengine-tencent.md §1.5, §2.2, §2.3), then their error codes.
import { NonceCache } from "../../../src/emulator/nonces";
import {
  alibabaSign,
  alibabaStringToSign,
  authenticateAlibabaRpc,
} from "../../../src/emulator/signatures/alibaba-rpc";
import type { AuthEnv } from "../../../src/emulator/signatures/common";
import { sha256Hex } from "../../../src/emulator/signatures/common";
import {
  authenticateTencentLegacy,
  legacySign,
  legacyStringToSign,
} from "../../../src/emulator/signatures/tencent-legacy";
import {
  authenticateTc3,
  hostWithoutPort,
  parseTc3Authorization,
  tc3CanonicalRequest,
  tc3Sign,
  tc3StringToSign,
} from "../../../src/emulator/signatures/tencent-tc3";
import {
  authenticateVolcengine,
  parseVolcengineAuthorization,
  volcengineCanonicalRequest,
  volcengineSign,
  volcengineSigningKey,
} from "../../../src/emulator/signatures/volcengine";
import { codeOf } from "../../support/service-error";
import { ALIBABA_RPC_VECTOR_PARAMS, TENCENT_LEGACY_VECTOR_PARAMS } from "../../support/signing-vectors";

function env(accessKeyId: string, secret: string, nowMs: number): AuthEnv {
  return {
    lookup: (id) => (id === accessKeyId ? { secret, account: "acct-1" } : undefined),
    now: () => nowMs,
    wallNow: () => nowMs,
    nonces: new NonceCache(30 * 60_000),
  };
}

describe("Alibaba RPC (HMAC-SHA1)", () => {
  // The classic ECS DescribeRegions example; pop-core produces the same signature.
  const params = ALIBABA_RPC_VECTOR_PARAMS;
  const at = Date.parse("2016-02-23T12:50:00Z");
  const signed: Record<string, string> = { ...params, Signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" };

  it("reproduces the official string to sign and signature", () => {
    const sts = alibabaStringToSign("GET", params);
    expect(sts).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(alibabaSign("testsecret", sts)).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("accepts the signed example and returns the account", () => {
    expect(authenticateAlibabaRpc("GET", signed, env("testid", "testsecret", at))).toBe("acct-1");
  });

  it("signs with the method as received: the same parameters sent as POST do not verify", () => {
    expect(codeOf(() => authenticateAlibabaRpc("POST", signed, env("testid", "testsecret", at)))).toBe(
      "SignatureDoesNotMatch",
    );
  });

  it("rejects a wrong secret, an unknown key, a stale or malformed timestamp and a replayed nonce", () => {
    expect(codeOf(() => authenticateAlibabaRpc("GET", signed, env("testid", "other", at)))).toBe(
      "SignatureDoesNotMatch",
    );
    expect(codeOf(() => authenticateAlibabaRpc("GET", signed, env("someone", "testsecret", at)))).toBe(
      "InvalidAccessKeyId.NotFound",
    );
    expect(
      codeOf(() => authenticateAlibabaRpc("GET", signed, env("testid", "testsecret", at + 16 * 60_000))),
    ).toBe("InvalidTimeStamp.Expired");
    expect(
      codeOf(() =>
        authenticateAlibabaRpc("GET", { ...signed, Timestamp: "yesterday" }, env("testid", "testsecret", at)),
      ),
    ).toBe("InvalidTimeStamp.Format");
    const e = env("testid", "testsecret", at);
    expect(authenticateAlibabaRpc("GET", signed, e)).toBe("acct-1");
    expect(codeOf(() => authenticateAlibabaRpc("GET", signed, e))).toBe("SignatureNonceUsed");
  });

  it("does not burn a nonce on a request whose signature fails", () => {
    const e = env("testid", "testsecret", at);
    codeOf(() => authenticateAlibabaRpc("GET", { ...signed, Signature: "AAAA" }, e));
    expect(authenticateAlibabaRpc("GET", signed, e)).toBe("acct-1");
  });

  it("requires the signing parameters and HMAC-SHA1", () => {
    const noNonce = { ...signed };
    delete noNonce.SignatureNonce;
    expect(codeOf(() => authenticateAlibabaRpc("GET", noNonce, env("testid", "testsecret", at)))).toBe(
      "MissingSignatureNonce",
    );
    expect(
      codeOf(() =>
        authenticateAlibabaRpc(
          "GET",
          { ...signed, SignatureMethod: "HMAC-SHA256" },
          env("testid", "testsecret", at),
        ),
      ),
    ).toBe("IncompleteSignature");
  });
});

describe("Volcengine (HMAC-SHA256)", () => {
  const AK = "AKLTYWViMTVmZGYzM2E0NDI5Mzk2MDZjNjFmMjc2MjRjMzg";
  const SK = "WkRZeE1EQmxPVGhsWWpWak5HVmtNbUUxTXpZeU9UVXlOMlE1TmpZeVlqTQ==";
  const query: Array<[string, string]> = [
    ["Action", "ListUsers"],
    ["Version", "2018-01-01"],
    ["Limit", "10"],
    ["Offset", "0"],
  ];
  const headers: Record<string, string> = { host: "iam.volcengineapi.com", "x-date": "20240619T071306Z" };
  const header = (n: string) => headers[n];
  const at = Date.UTC(2024, 5, 19, 7, 13, 6);
  const SIGNATURE = "e31c4558bcfe08a286001f59cedbf0791ffd0b2362f10e55ee2627467bcdde93";
  const authorization = (signature: string, ak = AK) =>
    `HMAC-SHA256 Credential=${ak}/20240619/cn-beijing/iam/request, SignedHeaders=host;x-date, Signature=${signature}`;

  it("reproduces the official canonical request, signing key and signature", () => {
    const canonical = volcengineCanonicalRequest({
      method: "GET",
      path: "/",
      query,
      header,
      signedHeaders: ["host", "x-date"],
      payloadHash: sha256Hex(""),
    });
    expect(canonical).toBe(
      "GET\n/\nAction=ListUsers&Limit=10&Offset=0&Version=2018-01-01\nhost:iam.volcengineapi.com\n" +
        "x-date:20240619T071306Z\n\nhost;x-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256Hex(canonical)).toBe("5ed5bca3905e1fcbf789abb56a17c2d819674a3bcfa468ae476bd1ea80d135cb");
    expect(volcengineSigningKey(SK, "20240619", "cn-beijing", "iam").toString("hex")).toBe(
      "abee62e533a58934c49954459a3c3237d2fccea517c9a7c8a2651d8ea7779826",
    );
    const auth = { date: "20240619", region: "cn-beijing", service: "iam" };
    expect(volcengineSign(SK, auth, "20240619T071306Z", canonical)).toBe(SIGNATURE);
  });

  const request = { method: "GET", path: "/", query, header, body: Buffer.alloc(0) };

  it("accepts the example request with the SignedHeaders it declares", () => {
    const auth = parseVolcengineAuthorization(authorization(SIGNATURE));
    expect(auth).toMatchObject({
      accessKeyId: AK,
      region: "cn-beijing",
      service: "iam",
      signedHeaders: ["host", "x-date"],
    });
    expect(authenticateVolcengine(request, auth, env(AK, SK, at))).toBe("acct-1");
  });

  it("rejects a wrong secret, an unknown key, a stale X-Date and a body that does not match X-Content-Sha256", () => {
    const auth = parseVolcengineAuthorization(authorization(SIGNATURE));
    expect(codeOf(() => authenticateVolcengine(request, auth, env(AK, "wrong", at)))).toBe(
      "SignatureDoesNotMatch",
    );
    expect(codeOf(() => authenticateVolcengine(request, auth, env("other", SK, at)))).toBe(
      "InvalidAccessKey",
    );
    expect(codeOf(() => authenticateVolcengine(request, auth, env(AK, SK, at + 16 * 60_000)))).toBe(
      "InvalidTimestamp",
    );
    const withHash = {
      ...request,
      header: (n: string) => (n === "x-content-sha256" ? sha256Hex("{}") : headers[n]),
    };
    expect(
      codeOf(() => authenticateVolcengine({ ...withHash, body: Buffer.from("{ }") }, auth, env(AK, SK, at))),
    ).toBe("SignatureDoesNotMatch");
  });

  it("rejects a malformed Authorization header", () => {
    expect(
      codeOf(() => parseVolcengineAuthorization("HMAC-SHA256 Credential=AK/20240619/cn-beijing/iam/request")),
    ).toBe("MissingSignature");
    expect(
      codeOf(() =>
        parseVolcengineAuthorization("HMAC-SHA256 Credential=AK, SignedHeaders=x-date, Signature=00"),
      ),
    ).toBe("MissingRequestInfo");
  });
});

describe("Tencent Cloud TC3-HMAC-SHA256", () => {
  const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    host: "cvm.tencentcloudapi.com",
    "x-tc-timestamp": "1551113065",
  };
  const header = (n: string) => headers[n];
  const at = 1551113065 * 1000 + 30_000;
  const ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA";

  it("reproduces the official payload hash, canonical request hash and both documented signatures", () => {
    expect(sha256Hex(body)).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    const canonical = tc3CanonicalRequest({
      method: "POST",
      path: "/",
      rawQuery: "",
      header,
      signedHeaders: ["content-type", "host"],
      payloadHash: sha256Hex(body),
    });
    expect(sha256Hex(canonical)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    const sts = tc3StringToSign("1551113065", "2019-02-25/cvm/tc3_request", canonical);
    expect(tc3Sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm", sts)).toBe(
      "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
    expect(tc3Sign("Gu5t9xGARNpq86cd98joQYCN3*******", "2019-02-25", "cvm", sts)).toBe(
      "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
    );
  });

  const authHeader = (signature: string) =>
    `TC3-HMAC-SHA256 Credential=${ID}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
  const SIGNATURE = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";

  it("accepts the example, also when the Host header carries a port (the SDK signs the hostname only)", () => {
    const auth = parseTc3Authorization(authHeader(SIGNATURE));
    const e = env(ID, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", at);
    const req = { method: "POST", path: "/", rawQuery: "", header, body: Buffer.from(body) };
    expect(authenticateTc3(req, auth, e)).toBe("acct-1");
    const withPort = {
      ...req,
      header: (n: string) => (n === "host" ? "cvm.tencentcloudapi.com:8443" : headers[n]),
    };
    expect(authenticateTc3(withPort, auth, e)).toBe("acct-1");
    expect(hostWithoutPort("127.0.0.1:4577")).toBe("127.0.0.1");
    expect(hostWithoutPort("[::1]:4577")).toBe("[::1]");
  });

  it("rejects a wrong secret, an unknown SecretId, an expired timestamp and a changed body", () => {
    const auth = parseTc3Authorization(authHeader(SIGNATURE));
    const req = { method: "POST", path: "/", rawQuery: "", header, body: Buffer.from(body) };
    expect(codeOf(() => authenticateTc3(req, auth, env(ID, "wrong", at)))).toBe(
      "AuthFailure.SignatureFailure",
    );
    expect(codeOf(() => authenticateTc3(req, auth, env("AKIDother", "x", at)))).toBe(
      "AuthFailure.SecretIdNotFound",
    );
    expect(
      codeOf(() => authenticateTc3(req, auth, env(ID, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", at + 6 * 60_000))),
    ).toBe("AuthFailure.SignatureExpire");
    const changed = { ...req, body: Buffer.from(body.replace("1", "2")) };
    expect(
      codeOf(() => authenticateTc3(changed, auth, env(ID, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", at))),
    ).toBe("AuthFailure.SignatureFailure");
  });

  it("rejects a malformed Authorization header", () => {
    expect(
      codeOf(() => parseTc3Authorization("TC3-HMAC-SHA256 Credential=x/2019-02-25/cvm/tc3_request")),
    ).toBe("AuthFailure.InvalidAuthorization");
  });
});

describe("Tencent legacy v2 (HmacSHA1 / HmacSHA256)", () => {
  const KEY = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
  const base = TENCENT_LEGACY_VECTOR_PARAMS;
  const at = 1465185768 * 1000;

  it("reproduces the documented string to sign and both signatures", () => {
    const p256 = { ...base, SignatureMethod: "HmacSHA256" };
    const sts = legacyStringToSign("GET", "cvm.api.qcloud.com", "/v2/index.php", p256);
    expect(sts).toBe(
      "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Nonce=11886" +
        "&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&SignatureMethod=HmacSHA256&Timestamp=1465185768",
    );
    expect(legacySign(KEY, "HmacSHA256", sts)).toBe("0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=");
    const sts1 = legacyStringToSign("GET", "cvm.api.qcloud.com", "/v2/index.php", {
      ...base,
      SignatureMethod: "HmacSHA1",
    });
    expect(legacySign(KEY, "HmacSHA1", sts1)).toBe("nPVnY6njQmwQ8ciqbPl5Qe+Oru4=");
  });

  const request = (params: Record<string, string>) => ({
    method: "GET",
    host: "cvm.api.qcloud.com",
    path: "/v2/index.php",
    params,
  });
  const signed: Record<string, string> = {
    ...base,
    SignatureMethod: "HmacSHA256",
    Signature: "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=",
  };

  it("accepts the example once, then refuses the replay with 4500", () => {
    const e = env(base.SecretId, KEY, at);
    expect(authenticateTencentLegacy(request(signed), e)).toBe("acct-1");
    expect(codeOf(() => authenticateTencentLegacy(request(signed), e))).toBe("4500");
  });

  it("rejects a wrong secret and an unknown SecretId with 4100, a stale timestamp with 4200", () => {
    expect(codeOf(() => authenticateTencentLegacy(request(signed), env(base.SecretId, "wrong", at)))).toBe(
      "4100",
    );
    expect(codeOf(() => authenticateTencentLegacy(request(signed), env("AKIDother", KEY, at)))).toBe("4100");
    expect(
      codeOf(() => authenticateTencentLegacy(request(signed), env(base.SecretId, KEY, at + 6 * 60_000))),
    ).toBe("4200");
  });

  it("requires the common parameters (4000)", () => {
    const noNonce = { ...signed };
    delete noNonce.Nonce;
    expect(codeOf(() => authenticateTencentLegacy(request(noNonce), env(base.SecretId, KEY, at)))).toBe(
      "4000",
    );
    expect(
      codeOf(() =>
        authenticateTencentLegacy(
          request({ ...signed, SignatureMethod: "MD5" }),
          env(base.SecretId, KEY, at),
        ),
      ),
    ).toBe("4000");
  });
});

describe("NonceCache", () => {
  it("forgets a nonce after its TTL", () => {
    const c = new NonceCache(1000);
    expect(c.use("a", 0)).toBe(true);
    expect(c.use("a", 999)).toBe(false);
    expect(c.use("a", 1000)).toBe(true);
    expect(c.size).toBe(1);
  });
});
