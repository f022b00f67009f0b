import { registerSecrets } from "./clouds/secrets";

/**
 * Where calls go and with which credentials. Read at call time from the stack configuration handed to
 * the provider (`configure`) and from the environment, never captured into serialized code or state.
 *
 * Stack config (namespace `keylink`), each with its environment fallback:
 * - keylink:target            KEYLINK_TARGET            "emulator" (default) or "cloud"
 * - keylink:emulatorUrl       KEYLINK_EMULATOR_URL      default http://127.0.0.1:4577
 * - keylink:alibabaAccessKeyId / alibabaAccessKeySecret   ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY
 * - keylink:volcengineAccessKey / volcengineSecretKey     VOLCENGINE_ACCESS_KEY / VOLCENGINE_SECRET_KEY
 * - keylink:tencentSecretId / tencentSecretKey            TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
 * - keylink:tencentCmkQuota  KEYLINK_TENCENT_CMK_QUOTA CMKs per region Tencent Cloud grants the account (default 1000;
 *                                                      the API cannot report it, so a raised quota is configured)
 * Against the emulator, missing credentials default to the emulator's built-in account `test`/`test`.
 */
export type Target = "emulator" | "cloud";

export interface Credentials {
  accessKeyId: string;
  secret: string;
}

export interface Settings {
  target: Target;
  /** Base URL of the emulator, when target is "emulator". */
  emulatorUrl: string;
  alibaba: Credentials;
  volcengine: Credentials;
  tencent: Credentials;
  /** Tencent Cloud CMK quota per region when configured; undefined means the documented default. */
  tencentCmkQuota: number | undefined;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:4577";
const EMULATOR_CREDENTIALS: Credentials = { accessKeyId: "test", secret: "test" };
const CONFIG_KEY = Symbol.for("pulumi-keylink.stack-config");

/** Called by each provider's `configure` with the stack configuration. */
export function setStackConfig(config: ConfigSource | undefined): void {
  (globalThis as unknown as Record<symbol, ConfigSource | undefined>)[CONFIG_KEY] = config;
}

function stackConfig(key: string): string | undefined {
  const cfg = (globalThis as unknown as Record<symbol, ConfigSource | undefined>)[CONFIG_KEY];
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

function credentials(
  target: Target,
  cloud: string,
  idKey: string,
  secretKey: string,
  idEnv: string[],
  secretEnv: string[],
): Credentials {
  const accessKeyId = stackConfig(idKey) ?? env(...idEnv);
  const secret = stackConfig(secretKey) ?? env(...secretEnv);
  if (accessKeyId && secret) {
    registerSecrets(secret);
    return { accessKeyId, secret };
  }
  if (target === "emulator") return EMULATOR_CREDENTIALS;
  throw new ConfigurationError(
    `No ${cloud} credentials: set 'pulumi config set keylink:${idKey} ...' and ` +
      `'pulumi config set --secret keylink:${secretKey} ...', or the environment variables ${idEnv[0]} and ${secretEnv[0]}.`,
  );
}

function tencentCmkQuota(): number | undefined {
  const raw = stackConfig("tencentCmkQuota") ?? env("KEYLINK_TENCENT_CMK_QUOTA");
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigurationError(
      `keylink:tencentCmkQuota (or KEYLINK_TENCENT_CMK_QUOTA) is '${raw}': set it to the number of CMKs per region ` +
        `Tencent Cloud grants your account, or unset it for the documented 1000.`,
    );
  }
  return n;
}

/**
 * Resolves the settings for one call. Cheap; called at the start of every provider operation. Each cloud's
 * credentials are resolved only when that cloud is called, so a stack using one cloud needs only its keys.
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
      return credentials(
        target,
        "Alibaba Cloud",
        "alibabaAccessKeyId",
        "alibabaAccessKeySecret",
        ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
      );
    },
    get volcengine() {
      return credentials(
        target,
        "Volcengine",
        "volcengineAccessKey",
        "volcengineSecretKey",
        ["VOLCENGINE_ACCESS_KEY"],
        ["VOLCENGINE_SECRET_KEY"],
      );
    },
    get tencent() {
      return credentials(
        target,
        "Tencent Cloud",
        "tencentSecretId",
        "tencentSecretKey",
        ["TENCENTCLOUD_SECRET_ID"],
        ["TENCENTCLOUD_SECRET_KEY"],
      );
    },
    get tencentCmkQuota() {
      return tencentCmkQuota();
    },
  };
}
