import { createModel } from "../../../../../src/emulator/services/alibaba-sts";
import { STS_NOW, stsHarness } from "../../../../support/sts";

const ROLE = "acs:ram::222:role/deployer";
const GUARDED = "acs:ram::222:role/guarded";
const sts = stsHarness(createModel, [{ arn: ROLE }, { arn: GUARDED, externalId: "ext" }]);
const base = { RoleArn: ROLE, RoleSessionName: "ci" };

describe("Alibaba STS routes", () => {
  it("AssumeRole answers the assumed role and credentials expiring after 3600 s by default", () => {
    const r = sts.call("AssumeRole", base) as {
      AssumedRoleUser: { Arn: string };
      Credentials: Record<string, string>;
    };
    expect(r.AssumedRoleUser.Arn).toBe("acs:ram::222:assumed-role/deployer/ci");
    expect(r.Credentials.Expiration).toBe(new Date(STS_NOW + 3600_000).toISOString().replace(".000", ""));
    expect(Object.keys(r.Credentials).sort()).toEqual([
      "AccessKeyId",
      "AccessKeySecret",
      "Expiration",
      "SecurityToken",
    ]);
  });

  it("answers each wrong request with Alibaba's code and status", () => {
    expect(sts.refusal("AssumeRole", { RoleSessionName: "ci" })).toEqual([
      "MissingParameter",
      400,
      "RoleArn is mandatory for this action.",
    ]);
    expect(sts.refusal("AssumeRole", { ...base, RoleSessionName: "x" })[0]).toBe(
      "InvalidParameter.RoleSessionName",
    );
    expect(sts.refusal("AssumeRole", { ...base, DurationSeconds: "1.5" })[0]).toBe(
      "InvalidParameter.DurationSeconds",
    );
    expect(sts.refusal("AssumeRole", { ...base, DurationSeconds: "" })[2]).toBe(
      "The parameter DurationSeconds must be between 900 and 7200.",
    );
    expect(sts.refusal("AssumeRole", { ...base, RoleArn: "acs:ram::222:role/none" })).toEqual([
      "EntityNotExist.Role",
      404,
      "The role not exists: acs:ram::222:role/none.",
    ]);
    expect(sts.refusal("AssumeRole", base, "999")[0]).toBe("NoPermission");
    expect(sts.refusal("AssumeRole", { ...base, RoleArn: GUARDED })[0]).toBe("NoPermission");
  });

  it("AssumeRole with the role's ExternalId is accepted", () => {
    expect(sts.call("AssumeRole", { ...base, RoleArn: GUARDED, ExternalId: "ext" })).toHaveProperty(
      "Credentials",
    );
  });

  it("AssumeRoleWithOIDC answers the token's claims; an unknown provider is EntityNotExist.OIDCProvider", () => {
    const r = sts.call("AssumeRoleWithOIDC", { ...base, OIDCProviderArn: "p1", OIDCToken: sts.token });
    expect(r.OIDCTokenInfo).toMatchObject({ Issuer: "https://issuer.example", ClientIds: "aud-1" });
    expect(
      sts.refusal("AssumeRoleWithOIDC", { ...base, OIDCProviderArn: "p2", OIDCToken: sts.token }),
    ).toEqual(["EntityNotExist.OIDCProvider", 404, "The specified OIDC provider does not exist."]);
    expect(sts.refusal("AssumeRoleWithOIDC", { ...base, OIDCProviderArn: "p1", OIDCToken: "a.b.c" })[0]).toBe(
      "AuthenticationFail.OIDCToken.Invalid",
    );
  });
});
