import { registerSecrets } from "../../clouds/secrets";
import type { Settings } from "./cloud";

// Every pre-shared key of a connection moves through this module. The settings sent to and read from the cloud
// carry each PSK inside its IKE block (ikeConfig.psk, tunnelOptionsSpecification[].tunnelIkeConfig.psk); the
// resource's inputs and outputs carry them apart, in one secret property `presharedKeys`
// ({ ikeConfig?, tunnels?: { <tunnelId or role>: psk } }), so that state encrypts exactly the keys while every
// other setting stays plain and shows drift field by field. Every PSK seen is registered as a secret, so that no
// message or log repeats it.

export interface PresharedKeys {
  ikeConfig?: string;
  tunnels?: Record<string, string>;
}

interface Ike {
  psk?: string;
}

interface Tunnel {
  tunnelId?: string;
  role?: string;
  tunnelIkeConfig?: Ike;
}

/** What carries PSKs inside IKE blocks: settings, checked inputs, or the Resource class's unwrapped arguments. */
export interface WithPsks {
  ikeConfig?: Ike;
  tunnelOptionsSpecification?: Tunnel[];
}

/** The key that names a tunnel in presharedKeys.tunnels: its id, or its role when no id is given. */
export function tunnelKey(t: { tunnelId?: string; role?: string }): string {
  return t.tunnelId ?? t.role ?? "";
}

function withoutPsk<T extends Ike>(block: T): Omit<T, "psk"> {
  return Object.fromEntries(Object.entries(block).filter(([k]) => k !== "psk")) as Omit<T, "psk">;
}

/** Settings (or anything of their shape) split into the same without any PSK, and the PSKs they held. */
export function splitPsks<T extends WithPsks>(s: T): { plain: T; presharedKeys?: PresharedKeys } {
  const keys: PresharedKeys = {};
  const plain: T = { ...s };
  if (s.ikeConfig) {
    if (s.ikeConfig.psk !== undefined) keys.ikeConfig = s.ikeConfig.psk;
    plain.ikeConfig = withoutPsk(s.ikeConfig);
  }
  if (s.tunnelOptionsSpecification) {
    plain.tunnelOptionsSpecification = s.tunnelOptionsSpecification.map((t) => {
      if (!t.tunnelIkeConfig) return t;
      if (t.tunnelIkeConfig.psk !== undefined) (keys.tunnels ??= {})[tunnelKey(t)] = t.tunnelIkeConfig.psk;
      return { ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) };
    });
  }
  const found = keys.ikeConfig !== undefined || keys.tunnels !== undefined;
  return { plain, presharedKeys: found ? keys : undefined };
}

/** The settings with the PSKs of `keys` put back into their IKE blocks (a tunnel's by its tunnelId or role). */
export function joinPsks(s: Settings, keys: PresharedKeys | undefined): Settings {
  const out: Settings = { ...s };
  if (keys?.ikeConfig !== undefined) out.ikeConfig = { ...s.ikeConfig, psk: keys.ikeConfig };
  const tunnels = keys?.tunnels;
  if (tunnels && s.tunnelOptionsSpecification) {
    out.tunnelOptionsSpecification = s.tunnelOptionsSpecification.map((t) => {
      const psk = tunnels[tunnelKey(t)];
      return psk === undefined ? t : { ...t, tunnelIkeConfig: { ...t.tunnelIkeConfig, psk } };
    });
  }
  return out;
}

/**
 * Inputs with every PSK given inside ikeConfig / tunnelIkeConfig (a direct provider call, or a program that
 * bypasses the Resource class) moved into presharedKeys; a nested PSK wins over one given there for the same place.
 */
export function moveNestedPsks<T extends WithPsks & { presharedKeys?: PresharedKeys }>(v: T): T {
  const { plain, presharedKeys: nested } = splitPsks(v);
  if (!nested) return v;
  const given = v.presharedKeys ?? {};
  const keys: PresharedKeys = { ...given };
  if (nested.ikeConfig !== undefined) keys.ikeConfig = nested.ikeConfig;
  if (nested.tunnels) keys.tunnels = { ...given.tunnels, ...nested.tunnels };
  return { ...plain, presharedKeys: keys };
}

function isBag(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every PSK in settings or in an inputs / outputs bag (nested psk members and presharedKeys alike). */
export function psksIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown, key?: string) => {
    if (typeof v === "string" && (key === "psk" || key === "ikeConfig" || key === "tunnelPsk")) found.push(v);
    else if (typeof v === "string" && key === "originalSettings") visit(recordedSettings(v));
    else if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (isBag(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === "tunnels" && isBag(x)) Object.values(x).forEach((p) => visit(p, "tunnelPsk"));
        else visit(x, k);
      }
    }
  };
  visit(value);
  return found;
}

/**
 * originalSettings as state keeps them, PSKs included: JSON text. As one secret string they cost the engine and the
 * SDK a fraction of the same settings as a nested secret object on every read, diff and checkpoint (a refresh of
 * 120 connections took about 0.5 s less); nothing but delete looks inside.
 */
export function recordSettings(settings: Settings): string {
  return JSON.stringify(settings);
}

/**
 * The settings of an originalSettings record: its JSON text, or the object earlier versions of this package
 * recorded (state keeps it as it is: rewriting it would show as a change at the next refresh). Undefined when
 * there is none, or when the text is not JSON.
 */
export function recordedSettings(record: unknown): Settings | undefined {
  if (typeof record !== "string") return record ? (record as Settings) : undefined;
  try {
    return JSON.parse(record) as Settings;
  } catch {
    return undefined;
  }
}

/** Registers every PSK found in the given values as a secret, so that messages and logs are scrubbed of it. */
export function registerPsks(...values: unknown[]): void {
  for (const v of values) registerSecrets(...psksIn(v));
}

/**
 * A failure's field as the user wrote it in the resource's arguments: PSKs live in presharedKeys only after
 * the Resource class moved them there.
 */
export function userField(property: string, news: Record<string, unknown>): string {
  if (property === "presharedKeys.ikeConfig") return "ikeConfig.psk";
  const m = /^presharedKeys\.tunnels\.(.+)$/.exec(property);
  if (m) {
    const list = Array.isArray(news.tunnelOptionsSpecification) ? news.tunnelOptionsSpecification : [];
    const i = list.findIndex((t) => isBag(t) && tunnelKey(t as Tunnel) === m[1]);
    return i >= 0 ? `tunnelOptionsSpecification[${i}].tunnelIkeConfig.psk` : "presharedKeys.tunnels";
  }
  return property;
}
