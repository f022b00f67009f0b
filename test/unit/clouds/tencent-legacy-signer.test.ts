import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign";
import { legacySign, legacyStringToSign } from "../../../src/clouds/tencent-legacy-signer";
import { TENCENT_LEGACY_VECTOR_PARAMS } from "../../support/signing-vectors";

// Official vector of the Tencent Cloud API 2.0 signature (doc 215/1693, reference api-volcengine-tencent.md §2.3).
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
const BASE = {
  method: "GET" as const,
  host: "cvm.api.qcloud.com",
  path: "/v2/index.php",
};
const PARAMS = TENCENT_LEGACY_VECTOR_PARAMS;

const expectedString = (method: string): string =>
  "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Nonce=11886" +
  `&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&SignatureMethod=${method}&Timestamp=1465185768`;

describe("Tencent API 2.0 legacy signer", () => {
  it.each([
    ["HmacSHA256", "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s="],
    ["HmacSHA1", "nPVnY6njQmwQ8ciqbPl5Qe+Oru4="],
  ] as const)("reproduces the official %s vector", (method, signature) => {
    // The string to sign embeds SignatureMethod like any other parameter.
    const params = { ...PARAMS, SignatureMethod: method };
    expect(legacyStringToSign({ ...BASE, params })).toBe(expectedString(method));
    expect(legacySign({ ...BASE, params, secretKey: SECRET_KEY, signatureMethod: method })).toBe(signature);
  });

  it("agrees with the official SDK's v1 HMAC on the same string", () => {
    const params = { ...PARAMS, SignatureMethod: "HmacSHA256" };
    expect(legacySign({ ...BASE, params, secretKey: SECRET_KEY, signatureMethod: "HmacSHA256" })).toBe(
      Sign.sign(SECRET_KEY, expectedString("HmacSHA256"), "HmacSHA256"),
    );
  });

  it("sorts by name regardless of insertion order and writes '_' in names as '.'", () => {
    const params = {
      Timestamp: "1465185768",
      SignatureMethod: "HmacSHA256",
      SecretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
      Region: "ap-guangzhou",
      Nonce: "11886",
      InstanceIds_0: "ins-09dx96dg",
      Action: "DescribeInstances",
    };
    expect(legacyStringToSign({ ...BASE, params })).toBe(expectedString("HmacSHA256"));
    expect(legacySign({ ...BASE, params, secretKey: SECRET_KEY, signatureMethod: "HmacSHA256" })).toBe(
      "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=",
    );
  });

  it("does not URL-encode values and keeps the port in the host", () => {
    const s = legacyStringToSign({
      method: "GET",
      host: "127.0.0.1:4577",
      path: "/v2/index.php",
      params: { b: "x y&z", a: "é/+" },
    });
    expect(s).toBe("GET127.0.0.1:4577/v2/index.php?a=é/+&b=x y&z");
  });

  it("changes with the secret, the method and every parameter", () => {
    const params = { ...PARAMS, SignatureMethod: "HmacSHA256" };
    const sign = (over: Partial<Parameters<typeof legacySign>[0]>): string =>
      legacySign({ ...BASE, params, secretKey: SECRET_KEY, signatureMethod: "HmacSHA256", ...over });
    const reference = sign({});
    expect(sign({ secretKey: "other" })).not.toBe(reference);
    expect(sign({ method: "POST" })).not.toBe(reference);
    expect(sign({ host: "cvm.api.qcloud.com:8080" })).not.toBe(reference);
    expect(sign({ params: { ...params, Nonce: "11887" } })).not.toBe(reference);
  });
});
