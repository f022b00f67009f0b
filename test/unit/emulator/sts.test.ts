// The emulator's STS rules without HTTP: OIDC token checks, who may assume a role, and the session-token check
// every signature verification makes for a temporary key.
import { verifyOidcToken, OidcTokenError, type OidcProvider } from "../../../src/emulator/oidc";
import { AssumeRefused, StsDirectory } from "../../../src/emulator/roles";
import { Sessions } from "../../../src/emulator/sessions";
import { sessionTokenProblem, type AuthEnv } from "../../../src/emulator/signatures/common";
import { NonceCache } from "../../../src/emulator/nonces";
import { testIdp } from "../../support/oidc";
import { stsContext } from "../../support/sts";

const NOW = Date.UTC(2026, 0, 1);
const idp = testIdp("https://issuer.example", "aud-1");
const provider: OidcProvider = {
  id: "p1",
  issuer: idp.issuer,
  audiences: [idp.audience],
  publicKeyPem: idp.publicKeyPem,
};

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof OidcTokenError) return e.reason;
    if (e instanceof AssumeRefused) return e.refusal.reason;
    throw e;
  }
  return "accepted";
}

describe("verifyOidcToken", () => {
  it("accepts a token signed by the provider's key, for its issuer and audience, before it expires", () => {
    const claims = verifyOidcToken(idp.token({ nowMs: NOW, sub: "ci" }), provider, NOW + 1000);
    expect(claims).toMatchObject({ iss: idp.issuer, sub: "ci", aud: ["aud-1"] });
  });

  it.each([
    ["another key's signature", () => idp.token({ nowMs: NOW, key: testIdp().privateKey }), "signature"],
    ["another provider's token", () => testIdp("https://other", "aud-1").token({ nowMs: NOW }), "signature"],
    ["not a JWT", () => "abc.def", "malformed"],
  ])("refuses %s", (_what, token, expected) => {
    expect(reason(() => verifyOidcToken(token(), provider, NOW))).toBe(expected);
  });

  it("refuses a token past its exp on the emulator clock", () => {
    const token = idp.token({ nowMs: NOW, ttlSeconds: 60 });
    expect(reason(() => verifyOidcToken(token, provider, NOW + 59_000))).toBe("accepted");
    expect(reason(() => verifyOidcToken(token, provider, NOW + 60_000))).toBe("expired");
  });

  it("refuses a token for another audience or issuer even when the key matches", () => {
    expect(
      reason(() => verifyOidcToken(idp.token({ nowMs: NOW }), { ...provider, audiences: ["x"] }, NOW)),
    ).toBe("audience");
    expect(
      reason(() => verifyOidcToken(idp.token({ nowMs: NOW }), { ...provider, issuer: "https://x" }, NOW)),
    ).toBe("issuer");
  });
});

describe("StsDirectory.assume", () => {
  const sessions = new Sessions();
  const ctx = stsContext(NOW, sessions);
  const dir = new StsDirectory("alibaba", "alibabaSts", (arn) => /^acs:ram::(\d+):role\//.exec(arn)?.[1]);
  dir.load({
    roles: [
      { arn: "acs:ram::222:role/r", trustedAccounts: ["111"], oidcProviders: ["p1"], externalId: "ext" },
      { arn: "acs:ram::222:role/own" },
    ],
    oidcProviders: [provider],
  });
  const base = { sessionName: "s", durationSeconds: 3600 };

  it("issues credentials acting in the role's account, expiring on the emulator clock", () => {
    const { session } = dir.assume(
      { ...base, roleArn: "acs:ram::222:role/r", caller: { account: "111" }, externalId: "ext" },
      ctx,
    );
    expect(session).toMatchObject({ account: "222", expiresAtMs: NOW + 3600_000 });
    expect(session.accessKeyId).toMatch(/^STS\./);
    expect(sessions.lookup(session.accessKeyId)?.sessionToken).toBe(session.sessionToken);
  });

  it.each([
    ["an unknown role", { roleArn: "acs:ram::222:role/none", caller: { account: "111" } }, "role-not-found"],
    ["an untrusted account", { roleArn: "acs:ram::222:role/r", caller: { account: "333" } }, "not-trusted"],
    ["a wrong external id", { roleArn: "acs:ram::222:role/r", caller: { account: "111" } }, "external-id"],
    [
      "the role's own account by default",
      { roleArn: "acs:ram::222:role/own", caller: { account: "222" } },
      "accepted",
    ],
    [
      "an OIDC provider the role does not trust",
      {
        roleArn: "acs:ram::222:role/own",
        caller: { oidcProviderId: "p1", token: idp.token({ nowMs: NOW }) },
      },
      "not-trusted",
    ],
    [
      "an unknown OIDC provider",
      { roleArn: "acs:ram::222:role/r", caller: { oidcProviderId: "p9", token: idp.token({ nowMs: NOW }) } },
      "provider-not-found",
    ],
  ])("decides %s", (_what, req, expected) => {
    expect(reason(() => dir.assume({ ...base, ...req }, ctx))).toBe(expected);
  });

  it("refuses a duration beyond the role's maximum", () => {
    const req = {
      ...base,
      durationSeconds: 7200,
      roleArn: "acs:ram::222:role/own",
      caller: { account: "222" },
    };
    expect(reason(() => dir.assume(req, ctx))).toBe("duration");
  });
});

describe("sessionTokenProblem", () => {
  let now = NOW;
  const env: AuthEnv = {
    lookup: () => undefined,
    now: () => now,
    wallNow: () => NOW,
    nonces: new NonceCache(60_000),
  };
  const owner = { secret: "s", account: "222", session: { token: "tok-123456", expiresAtMs: NOW + 1000 } };

  it("needs the temporary key's own token, before it expires", () => {
    expect(sessionTokenProblem(owner, "tok-123456", env)).toBeUndefined();
    expect(sessionTokenProblem(owner, undefined, env)).toBe("missing");
    expect(sessionTokenProblem(owner, "tok-654321", env)).toBe("mismatch");
    now = NOW + 1000;
    expect(sessionTokenProblem(owner, "tok-123456", env)).toBe("expired");
  });

  it("ignores a token sent with a long-lived key", () => {
    expect(sessionTokenProblem({ secret: "s", account: "1" }, "anything", env)).toBeUndefined();
  });
});
