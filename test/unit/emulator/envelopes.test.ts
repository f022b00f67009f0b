import { route } from "../../../src/emulator/dispatch";
import { errorReply, successReply } from "../../../src/emulator/envelopes";
import { gatewayError } from "../../../src/emulator/gateway-errors";
import { PROTOCOLS, type ParsedCall } from "../../../src/emulator/protocols";
import { ServiceError, type WireProtocol } from "../../../src/emulator/types";
import { fakeModel, fakeModels } from "../../support/fake-models";

const meta = { requestId: "req-1", action: "CreateKey", version: "v1", service: "kms", region: "r1" };

describe("envelopes", () => {
  it("wraps a payload in each cloud's success shape", () => {
    const p = { KeyId: "k" };
    expect(successReply("alibaba-rpc", meta, p).body).toEqual({ RequestId: "req-1", KeyId: "k" });
    expect(successReply("volcengine", meta, p).body).toEqual({
      ResponseMetadata: {
        RequestId: "req-1",
        Action: "CreateKey",
        Version: "v1",
        Service: "kms",
        Region: "r1",
      },
      Result: { KeyId: "k" },
    });
    expect(successReply("tencent-tc3", meta, p).body).toEqual({
      Response: { KeyId: "k", RequestId: "req-1" },
    });
    expect(successReply("tencent-legacy", meta, p).body).toEqual({
      code: 0,
      message: "",
      requestId: "req-1",
      KeyId: "k",
    });
    expect(successReply("alibaba-rpc", meta, undefined).body).toEqual({ RequestId: "req-1" });
  });

  it("renders a ServiceError in each cloud's error shape and status", () => {
    const err = new ServiceError("Forbidden.KeyNotFound", "no such key", 404);
    expect(errorReply("alibaba-rpc", meta, err)).toEqual({
      status: 404,
      code: "Forbidden.KeyNotFound",
      body: {
        RequestId: "req-1",
        HostId: "kms.aliyuncs.com",
        Code: "Forbidden.KeyNotFound",
        Message: "no such key",
        Recommend: "https://api.aliyun.com/troubleshoot?q=Forbidden.KeyNotFound&product=kms&requestId=req-1",
      },
    });
    expect(errorReply("volcengine", meta, err)).toEqual({
      status: 404,
      code: "Forbidden.KeyNotFound",
      body: {
        ResponseMetadata: {
          RequestId: "req-1",
          Action: "CreateKey",
          Version: "v1",
          Service: "kms",
          Region: "r1",
          Error: { Code: "Forbidden.KeyNotFound", Message: "no such key" },
        },
      },
    });
    expect(
      errorReply("volcengine", meta, gatewayError("InvalidAccessKey", "m", 401, { codeN: 100009 })).body,
    ).toMatchObject({
      ResponseMetadata: { Error: { CodeN: 100009, Code: "InvalidAccessKey" } },
    });
    expect(errorReply("tencent-tc3", meta, err)).toEqual({
      status: 200,
      code: "Forbidden.KeyNotFound",
      body: {
        Response: { Error: { Code: "Forbidden.KeyNotFound", Message: "no such key" }, RequestId: "req-1" },
      },
    });
  });

  it("renders legacy errors with numeric codes, keeping a model's codeDesc or string code", () => {
    const aliasExists = Object.assign(new ServiceError("4500", "alias exists", 200), { codeDesc: "10480" });
    expect(errorReply("tencent-legacy", meta, aliasExists).body).toEqual({
      code: 4500,
      message: "alias exists",
      codeDesc: "10480",
      requestId: "req-1",
    });
    expect(
      errorReply("tencent-legacy", meta, new ServiceError("InvalidParameter", "bad")).body,
    ).toMatchObject({
      code: 4000,
      codeDesc: "InvalidParameter",
    });
    expect(errorReply("tencent-legacy", meta, new ServiceError("Oops", "x", 503)).body).toMatchObject({
      code: 6000,
    });
  });
});

describe("route", () => {
  const protocol = (id: WireProtocol) => PROTOCOLS.find((p) => p.id === id)!;
  const call = (c: Partial<ParsedCall>): ParsedCall => ({
    action: "Echo",
    version: "",
    region: "",
    serviceHint: "",
    serviceStrict: false,
    authenticate: () => "acct",
    params: () => ({}),
    ...c,
  });
  const m = fakeModels();
  const models = Object.values(m);

  it("chooses by protocol and version, then by the service the request names", () => {
    expect(route(models, protocol("alibaba-rpc"), call({ version: "2016-04-28" })).model).toBe(m.alibabaVpc);
    expect(route(models, protocol("alibaba-rpc"), call({ version: "2016-01-20" })).model).toBe(m.alibabaKms);
    const twin = fakeModel({
      key: "other",
      cloud: "tencent",
      service: "cvm",
      protocols: ["tencent-tc3"],
      versions: ["2019-01-18"],
    });
    const both = [twin, m.tencentKms];
    expect(
      route(both, protocol("tencent-tc3"), call({ version: "2019-01-18", serviceHint: "kms" })).model,
    ).toBe(m.tencentKms);
    // A client pointed at 127.0.0.1 names service "127": the first model with the action answers.
    expect(
      route(both, protocol("tencent-tc3"), call({ version: "2019-01-18", serviceHint: "127" })).model,
    ).toBe(twin);
    expect(route(models, protocol("tencent-legacy"), call({ serviceHint: "127" })).model).toBe(m.tencentKms);
  });

  it("reports unknown versions, services and actions in the protocol's codes", () => {
    const err = (r: ReturnType<typeof route>) => ("error" in r ? r.error.code : "routed");
    expect(err(route(models, protocol("alibaba-rpc"), call({ version: "1999-01-01" })))).toBe(
      "InvalidVersion",
    );
    expect(
      err(
        route(
          models,
          protocol("volcengine"),
          call({ version: "2021-02-18", serviceHint: "iam", serviceStrict: true }),
        ),
      ),
    ).toBe("ServiceNotFound");
    expect(
      err(route(models, protocol("tencent-tc3"), call({ version: "2019-01-18", action: "constructor" }))),
    ).toBe("InvalidAction");
    expect(err(route(models, protocol("tencent-legacy"), call({ action: "Nope" })))).toBe("4000");
  });
});
