// Volcengine credentials, in the order tried:
// 1. the package's settings: keylink:volcengineAccessKey/-SecretKey/-SessionToken, else VOLCENGINE_ACCESS_KEY /
//    VOLCENGINE_SECRET_KEY / VOLCENGINE_SESSION_TOKEN;
// 2. the Node SDK's (@volcengine/openapi) own defaults: VOLC_ACCESSKEY / VOLC_SECRETKEY, else ~/.volc/config;
// 3. the OIDC role of VOLCENGINE_OIDC_ROLE_TRN and VOLCENGINE_OIDC_TOKEN_FILE (optional
//    VOLCENGINE_OIDC_ROLE_SESSION_NAME, VOLCENGINE_OIDC_STS_ENDPOINT), STS AssumeRoleWithOIDC as Volcengine's Go
//    SDK calls it (the Node SDK has no OIDC provider);
// and then, when keylink:volcengineRoleTrn is set, STS AssumeRole with what was found, through the Node SDK's
// StsService (which signs with a session token too).
// https://www.volcengine.com/docs/6257/86374 (AssumeRole)
import type { sts } from "@volcengine/openapi";
import type * as VolcengineUtils from "@volcengine/openapi/lib/base/utils";
import { ConfigurationError, resolveSettings, type Settings } from "../config";
import { REQUEST_TIMEOUT_MS } from "./call";
import {
  type ChainSpec,
  type CredentialSource,
  NotConfigured,
  type ResolvedCredentials,
  chainWithRole,
  env,
  readTokenFile,
} from "./credentials";
import { CloudError } from "./errors";
import { STS_HOST, STS_VERSION } from "./facts/volcengine-sts";
import { redact } from "./secrets";

const STS_REGION = "cn-north-1";

interface StsCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  ExpiredTime?: string;
  Expiration?: string;
}

interface StsResponse {
  ResponseMetadata?: { RequestId?: string; Error?: { Code?: string; Message?: string } };
  Result?: { Credentials?: StsCredentials };
}

function temporary(action: string, res: StsResponse, source: string, hint: string): ResolvedCredentials {
  const meta = res?.ResponseMetadata;
  if (meta?.Error) {
    throw new CloudError({
      cloud: "volcengine",
      action,
      code: meta.Error.Code ?? "UnknownError",
      message: meta.Error.Message ?? "",
      requestId: meta.RequestId,
      hint,
    });
  }
  const c = res?.Result?.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new ConfigurationError(`Volcengine ${action} answered without credentials. ${hint}`);
  }
  const expires = Date.parse(c.ExpiredTime ?? c.Expiration ?? "");
  return {
    accessKeyId: c.AccessKeyId,
    secret: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(Number.isNaN(expires) ? {} : { expiresAtMs: expires }),
    source,
  };
}

function stsTarget(settings: Settings, override?: string): { host: string; protocol: string } {
  if (settings.target === "emulator") {
    const u = new URL(settings.emulatorUrl);
    return { host: u.host, protocol: u.protocol };
  }
  return { host: override ?? STS_HOST, protocol: "https:" };
}

