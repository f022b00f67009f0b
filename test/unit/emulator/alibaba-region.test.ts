// The region of an Alibaba request: RegionId when it names one, else the regional endpoint in Host
// (kms.<region>.aliyuncs.com: KMS has no RegionId parameter), else none (the KMS model then uses its default).
import { alibabaRpc } from "../../../src/emulator/protocols/alibaba-rpc";
import { alibabaRpcV3 } from "../../../src/emulator/protocols/alibaba-rpc-v3";
import type { RawRequest } from "../../../src/emulator/protocols";

const raw = (host: string, query: string, headers: Record<string, string> = {}): RawRequest => ({
  method: "POST",
  path: "/",
  rawQuery: query,
  headers: { host, ...headers },
  body: Buffer.alloc(0),
  tooLarge: false,
});
const V2 = "Action=DescribeKey&Version=2016-01-20&AccessKeyId=test";
const V3_HEADERS = {
  authorization: "ACS3-HMAC-SHA256 Credential=test,SignedHeaders=host,Signature=00",
  "x-acs-action": "DescribeKey",
  "x-acs-version": "2016-01-20",
};

it.each([
  ["kms.cn-shanghai.aliyuncs.com", V2, "cn-shanghai"],
  ["kms.ap-southeast-1.aliyuncs.com:443", V2, "ap-southeast-1"],
  ["kms.cn-shanghai.aliyuncs.com", `${V2}&RegionId=cn-beijing`, "cn-beijing"],
  ["127.0.0.1:4577", V2, ""],
  ["vpc.aliyuncs.com", V2, ""],
])("V2: Host %s, query %s: region %j", (host, query, region) => {
  expect(alibabaRpc.parse(raw(host, query)).region).toBe(region);
});

it("V3 reads the region the same way", () => {
  expect(alibabaRpcV3.parse(raw("kms.cn-shanghai.aliyuncs.com", "", V3_HEADERS)).region).toBe("cn-shanghai");
  expect(alibabaRpcV3.parse(raw("127.0.0.1:4577", "RegionId=cn-hangzhou", V3_HEADERS)).region).toBe(
    "cn-hangzhou",
  );
});
