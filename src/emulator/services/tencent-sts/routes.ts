import { type Assumed, type StsDirectory, isoSeconds } from "../../roles";
import type { ActionHandler } from "../../types";
import { type StsWire, assumeRole, assumeWithProvider } from "../sts-assume";
import { stsErrors } from "./errors";

// Action handlers: AssumeRole (signed) and AssumeRoleWithWebIdentity (Authorization: SKIP; the OIDC token is the
// proof). The wire layer adds RequestId and the {"Response": {...}} envelope.
// https://www.tencentcloud.com/document/product/1150/43296 (AssumeRole)
// https://www.tencentcloud.com/document/product/1150/49454 (AssumeRoleWithWebIdentity)

const wire: StsWire = {
  ...stsErrors,
  roleParam: "RoleArn",
  externalIdParam: "ExternalId",
  sessionName: /^[\w+=,.@-]{2,128}$/,
  defaultDurationSeconds: 7200,
  emptyDurationIsDefault: false,
};

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

export function actions(directory: StsDirectory): Record<string, ActionHandler> {
  const names = { provider: "ProviderId", token: "WebIdentityToken" };
  return {
    AssumeRole: (req, ctx) => answer(assumeRole(directory, wire, req, ctx)),
    AssumeRoleWithWebIdentity: (req, ctx) => answer(assumeWithProvider(directory, wire, names, req, ctx)),
  };
}
