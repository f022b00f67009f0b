// The contract checkers find what issue 10 found by hand: a field of the wrong JSON type, nested in arrays and
// objects, and a field the SDK does not declare.
import * as path from "node:path";
import * as Vpc from "@alicloud/vpc20160428";
import { TsModels, type TeaModelClass, splitMismatches, teaMismatches } from "./sdk-models";

const tencent = new TsModels(
  path.join(
    path.dirname(require.resolve("tencentcloud-sdk-nodejs/tencentcloud/services/kms/v20190118/kms_client")),
    "kms_models.d.ts",
  ),
);

it("flags a Tencent CreatorUin sent as a string (the SDK declares number), inside an array", () => {
  const body = { KeyMetadatas: [{ KeyId: "k", CreatorUin: "1234567890" }], TotalCount: 1, RequestId: "r" };
  expect(tencent.mismatches(body, "ListKeyDetailResponse")).toEqual([
    "$.KeyMetadatas[0].CreatorUin: the SDK declares number, the emulator sent string",
  ]);
  const ok = { ...body, KeyMetadatas: [{ KeyId: "k", CreatorUin: 1234567890 }] };
  expect(tencent.mismatches(ok, "ListKeyDetailResponse")).toEqual([]);
});

it("flags an Alibaba field of the wrong type and one the SDK does not declare, apart", () => {
  const model = (Vpc as unknown as Record<string, TeaModelClass>).DescribeVpnGatewayResponseBody;
  const found = teaMismatches({ VpnGatewayId: 42, Invented: "x", Tags: { Tag: [{ Key: 1 }] } }, model);
  expect(splitMismatches(found)).toEqual({
    wrongType: [
      "$.VpnGatewayId: the SDK declares string, the emulator sent number",
      "$.Tags.Tag[0].Key: the SDK declares string, the emulator sent number",
    ],
    undeclared: ["$.Invented"],
  });
});
