import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { redact } from "../../clouds/secrets";
import { processMemory } from "../../common/process-memory";

/** The value Pulumi passes for an input that is not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(isUnknown);
  if (v && typeof v === "object") return Object.values(v).some(isUnknown);
  return false;
}

/** Which of `fields` are not known yet (preview): rules that read them wait for `up`, where check runs again. */
export function unknownFields(news: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.filter((f) => isUnknown(news[f]));
}

/** The warning for rules that wait for `up` because inputs they read are not known yet. */
export function deferredNote(what: string, fields: string[], rules: string): string {
  return (
    `${what}: ${fields.join(", ")} not known until another resource is deployed; ${rules} will be checked ` +
    `during 'pulumi up', before any change is made.`
  );
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Renders a zod path as the user wrote it: tunnelOptionsSpecification[0].tunnelIkeConfig.psk */
export function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

export type Failure = pulumi.dynamic.CheckFailure;

/**
 * Validates and normalises inputs with a zod schema. Values still unknown at preview are not judged (they are
 * checked again once known); the normalised inputs keep them as they are.
 */
export function parseInputs<S extends z.ZodType>(
  schema: S,
  news: Record<string, unknown>,
): { inputs?: z.output<S>; failures: Failure[] } {
  const result = schema.safeParse(news);
  if (result.success) return { inputs: result.data, failures: [] };
  const failures: Failure[] = [];
  for (const issue of result.error.issues) {
    if (isUnknown(valueAt(news, issue.path))) continue;
    const property = fieldName(issue.path) || "(inputs)";
    failures.push({ property, reason: `${property}: ${issue.message}` });
  }
  return { failures };
}

/**
 * The inputs that carry secrets, in every resource: MACsec `cak`, imported `keyMaterial`, the VPN `presharedKeys`
 * and a `psk` nested in an IKE block (a direct provider call may give it there). Judged by name, not by value, so
 * that a value of the wrong type (cak: 12345), which nothing registered as a secret, is covered too.
 */
const SECRET_INPUTS = new Set(["cak", "keyMaterial", "presharedKeys", "psk"]);

/** Whether the value is (or holds) a secret registered with registerSecrets, or a member named as a secret. */
function holdsSecret(value: unknown, name: string): boolean {
  if (SECRET_INPUTS.has(name)) return true;
  if (value === undefined || value === null) return false;
  if (typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v) => ["", v] as const) : Object.entries(value);
    if (entries.some(([k, v]) => holdsSecret(v, k))) return true;
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return redact(text) !== text;
}

/** Longest input value (as JSON) the engine may print beside a failure; longer ones are left to the reason. */
export const MAX_ECHOED_VALUE = 256;

function tooLongToEcho(value: unknown): boolean {
  if (value === undefined) return false;
  return (typeof value === "string" ? value : (JSON.stringify(value) ?? "")).length > MAX_ECHOED_VALUE;
}

/**
 * A user value as a failure quotes it: whole when short, else its start and its length, so that a 1 MB input
 * gives a message of bounded size.
 */
export function excerpt(value: unknown, max = 64): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/**
 * The engine prints a failure as "property '<p>' value <v> has a problem", looking <p> up among the top-level
 * inputs, and prints a secret value in plaintext whatever its type (Pulumi 3.259: `cak: 12345` shows as
 * `value {&{{12345}}}`), and a 1 MB value whole. A failure on a secret input, or on one too long to print,
 * therefore carries no property: the engine then prints only the reason, which names the field.
 */
function withoutSecretValues(news: Record<string, unknown>, failures: Failure[]): Failure[] {
  return failures.map((f) =>
    holdsSecret(news[f.property], f.property) || tooLongToEcho(news[f.property])
      ? { property: "", reason: f.reason }
      : f,
  );
}

/**
 * Builds a CheckResult: the normalised inputs when valid, the raw inputs (with failures) otherwise. Register the
 * secret inputs (registerSecrets) before, so that no failure shows their values.
 */
export function checkResult(
  news: Record<string, unknown>,
  inputs: Record<string, unknown> | undefined,
  failures: Failure[],
): pulumi.dynamic.CheckResult {
  return failures.length > 0
    ? { inputs: news, failures: withoutSecretValues(news, failures) }
    : { inputs: inputs ?? news };
}

const MAX_REMEMBERED = 10_000;

/** JSON with keys sorted at every level, so that equal inputs give equal text whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function fingerprint(news: Record<string, unknown>): string {
  return stableJson(Object.fromEntries(Object.entries(news).filter(([k]) => k !== "__provider")));
}

/**
 * The old inputs to judge `news` against. When Pulumi decides to replace a resource, its engine calls check a
 * second time with NO old inputs (to regenerate defaults), which would make a replacement look like a fresh
 * create: a quota or unique-name rule would then count the resource being replaced against itself. So each
 * check with old inputs is remembered by its new inputs (in this provider process, which serves the whole
 * deployment), and the second call gets them back.
 */
export function oldInputsFor(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Record<string, unknown> {
  const table = processMemory("checked-olds", () => new Map<string, Record<string, unknown>>());
  const key = fingerprint(news);
  if (Object.keys(olds).length > 0) {
    if (table.size >= MAX_REMEMBERED) table.clear();
    table.set(key, olds);
    return olds;
  }
  return table.get(key) ?? olds;
}

/**
 * Whether the checked inputs equal the old ones (as check returned them last time). Rules that need live reads
 * then have nothing new to judge, so a no-change preview or up makes no cloud call from check.
 */
export function sameInputs(olds: Record<string, unknown>, inputs: Record<string, unknown>): boolean {
  return Object.keys(olds).length > 0 && fingerprint(olds) === fingerprint(inputs);
}
