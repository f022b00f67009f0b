import type { Refusal } from "../../roles";
import { ServiceError } from "../../types";
import type { StsWire } from "../sts-assume";

// Alibaba Cloud STS error codes, from the STS API pages' error lists; the OIDC token codes' wording varies by cause
// and is unconfirmed.
export const stsErrors = {
  missing: {
    code: "MissingParameter",
    message: (name) => `${name} is mandatory for this action.`,
    httpStatus: 400,
  },
  badSessionName: () =>
    new ServiceError(
      "InvalidParameter.RoleSessionName",
      "The parameter RoleSessionName is wrongly formed.",
      400,
    ),
  durationNotInteger: () =>
    new ServiceError(
      "InvalidParameter.DurationSeconds",
      "The parameter DurationSeconds is not an integer.",
      400,
    ),
  refused: (r: Refusal, roleArn: string): ServiceError => {
    switch (r.reason) {
      case "role-not-found":
        return new ServiceError("EntityNotExist.Role", `The role not exists: ${roleArn}.`, 404);
      case "not-trusted":
      case "external-id":
        return new ServiceError(
          "NoPermission",
          "You are not authorized to do this action. You should be authorized by RAM.",
          403,
        );
      case "duration":
        return new ServiceError(
          "InvalidParameter.DurationSeconds",
          `The parameter DurationSeconds must be between 900 and ${r.max}.`,
          400,
        );
      case "provider-not-found":
        return new ServiceError(
          "EntityNotExist.OIDCProvider",
          "The specified OIDC provider does not exist.",
          404,
        );
      case "oidc-token":
        return new ServiceError(
          r.expired ? "AuthenticationFail.OIDCToken.Expired" : "AuthenticationFail.OIDCToken.Invalid",
          r.detail,
          400,
        );
    }
  },
} satisfies Pick<StsWire, "missing" | "badSessionName" | "durationNotInteger" | "refused">;