function defaultChain(settings: Settings): CredentialSource[] {
  return [
    {
      name: "SDK defaults",
      get: async () => {
        // Read now (the SDK reads them once, when it is loaded): VOLC_ACCESSKEY/VOLC_SECRETKEY, else ~/.volc/config.
        const d = (
          require("@volcengine/openapi/lib/base/utils") as typeof VolcengineUtils
        ).getDefaultOption();
        if (!d.accessKeyId || !d.secretKey) {
          throw new NotConfigured("VOLC_ACCESSKEY/VOLC_SECRETKEY and ~/.volc/config set no key");
        }
        return {
          accessKeyId: d.accessKeyId,
          secret: d.secretKey,
          source: "VOLC_ACCESSKEY or ~/.volc/config",
        };
      },
    },
    {
      name: "OIDC role",
      get: async () => {
        const roleTrn = env("VOLCENGINE_OIDC_ROLE_TRN");
        const tokenFile = env("VOLCENGINE_OIDC_TOKEN_FILE");
        if (!roleTrn || !tokenFile) {
          throw new NotConfigured("VOLCENGINE_OIDC_ROLE_TRN and VOLCENGINE_OIDC_TOKEN_FILE are not both set");
        }
        const token = readTokenFile("VOLCENGINE_OIDC_TOKEN_FILE", tokenFile);
        const hint =
          `Check VOLCENGINE_OIDC_ROLE_TRN (${roleTrn}) and the token in VOLCENGINE_OIDC_TOKEN_FILE (${tokenFile}): ` +
          `the role must trust the token's provider and the token must be current.`;
        const { host, protocol } = stsTarget(settings, env("VOLCENGINE_OIDC_STS_ENDPOINT"));
        const url = `${protocol}//${host}/?Action=AssumeRoleWithOIDC&Version=${STS_VERSION}`;
        let res: StsResponse;
        try {
          const answer = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              RoleTrn: roleTrn,
              OIDCToken: token,
              RoleSessionName: env("VOLCENGINE_OIDC_ROLE_SESSION_NAME") ?? "pulumi-keylink",
              DurationSeconds: "3600",
            }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          res = (await answer.json()) as StsResponse;
        } catch (e) {
          throw new ConfigurationError(
            redact(`Volcengine AssumeRoleWithOIDC failed: ${(e as Error).message}. ${hint}`),
          );
        }
        return temporary("AssumeRoleWithOIDC", res, `OIDC role ${roleTrn}`, hint);
      },
    },
  ];
}

/** The chain for the current settings; pass it to withCredentials. */
export function volcengineCredentials(settings: Settings = resolveSettings()): ChainSpec {
  return chainWithRole(settings, {
    cloud: "volcengine",
    envNames: [
      "VOLC_ACCESSKEY",
      "VOLC_SECRETKEY",
      "VOLCENGINE_OIDC_ROLE_TRN",
      "VOLCENGINE_OIDC_TOKEN_FILE",
      "VOLCENGINE_OIDC_ROLE_SESSION_NAME",
      "VOLCENGINE_OIDC_STS_ENDPOINT",
    ],
    missing: "keylink:volcengineAccessKey/-SecretKey and VOLCENGINE_ACCESS_KEY/_SECRET_KEY are not set",
    advice:
      "Set 'pulumi config set keylink:volcengineAccessKey ...' and 'pulumi config set --secret " +
      "keylink:volcengineSecretKey ...' (plus keylink:volcengineSessionToken for temporary credentials), or the " +
      "environment variables VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY, or an OIDC role " +
      "(VOLCENGINE_OIDC_ROLE_TRN, VOLCENGINE_OIDC_TOKEN_FILE).",
    defaultChain: () => defaultChain(settings),
    assumeRole: (role, base) => async () => {
      const from = await base();
      const hint =
        `Check keylink:volcengineRoleTrn (${role.arn}): the role must exist and trust the account of the ` +
        `credentials used to assume it (${from.source}).`;
      const { host, protocol } = stsTarget(settings);
      const service = new (require("@volcengine/openapi") as { sts: typeof sts }).sts.StsService({
        host,
        protocol,
        region: STS_REGION,
        serviceName: "sts",
        accessKeyId: from.accessKeyId,
        secretKey: from.secret,
        ...(from.sessionToken ? { sessionToken: from.sessionToken } : {}),
      });
      let res: StsResponse;
      try {
        res = (await service.AssumeRole(
          {
            RoleTrn: role.arn,
            RoleSessionName: role.sessionName,
            ...(role.durationSeconds !== undefined ? { DurationSeconds: role.durationSeconds } : {}),
          },
          { timeout: REQUEST_TIMEOUT_MS } as never,
        )) as StsResponse;
      } catch (e) {
        throw new ConfigurationError(
          redact(`Volcengine AssumeRole failed: ${(e as Error).message}. ${hint}`),
        );
      }
      return temporary("AssumeRole", res, `role ${role.arn} (keylink:volcengineRoleTrn)`, hint);
    },
  });
}
