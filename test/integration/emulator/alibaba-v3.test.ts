// Alibaba signature V3 over HTTP: @alicloud/vpc20160428 7.x (ACS3-HMAC-SHA256 by default) is answered with
// Alibaba's gateway codes when its credentials are wrong, and its requests are refused when changed in transit.
// (That every modeled action works with V3 is the contract suite's test/contract/alibaba.contract.test.ts.)
import * as Vpc from "@alicloud/vpc20160428";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { startEmulator } from "../../../src/emulator";
import { alibaba } from "../../support/emulator-clients";

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});

const client = (id = "test", secret = "test") =>
  new Vpc.default(
    new $OpenApiUtil.Config({
      accessKeyId: id,
      accessKeySecret: secret,
      endpoint: new URL(emulator.url).host,
      protocol: "http",
      regionId: "cn-hangzhou",
    }),
  );

interface SdkError {
  code?: string;
  statusCode?: number;
  data?: { RequestId?: string; Code?: string };
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error("expected the call to fail");
}

const describe_ = (c: Vpc.default) =>
  c.describeVpnConnections(new Vpc.DescribeVpnConnectionsRequest({ regionId: "cn-hangzhou" }));

it("signs with V3 by default and is answered", async () => {
  const res = await describe_(client());
  expect(res.body?.totalCount).toBe(0);
  const { entries } = await emulator.admin.requests();
  expect(entries[0]).toMatchObject({ cloud: "alibaba", action: "DescribeVpnConnections", status: 200 });
});

it("a wrong secret is SignatureDoesNotMatch (HTTP 400), with a request id", async () => {
  const e = await failure(describe_(client("test", "wrong-secret")));
  expect([e.statusCode, e.code]).toEqual([400, "SignatureDoesNotMatch"]);
  expect(e.data?.RequestId).toEqual(expect.any(String));
});

it("an unknown access key is InvalidAccessKeyId.NotFound (HTTP 404)", async () => {
  const e = await failure(describe_(client("nobody", "x")));
  expect([e.statusCode, e.code]).toEqual([404, "InvalidAccessKeyId.NotFound"]);
});

it("a V3 request without RegionId is MissingRegionId, as with V2", async () => {
  const e = await failure(client().describeVpnConnections(new Vpc.DescribeVpnConnectionsRequest({})));
  expect([e.statusCode, e.code]).toEqual([400, "MissingRegionId"]);
  // pop-core's V2 keeps working side by side.
  const v2 = (await alibaba(emulator.url).request(
    "DescribeVpnConnections",
    { RegionId: "cn-hangzhou" },
    { method: "POST" },
  )) as { TotalCount: number };
  expect(v2.TotalCount).toBe(0);
});
