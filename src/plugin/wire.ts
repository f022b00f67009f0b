import { UNKNOWN } from "../resources/common/check";

// Values on the provider gRPC wire. The Node.js provider SDK (3.259) hands the plugin the engine's structs as
// plain JavaScript (Struct.toJavaScript), so secrets arrive wrapped in Pulumi's signature objects and outputs
// are marked secret by wrapping them the same way (the SDK's Configure answers acceptSecrets: true).

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

type Bag = Record<string, unknown>;

function isBag(v: unknown): v is Bag {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether the value (or anything in it) is a wrapped secret. */
export function holdsSecret(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (!isBag(v)) return false;
  if (v[SIG_KEY] === SECRET_SIG) return true;
  if (v[SIG_KEY] === OUTPUT_SIG) return v.secret === true || holdsSecret(v.value);
  return Object.values(v).some(holdsSecret);
}

/** The plain value: secrets unwrapped, output values replaced by their value (or the unknown marker). */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (!isBag(v)) return v;
  if (v[SIG_KEY] === SECRET_SIG) return plain(v.value);
  if (v[SIG_KEY] === OUTPUT_SIG) return "value" in v ? plain(v.value) : UNKNOWN;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

export function secret(value: unknown): Bag {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The top-level properties holding a secret anywhere inside them. */
export function secretKeys(props: Bag | undefined): Set<string> {
  return new Set(Object.entries(props ?? {}).flatMap(([k, v]) => (holdsSecret(v) ? [k] : [])));
}

/**
 * Properties for the wire: undefined members dropped (a Struct cannot hold them) and `secretNames` wrapped as
 * secrets, so that state encrypts them and the CLI masks them.
 */
export function toWire(props: Bag | undefined, secretNames: Iterable<string>): Bag {
  const names = new Set(secretNames);
  const out: Bag = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined) continue;
    const clean = JSON.parse(JSON.stringify(v)) as unknown;
    out[k] = names.has(k) && !holdsSecret(clean) ? secret(clean) : clean;
  }
  return out;
}
