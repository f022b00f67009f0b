// Turns the engine events of `pulumi refresh --preview-only` into a drift report: per resource and field, the
// value in the stack's state and the value read from the cloud. Pure: no I/O, so it is tested on captured events.
//
// How the engine reports a refresh (pkg/resource/deploy/step.go, RefreshStep): a `refresh` pre-event per
// resource, then an outputs event whose op says what the read found: `same`, `update` (it differs) or `delete`
// (gone from the cloud). Its `old` state is the stack's, its `new` state the one read from the cloud, and its
// detailedDiff the provider's verdict per input path (computed on the real values, secrets included). Secret
// values never reach the events in plaintext: the CLI replaces them by "[secret]" unless --show-secrets is given,
// which the drift command never passes. The report masks again any field that is secret on either side.
import type { EngineEvent, StepMetadata, StepState } from "./events";

export const SECRET = "[secret]";

/** A value as the report shows it: JSON, with every secret replaced by "[secret]". */
export type ShownValue = null | boolean | number | string | ShownValue[] | { [k: string]: ShownValue };

export interface FieldDrift {
  /** Property path, e.g. `ikeConfig.ikeLifetime` or `tunnelOptionsSpecification[0].tunnelIkeConfig.psk`. */
  path: string;
  /** `changed`, `added` (only the cloud has it) or `removed` (only the state has it). */
  kind: "changed" | "added" | "removed";
  /** The value in the stack's state (undefined when absent). */
  old?: ShownValue;
  /** The value read from the cloud (undefined when absent). */
  live?: ShownValue;
  /** True when the field is secret: both values are then "[secret]". */
  secret: boolean;
}

export interface ResourceDrift {
  urn: string;
  /** Short type, e.g. `Cmk` for `pulumi-nodejs:dynamic/keylink:Cmk`. */
  type: string;
  name: string;
  id?: string;
  /** `changed`: it differs from the state; `deleted`: the cloud no longer has it. */
  status: "changed" | "deleted";
  fields: FieldDrift[];
}

export interface DriftReport {
  stack?: string;
  project?: string;
  /** Resources whose state was compared with the cloud. */
  checked: number;
  resources: ResourceDrift[];
  /** Why the check could not be completed; non-empty means the result is not to be trusted. */
  errors: string[];
}

export const EXIT_NO_DRIFT = 0;
export const EXIT_DRIFT = 1;
export const EXIT_NOT_CHECKED = 2;

export function exitCodeOf(report: DriftReport): number {
  if (report.errors.length > 0) return EXIT_NOT_CHECKED;
  return report.resources.length > 0 ? EXIT_DRIFT : EXIT_NO_DRIFT;
}

// Pulumi's marker of a serialized secret (sdk/go/common/resource/sig).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const SECRET_MARK: unique symbol = Symbol("secret");
type Masked = null | boolean | number | string | typeof SECRET_MARK | Masked[] | { [k: string]: Masked };

/** Replaces every secret (serialized with Pulumi's signature, or already "[secret]") by a mark. */
function mask(v: unknown): Masked {
  if (v === null || v === undefined) return null;
  if (v === SECRET) return SECRET_MARK;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(mask);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) {
      // Only a secret's signature is trusted: whatever else the object holds is never read.
      return SECRET_MARK;
    }
    const out: { [k: string]: Masked } = {};
    for (const [k, e] of Object.entries(o)) out[k] = mask(e);
    return out;
  }
  return null;
}

function shown(v: Masked): ShownValue {
  if (v === SECRET_MARK) return SECRET;
  if (Array.isArray(v)) return v.map(shown);
  if (v !== null && typeof v === "object") {
    const out: { [k: string]: ShownValue } = {};
    for (const [k, e] of Object.entries(v)) out[k] = shown(e);
    return out;
  }
  return v;
}

type Segment = string | number;

/** Parses a Pulumi property path: `a.b`, `a[0]`, `a["b.c"]`. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === ".") {
      i++;
    } else if (path[i] === "[") {
      if (path[i + 1] === '"') {
        let j = i + 2;
        let s = "";
        while (j < path.length && path[j] !== '"') {
          if (path[j] === "\\" && j + 1 < path.length) j++;
          s += path[j++];
        }
        out.push(s);
        i = path.indexOf("]", j) + 1 || path.length;
      } else {
        const end = path.indexOf("]", i);
        const inner = path.slice(i + 1, end < 0 ? path.length : end);
        out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
        i = end < 0 ? path.length : end + 1;
      }
    } else {
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

function formatPath(segments: Segment[]): string {
  let s = "";
  for (const seg of segments) {
    if (typeof seg === "number") s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

interface Lookup {
  present: boolean;
  value?: Masked;
  /** The value or one of its parents is a secret. */
  secret: boolean;
}

