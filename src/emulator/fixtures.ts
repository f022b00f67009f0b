import type { z } from "zod";

// Reading a model's fixtures: one zod schema per model, and one message form for what is wrong, naming the field
// from the model's key down (alibabaKms.keys[0].keySpec: ...).

/** Parses `value` (the fixtures under `key`); throws naming the first wrong field. */
export function parseFixtures<T extends z.ZodType>(schema: T, key: string, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  throw new Error(`${key}${path}: ${issue.message}`);
}
