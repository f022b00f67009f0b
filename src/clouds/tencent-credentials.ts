// Tencent Cloud credentials, in the order tried:
// 1. the package's settings: keylink:tencentSecretId/-SecretKey/-SessionToken, else TENCENTCLOUD_SECRET_ID /
//    _SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN (the SDK's EnvironmentVariableCredential reads the same names);
// 2. the SDK's DefaultCredentialProvider order: ProfileCredential (~/.tencentcloud/credentials, else
//    /etc/tencentcloud/credentials), CvmRoleCredential (instance metadata), then the OIDC role of TKE_REGION,
//    TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN (AssumeRoleWithWebIdentity);
// and then, when keylink:tencentRoleArn is set, AssumeRole with what was found.
// The SDK's STSCredential and OIDCRoleArnCredential keep only the error's text (not its code or request id) and
// always call sts.tencentcloudapi.com; their two STS calls are made here with the SDK's CommonClient instead,
// exactly as they make them, so that errors keep the cloud's code and the emulator can stand in for STS.
// https://www.tencentcloud.com/document/product/1150/43296 (AssumeRole)
// https://www.tencentcloud.com/document/product/1150/49454 (AssumeRoleWithWebIdentity)
import { homedir } from "node:os";
import type * as TencentSdk from "tencentcloud-sdk-nodejs-common";
import { ConfigurationError, resolveSettings, type Settings } from "../config";
import {
  type ChainSpec,
  type CredentialSource,
  NotConfigured,
  type ResolvedCredentials,
  chainWithRole,
  env,
  readTokenFile,
} from "./credentials";
import { STS_ENDPOINT, STS_VERSION } from "./facts/tencent-sts";
import {
  type TencentSdkError,
  tencentCommonClient,
  tencentEndpoint,
  tencentServiceError,
} from "./tencent-sdk";

// The SDK's STS calls use this region; STS is a global service.
const STS_REGION = "ap-guangzhou";

interface StsAnswer {
  Credentials: { Token: string; TmpSecretId: string; TmpSecretKey: string };
  ExpiredTime: number;
}

async function stsCall(
  settings: Settings,
  action: "AssumeRole" | "AssumeRoleWithWebIdentity",
  params: Record<string, unknown>,
  credential: { secretId: string; secretKey: string; token?: string },
  region: string,
  hint: string,
): Promise<StsAnswer> {
  const client = tencentCommonClient(
    tencentEndpoint(settings, STS_ENDPOINT),
    STS_VERSION,
    credential,
    region,
  );
  try {
    return (await client.request(action, params, {
      skipSign: action === "AssumeRoleWithWebIdentity",
    })) as StsAnswer;
  } catch (e) {
    const serviceError = tencentServiceError(action, e, hint);
    if (serviceError) throw serviceError;
    const se = e as TencentSdkError | undefined;
    throw new ConfigurationError(`Tencent Cloud ${action} failed: ${se?.message ?? String(e)}. ${hint}`);
  }
}

function temporary(a: StsAnswer, source: string): ResolvedCredentials {
  return {
    accessKeyId: a.Credentials.TmpSecretId,
    secret: a.Credentials.TmpSecretKey,
    sessionToken: a.Credentials.Token,
    expiresAtMs: a.ExpiredTime * 1000,
    source,
  };
}

function defaultChain(settings: Settings): CredentialSource[] {
  const emulator = settings.target === "emulator";
  return [
    {
      name: "profile file",
      get: async () => {
        const c = await new (
          require("tencentcloud-sdk-nodejs-common") as typeof TencentSdk
        ).ProfileCredential().getCredential();
        if (!c.secretId || !c.secretKey) {
          throw new NotConfigured(
            `no [default] secret_id/secret_key in ${homedir()}/.tencentcloud/credentials`,
          );
        }
        return {
          accessKeyId: c.secretId,
          secret: c.secretKey,
          ...(c.token ? { sessionToken: c.token } : {}),
          source: "profile file ~/.tencentcloud/credentials",
        };
      },
    },
    {
      name: "CVM role",
      get: async () => {
        // The SDK's metadata address (metadata.tencentyun.com) is fixed: the emulator cannot stand in for it.
        if (emulator) throw new NotConfigured("instance metadata is not reachable against the emulator");
        let c;
        try {
          c = await new (
            require("tencentcloud-sdk-nodejs-common") as typeof TencentSdk
          ).CvmRoleCredential().getCredential();
        } catch (e) {
          throw new NotConfigured((e as Error).message);
        }
        if (!c.secretId || !c.secretKey) throw new NotConfigured("no role bound to this instance");
        return {
          accessKeyId: c.secretId,
          secret: c.secretKey,
          sessionToken: c.token ?? undefined,
          source: "CVM role",
        };
      },
    },
    {
      name: "OIDC role",
      get: async () => {
        const region = env("TKE_REGION");
        const providerId = env("TKE_PROVIDER_ID");
        const tokenFile = env("TKE_WEB_IDENTITY_TOKEN_FILE");
        const roleArn = env("TKE_ROLE_ARN");
        if (!region || !providerId || !tokenFile || !roleArn) {
          throw new NotConfigured(
            "TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not all set",
          );
        }
        const token = readTokenFile("TKE_WEB_IDENTITY_TOKEN_FILE", tokenFile);
        const answer = await stsCall(
          settings,
          "AssumeRoleWithWebIdentity",
          {
            ProviderId: providerId,
            WebIdentityToken: token,
            RoleArn: roleArn,
            RoleSessionName: `tencentcloud-node-sdk-${Date.now() * 1000}`,
          },
          { secretId: "", secretKey: "" },
          region,
          `Check TKE_ROLE_ARN (${roleArn}), TKE_PROVIDER_ID (${providerId}) and the token in ` +
            `TKE_WEB_IDENTITY_TOKEN_FILE (${tokenFile}): the role must trust that provider and the token must be current.`,
        );
        return temporary(answer, `OIDC role ${roleArn}`);
      },
    },
  ];
}

/** The chain for the current settings; pass it to withCredentials. */
export function tencentCredentials(settings: Settings = resolveSettings()): ChainSpec {
  return chainWithRole(settings, {
    cloud: "tencent",
    envNames: ["TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"],
    missing: "keylink:tencentSecretId/-SecretKey and TENCENTCLOUD_SECRET_ID/_SECRET_KEY are not set",
    advice:
      "Set 'pulumi config set keylink:tencentSecretId ...' and 'pulumi config set --secret " +
      "keylink:tencentSecretKey ...' (plus keylink:tencentSessionToken for temporary credentials), or the " +
      "environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or a profile in " +
      "~/.tencentcloud/credentials, or an OIDC role (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN).",
    defaultChain: () => defaultChain(settings),
    assumeRole: (role, base) => async () => {
      const from = await base();
      const answer = await stsCall(
        settings,
        "AssumeRole",
        {
          RoleArn: role.arn,
          RoleSessionName: role.sessionName,
          ...(role.durationSeconds !== undefined ? { DurationSeconds: role.durationSeconds } : {}),
          ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
        },
        { secretId: from.accessKeyId, secretKey: from.secret, token: from.sessionToken },
        STS_REGION,
        `Check keylink:tencentRoleArn (${role.arn}): the role must exist and trust the account of the ` +
          `credentials used to assume it (${from.source})` +
          (role.externalId !== undefined ? ", and keylink:tencentRoleExternalId must match." : "."),
      );
      return temporary(answer, `role ${role.arn} (keylink:tencentRoleArn)`);
    },
  });
}
