import {
  classify,
  CloudError,
  CloudName,
  ErrorClass,
  isCloudError,
  isNotFound,
} from "../../../src/clouds/errors";
import { isRetryable } from "../../../src/clouds/retry";
import { redact, registerSecrets } from "../../../src/clouds/secrets";

// Codes as the clouds document them (reference api-alibaba.md, api-volcengine-tencent.md, seeds).
const CASES: Array<[CloudName, string, number | undefined, ErrorClass]> = [
  // Alibaba gateway
  ["alibaba", "Throttling.User", 400, "throttled"],
  ["alibaba", "Throttling", 400, "throttled"],
  ["alibaba", "Rejected.Throttling", 400, "throttled"],
  ["alibaba", "ServiceUnavailable", 503, "transient"],
  ["alibaba", "InvalidAccessKeyId.NotFound", 404, "auth"],
  ["alibaba", "SignatureDoesNotMatch", 400, "auth"],
  ["alibaba", "SignatureNonceUsed", 400, "auth"],
  ["alibaba", "InvalidTimeStamp.Expired", 400, "auth"],
  ["alibaba", "IncompleteSignature", 400, "auth"],
  ["alibaba", "Forbidden.RAM", 403, "auth"],
  ["alibaba", "MissingParameter", 400, "invalid-input"],
  ["alibaba", "MissingRegionId", 400, "invalid-input"],
  ["alibaba", "InvalidVersion", 400, "invalid-input"],
  // Alibaba VPC: VPN conflicts, MACsec, lookups
  ["alibaba", "VpnTask.CONFLICT", 400, "busy"],
  ["alibaba", "VpnGateway.Configuring", 400, "busy"],
  ["alibaba", "VpnConnection.Configuring", 400, "busy"],
  ["alibaba", "Appliance.Configuring", 400, "busy"],
  ["alibaba", "OperationConflict", 400, "busy"],
  ["alibaba", "OperationConflict.Task", 400, "busy"],
  ["alibaba", "IncorrectStatus.PconnMacsec", 400, "busy"],
  ["alibaba", "UnknownError", 500, "transient"],
  ["alibaba", "InvalidVpnConnectionInstanceId.NotFound", 400, "not-found"],
  ["alibaba", "InvalidVpnGatewayInstanceId.NotFound", 400, "not-found"],
  ["alibaba", "ResourceNotFound.PhysicalConnectionId", 400, "not-found"],
  ["alibaba", "IllegalParam.Cak", 400, "invalid-input"],
  ["alibaba", "QuotaExceeded.PconnMacsec", 400, "fatal"],
  ["alibaba", "UnsupportedFeature.Macsec", 400, "fatal"],
  // Alibaba KMS
  ["alibaba", "Forbidden.KeyNotFound", 404, "not-found"],
  ["alibaba", "Forbidden.AliasNotFound", 404, "not-found"],
  ["alibaba", "Forbidden.ResourceNotFound", 404, "not-found"],
  ["alibaba", "InternalFailure", 500, "transient"],
  // Volcengine gateway and KMS
  ["volcengine", "Reject.Throttling.Action", 403, "throttled"],
  ["volcengine", "Not Found", 404, "not-found"],
  ["volcengine", "InvalidAccessKey", 401, "auth"],
  ["volcengine", "SignatureDoesNotMatch", 401, "auth"],
  ["volcengine", "MissingAuthenticationToken", 401, "auth"],
  ["volcengine", "MissingSignature", 401, "auth"],
  ["volcengine", "InvalidTimestamp", 400, "auth"],
  ["volcengine", "AccessDenied", 403, "auth"],
  ["volcengine", "LackPolicy", 403, "auth"],
  ["volcengine", "UndefinedError", 500, "transient"],
  ["volcengine", "InvalidParameter", 400, "invalid-input"],
  ["volcengine", "InvalidKeyStatus", 400, "invalid-input"],
  ["volcengine", "InvalidOperation", 400, "invalid-input"],
  ["volcengine", "InvalidActionOrVersion", 404, "invalid-input"],
  ["volcengine", "KMS_ServiceNotOpen", 400, "fatal"],
  // Tencent API 3.0 (errors come with HTTP 200)
  ["tencent", "RequestLimitExceeded", 200, "throttled"],
  ["tencent", "RequestLimitExceeded.UinLimitExceeded", 200, "throttled"],
  ["tencent", "RequestLimitExceeded.IPLimitExceeded", 200, "throttled"],
  ["tencent", "AuthFailure.SignatureFailure", 200, "auth"],
  ["tencent", "AuthFailure.SignatureExpire", 200, "auth"],
  ["tencent", "AuthFailure.SecretIdNotFound", 200, "auth"],
  ["tencent", "AuthFailure.InvalidSecretId", 200, "auth"],
  ["tencent", "UnauthorizedOperation", 200, "auth"],
  ["tencent", "ResourceUnavailable.CmkNotFound", 200, "not-found"],
  ["tencent", "ResourceNotFound", 200, "not-found"],
  ["tencent", "InvalidParameterValue.AliasAlreadyExists", 200, "invalid-input"],
  ["tencent", "InvalidParameterValue.InvalidKeyId", 200, "invalid-input"],
  ["tencent", "InvalidParameter.InvalidPendingWindowInDays", 200, "invalid-input"],
  ["tencent", "UnknownParameter", 200, "invalid-input"],
  ["tencent", "InvalidAction", 200, "invalid-input"],
  ["tencent", "InternalError", 200, "transient"],
  ["tencent", "InternalError.DbError", 200, "transient"],
  ["tencent", "ServiceUnavailable", 200, "transient"],
  ["tencent", "LimitExceeded.CmkLimitExceeded", 200, "fatal"],
  ["tencent", "ResourceUnavailable.CmkShouldBeDisabled", 200, "fatal"],
  ["tencent", "FailedOperation.CmkUsedByCloudProduct", 200, "fatal"],
  ["tencent", "UnsupportedOperation.ExternalCmkCanNotRotate", 200, "fatal"],
  // Node network failures
  ["alibaba", "ECONNRESET", undefined, "transient"],
  ["volcengine", "ETIMEDOUT", undefined, "transient"],
  ["tencent", "ECONNREFUSED", undefined, "fatal"],
];

