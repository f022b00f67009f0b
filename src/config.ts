import { registerSecrets } from "./clouds/secrets";
import { processMemory, setProcessMemory } from "./common/process-memory";

/**
 * Where calls go and with which credentials. Read at call time from the stack configuration handed to
 * the provider (`configure`) and from the environment, never captured into serialized code or state.
 *
 * Stack config (namespace `keylink`), each with its environment fallback:
 * - keylink:target            KEYLINK_TARGET            "emulator" (default) or "cloud"
 * - keylink:emulatorUrl       KEYLINK_EMULATOR_URL      default http://127.0.0.1:4577
 * - keylink:alibabaAccessKeyId / alibabaAccessKeySecret / alibabaSecurityToken
 *     ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN (or ALICLOUD_ACCESS_KEY / _SECRET_KEY / _SECURITY_TOKEN)
 * - keylink:volcengineAccessKey / volcengineSecretKey / volcengineSessionToken
 *     VOLCENGINE_ACCESS_KEY / VOLCENGINE_SECRET_KEY / VOLCENGINE_SESSION_TOKEN
 * - keylink:tencentSecretId / tencentSecretKey / tencentSessionToken
 *     TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN
 * - a role to assume with those (or the cloud's default chain's) credentials, stack config only:
 *   keylink:<cloud>RoleArn (Volcengine: volcengineRoleTrn), <cloud>RoleSessionName, <cloud>RoleDurationSeconds,
 *   and alibabaRoleExternalId / tencentRoleExternalId
 * - keylink:tencentCmkQuota  KEYLINK_TENCENT_CMK_QUOTA overrides the CMK quota per region that the provider otherwise
 *                                                      reads from Tencent's GetServiceStatus (CmkLimit)
 * The cloud's own default chain, and the emulator's built-in account `test`/`test` when nothing is found, are in
 * src/clouds/<cloud>-credentials.ts.
 */
export type Target = "emulator" | "cloud";

export interface Credentials {
  accessKeyId: string;
  secret: string;
  /** Security/session token of temporary credentials. */
  sessionToken?: string;
}

/** A role to assume (Alibaba AssumeRole, Tencent AssumeRole, Volcengine AssumeRole). */
export interface RoleSettings {
  arn: string;
  sessionName: string;
  durationSeconds: number | undefined;
  externalId: string | undefined;
}

/** What the package's own settings say about one cloud's credentials. */
export interface CloudCredentialSettings {
  /** An access key (with its session token, if any) from stack config or the environment, and where from. */
  explicit: (Credentials & { source: string }) | undefined;
  role: RoleSettings | undefined;
}

