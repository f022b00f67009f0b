// Garbage, oversized and unexpected requests never crash the emulator; it answers in the cloud's shape when it
// can tell the cloud, and keeps serving.
import fc from "fast-check";
import { request } from "node:http";
import { useFakeEmulator } from "../../support/fake-models";
import {
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

const internalErrors: unknown[] = [];

const emu = useFakeEmulator({
  maxBodyBytes: 64 * 1024,
  onInternalError: (e) => internalErrors.push(e),
});

async function stillServing(): Promise<void> {
  await expect(alibaba(emu.url).request("Echo", {}, { method: "POST" })).resolves.toBeDefined();
}

/** A raw HTTP exchange with arbitrary method, path, headers and body. */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(emu.url);
  return new Promise((resolve, reject) => {
    // An explicit length keeps the HTTP framing valid: the subject is the emulator, not Node's HTTP parser.
    const length = { "content-length": String(Buffer.byteLength(body)) };
    const req = request({ hostname, port, method, path, headers: { ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

it("answers a request that is none of the clouds' with a plain 400 JSON error", async () => {
  const r = await getJson(`${emu.url}/`);
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/Unrecognized request/);
  const post = await rawRequest("POST", "/", { "content-type": "application/json" }, '{"hello":1}');
  expect(post.status).toBe(400);
});

it("answers an oversized body in the cloud's envelope and keeps serving", async () => {
  const big = "x".repeat(200 * 1024);
  const e = await popError(alibaba(emu.url).request("Echo", { Blob: big }, { method: "POST" }));
  expect([e.code, e.entry.response.statusCode]).toEqual(["RequestEntityTooLarge", 413]);
  const t = await tencentRaw(emu.url, { action: "Echo", body: JSON.stringify({ Blob: big }) });
  expect(t.body.Response.Error.Code).toBe("RequestSizeLimitExceeded");
  const v = await volcengineRaw(emu.url, { action: "Echo", body: JSON.stringify({ Blob: big }) });
  expect([v.status, v.body.ResponseMetadata.Error.Code]).toEqual([413, "RequestEntityTooLarge"]);
  await stillServing();
});

it("answers garbage bodies under a valid signature with InvalidParameter", async () => {
  const v = await volcengineRaw(emu.url, { action: "Echo", body: "{not json" });
  expect([v.status, v.body.ResponseMetadata.Error.Code]).toEqual([400, "InvalidParameter"]);
  const arr = await volcengineRaw(emu.url, { action: "Echo", body: "[1,2]" });
  expect(arr.body.ResponseMetadata.Error.Code).toBe("InvalidParameter");
  const t = await tencentRaw(emu.url, { action: "Echo", body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) });
  expect(t.body.Response.Error.Code).toBe("InvalidParameter");
  await stillServing();
});

it("answers malformed authorization and missing common parameters in the cloud's terms", async () => {
  const volc = await rawRequest(
    "POST",
    "/?Action=Echo&Version=2021-02-18",
    { authorization: "HMAC-SHA256 garbage" },
    "",
  );
  expect(JSON.parse(volc.text).ResponseMetadata.Error.Code).toBe("MissingSignature");
  const tc3 = await rawRequest("POST", "/", { authorization: "TC3-HMAC-SHA256 nonsense" }, "{}");
  expect(JSON.parse(tc3.text).Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
  const ali = await rawRequest(
    "POST",
    "/",
    { "content-type": "application/x-www-form-urlencoded" },
    "Action=Echo&AccessKeyId=test",
  );
  expect([ali.status, JSON.parse(ali.text).Code]).toEqual([400, "MissingVersion"]);
  const legacy = await getJson(`${emu.url}/v2/index.php`);
  expect(legacy.body).toMatchObject({ code: 4000, codeDesc: "MissingParameter" });
});

it("turns a model exception into the cloud's internal error with a request id, and keeps serving", async () => {
  const a = await popError(alibaba(emu.url).request("Boom", {}, { method: "POST" }));
  expect([a.code, a.entry.response.statusCode, typeof a.data.RequestId]).toEqual([
    "InternalError",
    500,
    "string",
  ]);
  const v = await volcengine(emu.url).createJSONAPI("Boom", { Version: "2021-02-18" })({});
  expect(v.ResponseMetadata.Error?.Code).toBe("UndefinedError");
  const t = await tencentError(tencent(emu.url).request("Boom", {}));
  expect([t.code, typeof t.requestId]).toEqual(["InternalError", "string"]);
  const l = await getJson(legacyUrl(emu.url, { Action: "Boom" }));
  expect(l.body).toMatchObject({ code: 6000, requestId: expect.any(String) });
  // A payload that does not serialize is a model bug too.
  const b = await popError(alibaba(emu.url).request("BigIntPayload", {}, { method: "POST" }));
  expect(b.code).toBe("InternalError");
  expect(internalErrors.length).toBeGreaterThanOrEqual(4);
  await stillServing();
});

it("does not resolve actions to inherited properties", async () => {
  for (const action of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    const e = await popError(alibaba(emu.url).request(action, {}, { method: "POST", formatAction: false }));
    expect(e.code).toBe("InvalidAction.NotFound");
  }
});

it("survives arbitrary requests (property-based)", async () => {
  const header = fc.constantFrom(
    "authorization",
    "content-type",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-date",
    "x-content-sha256",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
  );
  const headerValue = fc.oneof(
    fc.string(),
    fc.constantFrom(
      "HMAC-SHA256 Credential=test/20240101/cn-beijing/kms/request, SignedHeaders=x-date, Signature=00",
      "TC3-HMAC-SHA256 Credential=test/2024-01-01/kms/tc3_request, SignedHeaders=content-type;host, Signature=00",
      "ACS3-HMAC-SHA256 Credential=test,SignedHeaders=host;x-acs-action;x-acs-version,Signature=00",
      "application/json",
      "application/x-www-form-urlencoded",
    ),
  );
  const path = fc.oneof(
    fc.constantFrom("/", "/v2/index.php", "/?Action=Echo&AccessKeyId=test&Version=2016-04-28"),
    fc.webPath().map((p) => (p.startsWith("/") ? p : `/${p}`)),
    fc.tuple(fc.constantFrom("/?", "/v2/index.php?"), fc.webQueryParameters()).map(([a, b]) => a + b),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("GET", "POST", "PUT", "DELETE"),
      path,
      fc.dictionary(
        header,
        headerValue.map((v) => v.replace(/[^\x20-\x7e]/g, "")),
        { maxKeys: 4 },
      ),
      fc.oneof(
        fc.string(),
        fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)),
      ),
      async (method, p, headers, body) => {
        const r = await rawRequest(method, p, headers, body);
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(600);
        expect(() => JSON.parse(r.text)).not.toThrow();
      },
    ),
    { numRuns: 150, seed: 20240601 },
  );
  await stillServing();
});