function lookup(root: Masked | undefined, segments: Segment[]): Lookup {
  let cur: Masked | undefined = root;
  for (const seg of segments) {
    if (cur === SECRET_MARK) return { present: true, value: SECRET_MARK, secret: true };
    if (cur === null || cur === undefined || typeof cur !== "object")
      return { present: false, secret: false };
    const next: Masked | undefined = Array.isArray(cur)
      ? typeof seg === "number"
        ? cur[seg]
        : undefined
      : (cur as { [k: string]: Masked })[String(seg)];
    if (next === undefined) return { present: false, secret: false };
    cur = next;
  }
  return { present: true, value: cur, secret: cur === SECRET_MARK || containsSecret(cur) };
}

function containsSecret(v: Masked | undefined): boolean {
  if (v === SECRET_MARK) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

function equal(a: Masked | undefined, b: Masked | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, Masked>)[k], (b as Record<string, Masked>)[k]));
}

/** Leaf paths where two masked values differ (secrets are opaque: two secrets compare equal here). */
function leafDiffs(a: Masked | undefined, b: Masked | undefined, at: Segment[], out: Segment[][]): void {
  if (equal(a, b)) return;
  const bothObjects =
    a !== null &&
    b !== null &&
    typeof a === "object" &&
    typeof b === "object" &&
    Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push(at);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) leafDiffs(a[i], b[i], [...at, i], out);
    return;
  }
  const ra = a as Record<string, Masked>;
  const rb = b as Record<string, Masked>;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) leafDiffs(ra[k], rb[k], [...at, k], out);
}

/** Engine-internal properties (the dynamic provider's serialized code, `__provider`) are not fields. */
function withoutInternal(props: Record<string, unknown> | null | undefined): Masked {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props ?? {})) if (!k.startsWith("__")) out[k] = v;
  return mask(out);
}

function fieldFrom(path: Segment[], oldRoot: Masked, liveRoot: Masked): FieldDrift | undefined {
  if (path.length === 0 || (typeof path[0] === "string" && path[0].startsWith("__"))) return undefined;
  const o = lookup(oldRoot, path);
  const l = lookup(liveRoot, path);
  if (!o.present && !l.present) return undefined;
  const secret = o.secret || l.secret;
  const kind = !o.present ? "added" : !l.present ? "removed" : "changed";
  const field: FieldDrift = { path: formatPath(path), kind, secret };
  if (o.present) field.old = secret ? SECRET : shown(o.value as Masked);
  if (l.present) field.live = secret ? SECRET : shown(l.value as Masked);
  return field;
}

/**
 * The fields of one resource that differ, from three sources: the engine's detailed diff (input paths; the only
 * source that sees a changed secret), the visible differences between stored and refreshed outputs, then inputs.
 * A field found by more than one source is listed once, a field under an already listed one is dropped.
 */
function fieldsOf(m: StepMetadata): FieldDrift[] {
  const old: StepState | null | undefined = m.old;
  const live: StepState | null | undefined = m.new;
  const oldIn = withoutInternal(old?.inputs);
  const liveIn = withoutInternal(live?.inputs);
  const oldOut = withoutInternal(old?.outputs);
  const liveOut = withoutInternal(live?.outputs);

  const candidates: Array<{ path: Segment[]; roots: [Masked, Masked][] }> = [];
  const bothViews: [Masked, Masked][] = [
    [oldIn, liveIn],
    [oldOut, liveOut],
  ];
  const enginePaths = Object.keys(m.detailedDiff ?? {});
  if (enginePaths.length === 0) enginePaths.push(...(m.diffs ?? []), ...(m.keys ?? []));
  for (const p of enginePaths) candidates.push({ path: parsePath(p), roots: bothViews });
  const outDiffs: Segment[][] = [];
  leafDiffs(oldOut, liveOut, [], outDiffs);
  for (const p of outDiffs) candidates.push({ path: p, roots: [[oldOut, liveOut]] });
  const inDiffs: Segment[][] = [];
  leafDiffs(oldIn, liveIn, [], inDiffs);
  for (const p of inDiffs) candidates.push({ path: p, roots: [[oldIn, liveIn]] });

  const fields: FieldDrift[] = [];
  const listed: Segment[][] = [];
  const covered = (p: Segment[]) =>
    listed.some((q) => q.length <= p.length && q.every((seg, i) => seg === p[i]));
  for (const c of candidates) {
    if (covered(c.path)) continue;
    for (const [o, l] of c.roots) {
      const f = fieldFrom(c.path, o, l);
      if (!f) continue;
      fields.push(f);
      listed.push(c.path);
      break;
    }
  }
  return fields;
}

