import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type { z } from "zod";
import { PartialCreateError } from "../resources/common/partial-create";
import { resourceOfUrn } from "./resources";
import { plain, secretKeys, toWire } from "./wire";

// The provider served by pulumi-resource-keylink: each call goes, by the URN's type token, to the provider module
// the dynamic resource of that name uses. This layer only translates the wire (secrets in and out, the absent
// values a Struct cannot hold); the rules, schemas and clients are the modules'.

type Bag = Record<string, unknown>;

/** The package root: schema.json and package.json sit there, beside src/ and dist/. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Secret properties of a resource's answer: the type's own, and every input the program passed as a secret. */
function secretsFor(urn: string, ...given: Array<Bag | undefined>): string[] {
  const names = new Set(resourceOfUrn(urn).secrets);
  for (const bag of given) for (const k of secretKeys(bag)) names.add(k);
  return [...names];
}

/** A create that changed the cloud before failing: its id and properties, on the wire (secrets wrapped). */
function partialCreate(e: PartialCreateError, secrets: string[]): Error {
  const properties: Bag = { ...e.properties };
  delete properties.__provider;
  return Object.assign(new Error(e.message), {
    id: e.id,
    properties: toWire(properties, secrets),
    reasons: e.reasons,
  });
}

/** An input the cloud never returns, absent from a bag (a read for `pulumi import` gives it back empty). */
const lacks = (bag: Bag, field: string) => bag[field] === undefined || bag[field] === "";

/**
 * A failure on an input the cloud never returns (a CAK, key material) that is missing: after `pulumi import`,
 * the generated code lacks it, and the user must supply it. The reason says so instead of "required".
 */
function writeOnlyFailures(
  urn: string,
  news: Bag,
  failures: pulumi.dynamic.CheckFailure[],
): pulumi.dynamic.CheckFailure[] {
  const missing = resourceOfUrn(urn).writeOnly.filter((f) => lacks(news, f));
  return failures.map((f) => {
    const field = missing.find((m) => f.property === m || f.reason.startsWith(`${m}:`));
    if (!field) return f;
    return {
      property: field,
      reason:
        `${field}: required, and the cloud never returns it, so 'pulumi import' cannot read it back: set it (as a ` +
        `secret) to the value the object was made with.`,
    };
  });
}

/**
 * News without the inputs the cloud never returns, when the state does not hold them (an imported resource):
 * the value the program now supplies cannot be compared with anything, so it is not a change.
 */
function withoutUnreadable(urn: string, olds: Bag, news: Bag): Bag {
  const unreadable = resourceOfUrn(urn).writeOnly.filter((f) => lacks(olds, f));
  if (unreadable.length === 0) return news;
  return Object.fromEntries(Object.entries(news).filter(([k]) => !unreadable.includes(k)));
}

/**
 * The defaults of the inputs absent from `bag`, from the resource's zod schema. A read for `pulumi import` knows
 * only what the cloud shows; with the defaults the imported state equals what the generated code then checks to.
 */
function defaultsFor(schema: z.ZodType, bag: Bag): Bag {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const out: Bag = {};
  for (const [k, field] of Object.entries(shape)) {
    if (bag[k] !== undefined) continue;
    const r = field.safeParse(undefined);
    if (r.success && r.data !== undefined) out[k] = r.data;
  }
  return out;
}

export function keylinkProvider(schema?: string): provider.Provider {
  return {
    version: packageVersion(),
    schema,

    async check(urn, olds: Bag, news: Bag): Promise<provider.CheckResult> {
      const given = plain(news) as Bag;
      const r = await resourceOfUrn(urn).module.check(plain(olds) as Bag, given);
      return {
        inputs: toWire(r.inputs as Bag | undefined, secretsFor(urn, news)),
        failures: writeOnlyFailures(urn, given, (r.failures ?? []) as pulumi.dynamic.CheckFailure[]),
      };
    },

    async diff(id, urn, olds: Bag, news: Bag): Promise<provider.DiffResult> {
      const old = plain(olds) as Bag;
      return resourceOfUrn(urn).module.diff(id, old, withoutUnreadable(urn, old, plain(news) as Bag));
    },

    async create(urn, inputs: Bag): Promise<provider.CreateResult> {
      const secrets = secretsFor(urn, inputs);
      try {
        const r = await resourceOfUrn(urn).module.create(plain(inputs) as Bag);
        return { id: r.id, outs: toWire(r.outs as Bag | undefined, secrets) };
      } catch (e) {
        throw e instanceof PartialCreateError ? partialCreate(e, secrets) : e;
      }
    },

    async read(id, urn, props?: Bag): Promise<provider.ReadResult> {
      const secrets = secretsFor(urn, props);
      const res = resourceOfUrn(urn);
      const given = plain(props ?? {}) as Bag;
      // A read with the id alone is `pulumi import`.
      const imported = Object.keys(given).length === 0;
      const r = await res.module.read(id, imported ? (res.importProps?.(id) ?? {}) : given);
      // No id: the object is gone, and the engine drops the resource from state.
      if (!r.id) return { id: "", props: {} };
      const read = r.inputs as Bag | undefined;
      const defaults = imported && read ? defaultsFor(res.inputs, read) : {};
      const outs = { ...defaults, ...(r.props as Bag) };
      const inputs = read && { ...defaults, ...read };
      // What the cloud never returns and the state did not hold (an import) stays absent, not "".
      for (const f of res.writeOnly.filter((w) => lacks(given, w))) {
        delete outs[f];
        if (inputs) delete inputs[f];
      }
      return { id: r.id, props: toWire(outs, secrets), inputs: inputs && toWire(inputs, secrets) };
    },

    async update(id, urn, olds: Bag, news: Bag): Promise<provider.UpdateResult> {
      const r = await resourceOfUrn(urn).module.update(id, plain(olds) as Bag, plain(news) as Bag);
      return { outs: toWire(r.outs as Bag | undefined, secretsFor(urn, olds, news)) };
    },

    async delete(id, urn, props: Bag): Promise<void> {
      await resourceOfUrn(urn).module.destroy(id, plain(props) as Bag);
    },
  };
}
