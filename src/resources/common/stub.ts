import * as nodeModule from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "../../config";

/** What each resource's provider.ts exports. Operation names follow pulumi.dynamic.ResourceProvider. */
export interface ProviderModule {
  configure(config: ConfigSource): Promise<void>;
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult>;
  destroy(id: string, props: Record<string, unknown>): Promise<void>;
}

/**
 * The provider object of a dynamic resource: forwards each operation to the provider module, which `load`
 * requires on the first call, so the Pulumi program never loads provider code, zod schemas or cloud SDKs.
 *
 * Each resource folder's dynamic.ts assigns this object to its `module.exports` (`export =`). Pulumi serializes a
 * module's exports object as a `require(...)` of it by name, so every resource's `__provider` in state is a few
 * lines naming `pulumi-keylink/dist/resources/<resource>/dynamic.js`: about 300 bytes, no schema, client or
 * credential, and the same text whatever changes inside the package.
 */
export function dynamicProvider(load: () => ProviderModule): pulumi.dynamic.ResourceProvider {
  let m: ProviderModule | undefined;
  const provider = () => (m ??= loadCompiled(load));
  return {
    configure: (req) => provider().configure(req.config),
    check: (olds, news) => provider().check(olds, news),
    diff: (id, olds, news) => provider().diff(id, olds, news),
    create: (inputs) => provider().create(inputs),
    read: (id, props) => provider().read(id, props),
    update: (id, olds, news) => provider().update(id, olds, news),
    delete: (id, props) => provider().destroy(id, props),
  };
}

/**
 * Loads a provider module with Node's compile cache on (Node >= 22.1: compiled code kept in
 * os.tmpdir()/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off). Every `pulumi` command starts a new
 * provider process, which loads zod and the cloud SDKs on its first operation while the operations in flight wait:
 * from the second process on, that load takes about a third less (measured on a 2-core machine: the five provider
 * modules and their SDKs, ~250 ms without the cache, ~160 ms with it).
 */
function loadCompiled(load: () => ProviderModule): ProviderModule {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  return load();
}