describe("classify", () => {
  it.each(CASES)("%s %s (HTTP %s) is %s", (cloud, code, status, expected) => {
    expect(classify(cloud, code, status)).toBe(expected);
  });

  it.each([
    ["alibaba", "InvalidAction.NotFound", 404],
    ["alibaba", "InvalidProduct.NotFound", 404],
    ["volcengine", "ServiceNotFound", 404],
  ] as const)(
    "%s %s (an unknown API, not a missing resource) is not 'not-found', so a read never drops state for it",
    (cloud, code, status) => {
      expect(classify(cloud, code, status)).not.toBe("not-found");
      expect(isRetryable(new CloudError({ cloud, action: "X", code, message: "", httpStatus: status }))).toBe(
        false,
      );
    },
  );

  it("falls back to the HTTP status for unknown codes", () => {
    expect(classify("alibaba", "SomethingNew", 502)).toBe("transient");
    expect(classify("alibaba", "SomethingNew", 400)).toBe("fatal");
    expect(classify("alibaba", "SomethingNew")).toBe("fatal");
  });

  it("retries exactly the throttled, busy and transient classes", () => {
    const make = (errorClass: ErrorClass): CloudError =>
      new CloudError({ cloud: "alibaba", action: "A", code: "C", message: "m", errorClass });
    expect(
      (["throttled", "busy", "transient", "not-found", "invalid-input", "auth", "fatal"] as const).filter(
        (c) => isRetryable(make(c)),
      ),
    ).toEqual(["throttled", "busy", "transient"]);
    expect(isRetryable(new Error("Throttling"))).toBe(false);
  });
});

