import { type Assumed, type StsDirectory, isoSeconds } from "../../roles";
import type { ActionHandler, ServiceContext } from "../../types";
import { type StsWire, assumeRole, assumeWithProvider } from "../sts-assume";
import { stsErrors } from "./errors";

// Action handlers: AssumeRole (signed by a RAM user or another role's session) and AssumeRoleWithOIDC (unsigned;
// the OIDC token is the proof). The wire layer adds RequestId and the envelope.
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc

const wire: StsWire = {
  ...stsErrors,
  roleParam: "RoleArn",
  externalIdParam: "ExternalId",
  sessionName: /^[\w.@-]{2,64}$/,
  defaultDurationSeconds: 3600,
  emptyDurationIsDefault: false,
};

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

export function actions(directory: StsDirectory): Record<string, ActionHandler> {
  const names = { provider: "OIDCProviderArn", token: "OIDCToken" };
  return {
    AssumeRole: (req, ctx) => answer(assumeRole(directory, wire, req, ctx)),
    AssumeRoleWithOIDC: (req, ctx) => answer(assumeWithProvider(directory, wire, names, req, ctx)),
  };
}

/** The answer ALIBABA_CLOUD_CREDENTIALS_URI must give (@alicloud/credentials' URI provider). */
export function instanceCredentials(
  directory: StsDirectory,
  ctx: ServiceContext,
): Record<string, unknown> | undefined {
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
}
