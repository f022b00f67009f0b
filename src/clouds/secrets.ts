import { processMemory } from "../common/process-memory";
// Every secret value the process has seen (CAK, PSK, key material, access key secrets) is registered here,
// so that any text leaving the package (errors, logs) can be scrubbed by value, whatever field carried it.
const MIN_SECRET_LENGTH = 4;
const MASK = "[secret]";

function registry(): Set<string> {
  return processMemory("secret-values", () => new Set<string>());
}

/** Remembers secret values so that `redact` removes them from any text. Short values are ignored. */
export function registerSecrets(...values: Array<string | undefined | null>): void {
  const set = registry();
  for (const v of values) {
    if (typeof v !== "string" || v.length < MIN_SECRET_LENGTH) continue;
    set.add(v);
    // Clouds echo hex secrets case-normalised and JSON-escaped; scrub those forms too.
    set.add(v.toUpperCase());
    set.add(v.toLowerCase());
    set.add(JSON.stringify(v).slice(1, -1));
    set.add(encodeURIComponent(v));
  }
}

/** Replaces every registered secret value in `text` with a mask. Longest first, so no fragment survives. */
export function redact(text: string): string {
  const values = [...registry()].sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of values) {
    if (out.includes(v)) out = out.split(v).join(MASK);
  }
  return out;
}