describe("CloudError", () => {
  const init = {
    cloud: "alibaba" as const,
    action: "DescribeVpnConnection",
    code: "InvalidVpnConnectionInstanceId.NotFound",
    message: "The specified vpn connection does not exist.",
    httpStatus: 400,
    requestId: "5BE5E7F4-2B2C-4F6A-9D5E-1B1C0C1D2E3F",
  };

  it("names the cloud, action, code, cloud message, HTTP status and request id", () => {
    const e = new CloudError(init);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("CloudError");
    expect(e.message).toBe(
      "Alibaba Cloud DescribeVpnConnection failed with InvalidVpnConnectionInstanceId.NotFound: " +
        "The specified vpn connection does not exist. (HTTP 400, request id 5BE5E7F4-2B2C-4F6A-9D5E-1B1C0C1D2E3F)",
    );
    expect(e.errorClass).toBe("not-found");
    expect(isNotFound(e)).toBe(true);
    expect(isCloudError(e)).toBe(true);
    expect(isCloudError(e, "Other", "InvalidVpnConnectionInstanceId.NotFound")).toBe(true);
    expect(isCloudError(e, "Other")).toBe(false);
    expect(isCloudError(new Error("x"))).toBe(false);
  });

  it("labels each cloud and omits what it does not know", () => {
    expect(
      new CloudError({ cloud: "volcengine", action: "DescribeKey", code: "Not Found", message: "" }).message,
    ).toBe("Volcengine DescribeKey failed with Not Found: ");
    expect(
      new CloudError({
        cloud: "tencent",
        action: "DescribeKey",
        code: "InternalError",
        message: "m",
        requestId: "r1",
      }).message,
    ).toBe("Tencent Cloud DescribeKey failed with InternalError: m (request id r1)");
  });

  it("an explicit class wins over classification", () => {
    expect(new CloudError({ ...init, errorClass: "fatal" }).errorClass).toBe("fatal");
  });

  it("withHint appends advice and keeps every field", () => {
    const e = new CloudError(init).withHint("Import it with 'pulumi import' or remove it from the program");
    expect(e).toBeInstanceOf(CloudError);
    expect(e.message).toMatch(/request id 5BE5E7F4.*\)\. Import it with 'pulumi import'/);
    expect({ ...e, message: undefined }).toMatchObject({
      cloud: "alibaba",
      action: "DescribeVpnConnection",
      code: init.code,
      httpStatus: 400,
      requestId: init.requestId,
      errorClass: "not-found",
      cloudMessage: init.message,
    });
  });
});

describe("secrets never reach an error message", () => {
  const psk = "Ab12cd34Ef56";
  const cak = "0123456789abcdef0123456789abcdef";
  const quoted = 'pa"ss\\word/€';
  beforeAll(() => registerSecrets(psk, cak, quoted, undefined, null, "abc"));

  const forms = (v: string): string[] => [
    v,
    v.toUpperCase(),
    JSON.stringify(v).slice(1, -1),
    encodeURIComponent(v),
  ];

  it.each([psk, cak, quoted])("redacts %s as sent, upper-cased, JSON-escaped and URL-encoded", (secret) => {
    for (const form of forms(secret)) {
      const text = `IkeConfig {"Psk":"${form}"} rejected`;
      expect(redact(text)).toBe('IkeConfig {"Psk":"[secret]"} rejected');
    }
  });

  it("redacts every occurrence, leaving no fragment of a longer secret", () => {
    registerSecrets("0123456789abcdef");
    expect(redact(`${cak} and ${cak}`)).toBe("[secret] and [secret]");
  });

  it("redacts an upper-case hex secret that the cloud echoes lower-cased", () => {
    registerSecrets("ABCDEF0123456789ABCDEF0123456789");
    expect(redact("CAK abcdef0123456789abcdef0123456789 rejected")).toBe("CAK [secret] rejected");
  });

  it("ignores values too short to be secrets", () => {
    expect(redact("abc is a word")).toBe("abc is a word");
  });

  it("CloudError redacts the cloud message and the hint", () => {
    const e = new CloudError({
      cloud: "alibaba",
      action: "AssociateMacSecKey",
      code: "IllegalParam.Cak",
      message: `The param of Cak ${cak.toUpperCase()} is illegal.`,
      httpStatus: 400,
      requestId: "req-1",
    }).withHint(`Check the CAK ${cak}; psk ${JSON.stringify(quoted)}`);
    const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    for (const secret of [psk, cak, quoted]) {
      for (const form of forms(secret)) expect(everything).not.toContain(form);
    }
    expect(e.message).toContain("IllegalParam.Cak");
    expect(e.message).toContain("req-1");
    expect(e.message).toContain("HTTP 400");
    expect(e.cloudMessage).toBe("The param of Cak [secret] is illegal.");
  });
});
