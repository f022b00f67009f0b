// Generates schema.json, the Pulumi package schema of pulumi-resource-keylink, from the resources' zod input
// schemas (types, required inputs) and their Resource classes' documentation (src/resources/<r>/index.ts: the
// Args interface for inputs, the class for outputs). `npm run schema` writes it; test/plugin/schema.test.ts
// fails when the checked-in file differs from a fresh generation.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { z } from "zod";
import { CREDENTIAL_KEYS, type CredentialKeys } from "../src/config";
import { PluginResource, RESOURCES } from "../src/plugin/resources";

const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_FILE = path.join(ROOT, "schema.json");

type Json = Record<string, unknown>;
type Spec = Json & { description?: string; secret?: boolean };

interface Doc {
  description?: string;
  /** The interface documenting the members of a nested object input. */
  nested?: string;
}

const program = ts.createProgram(
  RESOURCES.map((r) => path.join(ROOT, "src", "resources", r.dir, "index.ts")),
  { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
);
const checker = program.getTypeChecker();

function sourceOf(r: PluginResource): ts.SourceFile {
  const f = program.getSourceFile(path.join(ROOT, "src", "resources", r.dir, "index.ts"));
  if (!f) throw new Error(`cannot read src/resources/${r.dir}/index.ts`);
  return f;
}

function jsDoc(node: ts.Node): string | undefined {
  const text = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
    .join("\n")
    .trim();
  return text === "" ? undefined : text;
}

function interfaces(file: ts.SourceFile): Map<string, ts.InterfaceDeclaration> {
  const found = new Map<string, ts.InterfaceDeclaration>();
  file.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) found.set(n.name.text, n);
  });
  return found;
}

/** Members of an Args interface (with those it extends): their documentation and nested object interface. */
function argDocs(file: ts.SourceFile, name: string): Map<string, Doc> {
  const all = interfaces(file);
  const docs = new Map<string, Doc>();
  const visit = (i: ts.InterfaceDeclaration) => {
    for (const h of i.heritageClauses ?? [])
      for (const t of h.types) {
        const base = all.get(t.expression.getText(file));
        if (base) visit(base);
      }
    for (const m of i.members) {
      if (!ts.isPropertySignature(m) || !m.name) continue;
      const typeText = m.type?.getText(file) ?? "";
      const nested = [...all.keys()].find((k) => new RegExp(`\\b${k}\\b`).test(typeText));
      docs.set(m.name.getText(file), { description: jsDoc(m), nested });
    }
  };
  const root = all.get(name);
  if (root) visit(root);
  return docs;
}

function resourceClass(file: ts.SourceFile, name: string): ts.ClassDeclaration {
  let found: ts.ClassDeclaration | undefined;
  file.forEachChild((n) => {
    if (ts.isClassDeclaration(n) && n.name?.text === name) found = n;
  });
  if (!found) throw new Error(`no class ${name} in ${file.fileName}`);
  return found;
}

/** A TypeScript type as a Pulumi type spec: primitives, string literal unions, arrays; anything else is Any. */
function specOfType(t: ts.Type): Spec {
  const parts = t.isUnion()
    ? t.types.filter((x) => !(x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)))
    : [t];
  if (parts.every((p) => p.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)))
    return { type: "string" };
  if (parts.every((p) => p.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)))
    return { type: "number" };
  if (parts.every((p) => p.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)))
    return { type: "boolean" };
  if (parts.length === 1 && checker.isArrayType(parts[0])) {
    const [element] = checker.getTypeArguments(parts[0] as ts.TypeReference);
    return { type: "array", items: specOfType(element) };
  }
  return { $ref: "pulumi.json#/Any" };
}

