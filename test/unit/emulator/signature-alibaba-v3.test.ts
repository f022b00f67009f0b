// Alibaba signature V3 (ACS3-HMAC-SHA256) against the official example of "Request syntax and signature method
// V3": https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
import { NonceCache } from "../../../src/emulator/nonces";
import {
  acs3CanonicalRequest,
  acs3Sign,
  acs3StringToSign,
  authenticateAlibabaV3,
  parseAcs3Authorization,
} from "../../../src/emulator/signatures/alibaba-v3";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const headers: Record<string, string> = {
  host: "ecs.cn-shanghai.aliyuncs.com",
  "x-acs-action": "RunInstances",
  "x-acs-content-sha256": EMPTY_SHA256,
  "x-acs-date": "2023-10-26T10:22:32Z",
  "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
  "x-acs-version": "2014-05-26",
};
const SIGNED = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
const SIGNATURE = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
const request = (h: Record<string, string> = headers, body = Buffer.alloc(0)) => ({
  method: "POST",
  path: "/",
  query: [
    ["RegionId", "cn-shanghai"],
    ["ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"],
  ] as Array<[string, string]>,
  header: (n: string) => h[n.toLowerCase()],
  body,
});
const authorization = (signature = SIGNATURE) =>
  parseAcs3Authorization(
    `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${SIGNED},Signature=${signature}`,
  );
const env = (now = Date.parse("2023-10-26T10:22:40Z"), session?: { token: string; expiresAtMs: number }) => ({
  lookup: (id: string) =>
    id === "YourAccessKeyId" ? { secret: "YourAccessKeySecret", account: "acct-1", session } : undefined,
  now: () => now,
  wallNow: () => now,
  nonces: new NonceCache(30 * 60_000),
});
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "no error";
};

describe("Alibaba signature V3 (ACS3-HMAC-SHA256)", () => {
  it("reproduces the documented canonical request, string to sign and signature", () => {
    const canonical = acs3CanonicalRequest(request(), SIGNED.split(";"), EMPTY_SHA256);
    expect(canonical.split("\n").slice(0, 3)).toEqual([
      "POST",
      "/",
      "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
    ]);
    const sts = acs3StringToSign(canonical);
    expect(sts).toBe("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    expect(acs3Sign("YourAccessKeySecret", sts)).toBe(SIGNATURE);
  });

  it("accepts the documented request and returns the key's account", () => {
    expect(authenticateAlibabaV3(request(), authorization(), env())).toBe("acct-1");
  });

  it("answers Alibaba's gateway codes for what is wrong", () => {
    expect(codeOf(() => authenticateAlibabaV3(request(), authorization("0".repeat(64)), env()))).toBe(
      "SignatureDoesNotMatch",
    );
    const otherKey = parseAcs3Authorization(
      `ACS3-HMAC-SHA256 Credential=Nobody,SignedHeaders=${SIGNED},Signature=${SIGNATURE}`,
    );
    expect(codeOf(() => authenticateAlibabaV3(request(), otherKey, env()))).toBe(
      "InvalidAccessKeyId.NotFound",
    );
    expect(codeOf(() => authenticateAlibabaV3(request(), authorization(), env(Date.now())))).toBe(
      "InvalidTimeStamp.Expired",
    );
    expect(
      codeOf(() =>
        authenticateAlibabaV3(request({ ...headers, "x-acs-date": "2023/10/26" }), authorization(), env()),
      ),
    ).toBe("InvalidTimeStamp.Format");
    // A body that does not hash to x-acs-content-sha256 was changed in transit.
    expect(
      codeOf(() => authenticateAlibabaV3(request(headers, Buffer.from("a=1")), authorization(), env())),
    ).toBe("SignatureDoesNotMatch");
    const unsigned = parseAcs3Authorization(
      `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature=${SIGNATURE}`,
    );
    expect(codeOf(() => authenticateAlibabaV3(request(), unsigned, env()))).toBe("IncompleteSignature");
    const sm3 = parseAcs3Authorization(
      `ACS3-HMAC-SM3 Credential=YourAccessKeyId,SignedHeaders=${SIGNED},Signature=${SIGNATURE}`,
    );
    expect(codeOf(() => authenticateAlibabaV3(request(), sm3, env()))).toBe("IncompleteSignature");
    expect(codeOf(() => parseAcs3Authorization("ACS3-HMAC-SHA256 Credential=YourAccessKeyId"))).toBe(
      "IncompleteSignature",
    );
    const noNonce = Object.fromEntries(
      Object.entries(headers).filter(([k]) => k !== "x-acs-signature-nonce"),
    );
    expect(codeOf(() => authenticateAlibabaV3(request(noNonce), authorization(), env()))).toBe(
      "MissingSignatureNonce",
    );
  });

  it("refuses a replayed nonce, and does not burn a nonce on a forged request", () => {
    const e = env();
    expect(codeOf(() => authenticateAlibabaV3(request(), authorization("f".repeat(64)), e))).toBe(
      "SignatureDoesNotMatch",
    );
    expect(authenticateAlibabaV3(request(), authorization(), e)).toBe("acct-1");
    expect(codeOf(() => authenticateAlibabaV3(request(), authorization(), e))).toBe("SignatureNonceUsed");
  });

  it("checks the x-acs-security-token of a temporary key, as the V2 verifier checks SecurityToken", () => {
    const now = Date.parse("2023-10-26T10:22:40Z");
    const session = { token: "sts-token-1", expiresAtMs: now + 60_000 };
    expect(codeOf(() => authenticateAlibabaV3(request(), authorization(), env(now, session)))).toBe(
      "InvalidSecurityToken.MismatchWithAccessKey",
    );
    // The token header is not among the documented example's signed headers, so the signature still holds.
    const withToken = { ...headers, "x-acs-security-token": "sts-token-1" };
    expect(authenticateAlibabaV3(request(withToken), authorization(), env(now, session))).toBe("acct-1");
    const expired = { token: "sts-token-1", expiresAtMs: now };
    expect(codeOf(() => authenticateAlibabaV3(request(withToken), authorization(), env(now, expired)))).toBe(
      "InvalidSecurityToken.Expired",
    );
  });
});
