import { createModel } from "../../../../../src/emulator/services/volcengine-sts";
import { stsHarness } from "../../../../support/sts";

const ROLE = "trn:iam::222:role/deployer";
const GUARDED = "trn:iam::222:role/guarded";
const sts = stsHarness(
  createModel,
  [{ arn: ROLE }, { arn: GUARDED, externalId: "ext" }],
  "https://issuer.example",
);
const base = { RoleTrn: ROLE, RoleSessionName: "c" };

describe("Volcengine STS routes", () => {
  it("AssumeRole answers the assumed role's TRN; an empty DurationSeconds is the default", () => {
    const r = sts.call("AssumeRole", { ...base, DurationSeconds: "" });
    expect(r.AssumedRoleUser).toEqual({
      Trn: "trn:sts::222:assumed-role/deployer/c",
      AssumedRoleId: "deployer:c",
    });
    expect(r.Credentials).not.toHaveProperty("Expiration");
  });

  it("answers each wrong request with Volcengine's code and status", () => {
    expect(sts.refusal("AssumeRole", { RoleSessionName: "c" })).toEqual([
      "MissingParameter",
      400,
      "The request is missing the required parameter RoleTrn.",
    ]);
    expect(sts.refusal("AssumeRole", { ...base, DurationSeconds: "x" })[0]).toBe("InvalidParameter");
    expect(sts.refusal("AssumeRole", { ...base, RoleTrn: "trn:iam::222:role/none" })).toEqual([
      "RoleNotExist",
      404,
      "The role trn:iam::222:role/none does not exist.",
    ]);
    // Volcengine's AssumeRole takes no ExternalId: a role that requires one is refused.
    expect(sts.refusal("AssumeRole", { ...base, RoleTrn: GUARDED, ExternalId: "ext" })[0]).toBe(
      "AccessDenied",
    );
  });

  it("AssumeRoleWithOIDC finds the provider by the token's issuer and reads OIDCToken first", () => {
    expect(sts.call("AssumeRoleWithOIDC", { ...base, OIDCToken: sts.token }).Credentials).toHaveProperty(
      "Expiration",
    );
    expect(sts.refusal("AssumeRoleWithOIDC", {})[2]).toBe(
      "The request is missing the required parameter OIDCToken.",
    );
    expect(sts.refusal("AssumeRoleWithOIDC", { ...base, OIDCToken: "a.b.c" })[0]).toBe("InvalidOIDCToken");
  });
});
