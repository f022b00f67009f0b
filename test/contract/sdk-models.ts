// What the official SDKs declare about each response, read from the SDKs' own model definitions, and a recursive
// comparison of an emulator answer against it: every field the emulator sends must be declared by the SDK, with
// the declared JSON type. (Fields the emulator leaves out are not checked: every SDK field is optional.)
import * as fs from "node:fs";
import * as ts from "typescript";

/** One mismatch: where in the answer, and what is wrong. */
export type Mismatch = string;

const UNDECLARED = ": not declared by the SDK";

/** Wrong types (an SDK decoder fails on them) apart from undeclared fields (paths only; SDKs ignore them). */
export function splitMismatches(all: Mismatch[]): { wrongType: Mismatch[]; undeclared: string[] } {
  return {
    wrongType: all.filter((m) => !m.includes(UNDECLARED)),
    undeclared: all.filter((m) => m.includes(UNDECLARED)).map((m) => m.slice(0, m.indexOf(UNDECLARED))),
  };
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

// ------------------------------------------------------------------ Alibaba: TeaModel / Darabonba Model classes

/** A generated Alibaba model class: `names()` maps field → wire name, `types()` field → type. */
export interface TeaModelClass {
  names(): Record<string, string>;
  types(): Record<string, TeaType>;
}
type TeaType =
  string | TeaModelClass | { type: "array"; itemType: TeaType } | { type: "map"; valueType: TeaType };

function isModelClass(t: unknown): t is TeaModelClass {
  return typeof t === "function" && typeof (t as unknown as TeaModelClass).types === "function";
}

const TEA_SCALARS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  long: (v) => Number.isInteger(v),
  float: (v) => typeof v === "number",
  double: (v) => typeof v === "number",
  any: () => true,
};

export function teaMismatches(value: unknown, type: TeaType, path = "$"): Mismatch[] {
  if (isModelClass(type)) {
    if (jsonType(value) !== "object") return [`${path}: expected an object, got ${jsonType(value)}`];
    const names = type.names();
    const types = type.types();
    const byWire = new Map(Object.entries(names).map(([field, wire]) => [wire, types[field]]));
    return Object.entries(value as Record<string, unknown>).flatMap(([wire, v]) => {
      const t = byWire.get(wire);
      if (t === undefined) return [`${path}.${wire}${UNDECLARED} model`];
      return teaMismatches(v, t, `${path}.${wire}`);
    });
  }
  if (typeof type === "string") {
    const ok = TEA_SCALARS[type];
    if (!ok) return [`${path}: the SDK declares type "${type}", which this check does not know`];
    return ok(value) ? [] : [`${path}: the SDK declares ${type}, the emulator sent ${jsonType(value)}`];
  }
  if (type.type === "array") {
    if (!Array.isArray(value))
      return [`${path}: the SDK declares an array, the emulator sent ${jsonType(value)}`];
    return value.flatMap((v, i) => teaMismatches(v, type.itemType, `${path}[${i}]`));
  }
  if (jsonType(value) !== "object")
    return [`${path}: the SDK declares a map, the emulator sent ${jsonType(value)}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    teaMismatches(v, type.valueType, `${path}.${k}`),
  );
}

// ------------------------------------------------------------------ Tencent: TypeScript interfaces (*.d.ts)

/** The interfaces of a Tencent SDK models file, read with the TypeScript compiler API. */
export class TsModels {
  private readonly interfaces = new Map<string, ts.InterfaceDeclaration>();

  constructor(file: string) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) this.interfaces.set(node.name.text, node);
    });
  }

  has(name: string): boolean {
    return this.interfaces.has(name);
  }

  /** Mismatches of `value` against interface `name`. */
  mismatches(value: unknown, name: string, path = "$"): Mismatch[] {
    const decl = this.interfaces.get(name);
    if (!decl) return [`${path}: the SDK has no interface ${name}`];
    if (jsonType(value) !== "object")
      return [`${path}: expected ${name} (an object), got ${jsonType(value)}`];
    const members = new Map<string, ts.TypeNode | undefined>();
    for (const m of decl.members) {
      if (ts.isPropertySignature(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)))
        members.set(m.name.text, m.type);
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      if (!members.has(k)) return [`${path}.${k}${UNDECLARED}'s ${name}`];
      const t = members.get(k);
      return t ? this.typeMismatches(v, t, `${path}.${k}`) : [];
    });
  }

  private typeMismatches(value: unknown, node: ts.TypeNode, path: string): Mismatch[] {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return typeof value === "string"
          ? []
          : [`${path}: the SDK declares string, the emulator sent ${jsonType(value)}`];
      case ts.SyntaxKind.NumberKeyword:
        return typeof value === "number"
          ? []
          : [`${path}: the SDK declares number, the emulator sent ${jsonType(value)}`];
      case ts.SyntaxKind.BooleanKeyword:
        return typeof value === "boolean"
          ? []
          : [`${path}: the SDK declares boolean, the emulator sent ${jsonType(value)}`];
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return [];
    }
    if (ts.isArrayTypeNode(node)) return this.arrayMismatches(value, node.elementType, path);
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === "Array" && node.typeArguments?.length === 1)
        return this.arrayMismatches(value, node.typeArguments[0], path);
      if (this.interfaces.has(name)) return this.mismatches(value, name, path);
    }
    if (ts.isUnionTypeNode(node)) {
      const each = node.types.map((t) => this.typeMismatches(value, t, path));
      return each.some((m) => m.length === 0) ? [] : each[0];
    }
    if (
      node.kind === ts.SyntaxKind.NullKeyword ||
      (ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword)
    )
      return value === null ? [] : [`${path}: expected null`];
    return [`${path}: the SDK declares ${node.getText()}, which this check does not know`];
  }

  private arrayMismatches(value: unknown, item: ts.TypeNode, path: string): Mismatch[] {
    if (!Array.isArray(value))
      return [`${path}: the SDK declares an array, the emulator sent ${jsonType(value)}`];
    return value.flatMap((v, i) => this.typeMismatches(v, item, `${path}[${i}]`));
  }
}
