// Tencent Cloud STS (sts 2018-08-13): AssumeRole (signed) and AssumeRoleWithWebIdentity (Authorization: SKIP;
// the OIDC token is the proof).
// https://www.tencentcloud.com/document/product/1150/43296 (AssumeRole)
// https://www.tencentcloud.com/document/product/1150/49454 (AssumeRoleWithWebIdentity)
import { STS_VERSION } from "../../../clouds/facts/tencent-sts";
import { AssumeRefused, type Assumed, type Refusal, StsDirectory, isoSeconds } from "../../roles";
import { ServiceError, type ActionHandler, type ServiceModel, type ServiceRequest } from "../../types";

const ROLE_ARN = /^qcs::cam::uin\/(\d+):role(?:Name)?\/.+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

// Tencent API 3.0 errors travel with HTTP 200. ResourceNotFound.RoleNotExist and
// InvalidParameter.WebIdentityTokenError are on the API pages; the code for a refused trust is unconfirmed.
function refusalError(r: Refusal): ServiceError {
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
}

function text(req: ServiceRequest, name: string): string {
  const v = req.params[name];
  if (typeof v !== "string" || v === "") {
    throw new ServiceError("MissingParameter", `The parameter \`${name}\` is missing.`, 200);
  }
  return v;
}

function common(req: ServiceRequest): { roleArn: string; sessionName: string; durationSeconds: number } {
  const roleArn = text(req, "RoleArn");
  const sessionName = text(req, "RoleSessionName");
  if (!SESSION_NAME.test(sessionName)) {
    throw new ServiceError("InvalidParameter.ParamError", "RoleSessionName is wrongly formed.", 200);
  }
  const raw = req.params.DurationSeconds;
  const durationSeconds = raw === undefined ? 7200 : Number(raw);
  if (!Number.isInteger(durationSeconds)) {
    throw new ServiceError("InvalidParameter.ParamError", "DurationSeconds must be an integer.", 200);
  }
  return { roleArn, sessionName, durationSeconds };
}

function answer({ session }: Assumed): Record<string, unknown> {
  return {
    Credentials: {
      Token: session.sessionToken,
      TmpSecretId: session.accessKeyId,
      TmpSecretKey: session.secret,
    },
    ExpiredTime: Math.floor(session.expiresAtMs / 1000),
    Expiration: isoSeconds(session.expiresAtMs),
  };
}

export function createModel(): ServiceModel {
  const directory = new StsDirectory("tencent", "tencentSts", (arn) => ROLE_ARN.exec(arn)?.[1]);

  const run = (fn: () => Assumed): Record<string, unknown> => {
    try {
      return answer(fn());
    } catch (e) {
      if (e instanceof AssumeRefused) throw refusalError(e.refusal);
      throw e;
    }
  };

  const handlers: Record<string, ActionHandler> = {
    AssumeRole: (req, ctx) => {
      const c = common(req);
      const externalId = typeof req.params.ExternalId === "string" ? req.params.ExternalId : undefined;
      return run(() => directory.assume({ ...c, externalId, caller: { account: req.account } }, ctx));
    },
    AssumeRoleWithWebIdentity: (req, ctx) => {
      const c = common(req);
      const oidcProviderId = text(req, "ProviderId");
      const token = text(req, "WebIdentityToken");
      return run(() => directory.assume({ ...c, caller: { oidcProviderId, token } }, ctx));
    },
  };

  return {
    key: "tencentSts",
    cloud: "tencent",
    service: "sts",
    protocols: ["tencent-tc3"],
    versions: [STS_VERSION],
    actions: (protocol) => (protocol === "tencent-tc3" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
  };
}
