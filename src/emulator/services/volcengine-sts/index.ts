// Volcengine STS (2018-01-01): AssumeRole, a signed call (by an IAM user, or another role's session), and
// AssumeRoleWithOIDC, unsigned (the OIDC token is the proof); both return temporary credentials acting in the
// role's account.
// https://www.volcengine.com/docs/6257/86374
import { STS_VERSION } from "../../../clouds/facts/volcengine-sts";
import {
  AssumeRefused,
  type AssumeRequest,
  type Assumed,
  type Refusal,
  StsDirectory,
  isoSeconds,
} from "../../roles";
import { ServiceError, type ActionHandler, type ServiceModel, type ServiceRequest } from "../../types";

const ROLE_TRN = /^trn:iam::(\d+):role\/.+$/;
const SESSION_NAME = /^[\w.@-]{1,64}$/;

// The role codes are unconfirmed (the API page does not list them); they follow the gateway's shapes.
function refusalError(r: Refusal, roleTrn: string): ServiceError {
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
}

function text(req: ServiceRequest, name: string): string {
  const v = req.params[name];
  if (typeof v !== "string" || v === "") {
    throw new ServiceError("MissingParameter", `The request is missing the required parameter ${name}.`, 400);
  }
  return v;
}

/** The provider a token names (its `iss`), for AssumeRoleWithOIDC: Volcengine's call does not name one. */
function issuerOf(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      iss?: unknown;
    };
    return typeof claims.iss === "string" ? claims.iss : "";
  } catch {
    return "";
  }
}

function answer({ session, role, claims }: Assumed, nowMs: number): Record<string, unknown> {
  const name = role.arn.slice(role.arn.indexOf(":role/") + 6);
  return {
    Credentials: {
      CurrentTime: isoSeconds(nowMs),
      ExpiredTime: isoSeconds(session.expiresAtMs),
      // Volcengine's Go SDK reads the OIDC answer's expiry from Expiration.
      ...(claims ? { Expiration: isoSeconds(session.expiresAtMs) } : {}),
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secret,
      SessionToken: session.sessionToken,
    },
    AssumedRoleUser: {
      Trn: `trn:sts::${role.account}:assumed-role/${name}/${session.sessionName}`,
      AssumedRoleId: `${name}:${session.sessionName}`,
    },
  };
}

export function createModel(): ServiceModel {
  const directory = new StsDirectory("volcengine", "volcengineSts", (trn) => ROLE_TRN.exec(trn)?.[1]);

  const assume = (
    req: ServiceRequest,
    ctx: Parameters<ActionHandler>[1],
    caller: AssumeRequest["caller"],
  ): Record<string, unknown> => {
    const roleArn = text(req, "RoleTrn");
    const sessionName = text(req, "RoleSessionName");
    if (!SESSION_NAME.test(sessionName)) {
      throw new ServiceError("InvalidParameter", "RoleSessionName is wrongly formed.", 400);
    }
    const raw = req.params.DurationSeconds;
    const durationSeconds = raw === undefined || raw === "" ? 3600 : Number(raw);
    if (!Number.isInteger(durationSeconds)) {
      throw new ServiceError("InvalidParameter", "DurationSeconds must be an integer.", 400);
    }
    try {
      return answer(directory.assume({ roleArn, sessionName, durationSeconds, caller }, ctx), ctx.now());
    } catch (e) {
      if (e instanceof AssumeRefused) throw refusalError(e.refusal, roleArn);
      throw e;
    }
  };

  const handlers: Record<string, ActionHandler> = {
    AssumeRole: (req, ctx) => assume(req, ctx, { account: req.account }),
    AssumeRoleWithOIDC: (req, ctx) => {
      const token = text(req, "OIDCToken");
      return assume(req, ctx, { oidcProviderId: issuerOf(token), token });
    },
  };

  return {
    key: "volcengineSts",
    cloud: "volcengine",
    service: "sts",
    protocols: ["volcengine"],
    versions: [STS_VERSION],
    actions: (protocol) => (protocol === "volcengine" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
  };
}
