// One STS service of the emulator loaded with roles (trusting account 111, their own account 222 and the OIDC
// provider, sessions up to 7200 s) and that provider, for the STS routes' tests: `call` runs an action as the wire
// layer would.
import { Sessions } from "../../src/emulator/sessions";
import type { ServiceContext, ServiceModel } from "../../src/emulator/types";
import { testIdp } from "./oidc";
import { serviceErrorOf } from "./service-error";
import { serviceRequest } from "./service-request";

export const STS_NOW = Date.UTC(2026, 0, 1);
export const TRUSTED_ACCOUNT = "111";

/** A service context on a fixed clock that issues sessions, as the emulator's store does. */
export function stsContext(nowMs = STS_NOW, sessions = new Sessions()): ServiceContext {
  return {
    now: () => nowMs,
    durationMs: () => 0,
    changed: () => undefined,
    issueSession: (init) => sessions.issue(init),
  };
}

export interface StsHarness {
  /** What the handler returns, or throws (a ServiceError). */
  call(action: string, params: Record<string, unknown>, account?: string): Record<string, unknown>;
  /** The [code, HTTP status, message] of the ServiceError the action throws. */
  refusal(action: string, params: Record<string, unknown>, account?: string): [string, number, string];
  /** An ID token of the provider, valid at STS_NOW. */
  token: string;
}

export function stsHarness(
  createModel: () => ServiceModel,
  roles: { arn: string; externalId?: string }[],
  /** Volcengine finds the provider by the token's issuer: its id is the issuer there. */
  providerId = "p1",
): StsHarness {
  const model = createModel();
  const ctx = stsContext();
  const idp = testIdp("https://issuer.example", "aud-1");
  model.loadFixtures(
    {
      roles: roles.map((r) => ({
        ...r,
        trustedAccounts: [TRUSTED_ACCOUNT, "222"],
        oidcProviders: [providerId],
        maxSessionDurationSeconds: 7200,
      })),
      oidcProviders: [
        { id: providerId, issuer: idp.issuer, audiences: [idp.audience], publicKeyPem: idp.publicKeyPem },
      ],
    },
    ctx,
  );
  const handlers = model.actions(model.protocols[0]);
  const api = {
    cloud: model.cloud,
    protocol: model.protocols[0],
    service: "sts",
    version: model.versions[0],
  };
  const harness: StsHarness = {
    call: (action, params, account = TRUSTED_ACCOUNT) =>
      handlers[action](serviceRequest(api, action, params, { region: "", account }), ctx) as Record<
        string,
        unknown
      >,
    refusal: (action, params, account) => {
      const e = serviceErrorOf(() => harness.call(action, params, account));
      return [e.code, e.httpStatus, e.message];
    },
    token: idp.token({ nowMs: STS_NOW }),
  };
  return harness;
}