export interface Settings {
  target: Target;
  /** Base URL of the emulator, when target is "emulator". */
  emulatorUrl: string;
  alibaba: CloudCredentialSettings;
  volcengine: CloudCredentialSettings;
  tencent: CloudCredentialSettings;
  /** Tencent Cloud CMK quota per region when configured; undefined means the documented default. */
  tencentCmkQuota: number | undefined;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:4577";
/** The emulator's built-in account, used against the emulator when no source yields credentials. */
export const EMULATOR_CREDENTIALS: Credentials = { accessKeyId: "test", secret: "test" };
/** Called by each provider's `configure` with the stack configuration. */
export function setStackConfig(config: ConfigSource | undefined): void {
  setProcessMemory("stack-config", config);
}

function stackConfig(key: string): string | undefined {
  const cfg = processMemory<ConfigSource | undefined>("stack-config", () => undefined);
  const v = cfg?.get(`keylink:${key}`);
  return v === undefined || v === "" ? undefined : v;
}

function env(...names: string[]): string | undefined {
  for (const n of names) {
    const v = process.env[n];
    if (v) return v;
  }
  return undefined;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

export interface CredentialKeys {
  cloud: string;
  idKey: string;
  secretKey: string;
  tokenKey: string;
  idEnv: string[];
  secretEnv: string[];
  tokenEnv: string[];
  roleKey: string;
  /** Prefix of the other role keys: <prefix>RoleSessionName, <prefix>RoleDurationSeconds, <prefix>RoleExternalId. */
  prefix: string;
  externalId: boolean;
}

export const CREDENTIAL_KEYS: Record<"alibaba" | "volcengine" | "tencent", CredentialKeys> = {
  alibaba: {
    cloud: "Alibaba Cloud",
    idKey: "alibabaAccessKeyId",
    secretKey: "alibabaAccessKeySecret",
    tokenKey: "alibabaSecurityToken",
    idEnv: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
    secretEnv: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
    tokenEnv: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
    roleKey: "alibabaRoleArn",
    prefix: "alibaba",
    externalId: true,
  },
  volcengine: {
    cloud: "Volcengine",
    idKey: "volcengineAccessKey",
    secretKey: "volcengineSecretKey",
    tokenKey: "volcengineSessionToken",
    idEnv: ["VOLCENGINE_ACCESS_KEY"],
    secretEnv: ["VOLCENGINE_SECRET_KEY"],
    tokenEnv: ["VOLCENGINE_SESSION_TOKEN"],
    roleKey: "volcengineRoleTrn",
    prefix: "volcengine",
    externalId: false,
  },
  tencent: {
    cloud: "Tencent Cloud",
    idKey: "tencentSecretId",
    secretKey: "tencentSecretKey",
    tokenKey: "tencentSessionToken",
    idEnv: ["TENCENTCLOUD_SECRET_ID"],
    secretEnv: ["TENCENTCLOUD_SECRET_KEY"],
    tokenEnv: ["TENCENTCLOUD_SESSION_TOKEN"],
    roleKey: "tencentRoleArn",
    prefix: "tencent",
    externalId: true,
  },
};

function explicitCredentials(k: CredentialKeys): CloudCredentialSettings["explicit"] {
  const fromStack = stackConfig(k.idKey) !== undefined && stackConfig(k.secretKey) !== undefined;
  const accessKeyId = stackConfig(k.idKey) ?? env(...k.idEnv);
  const secret = stackConfig(k.secretKey) ?? env(...k.secretEnv);
  if (!accessKeyId || !secret) return undefined;
  const sessionToken = stackConfig(k.tokenKey) ?? env(...k.tokenEnv);
  registerSecrets(secret, sessionToken);
  const source = fromStack
    ? `stack config keylink:${k.idKey}`
    : `environment ${k.idEnv.find((n) => process.env[n]) ?? k.idEnv[0]}`;
  return { accessKeyId, secret, ...(sessionToken ? { sessionToken } : {}), source };
}

function roleSettings(k: CredentialKeys): RoleSettings | undefined {
  const arn = stackConfig(k.roleKey);
  if (!arn) return undefined;
  const rawDuration = stackConfig(`${k.prefix}RoleDurationSeconds`);
  const durationSeconds = rawDuration === undefined ? undefined : Number(rawDuration);
  if (durationSeconds !== undefined && (!Number.isInteger(durationSeconds) || durationSeconds < 900)) {
    throw new ConfigurationError(
      `keylink:${k.prefix}RoleDurationSeconds is '${rawDuration}': give the session length in seconds, 900 or more ` +
        `(at most the role's maximum session duration), or unset it for the cloud's default.`,
    );
  }
  const externalId = k.externalId ? stackConfig(`${k.prefix}RoleExternalId`) : undefined;
  registerSecrets(externalId);
  return {
    arn,
    sessionName: stackConfig(`${k.prefix}RoleSessionName`) ?? "pulumi-keylink",
    durationSeconds,
    externalId,
  };
}

function cloudCredentials(k: CredentialKeys): CloudCredentialSettings {
  return { explicit: explicitCredentials(k), role: roleSettings(k) };
}

function tencentCmkQuota(): number | undefined {
  const raw = stackConfig("tencentCmkQuota") ?? env("KEYLINK_TENCENT_CMK_QUOTA");
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigurationError(
      `keylink:tencentCmkQuota (or KEYLINK_TENCENT_CMK_QUOTA) is '${raw}': set it to the number of CMKs per region ` +
        `Tencent Cloud grants your account, or unset it to use the CmkLimit that GetServiceStatus reports.`,
    );
  }
  return n;
}

/**
 * Resolves the settings for one call. Cheap; called at the start of every provider operation. Each cloud's
 * credential settings are read only when that cloud is called, so a stack using one cloud needs only its keys.
 */
export function resolveSettings(): Settings {
  const rawTarget = stackConfig("target") ?? env("KEYLINK_TARGET") ?? "emulator";
  if (rawTarget !== "emulator" && rawTarget !== "cloud") {
    throw new ConfigurationError(
      `keylink:target is '${rawTarget}': use 'emulator' (the local cloud emulator) or 'cloud' (the real clouds).`,
    );
  }
  const target: Target = rawTarget;
  const emulatorUrl = (
    stackConfig("emulatorUrl") ??
    env("KEYLINK_EMULATOR_URL") ??
    DEFAULT_EMULATOR_URL
  ).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(emulatorUrl)) {
    throw new ConfigurationError(
      `keylink:emulatorUrl is '${emulatorUrl}': give the emulator's base URL, such as ${DEFAULT_EMULATOR_URL}.`,
    );
  }
  return {
    target,
    emulatorUrl,
    get alibaba() {
      return cloudCredentials(CREDENTIAL_KEYS.alibaba);
    },
    get volcengine() {
      return cloudCredentials(CREDENTIAL_KEYS.volcengine);
    },
    get tencent() {
      return cloudCredentials(CREDENTIAL_KEYS.tencent);
    },
    get tencentCmkQuota() {
      return tencentCmkQuota();
    },
  };
}
