// Roles and OIDC providers the emulator's STS services know, from the fixtures (one section per cloud), and
// the trust decision every cloud's AssumeRole makes: does the role exist, may this caller assume it, for how
// long. Each STS service renders a refusal in its own error codes.
import { z } from "zod";
import { type OidcClaims, type OidcProvider, oidcProviderSchema, verifyOidcToken } from "./oidc";
import type { Session } from "./sessions";
import type { EmulatorCloud, ServiceContext } from "./types";

export const roleSchema = z.strictObject({
  /** Alibaba `acs:ram::<uid>:role/<name>`, Tencent `qcs::cam::uin/<uin>:roleName/<name>`, Volcengine `trn:iam::<id>:role/<name>`. */
  arn: z.string().min(1),
  /** Accounts whose keys may assume the role; default: the role's own account. */
  trustedAccounts: z.array(z.string().min(1)).optional(),
  /** OIDC providers (ids) whose tokens may assume the role. */
  oidcProviders: z.array(z.string().min(1)).default([]),
  /** The role's maximum session duration (the clouds default to one hour). */
  maxSessionDurationSeconds: z.number().int().min(900).max(43_200).default(3600),
  /** When set, AssumeRole must pass this ExternalId. */
  externalId: z.string().min(1).optional(),
});
export type Role = z.infer<typeof roleSchema> & { account: string };

export const stsFixturesSchema = z.strictObject({
  roles: z.array(roleSchema).default([]),
  /** The role attached to "this instance": what the emulator's instance-credentials endpoint hands out. */
  instanceRole: z.string().min(1).optional(),
  oidcProviders: z.array(oidcProviderSchema).default([]),
});

export type Refusal =
  | { reason: "role-not-found" }
  | { reason: "not-trusted" }
  | { reason: "external-id" }
  | { reason: "duration"; max: number }
  | { reason: "provider-not-found" }
  | { reason: "oidc-token"; detail: string; expired: boolean };

export class AssumeRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

export interface AssumeRequest {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  /** Who calls: an account (AssumeRole, signed) or an OIDC token (unsigned). */
  caller: { account: string } | { oidcProviderId: string; token: string };
  externalId?: string;
}

export interface Assumed {
  session: Session;
  role: Role;
  claims?: OidcClaims;
}

/** The roles and providers of one cloud's STS. `accountOf` reads the account out of a role ARN/TRN. */
export class StsDirectory {
  private roles = new Map<string, Role>();
  private providers = new Map<string, OidcProvider>();
  private instanceRole: string | undefined;

  constructor(
    private readonly cloud: EmulatorCloud,
    private readonly key: string,
    private readonly accountOf: (arn: string) => string | undefined,
  ) {}

  load(fixtures: unknown): void {
    const parsed = stsFixturesSchema.safeParse(fixtures ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      throw new Error(`${this.key}${path}: ${issue.message}`);
    }
    parsed.data.roles.forEach((r, i) => {
      const account = this.accountOf(r.arn);
      if (!account)
        throw new Error(`${this.key}.roles[${i}].arn: '${r.arn}' is not a role name of this cloud`);
      this.roles.set(r.arn, { ...r, account });
    });
    for (const p of parsed.data.oidcProviders) this.providers.set(p.id, p);
    if (parsed.data.instanceRole !== undefined) {
      if (!this.roles.has(parsed.data.instanceRole)) {
        throw new Error(`${this.key}.instanceRole: '${parsed.data.instanceRole}' is not one of the roles`);
      }
      this.instanceRole = parsed.data.instanceRole;
    }
  }

  /** Credentials of the instance's role, as an instance-metadata or credentials-URI endpoint serves them. */
  assumeAsInstance(ctx: ServiceContext): Assumed | undefined {
    const role = this.instanceRole === undefined ? undefined : this.roles.get(this.instanceRole);
    if (!role) return undefined;
    const caller = { account: (role.trustedAccounts ?? [role.account])[0] };
    return this.assume(
      { roleArn: role.arn, sessionName: "instance", durationSeconds: role.maxSessionDurationSeconds, caller },
      ctx,
    );
  }

  /** Decides and, when allowed, issues temporary credentials expiring on the emulator clock. */
  assume(req: AssumeRequest, ctx: ServiceContext): Assumed {
    const role = this.roles.get(req.roleArn);
    if (!role) throw new AssumeRefused({ reason: "role-not-found" });
    let claims: OidcClaims | undefined;
    if ("account" in req.caller) {
      const trusted = role.trustedAccounts ?? [role.account];
      if (!trusted.includes(req.caller.account)) throw new AssumeRefused({ reason: "not-trusted" });
      if (role.externalId !== undefined && req.externalId !== role.externalId) {
        throw new AssumeRefused({ reason: "external-id" });
      }
    } else {
      const provider = this.providers.get(req.caller.oidcProviderId);
      if (!provider) throw new AssumeRefused({ reason: "provider-not-found" });
      try {
        claims = verifyOidcToken(req.caller.token, provider, ctx.now());
      } catch (e) {
        const err = e as Error & { reason?: string };
        throw new AssumeRefused({
          reason: "oidc-token",
          detail: err.message,
          expired: err.reason === "expired",
        });
      }
      if (!role.oidcProviders.includes(provider.id)) throw new AssumeRefused({ reason: "not-trusted" });
    }
    if (req.durationSeconds < 900 || req.durationSeconds > role.maxSessionDurationSeconds) {
      throw new AssumeRefused({ reason: "duration", max: role.maxSessionDurationSeconds });
    }
    if (!ctx.issueSession) throw new Error("this context cannot issue sessions");
    const session = ctx.issueSession({
      cloud: this.cloud,
      account: role.account,
      roleArn: role.arn,
      sessionName: req.sessionName,
      expiresAtMs: ctx.now() + req.durationSeconds * 1000,
    });
    ctx.changed();
    return { session, role, claims };
  }

  reset(): void {
    this.roles.clear();
    this.providers.clear();
    this.instanceRole = undefined;
  }

  toJSON(): unknown {
    return {
      roles: [...this.roles.values()].map(({ account: _account, ...r }) => r),
      oidcProviders: [...this.providers.values()],
      ...(this.instanceRole !== undefined ? { instanceRole: this.instanceRole } : {}),
    };
  }

  fromJSON(state: unknown): void {
    this.reset();
    this.load(state);
  }

  inventory(): unknown {
    return {
      roles: [...this.roles.values()].map((r) => ({ arn: r.arn, account: r.account })),
      oidcProviders: [...this.providers.keys()],
    };
  }
}

/** ISO 8601 in UTC without milliseconds, as the STS answers write expirations. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
