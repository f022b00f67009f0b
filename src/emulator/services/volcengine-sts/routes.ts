import { type Assumed, type StsDirectory, isoSeconds } from "../../roles";
import type { ActionHandler } from "../../types";
import { type StsWire, assume, assumeRole, readAssume, stsParams } from "../sts-assume";
import { stsErrors } from "./errors";

// Action handlers: AssumeRole, a signed call (by an IAM user, or another role's session), and AssumeRoleWithOIDC,
// unsigned (the OIDC token is the proof); both return temporary credentials acting in the role's account. The wire
// layer adds the ResponseMetadata envelope.
// https://www.volcengine.com/docs/6257/86374

const wire: StsWire = {
  ...stsErrors,
  roleParam: "RoleTrn",
  sessionName: /^[\w.@-]{1,64}$/,
  defaultDurationSeconds: 3600,
  emptyDurationIsDefault: true,
};

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

export function actions(directory: StsDirectory): Record<string, ActionHandler> {
  return {
    AssumeRole: (req, ctx) => answer(assumeRole(directory, wire, req, ctx), ctx.now()),
    AssumeRoleWithOIDC: (req, ctx) => {
      const p = stsParams(req, wire);
      const token = p.str("OIDCToken", { required: true });
      const c = readAssume(p, wire);
      const caller = { oidcProviderId: issuerOf(token), token };
      return answer(assume(directory, wire, { ...c, caller }, ctx), ctx.now());
    },
  };
}
