import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/** The value Pulumi passes for an input that is not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(isUnknown);
  if (v && typeof v === "object") return Object.values(v).some(isUnknown);
  return false;
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

/** Builds a CheckResult: the normalised inputs when valid, the raw inputs (with failures) otherwise. */
export function checkResult(
  news: Record<string, unknown>,
  inputs: Record<string, unknown> | undefined,
  failures: Failure[],
): pulumi.dynamic.CheckResult {
  return failures.length > 0 ? { inputs: news, failures } : { inputs: inputs ?? news };
}
