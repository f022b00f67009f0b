// Helpers for models to read request parameters: `unflatten` for Alibaba's "A.1.B" flat forms, and typed
// getters that raise the model's own MissingParameter / InvalidParameter codes. Messages never echo a value,
// since parameters carry secrets (CAK, PSK, key material).
import { ServiceError } from "./types";

export interface UnflattenOptions {
  /** First array index: 1 for Alibaba (default), 0 for the Tencent legacy API. */
  base?: 0 | 1;
  /** Code of the error for malformed or conflicting keys. */
  invalidCode?: string;
  httpStatus?: number;
}

type Tree = { kind: "object"; children: Map<string, Node> } | { kind: "array"; children: Map<number, Node> };
type Node = Tree | { kind: "leaf"; value: unknown };

/**
 * Turns `{"A.1.B.C": "x", "A.2.B.C": "y", "D": "z"}` into `{A: [{B: {C: "x"}}, {B: {C: "y"}}], D: "z"}`.
 * Numeric segments (after the first) are array indices from `base`; arrays are in index order, gaps closed.
 * A key that is both a value and a container ("A" and "A.1") or both an array and an object is an error.
 */
export function unflatten(
  flat: Record<string, unknown>,
  opts: UnflattenOptions = {},
): Record<string, unknown> {
  const base = opts.base ?? 1;
  const fail = (key: string, why: string) =>
    new ServiceError(
      opts.invalidCode ?? "InvalidParameter",
      `The parameter ${key} is malformed: ${why}.`,
      opts.httpStatus ?? 400,
    );
  const root: Tree = { kind: "object", children: new Map() };

  for (const [key, value] of Object.entries(flat)) {
    const segments = key.split(".");
    if (segments.some((s) => s === "")) throw fail(key, "empty name segment");
    let node: Tree = root;
    segments.forEach((seg, i) => {
      const last = i === segments.length - 1;
      const isIndex = i > 0 && /^\d+$/.test(seg);
      if (isIndex && Number(seg) < base) throw fail(key, `array indices start at ${base}`);
      if ((node.kind === "array") !== isIndex) throw fail(key, "mixes list items and named fields");
      const existing = node.kind === "array" ? node.children.get(Number(seg)) : node.children.get(seg);
      let next: Node;
      if (last) {
        if (existing) throw fail(key, "given twice or also used as a container");
        next = { kind: "leaf", value };
      } else if (existing === undefined) {
        const childIsArray = /^\d+$/.test(segments[i + 1]);
        next = childIsArray
          ? { kind: "array", children: new Map() }
          : { kind: "object", children: new Map() };
      } else if (existing.kind === "leaf") {
        throw fail(key, "also given as a plain value");
      } else {
        next = existing;
      }
      if (node.kind === "array") node.children.set(Number(seg), next);
      else node.children.set(seg, next);
      if (next.kind !== "leaf") node = next;
    });
  }
  return toPlain(root) as Record<string, unknown>;
}

function toPlain(node: Node): unknown {
  if (node.kind === "leaf") return node.value;
  if (node.kind === "array")
    return [...node.children.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => toPlain(c));
  // fromEntries defines own properties, so a "__proto__" segment stays a plain key.
  return Object.fromEntries([...node.children].map(([k, c]) => [k, toPlain(c)]));
}

export interface ParamCodes {
  /**
   * Code for a required parameter that is absent or empty, e.g. "MissingParameter", or the code per parameter
   * (Alibaba's gateway answers Missing<Param>).
   */
  missing: string | ((name: string) => string);
  /** Code for a parameter of the wrong type or out of range, e.g. "InvalidParameter". */
  invalid: string;
  /** HTTP status of both (default 400; Tencent models pass 200). */
  httpStatus?: number;
  missingMessage?: (name: string) => string;
  invalidMessage?: (name: string, expected: string) => string;
}

interface Common {
  required?: boolean;
}
export interface StrOptions extends Common {
  maxLength?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}
export interface IntOptions extends Common {
  min?: number;
  max?: number;
}

type Required = { required: true };

/** Typed getters over one request's parameters. Strings from query or form ("true", "42") are accepted. */
export class ParamReader {
  constructor(
    private readonly params: Record<string, unknown>,
    private readonly codes: ParamCodes,
  ) {}

  has(name: string): boolean {
    const v = this.raw(name);
    return v !== undefined && v !== null && v !== "";
  }

  str(name: string, opts: StrOptions & Required): string;
  str(name: string, opts?: StrOptions): string | undefined;
  str(name: string, opts: StrOptions = {}): string | undefined {
    const v = this.present(name, opts);
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw this.invalid(name, "a string");
    if (opts.maxLength !== undefined && v.length > opts.maxLength) {
      throw this.invalid(name, `at most ${opts.maxLength} characters`);
    }
    if (opts.pattern && !opts.pattern.test(v)) throw this.invalid(name, `a value matching ${opts.pattern}`);
    if (opts.oneOf && !opts.oneOf.includes(v)) throw this.invalid(name, `one of ${opts.oneOf.join(", ")}`);
    return v;
  }

  bool(name: string, opts: Common & Required): boolean;
  bool(name: string, opts?: Common): boolean | undefined;
  bool(name: string, opts: Common = {}): boolean | undefined {
    const v = this.present(name, opts);
    if (v === undefined) return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true") return true;
    if (v === "false") return false;
    throw this.invalid(name, "true or false");
  }

  int(name: string, opts: IntOptions & Required): number;
  int(name: string, opts?: IntOptions): number | undefined;
  int(name: string, opts: IntOptions = {}): number | undefined {
    const v = this.present(name, opts);
    if (v === undefined) return undefined;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d{1,16}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw this.invalid(name, "an integer");
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw this.invalid(name, `an integer in [${opts.min ?? "-inf"}, ${opts.max ?? "inf"}]`);
    }
    return n;
  }

  /** A parameter whose value is a JSON document in a string (Alibaba's IkeConfig, IpsecConfig...). */
  json(name: string, opts: Common & Required): unknown;
  json(name: string, opts?: Common): unknown;
  json(name: string, opts: Common = {}): unknown {
    const v = this.present(name, opts);
    if (v === undefined) return undefined;
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      throw this.invalid(name, "a JSON document");
    }
  }

  private raw(name: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.params, name) ? this.params[name] : undefined;
  }

  private present(name: string, opts: Common): unknown {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") {
      if (opts.required) throw this.missing(name);
      return undefined;
    }
    return v;
  }

  private missing(name: string): ServiceError {
    const message = this.codes.missingMessage?.(name) ?? `The required parameter ${name} is missing.`;
    const code = typeof this.codes.missing === "string" ? this.codes.missing : this.codes.missing(name);
    return new ServiceError(code, message, this.codes.httpStatus ?? 400);
  }

  private invalid(name: string, expected: string): ServiceError {
    const message =
      this.codes.invalidMessage?.(name, expected) ??
      `The parameter ${name} is invalid: expected ${expected}.`;
    return new ServiceError(this.codes.invalid, message, this.codes.httpStatus ?? 400);
  }
}

export function paramReader(params: Record<string, unknown>, codes: ParamCodes): ParamReader {
  return new ParamReader(params, codes);
}
