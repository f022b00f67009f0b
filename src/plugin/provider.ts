import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
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

export function keylinkProvider(schema?: string): provider.Provider {
  return {
    version: packageVersion(),
    schema,

    async check(urn, olds: Bag, news: Bag): Promise<provider.CheckResult> {
      const r = await resourceOfUrn(urn).module.check(plain(olds) as Bag, plain(news) as Bag);
      return {
        inputs: toWire(r.inputs as Bag | undefined, secretsFor(urn, news)),
        failures: (r.failures ?? []) as pulumi.dynamic.CheckFailure[],
      };
    },

    async diff(id, urn, olds: Bag, news: Bag): Promise<provider.DiffResult> {
      return resourceOfUrn(urn).module.diff(id, plain(olds) as Bag, plain(news) as Bag);
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
      const r = await resourceOfUrn(urn).module.read(id, (plain(props ?? {}) as Bag) ?? {});
      // No id: the object is gone, and the engine drops the resource from state.
      if (!r.id) return { id: "", props: {} };
      return {
        id: r.id,
        props: toWire(r.props as Bag | undefined, secrets),
        inputs: r.inputs === undefined ? undefined : toWire(r.inputs as Bag, secrets),
      };
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
