import type { Refusal } from "../../roles";
import { ServiceError } from "../../types";
import type { StsWire } from "../sts-assume";

// Volcengine STS error codes. The role codes are unconfirmed (the API page does not list them); they follow the
// gateway's shapes.
export const stsErrors = {
  missing: {
    code: "MissingParameter",
    message: (name) => `The request is missing the required parameter ${name}.`,
    httpStatus: 400,
  },
  badSessionName: () => new ServiceError("InvalidParameter", "RoleSessionName is wrongly formed.", 400),
  durationNotInteger: () => new ServiceError("InvalidParameter", "DurationSeconds must be an integer.", 400),
  refused: (r: Refusal, roleTrn: string): ServiceError => {
    switch (r.reason) {
      case "role-not-found":
        return new ServiceError("RoleNotExist", `The role ${roleTrn} does not exist.`, 404);
      case "duration":
        return new ServiceError("InvalidParameter", `DurationSeconds must be between 900 and ${r.max}.`, 400);
      case "provider-not-found":
      case "oidc-token":
        return new ServiceError(
          "InvalidOIDCToken",
          r.reason === "oidc-token" ? r.detail : "No OIDC provider accepts the token.",
          400,
        );
      default:
        return new ServiceError("AccessDenied", `You are not allowed to assume the role ${roleTrn}.`, 403);
    }
  },
} satisfies Pick<StsWire, "missing" | "badSessionName" | "durationNotInteger" | "refused">;
