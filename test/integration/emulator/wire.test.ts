// The four wire protocols end to end: requests signed by the real client libraries (and a hand-computed legacy
// request) are accepted; wrong secrets, unknown keys, stale timestamps and replays get each cloud's error.
import { useFakeEmulator } from "../../support/fake-models";
import {
  type Json,
  alibaba,
  getJson,
  legacyUrl,
  popError,
  tencent,
  tencentError,
  tencentRaw,
  volcengine,
  volcengineRaw,
} from "../../support/emulator-clients";

const emu = useFakeEmulator();

/** The HTTP status the emulator logged for the last request (the Volcengine SDK does not expose it). */
async function lastStatus(): Promise<number> {
  const { entries } = await emu.admin.requests();
  return entries[entries.length - 1].status;
}

describe("Alibaba Cloud RPC via @alicloud/pop-core", () => {
  it("accepts a signed POST form and a signed GET, routing by API version", async () => {
    const post = await alibaba(emu.url).request<Json>(
      "Echo",
      { RegionId: "cn-hangzhou", Name: "a b+c" },
      { method: "POST" },
    );
    expect(post).toEqual({
      RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      Params: { RegionId: "cn-hangzhou", Name: "a b+c" },
      Region: "cn-hangzhou",
      Account: "1234567890",
      Service: "vpc",
      Version: "2016-04-28",
      Protocol: "alibaba-rpc",
    });
    const get = await alibaba(emu.url, {}, "2016-01-20").request<Json>("Echo", { KeyId: "k-1" });
    expect(get).toMatchObject({
      Params: { KeyId: "k-1" },
      Region: "",
      Service: "kms",
      Version: "2016-01-20",
    });
  });

  it("rejects a wrong secret with SignatureDoesNotMatch (400) in the POP error shape", async () => {
    const e = await popError(alibaba(emu.url, { secret: "wrong" }).request("Echo", {}, { method: "POST" }));
    expect(e.code).toBe("SignatureDoesNotMatch");
    expect(e.entry.response.statusCode).toBe(400);
    expect(e.data).toEqual({
      RequestId: expect.any(String),
      HostId: "vpc.aliyuncs.com",
      Code: "SignatureDoesNotMatch",
      Message: expect.any(String),
      Recommend: expect.stringContaining("SignatureDoesNotMatch"),
    });
  });

  it("rejects an unknown key id with InvalidAccessKeyId.NotFound (404)", async () => {
    const e = await popError(alibaba(emu.url, { id: "nobody" }).request("Echo", {}, { method: "POST" }));
    expect([e.code, e.entry.response.statusCode]).toEqual(["InvalidAccessKeyId.NotFound", 404]);
  });

  it("rejects a timestamp more than 15 minutes old", async () => {
    const old = new Date(Date.now() - 16 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const e = await popError(alibaba(emu.url).request("Echo", { Timestamp: old }, { method: "POST" }));
    expect(e.code).toBe("InvalidTimeStamp.Expired");
    const fresh = new Date(Date.now() - 14 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await expect(
      alibaba(emu.url).request("Echo", { Timestamp: fresh }, { method: "POST" }),
    ).resolves.toBeDefined();
  });

  it("rejects a replayed SignatureNonce", async () => {
    const client = alibaba(emu.url);
    const params = { SignatureNonce: "nonce-replayed-1" };
    await client.request("Echo", params, { method: "POST" });
    const e = await popError(client.request("Echo", params, { method: "POST" }));
    expect(e.code).toBe("SignatureNonceUsed");
  });

  it("answers unknown actions and versions with InvalidAction.NotFound (404) and InvalidVersion", async () => {
    const e = await popError(alibaba(emu.url).request("NoSuchAction", {}, { method: "POST" }));
    expect([e.code, e.entry.response.statusCode]).toEqual(["InvalidAction.NotFound", 404]);
    const v = await popError(alibaba(emu.url, {}, "2099-01-01").request("Echo", {}, { method: "POST" }));
    expect(v.code).toBe("InvalidVersion");
  });

  it("renders a model's ServiceError with its code and status", async () => {
    const client = alibaba(emu.url);
    await client.request("CreateThing", { Name: "t1" }, { method: "POST" });
    const dup = await popError(client.request("CreateThing", { Name: "t1" }, { method: "POST" }));
    expect([dup.code, dup.entry.response.statusCode]).toEqual(["Thing.AlreadyExists", 409]);
    const missing = await popError(client.request("CreateThing", {}, { method: "POST" }));
    expect(missing.code).toBe("MissingParameter");
  });

  it("accepts keys added by fixtures, and the model sees their account", async () => {
    await emu.admin.loadFixtures({ accounts: [{ accessKeyId: "ak-2", secret: "sk-2", account: "222" }] });
    const r = await alibaba(emu.url, { id: "ak-2", secret: "sk-2" }).request<Json>(
      "Echo",
      {},
      { method: "POST" },
    );
    expect(r.Account).toBe("222");
  });
});

describe("Volcengine via @volcengine/openapi", () => {
  it("accepts a JSON POST and a GET, with the Volcengine envelope", async () => {
    const svc = volcengine(emu.url);
    const post = await svc.createJSONAPI("Echo", { Version: "2021-02-18" })({ Name: "x", Nested: { a: 1 } });
    expect(post).toEqual({
      ResponseMetadata: {
        RequestId: expect.any(String),
        Action: "Echo",
        Version: "2021-02-18",
        Service: "kms",
        Region: "cn-beijing",
      },
      Result: expect.objectContaining({ Params: { Name: "x", Nested: { a: 1 } }, Region: "cn-beijing" }),
    });
    const get = await svc.createAPI("Echo", { Version: "2021-02-18", method: "GET" })({
      Name: "y y",
      Limit: 10,
    });
    expect(get.Result).toMatchObject({ Params: { Name: "y y", Limit: "10" }, Protocol: "volcengine" });
    const form = await svc.createUrlEncodeAPI("Echo", { Version: "2021-02-18" })({ Name: "z" });
    expect(form.Result).toMatchObject({ Params: { Name: "z" } });
  });

  it("rejects a wrong secret (SignatureDoesNotMatch, CodeN 100010, 401) and an unknown key (100009, 401)", async () => {
    const bad = await volcengine(emu.url, { secret: "wrong" }).createJSONAPI("Echo", {
      Version: "2021-02-18",
    })({});
    expect(bad.ResponseMetadata.Error).toEqual({
      CodeN: 100010,
      Code: "SignatureDoesNotMatch",
      Message: expect.any(String),
    });
    expect(await lastStatus()).toBe(401);
    const unknown = await volcengine(emu.url, { id: "nobody" }).createJSONAPI("Echo", {
      Version: "2021-02-18",
    })({});
    expect(unknown.ResponseMetadata.Error).toMatchObject({ CodeN: 100009, Code: "InvalidAccessKey" });
    expect(await lastStatus()).toBe(401);
  });

  it("rejects an X-Date outside the window with InvalidTimestamp", async () => {
    const r = await volcengineRaw(emu.url, {
      action: "Echo",
      body: "{}",
      at: new Date(Date.now() - 20 * 60_000),
    });
    expect(r.status).toBe(400);
    expect(r.body.ResponseMetadata.Error).toMatchObject({ CodeN: 100006, Code: "InvalidTimestamp" });
    const ok = await volcengineRaw(emu.url, { action: "Echo", body: '{"A":1}' });
    expect(ok.body.Result.Params).toEqual({ A: 1 });
  });

  it("answers an unknown action with InvalidActionOrVersion (404) and an unknown service with ServiceNotFound", async () => {
    const r = await volcengine(emu.url).createJSONAPI("NoSuchAction", { Version: "2021-02-18" })({});
    expect(r.ResponseMetadata.Error).toMatchObject({ CodeN: 100008, Code: "InvalidActionOrVersion" });
    expect(await lastStatus()).toBe(404);
    const v = await volcengine(emu.url).createJSONAPI("Echo", { Version: "2000-01-01" })({});
    expect(v.ResponseMetadata.Error).toMatchObject({ Code: "InvalidActionOrVersion" });
    const s = await volcengine(emu.url, {}, "iam").createJSONAPI("Echo", { Version: "2021-02-18" })({});
    expect(s.ResponseMetadata.Error).toMatchObject({ CodeN: 100007, Code: "ServiceNotFound" });
  });
});

describe("Tencent Cloud API 3.0 via tencentcloud-sdk-nodejs-common", () => {
  it("accepts a POST signed for the scope service '127' and a GET, routing by X-TC-Action/Version", async () => {
    const post = await tencent(emu.url).request("Echo", { Name: "x", Tags: [{ TagKey: "k" }] });
    expect(post).toEqual({
      Params: { Name: "x", Tags: [{ TagKey: "k" }] },
      Region: "ap-guangzhou",
      Account: "1234567890",
      Service: "kms",
      Version: "2019-01-18",
      Protocol: "tencent-tc3",
      RequestId: expect.any(String),
    });
    const get = await tencent(emu.url, {}, "GET").request("Echo", { Name: "y", Ids: ["a", "b"] });
    expect(get).toMatchObject({ Params: { Name: "y", "Ids.0": "a", "Ids.1": "b" } });
  });

  it("rejects a wrong secret with AuthFailure.SignatureFailure and an unknown key with SecretIdNotFound", async () => {
    const bad = await tencentError(tencent(emu.url, { secret: "wrong" }).request("Echo", {}));
    expect(bad.code).toBe("AuthFailure.SignatureFailure");
    expect(bad.requestId).toEqual(expect.any(String));
    expect(await lastStatus()).toBe(200);
    const unknown = await tencentError(tencent(emu.url, { id: "nobody" }).request("Echo", {}));
    expect(unknown.code).toBe("AuthFailure.SecretIdNotFound");
  });

  it("rejects a timestamp more than 5 minutes off with AuthFailure.SignatureExpire", async () => {
    const r = await tencentRaw(emu.url, {
      action: "Echo",
      body: "{}",
      at: new Date(Date.now() - 6 * 60_000),
    });
    expect(r.status).toBe(200);
    expect(r.body.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
    const ok = await tencentRaw(emu.url, { action: "Echo", body: '{"A":1}' });
    expect(ok.body.Response.Params).toEqual({ A: 1 });
  });

  it("answers an unknown action with InvalidAction and an unknown version with NoSuchVersion", async () => {
    expect((await tencentError(tencent(emu.url).request("NoSuchAction", {}))).code).toBe("InvalidAction");
    expect((await tencentError(tencent(emu.url, {}, "POST", "2000-01-01").request("Echo", {}))).code).toBe(
      "NoSuchVersion",
    );
  });
});

describe("Tencent legacy v2 API (hand-signed GET /v2/index.php)", () => {
  it("accepts HmacSHA256 and HmacSHA1 requests, with the legacy envelope and no common parameters", async () => {
    const r = await getJson(legacyUrl(emu.url, { Action: "Echo", alias: "a b/c", "InstanceIds.0": "x" }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      code: 0,
      message: "",
      requestId: expect.any(String),
      Params: { alias: "a b/c", "InstanceIds.0": "x" },
      Region: "ap-guangzhou",
      Account: "1234567890",
      Service: "kms",
      Version: "",
      Protocol: "tencent-legacy",
    });
    const sha1 = await getJson(legacyUrl(emu.url, { Action: "Echo" }, { method: "HmacSHA1" }));
    expect(sha1.body.code).toBe(0);
  });

  it("answers a wrong secret or unknown SecretId with 4100, a stale timestamp with 4200, a replay with 4500", async () => {
    expect(
      (await getJson(legacyUrl(emu.url, { Action: "Echo" }, { key: { secret: "wrong" } }))).body,
    ).toMatchObject({
      code: 4100,
      codeDesc: "AuthFailure",
    });
    expect((await getJson(legacyUrl(emu.url, { Action: "Echo" }, { key: { id: "nobody" } }))).body.code).toBe(
      4100,
    );
    const stale = legacyUrl(emu.url, { Action: "Echo" }, { at: new Date(Date.now() - 10 * 60_000) });
    expect((await getJson(stale)).body.code).toBe(4200);
    const once = legacyUrl(emu.url, { Action: "Echo" });
    expect((await getJson(once)).body.code).toBe(0);
    expect((await getJson(once)).body).toMatchObject({ code: 4500, requestId: expect.any(String) });
  });

  it("answers an unknown action with 4000, and renders a model's string code as 4000 with codeDesc", async () => {
    expect((await getJson(legacyUrl(emu.url, { Action: "NoSuchAction" }))).body).toMatchObject({
      code: 4000,
      codeDesc: "InvalidAction",
    });
    await getJson(legacyUrl(emu.url, { Action: "CreateThing", Name: "t" }));
    expect((await getJson(legacyUrl(emu.url, { Action: "CreateThing", Name: "t" }))).body).toMatchObject({
      code: 4000,
      codeDesc: "Thing.AlreadyExists",
    });
  });
});
