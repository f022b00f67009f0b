import type { Refusal } from "../../roles";
import { ServiceError } from "../../types";
import type { StsWire } from "../sts-assume";

// Tencent Cloud STS error codes; API 3.0 errors travel with HTTP 200. ResourceNotFound.RoleNotExist and
// InvalidParameter.WebIdentityTokenError are on the API pages; the code for a refused trust is unconfirmed.
export const stsErrors = {
  missing: {
    code: "MissingParameter",
    message: (name) => `The parameter \`${name}\` is missing.`,
    httpStatus: 200,
  },
  badSessionName: () =>
    new ServiceError("InvalidParameter.ParamError", "RoleSessionName is wrongly formed.", 200),
  durationNotInteger: () =>
    new ServiceError("InvalidParameter.ParamError", "DurationSeconds must be an integer.", 200),
  refused: (r: Refusal): ServiceError => {
    switch (r.reason) {
      case "role-not-found":
        return new ServiceError("ResourceNotFound.RoleNotExist", "The role does not exist.", 200);
      case "not-trusted":
      case "external-id":
        return new ServiceError(
          "UnauthorizedOperation",
          "The caller is not allowed to assume the role (its trust policy does not name the caller).",
          200,
        );
      case "duration":
        return new ServiceError(
          "InvalidParameter.ParamError",
          `DurationSeconds must be between 900 and ${r.max}.`,
          200,
        );
      case "provider-not-found":
        return new ServiceError(
          "InvalidParameter.WebIdentityTokenError",
          "The identity provider does not exist.",
          200,
        );
      case "oidc-token":
        return new ServiceError("InvalidParameter.WebIdentityTokenError", r.detail, 200);
    }
  },
} satisfies Pick<StsWire, "missing" | "badSessionName" | "durationNotInteger" | "refused">;
