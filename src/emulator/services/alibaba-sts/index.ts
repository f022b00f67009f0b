// Alibaba Cloud STS (2015-04-01): AssumeRole (signed by a RAM user or another role's session) and
// AssumeRoleWithOIDC (unsigned; the OIDC token is the proof).
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc
import { AssumeRefused, type Assumed, type Refusal, StsDirectory, isoSeconds } from "../../roles";
import { ServiceError, type ActionHandler, type ServiceModel, type ServiceRequest } from "../../types";

const ROLE_ARN = /^acs:ram::(\d+):role\/.+$/i;
const SESSION_NAME = /^[\w.@-]{2,64}$/;

// Codes from the STS API pages' error lists; the OIDC token codes' wording varies by cause and is unconfirmed.
function refusalError(r: Refusal, roleArn: string): ServiceError {
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
}

function text(req: ServiceRequest, name: string): string {
  const v = req.params[name];
  if (typeof v !== "string" || v === "")
    throw new ServiceError(`MissingParameter`, `${name} is mandatory for this action.`, 400);
  return v;
}

function common(req: ServiceRequest): { roleArn: string; sessionName: string; durationSeconds: number } {
  const roleArn = text(req, "RoleArn");
  const sessionName = text(req, "RoleSessionName");
  if (!SESSION_NAME.test(sessionName)) {
    throw new ServiceError(
      "InvalidParameter.RoleSessionName",
      "The parameter RoleSessionName is wrongly formed.",
      400,
    );
  }
  const raw = req.params.DurationSeconds;
  const durationSeconds = raw === undefined ? 3600 : Number(raw);
  if (!Number.isInteger(durationSeconds)) {
    throw new ServiceError(
      "InvalidParameter.DurationSeconds",
      "The parameter DurationSeconds is not an integer.",
      400,
    );
  }
  return { roleArn, sessionName, durationSeconds };
}

function answer({ session, role, claims }: Assumed): Record<string, unknown> {
  const name = role.arn.slice(role.arn.indexOf(":role/") + 6);
  return {
    AssumedRoleUser: {
      Arn: `acs:ram::${role.account}:assumed-role/${name}/${session.sessionName}`,
      AssumedRoleId: `3${role.account.slice(-8).padStart(8, "0")}${name.length}:${session.sessionName}`,
    },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      AccessKeySecret: session.secret,
      SecurityToken: session.sessionToken,
      Expiration: isoSeconds(session.expiresAtMs),
    },
    ...(claims
      ? {
          OIDCTokenInfo: {
            Subject: claims.sub,
            Issuer: claims.iss,
            ClientIds: claims.aud.join(","),
            ExpirationTime: isoSeconds(claims.exp * 1000),
          },
        }
      : {}),
  };
}

export function createModel(): ServiceModel {
  const directory = new StsDirectory("alibaba", "alibabaSts", (arn) => ROLE_ARN.exec(arn)?.[1]);

  const run = (req: ServiceRequest, fn: () => Assumed): Record<string, unknown> => {
    try {
      return answer(fn());
    } catch (e) {
      if (e instanceof AssumeRefused) throw refusalError(e.refusal, String(req.params.RoleArn));
      throw e;
    }
  };

  const handlers: Record<string, ActionHandler> = {
    AssumeRole: (req, ctx) => {
      const c = common(req);
      const externalId = typeof req.params.ExternalId === "string" ? req.params.ExternalId : undefined;
      return run(req, () => directory.assume({ ...c, externalId, caller: { account: req.account } }, ctx));
    },
    AssumeRoleWithOIDC: (req, ctx) => {
      const c = common(req);
      const oidcProviderId = text(req, "OIDCProviderArn");
      const token = text(req, "OIDCToken");
      return run(req, () => directory.assume({ ...c, caller: { oidcProviderId, token } }, ctx));
    },
  };

  return {
    key: "alibabaSts",
    cloud: "alibaba",
    service: "sts",
    protocols: ["alibaba-rpc"],
    versions: ["2015-04-01"],
    actions: (protocol) => (protocol === "alibaba-rpc" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
    // The answer ALIBABA_CLOUD_CREDENTIALS_URI must give (@alicloud/credentials' URI provider).
    instanceCredentials: (ctx) => {
      const assumed = directory.assumeAsInstance(ctx);
      if (!assumed) return undefined;
      const { session } = assumed;
      return {
        Code: "Success",
        AccessKeyId: session.accessKeyId,
        AccessKeySecret: session.secret,
        SecurityToken: session.sessionToken,
        Expiration: isoSeconds(session.expiresAtMs),
      };
    },
  };
}
