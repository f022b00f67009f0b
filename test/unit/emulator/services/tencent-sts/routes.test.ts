import { createModel } from "../../../../../src/emulator/services/tencent-sts";
import { STS_NOW, stsHarness } from "../../../../support/sts";

const ROLE = "qcs::cam::uin/222:roleName/deployer";
const sts = stsHarness(createModel, [{ arn: ROLE }]);
const base = { RoleArn: ROLE, RoleSessionName: "ci" };

describe("Tencent STS routes", () => {
  it("AssumeRole answers credentials expiring after 7200 s by default (ExpiredTime in seconds)", () => {
    const r = sts.call("AssumeRole", base);
    expect(r.ExpiredTime).toBe(STS_NOW / 1000 + 7200);
    expect(Object.keys(r.Credentials as object).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
  });

  it("answers each wrong request with Tencent's code, in HTTP 200", () => {
    expect(sts.refusal("AssumeRole", { RoleArn: ROLE })).toEqual([
      "MissingParameter",
      200,
      "The parameter `RoleSessionName` is missing.",
    ]);
    expect(sts.refusal("AssumeRole", { ...base, RoleSessionName: "a/b" })[0]).toBe(
      "InvalidParameter.ParamError",
    );
    expect(sts.refusal("AssumeRole", { ...base, DurationSeconds: 7201 })).toEqual([
      "InvalidParameter.ParamError",
      200,
      "DurationSeconds must be between 900 and 7200.",
    ]);
    expect(sts.refusal("AssumeRole", { ...base, RoleArn: "qcs::cam::uin/222:roleName/none" })[0]).toBe(
      "ResourceNotFound.RoleNotExist",
    );
    expect(sts.refusal("AssumeRole", base, "999")[0]).toBe("UnauthorizedOperation");
  });

  it("AssumeRoleWithWebIdentity takes the provider's token; another provider is WebIdentityTokenError", () => {
    const oidc = { ...base, ProviderId: "p1", WebIdentityToken: sts.token };
    expect(sts.call("AssumeRoleWithWebIdentity", oidc)).toHaveProperty("Credentials");
    expect(sts.refusal("AssumeRoleWithWebIdentity", { ...oidc, ProviderId: "p2" })).toEqual([
      "InvalidParameter.WebIdentityTokenError",
      200,
      "The identity provider does not exist.",
    ]);
  });
});
