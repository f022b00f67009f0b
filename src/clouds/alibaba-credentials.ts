// Alibaba Cloud credentials, in the order tried:
// 1. the package's settings: keylink:alibabaAccessKeyId/-Secret/-SecurityToken, else ALIBABA_CLOUD_ACCESS_KEY_ID /
//    _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN (or ALICLOUD_ACCESS_KEY / _SECRET_KEY / _SECURITY_TOKEN);
// 2. the default chain of @alicloud/credentials, in its order: OIDC role (ALIBABA_CLOUD_ROLE_ARN,
//    ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), the CLI's ~/.aliyun/config.json profile,
//    ~/.alibabacloud/credentials, the ECS RAM role (instance metadata), ALIBABA_CLOUD_CREDENTIALS_URI;
// and then, when keylink:alibabaRoleArn is set, AssumeRole with what was found.
// https://www.alibabacloud.com/help/en/sdk/developer-reference/v2-manage-node-js-access-credentials
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as AlibabaCredentials from "@alicloud/credentials";
import type * as AlibabaCredentialsHttp from "@alicloud/credentials/dist/src/providers/http";
import { ConfigurationError, type RoleSettings, resolveSettings, type Settings } from "../config";
import {
  type ChainSpec,
  type CredentialSource,
  NotConfigured,
  type ResolvedCredentials,
  chainWithRole,
  env,
} from "./credentials";
import { CloudError } from "./errors";
import { redact } from "./secrets";

interface LibraryProvider {
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string }>;
}

// The library loads on the first credential lookup, not with the provider module (it takes ~100 ms to load).
const library = () => require("@alicloud/credentials") as typeof AlibabaCredentials;
const doRequest: typeof AlibabaCredentialsHttp.doRequest = (req) =>
  (require("@alicloud/credentials/dist/src/providers/http") as typeof AlibabaCredentialsHttp).doRequest(req);

type HttpRequest = Parameters<typeof doRequest>[0];

/**
 * The library's STS providers always speak https to the host they are given; the emulator speaks http. Their
 * request function (kept as a property, for the library's own tests) is replaced by one that sends the same
 * request over http. Only ever against the emulator.
 */
function overHttp(provider: object): void {
  (provider as { doRequest: (r: HttpRequest) => ReturnType<typeof doRequest> }).doRequest = (req) => {
    (req as unknown as { protocol: string }).protocol = "http";
    return doRequest(req);
  };
}

/**
 * The library reports STS failures as text ending in the JSON answer; the cloud's code, message and request id
 * are taken back out of it, and the user told what to check.
 */
function stsError(e: unknown, action: string, hint: string): Error {
  const text = e instanceof Error ? e.message : String(e);
  const json = text.indexOf("{");
  if (json >= 0) {
    try {
      const body = JSON.parse(text.slice(json)) as { Code?: string; Message?: string; RequestId?: string };
      if (body.Code) {
        return new CloudError({
          cloud: "alibaba",
          action,
          code: body.Code,
          message: body.Message ?? "",
          requestId: body.RequestId,
          hint,
        });
      }
    } catch {
      // Not the JSON answer: reported as text below.
    }
  }
  return new ConfigurationError(redact(`Alibaba Cloud ${action} failed: ${text.split("\n")[0]}. ${hint}`));
}

function fromLibrary(
  name: string,
  provider: LibraryProvider,
  source: string,
  action: string,
  hint: string,
): CredentialSource {
  return {
    name,
    get: async () => {
      let c;
      try {
        c = await provider.getCredentials();
      } catch (e) {
        throw stsError(e, action, hint);
      }
      return {
        accessKeyId: c.accessKeyId,
        secret: c.accessKeySecret,
        ...(c.securityToken ? { sessionToken: c.securityToken } : {}),
        source,
      };
    },
  };
}

