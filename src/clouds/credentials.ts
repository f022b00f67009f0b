// What the three clouds' credential providers share: temporary credentials cached per configuration and
// refreshed before they expire, one retry with fresh credentials when a call meets an expired token anyway,
// and the error that names every source tried.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { ConfigurationError, EMULATOR_CREDENTIALS, type RoleSettings, type Settings } from "../config";
import { CLOUD_LABEL, type CloudName, isExpiredToken } from "./errors";
import { redact, registerSecrets } from "./secrets";
import { processMemory } from "../common/process-memory";

export interface ResolvedCredentials {
  accessKeyId: string;
  secret: string;
  sessionToken?: string;
  /** Epoch milliseconds (the issuer's clock) after which the cloud refuses the token; undefined: long-lived. */
  expiresAtMs?: number;
  /** Where they came from, for messages ("stack config keylink:tencentSecretId", "OIDC role ..."). */
  source: string;
}

/**
 * One source of credentials. `get` throws NotConfigured when the source does not apply (nothing set for it),
 * any other error when it applies and failed: that one is surfaced, not skipped.
 */
export interface CredentialSource {
  name: string;
  get(): Promise<ResolvedCredentials>;
}

export class NotConfigured extends Error {
  constructor(what: string) {
    super(what);
    this.name = "NotConfigured";
  }
}

/** Refresh this long before expiry: a call started just before never goes out with an expired token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry {
  sources: CredentialSource[];
  current?: ResolvedCredentials;
  pending?: Promise<ResolvedCredentials>;
}

// Per process and per configuration (a hash of every input), never serialized: the dynamic provider's code is
// serialized as a require() of this package, and state holds no credentials.
function cache(): Map<string, Entry> {
  return processMemory("credentials-cache", () => new Map<string, Entry>());
}

/** Forgets every cached credential (tests; a changed configuration gets a new cache key anyway). */
export function clearCredentialCache(): void {
  cache().clear();
}

