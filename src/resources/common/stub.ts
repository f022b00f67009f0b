import * as pulumi from "@pulumi/pulumi";
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
 * The provider object Pulumi serializes into every resource's state (`__provider`). It only forwards to the
 * provider module, which the serializer records as a `require(...)` of this package (a module's exports object
 * is required by name, not copied). So `__provider` stays small, holds no schema, client or credential, and
 * does not change when the package's internals change.
 */
export function dynamicProvider(m: ProviderModule): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => m.configure(req.config),
    check: (olds, news) => m.check(olds, news),
    diff: (id, olds, news) => m.diff(id, olds, news),
    create: (inputs) => m.create(inputs),
    read: (id, props) => m.read(id, props),
    update: (id, olds, news) => m.update(id, olds, news),
    delete: (id, props) => m.destroy(id, props),
  };
}