function defaultChain(settings: Settings): CredentialSource[] {
  const emulator = settings.target === "emulator" ? new URL(settings.emulatorUrl) : undefined;
  const sources: CredentialSource[] = [];

  const roleArn = env("ALIBABA_CLOUD_ROLE_ARN");
  const providerArn = env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN");
  const tokenFile = env("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
  let oidc: CredentialSource | undefined;
  sources.push({
    name: "OIDC role",
    get: () => {
      if (!roleArn || !providerArn || !tokenFile) {
        throw new NotConfigured(
          "ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not all set",
        );
      }
      if (!existsSync(tokenFile)) {
        throw new ConfigurationError(
          `ALIBABA_CLOUD_OIDC_TOKEN_FILE names ${tokenFile}, which does not exist: point it at the OIDC token file.`,
        );
      }
      if (!oidc) {
        const b = library()
          .OIDCRoleArnCredentialsProvider.builder()
          .withRoleArn(roleArn)
          .withOIDCProviderArn(providerArn)
          .withOIDCTokenFilePath(tokenFile);
        if (emulator) b.withStsEndpoint(emulator.host);
        const provider = b.build();
        if (emulator) overHttp(provider);
        oidc = fromLibrary(
          "OIDC role",
          provider,
          `OIDC role ${roleArn}`,
          "AssumeRoleWithOIDC",
          `Check ALIBABA_CLOUD_ROLE_ARN (${roleArn}), ALIBABA_CLOUD_OIDC_PROVIDER_ARN (${providerArn}) and the ` +
            `token in ALIBABA_CLOUD_OIDC_TOKEN_FILE (${tokenFile}): the role must trust that provider and the token ` +
            `must be current.`,
        );
      }
      return oidc.get();
    },
  });

  const cliConfig = join(homedir(), ".aliyun", "config.json");
  const cli = lazyLibrary("CLI profile", () => {
    if (env("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")?.toLowerCase() === "true") {
      throw new NotConfigured("ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true");
    }
    if (!existsSync(cliConfig)) throw new NotConfigured(`${cliConfig} does not exist`);
    const b = library().CLIProfileCredentialsProvider.builder();
    const profile = env("ALIBABA_CLOUD_PROFILE");
    if (profile) b.withProfileName(profile);
    return [b.build(), `profile ${profile ?? "(current)"} of ${cliConfig}`];
  });
  sources.push(cli);

  const credentialsFile =
    env("ALIBABA_CLOUD_CREDENTIALS_FILE") ?? join(homedir(), ".alibabacloud", "credentials");
  sources.push(
    lazyLibrary("credentials file", () => {
      if (!existsSync(credentialsFile)) throw new NotConfigured(`${credentialsFile} does not exist`);
      return [library().ProfileCredentialsProvider.builder().build(), credentialsFile];
    }),
  );

  sources.push(
    lazyLibrary("ECS RAM role", () => {
      // The library's metadata address (100.100.100.200) is fixed: the emulator cannot stand in for it.
      if (emulator) throw new NotConfigured("instance metadata is not reachable against the emulator");
      if (env("ALIBABA_CLOUD_ECS_METADATA_DISABLED")?.toLowerCase() === "true") {
        throw new NotConfigured("ALIBABA_CLOUD_ECS_METADATA_DISABLED is true");
      }
      const b = library().ECSRAMRoleCredentialsProvider.builder();
      const role = env("ALIBABA_CLOUD_ECS_METADATA");
      if (role) b.withRoleName(role);
      return [b.build(), `ECS RAM role ${role ?? "of this instance"}`];
    }),
  );

  const uri = env("ALIBABA_CLOUD_CREDENTIALS_URI");
  sources.push(
    lazyLibrary("credentials URI", () => {
      if (!uri) throw new NotConfigured("ALIBABA_CLOUD_CREDENTIALS_URI is not set");
      return [
        library().URICredentialsProvider.builder().withCredentialsURI(uri).build(),
        "ALIBABA_CLOUD_CREDENTIALS_URI",
      ];
    }),
  );
  return sources;
}

/** A library provider built on first use (building one may read files), then reused for its own cache. */
function lazyLibrary(name: string, build: () => [LibraryProvider, string]): CredentialSource {
  let built: CredentialSource | undefined;
  return {
    name,
    get: () => {
      if (!built) {
        const [provider, source] = build();
        built = fromLibrary(name, provider, source, name, `Check the ${name} (${source}).`);
      }
      return built.get();
    },
  };
}

/**
 * AssumeRole through the library's RAMRoleARNCredentialsProvider, which asks `base` for the credentials to
 * assume the role with.
 */
function assumeRole(
  settings: Settings,
  role: RoleSettings,
  base: () => Promise<ResolvedCredentials>,
): CredentialSource["get"] {
  const emulator = settings.target === "emulator" ? new URL(settings.emulatorUrl) : undefined;
  let baseUsed = "";
  const previous = {
    getProviderName: () => "keylink",
    getCredentials: async () => {
      const c = await base();
      baseUsed = c.source;
      return {
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.secret,
        securityToken: c.sessionToken ?? "",
        providerName: c.source,
      };
    },
  };
  const b = library()
    .RAMRoleARNCredentialsProvider.builder()
    .withCredentialsProvider(previous as never)
    .withRoleArn(role.arn)
    .withRoleSessionName(role.sessionName);
  if (role.durationSeconds !== undefined) b.withDurationSeconds(role.durationSeconds);
  if (role.externalId !== undefined) b.withExternalId(role.externalId);
  if (emulator) b.withStsEndpoint(emulator.host);
  const provider = b.build();
  if (emulator) overHttp(provider);
  return async () => {
    let c;
    try {
      c = await provider.getCredentials();
    } catch (e) {
      if (e instanceof CloudError || e instanceof ConfigurationError) throw e;
      throw stsError(
        e,
        "AssumeRole",
        `Check keylink:alibabaRoleArn (${role.arn}): the role must exist and trust the account of the ` +
          `credentials used to assume it (${baseUsed || "none found"})` +
          (role.externalId !== undefined
            ? ", and keylink:alibabaRoleExternalId must match its external id."
            : "."),
      );
    }
    return {
      accessKeyId: c.accessKeyId,
      secret: c.accessKeySecret,
      sessionToken: c.securityToken,
      source: `role ${role.arn} (keylink:alibabaRoleArn)`,
    };
  };
}

/** The chain for the current settings; pass it to withCredentials. */
export function alibabaCredentials(settings: Settings = resolveSettings()): ChainSpec {
  return chainWithRole(settings, {
    cloud: "alibaba",
    envNames: [
      "ALIBABA_CLOUD_ROLE_ARN",
      "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
      "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
      "ALIBABA_CLOUD_PROFILE",
      "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
      "ALIBABA_CLOUD_CREDENTIALS_FILE",
      "ALIBABA_CLOUD_ECS_METADATA",
      "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
      "ALIBABA_CLOUD_CREDENTIALS_URI",
    ],
    missing: "keylink:alibabaAccessKeyId/-Secret and ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET are not set",
    advice:
      "Set 'pulumi config set keylink:alibabaAccessKeyId ...' and 'pulumi config set --secret " +
      "keylink:alibabaAccessKeySecret ...' (plus keylink:alibabaSecurityToken for an STS token), or the " +
      "environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or an OIDC role " +
      "(ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), or a CLI profile.",
    defaultChain: () => defaultChain(settings),
    assumeRole: (role, base) => assumeRole(settings, role, base),
  });
}