export function fingerprint(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/**
 * Whether cached credentials may serve another call: a long-lived key always, temporary ones until the refresh
 * margin before their expiry. A token whose expiry is not known (a library that refreshes it itself) is asked
 * for again on every call.
 */
function fresh(c: ResolvedCredentials | undefined, now: number): c is ResolvedCredentials {
  if (c === undefined) return false;
  if (c.expiresAtMs !== undefined) return now < c.expiresAtMs - REFRESH_MARGIN_MS;
  return c.sessionToken === undefined;
}

export interface ChainSpec {
  cloud: CloudName;
  label: string;
  key: string;
  target: Settings["target"];
  /** Sources in the order tried. */
  sources: () => CredentialSource[];
  /** What to set, appended to the error when no source applies. */
  advice: string;
}

/**
 * The credentials for one call: the first source that applies, cached while fresh. `force` drops the cache and
 * rebuilds the sources (and with them any library's own cache), for the retry after an expired token.
 */
export async function resolveChain(spec: ChainSpec, force = false): Promise<ResolvedCredentials> {
  const entries = cache();
  if (force) entries.delete(spec.key);
  let entry = entries.get(spec.key);
  if (!entry) {
    entry = { sources: spec.sources() };
    entries.set(spec.key, entry);
  }
  if (fresh(entry.current, Date.now())) return entry.current;
  const e = entry;
  e.pending ??= firstApplicable(spec, e.sources).finally(() => (e.pending = undefined));
  e.current = await e.pending;
  return e.current;
}

async function firstApplicable(spec: ChainSpec, sources: CredentialSource[]): Promise<ResolvedCredentials> {
  const skipped: string[] = [];
  for (const source of sources) {
    let creds: ResolvedCredentials;
    try {
      creds = await source.get();
    } catch (e) {
      if (e instanceof NotConfigured) {
        skipped.push(`${source.name} (${e.message})`);
        continue;
      }
      throw e;
    }
    registerSecrets(creds.secret, creds.sessionToken);
    return creds;
  }
  if (spec.target === "emulator")
    return { ...EMULATOR_CREDENTIALS, source: "the emulator's built-in account" };
  throw new ConfigurationError(
    redact(`No ${spec.label} credentials. Tried, in order: ${skipped.join("; ")}. ${spec.advice}`),
  );
}

/**
 * Runs `call` with the chain's credentials; when the cloud answers that the token expired (the issuer's clock
 * ran ahead, or a token from the environment aged), resolves fresh credentials and runs it once more.
 */
export async function withCredentials<T>(
  spec: ChainSpec,
  call: (creds: ResolvedCredentials) => Promise<T>,
): Promise<T> {
  const creds = await resolveChain(spec);
  try {
    return await call(creds);
  } catch (e) {
    if (!isExpiredToken(e)) throw e;
    const renewed = await resolveChain(spec, true);
    try {
      return await call(renewed);
    } catch (again) {
      if (isExpiredToken(again)) {
        throw again.withHint(
          `The session token from ${renewed.source} was refused as expired or not valid: set a fresh one, or let ` +
            `the provider assume a role (see the README's Credentials section) so that it renews them itself.`,
        );
      }
      throw again;
    }
  }
}

/** A source that is a fixed key from the package's own settings. */
export function staticSource(
  name: string,
  creds: { accessKeyId: string; secret: string; sessionToken?: string; source: string } | undefined,
  missing: string,
): CredentialSource {
  return {
    name,
    get: async () => {
      if (!creds) throw new NotConfigured(missing);
      const { accessKeyId, secret, sessionToken, source } = creds;
      return { accessKeyId, secret, ...(sessionToken ? { sessionToken } : {}), source };
    },
  };
}

/** An environment variable's value; set but empty counts as not set. */
export const env = (name: string): string | undefined => process.env[name] || undefined;

/** The OIDC token in the file that the environment variable `name` names (`path`), without surrounding space. */
export function readTokenFile(name: string, path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (e) {
    throw new ConfigurationError(
      `${name} names ${path}, which cannot be read (${(e as NodeJS.ErrnoException).code}): ` +
        `point it at the OIDC token file.`,
    );
  }
}

/** One cloud's part of its chain: the rest (order, cache keys, the role on top) is the same for the three. */
export interface CloudChain {
  cloud: CloudName;
  /** The environment variables the cloud's default chain reads: a change of any makes a new cache key. */
  envNames: string[];
  /** Why the package's own access key does not apply, when it is not set. */
  missing: string;
  advice: string;
  /** The cloud's default chain, tried after the package's own access key. */
  defaultChain: () => CredentialSource[];
  /**
   * How the configured role is assumed: built with the chain's sources, `base` resolves the credentials to
   * assume it with (the package's key, else the default chain), cached apart from the role's.
   */
  assumeRole: (role: RoleSettings, base: () => Promise<ResolvedCredentials>) => CredentialSource["get"];
}

/**
 * The chain of one cloud: the package's own access key, then the cloud's default chain; and when a role is
 * configured, that role assumed with the first of those that applies.
 */
export function chainWithRole(settings: Settings, chain: CloudChain): ChainSpec {
  const own = settings[chain.cloud];
  const spec = (prefix: string, sources: () => CredentialSource[]): ChainSpec => ({
    cloud: chain.cloud,
    label: CLOUD_LABEL[chain.cloud],
    key: `${prefix}:${fingerprint([
      settings.target,
      settings.emulatorUrl,
      own.explicit,
      own.role,
      homedir(),
      ...chain.envNames.map((n) => process.env[n]),
    ])}`,
    target: settings.target,
    sources,
    advice: chain.advice,
  });
  const base = () => [staticSource("access key", own.explicit, chain.missing), ...chain.defaultChain()];
  const role = own.role;
  if (!role) return spec(chain.cloud, base);
  return spec(chain.cloud, () => [
    {
      name: "assumed role",
      get: chain.assumeRole(role, () => resolveChain(spec(`${chain.cloud}-base`, base))),
    },
  ]);
}