/** The class's output properties: documentation, type (inside pulumi.Output<...>) and whether always present. */
function outputDocs(
  file: ts.SourceFile,
  name: string,
): Map<string, { description?: string; spec: Spec; optional: boolean }> {
  const out = new Map<string, { description?: string; spec: Spec; optional: boolean }>();
  for (const m of resourceClass(file, name).members) {
    if (!ts.isPropertyDeclaration(m) || !m.type || !ts.isTypeReferenceNode(m.type)) continue;
    const inner = m.type.typeArguments?.[0];
    if (!inner) continue;
    const t = checker.getTypeFromTypeNode(inner);
    const optional = t.isUnion() && t.types.some((x) => x.flags & ts.TypeFlags.Undefined);
    out.set(m.name.getText(file), { description: jsDoc(m), spec: specOfType(t), optional });
  }
  return out;
}

/**
 * Descriptions of the properties the Resource classes leave undocumented (their names say it in TypeScript, not in
 * YAML or Python docs). Keyed by resource or type name, then property.
 */
const MORE_DOCS: Record<string, Record<string, string>> = {
  VpnConnectionConfig: {
    effectImmediately: "Whether the connection negotiates at once (true) or when traffic arrives (false).",
    ipsecConfig: "Phase-2 (IPsec) settings of a single-tunnel connection.",
    healthCheckConfig: "Health check of a single-tunnel connection.",
    bgpConfig: "BGP settings of a single-tunnel connection.",
    enableDpd: "Dead peer detection.",
    enableNatTraversal: "NAT traversal.",
    enableTunnelsBgp: "BGP on the tunnels of a dual-tunnel connection.",
    vpnGatewayId: "The VPN gateway of the connection.",
    tunnelMode: 'Whether the connection has one tunnel ("single") or two ("dual").',
  },
  VpnConnectionConfigHealthCheckConfig: { enable: "Whether the health check runs." },
  VpnConnectionConfigBgpConfig: { enableBgp: "Whether BGP runs on the connection." },
  VpnConnectionConfigTunnelOptionsSpecification: {
    tunnelId: "The tunnel's id (tun-...); or name it by role.",
    tunnelIkeConfig: "Phase-1 (IKE) settings of the tunnel; its psk is a secret.",
    tunnelIpsecConfig: "Phase-2 (IPsec) settings of the tunnel.",
    tunnelBgpConfig: "BGP settings of the tunnel.",
    enableDpd: "Dead peer detection on the tunnel.",
    enableNatTraversal: "NAT traversal on the tunnel.",
  },
  VpnConnectionConfigPresharedKeys: {
    ikeConfig: "The PSK of a single-tunnel connection.",
    tunnels: "The PSK of each tunnel, by tunnel id or role.",
  },
  ImportedKeyMaterial: { origin: "The key's origin as KMS reports it (EXTERNAL)." },
  ReplicaKey: {
    keySpec: "The key's spec, e.g. SYMMETRIC_256.",
    keyUsage: "The key's usage, e.g. ENCRYPT_DECRYPT.",
    primaryKeyTrn: "The TRN of the primary key.",
    primaryKeyRegion: "The region of the primary key.",
    creationDate: "When the replica was created (Unix seconds).",
    updateDate: "When the replica was last changed (Unix seconds).",
  },
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Turns JSON Schema (zod's, input side) into Pulumi type specs, hoisting objects into `types`. */
class Converter {
  readonly types: Record<string, Json> = {};

  constructor(
    private readonly r: PluginResource,
    private readonly file: ts.SourceFile,
  ) {}

  private module(): string {
    return this.r.token.split(":")[1];
  }

  spec(js: Json, name: string, doc: Doc): Spec {
    const variants = (js.anyOf ?? js.oneOf) as Json[] | undefined;
    if (variants) {
      const usable = variants.filter((v) => v.type !== "null");
      // A field that also takes one item for a list (e.g. localSubnet) is declared as the list.
      const list = usable.find((v) => v.type === "array");
      if (list) return this.spec(list, name, doc);
      if (usable.length === 1) return this.spec(usable[0], name, doc);
      return { oneOf: usable.map((v) => this.spec(v, name, doc)) };
    }
    if (Array.isArray(js.type))
      return { oneOf: (js.type as string[]).map((type) => this.spec({ type }, name, doc)) };
    if (js.type === "array") return { type: "array", items: this.spec(js.items as Json, name, doc) };
    if (js.type === "object" && js.properties) return { $ref: this.objectType(js, name, doc) };
    if (js.type === "object") {
      return {
        type: "object",
        additionalProperties: this.spec((js.additionalProperties as Json) ?? {}, name, doc),
      };
    }
    if (js.type === "string" || js.type === "boolean" || js.type === "integer" || js.type === "number") {
      return { type: js.type };
    }
    return { $ref: "pulumi.json#/Any" };
  }

  /** A nested object input as a named type; objects of the same shape share one type. */
  private objectType(js: Json, name: string, doc: Doc): string {
    const docs = doc.nested ? argDocs(this.file, doc.nested) : new Map<string, Doc>();
    const typeName = `${this.r.name}${pascal(name)}`;
    const properties = this.properties(js, docs, typeName);
    const body: Json = { type: "object", properties };
    if (doc.nested) {
      const i = interfaces(this.file).get(doc.nested);
      const d = i && jsDoc(i);
      if (d) body.description = d;
    }
    const required = (js.required as string[] | undefined) ?? [];
    if (required.length > 0) body.required = required;
    const same = Object.entries(this.types).find(([, t]) => JSON.stringify(t) === JSON.stringify(body));
    if (same) return `#/types/${same[0]}`;
    const token = `keylink:${this.module()}:${typeName}`;
    this.types[token] = body;
    return `#/types/${token}`;
  }

  properties(js: Json, docs: Map<string, Doc>, typeName: string): Record<string, Spec> {
    const props: Record<string, Spec> = {};
    for (const [k, v] of Object.entries((js.properties ?? {}) as Record<string, Json>)) {
      const doc = docs.get(k) ?? {};
      const spec = this.spec(v, k, doc);
      const description = [doc.description ?? MORE_DOCS[typeName]?.[k], enumNote(v)]
        .filter(Boolean)
        .join(" ");
      if (description) spec.description = description;
      if (this.r.secrets.includes(k) || (docs !== this.topDocs && this.r.nestedSecrets?.includes(k))) {
        spec.secret = true;
      }
      props[k] = spec;
    }
    return props;
  }

  topDocs = new Map<string, Doc>();
}

/** The allowed values of an enum input, said in its description (the schema declares it a plain string). */
function enumNote(js: Json): string | undefined {
  const values = js.enum as unknown[] | undefined;
  if (!values || values.length < 2) return undefined;
  return `One of: ${values.map((v) => JSON.stringify(v)).join(", ")}.`;
}

function resourceSpec(r: PluginResource): { resource: Json; types: Record<string, Json> } {
  const file = sourceOf(r);
  const js = z.toJSONSchema(r.inputs, { io: "input", unrepresentable: "any" }) as Json;
  const conv = new Converter(r, file);
  conv.topDocs = argDocs(file, `${r.name}Args`);
  const inputProperties = conv.properties(js, conv.topDocs, r.name);
  const outputs = outputDocs(file, r.name);
  const properties: Record<string, Spec> = {};
  for (const [k, o] of outputs) {
    const spec: Spec = inputProperties[k] ? { ...inputProperties[k] } : { ...o.spec };
    const description = o.description ?? MORE_DOCS[r.name]?.[k];
    if (description) spec.description = description;
    if (r.secrets.includes(k)) spec.secret = true;
    properties[k] = spec;
  }
  for (const [k, spec] of Object.entries(inputProperties)) properties[k] ??= spec;
  const requiredInputs = (js.required as string[] | undefined) ?? [];
  const required = Object.keys(properties).filter(
    (k) => requiredInputs.includes(k) || (outputs.has(k) && !outputs.get(k)!.optional && !inputProperties[k]),
  );
  const writeOnly =
    r.writeOnly.length > 0
      ? ` The cloud never returns ${r.writeOnly.join(", ")}: \`pulumi import\` leaves ${r.writeOnly.length > 1 ? "them" : "it"} ` +
        `for you to supply (as a secret) in the generated code.`
      : "";
  const description =
    `${jsDoc(resourceClass(file, r.name)) ?? ""}\n\n` +
    `The resource id is \`${r.idFormat}\`: \`pulumi import ${r.token} <name> <id>\` adopts an existing object.${writeOnly}`;
  return {
    resource: { description, inputProperties, requiredInputs, properties, required },
    types: conv.types,
  };
}

/** The credential settings of one cloud, from the keys src/config.ts reads (one list, so none is forgotten). */
function credentialConfig(k: CredentialKeys): Record<string, Spec> {
  const string = (description: string, secret = false): Spec => ({
    type: "string",
    ...(secret ? { secret: true } : {}),
    description,
  });
  const envs = (names: string[]) => `Env: ${names.join(" or ")}.`;
  return {
    [k.idKey]: string(`${k.cloud} access key id. ${envs(k.idEnv)}`),
    [k.secretKey]: string(`${k.cloud} access key secret. ${envs(k.secretEnv)}`, true),
    [k.tokenKey]: string(`${k.cloud} session token of temporary credentials. ${envs(k.tokenEnv)}`, true),
    [k.roleKey]: string(`${k.cloud} role to assume with the credentials found (see README, Credentials).`),
    [`${k.prefix}RoleSessionName`]: string(
      `Session name for the assumed ${k.cloud} role (default pulumi-keylink).`,
    ),
    [`${k.prefix}RoleDurationSeconds`]: string(
      `Session length of the assumed ${k.cloud} role, in seconds (900 or more).`,
    ),
    ...(k.externalId
      ? { [`${k.prefix}RoleExternalId`]: string(`External id the ${k.cloud} role requires, if any.`, true) }
      : {}),
  };
}

const CONFIG: Record<string, Spec> = {
  target: {
    type: "string",
    description:
      'Where calls go: "emulator" (default, the local cloud emulator) or "cloud" (the real clouds). Env: KEYLINK_TARGET.',
  },
  emulatorUrl: {
    type: "string",
    description: "Base URL of the emulator, default http://127.0.0.1:4577. Env: KEYLINK_EMULATOR_URL.",
  },
  ...credentialConfig(CREDENTIAL_KEYS.alibaba),
  ...credentialConfig(CREDENTIAL_KEYS.volcengine),
  ...credentialConfig(CREDENTIAL_KEYS.tencent),
  tencentCmkQuota: {
    type: "string",
    description:
      "Overrides the CMK quota per region that the provider otherwise reads from Tencent's GetServiceStatus (CmkLimit), as a whole number. Env: KEYLINK_TENCENT_CMK_QUOTA.",
  },
};

export function generateSchema(version: string): Json {
  const resources: Record<string, Json> = {};
  const types: Record<string, Json> = {};
  for (const r of RESOURCES) {
    const s = resourceSpec(r);
    resources[r.token] = s.resource;
    Object.assign(types, s.types);
  }
  return {
    name: "keylink",
    displayName: "keylink",
    version,
    description:
      "MACsec, IPsec-VPN and KMS keys on Alibaba Cloud, Volcengine and Tencent Cloud, with the clouds' rules checked at preview.",
    license: "Apache-2.0",
    keywords: ["alibaba", "volcengine", "tencent", "kms", "macsec", "ipsec"],
    config: { variables: CONFIG },
    provider: {
      description:
        "The keylink provider: where calls go (the emulator or the clouds) and with which credentials.",
      inputProperties: CONFIG,
    },
    resources,
    types,
    language: { python: { packageName: "pulumi_keylink" } },
  };
}

export function renderSchema(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  return `${JSON.stringify(generateSchema(pkg.version), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, renderSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