/** A dynamic resource's type without its prefix (`pulumi-nodejs:dynamic/keylink:Cmk` → `Cmk`); others whole. */
export function shortType(type: string): string {
  const m = /^pulumi-nodejs:dynamic(?:\/[^:]+)?:(.+)$/.exec(type);
  return m ? m[1] : type;
}

/** The stack, project and resource name in a URN: `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
export function parseUrn(urn: string): { stack?: string; project?: string; name: string } {
  const parts = urn.split("::");
  const stack = parts[0]?.startsWith("urn:pulumi:") ? parts[0].slice("urn:pulumi:".length) : undefined;
  return { stack, project: parts[1], name: parts.length >= 4 ? parts.slice(3).join("::") : urn };
}

function isCheckable(m: StepMetadata): boolean {
  return (
    m.type !== "pulumi:pulumi:Stack" && !m.type.startsWith("pulumi:providers:") && m.old?.custom !== false
  );
}

/** Builds the report from every engine event of one `pulumi refresh --preview-only` run. */
export function reportFromEvents(events: EngineEvent[], opts: { cliFailed?: string } = {}): DriftReport {
  const refreshed = new Set<string>();
  const outcomes = new Map<string, StepMetadata>();
  const errors: string[] = [];
  let stack: string | undefined;
  let project: string | undefined;

  for (const e of events) {
    const pre = e.resourcePreEvent?.metadata;
    if (pre && pre.op === "refresh" && isCheckable(pre)) {
      refreshed.add(pre.urn);
      ({ stack, project } = parseUrn(pre.urn));
    }
    const outs = e.resOutputsEvent?.metadata;
    if (outs && refreshed.has(outs.urn)) outcomes.set(outs.urn, outs);
    const failed = e.resOpFailedEvent?.metadata;
    if (failed && refreshed.has(failed.urn) && !events.some((x) => x.diagnosticEvent?.urn === failed.urn)) {
      errors.push(`${describe(failed.urn, failed.type)}: the cloud could not be read`);
    }
    const diag = e.diagnosticEvent;
    if (diag && diag.severity === "error" && !diag.ephemeral) {
      const text = withoutColors(diag.message).trim();
      if (text) errors.push(diag.urn ? `${describe(diag.urn)}: ${text}` : text);
    }
  }
  // The engine closes a failed run with a bare "preview failed": the resources' own errors say more.
  const specific = errors.filter((e) => !/^(preview|update|refresh) failed$/i.test(e));
  if (specific.length > 0) errors.splice(0, errors.length, ...specific);
  if (opts.cliFailed && errors.length === 0) errors.push(opts.cliFailed);
  // Every run the engine finishes ends with a summary: without one, the events are incomplete.
  if (errors.length === 0 && !events.some((e) => e.summaryEvent)) {
    errors.push("the Pulumi CLI ended without reporting the refresh's outcome (no summary event)");
  }

  const resources: ResourceDrift[] = [];
  for (const urn of refreshed) {
    const m = outcomes.get(urn);
    if (!m || (m.op !== "update" && m.op !== "delete")) continue;
    const { name } = parseUrn(urn);
    const id = m.old?.id || undefined;
    resources.push({
      urn,
      type: shortType(m.type),
      name,
      ...(id ? { id } : {}),
      status: m.op === "delete" ? "deleted" : "changed",
      fields: m.op === "delete" ? [] : fieldsOf(m),
    });
  }
  // Resources are read in parallel: a stable order (type, then name) keeps reports comparable from run to run.
  resources.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  errors.sort();
  return { stack, project, checked: refreshed.size, resources, errors };
}

/** Drops Pulumi's colour directives (`<{%fg 1%}>`, `<{%reset%}>`) that event messages keep. */
function withoutColors(s: string): string {
  return s.replace(/<\{%[^%]*%\}>/g, "");
}

function describe(urn: string, type?: string): string {
  const { name } = parseUrn(urn);
  const t = type ?? urn.split("::")[2]?.split("$").pop() ?? "";
  return `${shortType(t)} ${name}`.trim();
}
