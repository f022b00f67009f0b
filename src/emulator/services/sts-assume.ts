// What the three STS services' routes share: reading AssumeRole's role, session name and duration with
// ParamReader, and asking the StsDirectory (src/emulator/roles.ts), whose refusal each cloud renders in its own
// error. The per-cloud data (parameter names, patterns, defaults, codes) stays in each service's routes and errors.
import { ParamReader } from "../params";
import { AssumeRefused, type AssumeRequest, type Assumed, type Refusal, type StsDirectory } from "../roles";
import type { ServiceContext, ServiceError, ServiceRequest } from "../types";

export interface StsWire {
  /** The cloud's error for a required parameter that is absent, empty or not a string. */
  missing: { code: string; message: (name: string) => string; httpStatus: number };
  /** The parameter naming the role: RoleArn (Alibaba, Tencent), RoleTrn (Volcengine). */
  roleParam: string;
  /** AssumeRole's ExternalId parameter, for the clouds that take one. */
  externalIdParam?: string;
  sessionName: RegExp;
  badSessionName: () => ServiceError;
  defaultDurationSeconds: number;
  /** Volcengine reads an empty DurationSeconds as absent; the others as 0, which the role's range refuses. */
  emptyDurationIsDefault: boolean;
  durationNotInteger: () => ServiceError;
  refused: (refusal: Refusal, roleArn: string) => ServiceError;
}

export type AssumeParams = Pick<AssumeRequest, "roleArn" | "sessionName" | "durationSeconds">;

/** A request's parameters; a value that is not a string is answered as missing, as these services always did. */
export function stsParams(req: ServiceRequest, wire: StsWire): ParamReader {
  const { code, message, httpStatus } = wire.missing;
  return new ParamReader(req.params, {
    missing: code,
    invalid: code,
    httpStatus,
    missingMessage: message,
    invalidMessage: message,
  });
}

export function readAssume(p: ParamReader, wire: StsWire): AssumeParams {
  const roleArn = p.str(wire.roleParam, { required: true });
  const sessionName = p.str("RoleSessionName", { required: true });
  if (!wire.sessionName.test(sessionName)) throw wire.badSessionName();
  const raw = p.text("DurationSeconds");
  const durationSeconds =
    raw === undefined || (raw === "" && wire.emptyDurationIsDefault)
      ? wire.defaultDurationSeconds
      : Number(raw);
  if (!Number.isInteger(durationSeconds)) throw wire.durationNotInteger();
  return { roleArn, sessionName, durationSeconds };
}

/** AssumeRole: a signed call, the caller is the signing account. */
export function assumeRole(
  directory: StsDirectory,
  wire: StsWire,
  req: ServiceRequest,
  ctx: ServiceContext,
): Assumed {
  const p = stsParams(req, wire);
  const c = readAssume(p, wire);
  const externalId = wire.externalIdParam === undefined ? undefined : p.text(wire.externalIdParam);
  return assume(directory, wire, { ...c, externalId, caller: { account: req.account } }, ctx);
}

/** The unsigned OIDC call whose request names the provider (Alibaba's OIDCProviderArn, Tencent's ProviderId). */
export function assumeWithProvider(
  directory: StsDirectory,
  wire: StsWire,
  names: { provider: string; token: string },
  req: ServiceRequest,
  ctx: ServiceContext,
): Assumed {
  const p = stsParams(req, wire);
  const c = readAssume(p, wire);
  const oidcProviderId = p.str(names.provider, { required: true });
  const token = p.str(names.token, { required: true });
  return assume(directory, wire, { ...c, caller: { oidcProviderId, token } }, ctx);
}

export function assume(
  directory: StsDirectory,
  wire: StsWire,
  request: AssumeRequest,
  ctx: ServiceContext,
): Assumed {
  try {
    return directory.assume(request, ctx);
  } catch (e) {
    if (e instanceof AssumeRefused) throw wire.refused(e.refusal, request.roleArn);
    throw e;
  }
}
