import type { ServiceContext, ServiceModel, WireProtocol } from "../../types";
import { loadFixtures } from "./fixtures";
import { VolcengineKmsStore } from "./model";
import { routes } from "./routes";

/** Volcengine KMS 2021-02-18: keyrings, keys, multi-region replicas. */
export function createModel(): ServiceModel {
  const store = new VolcengineKmsStore();
  const handlers = routes(store);
  return {
    key: "volcengineKms",
    cloud: "volcengine",
    service: "kms",
    protocols: ["volcengine"],
    versions: ["2021-02-18"],
    actions: (protocol: WireProtocol) => (protocol === "volcengine" ? handlers : {}),
    loadFixtures: (fixtures: unknown, ctx: ServiceContext) => loadFixtures(store, fixtures, ctx),
    toJSON: () => store.toJSON(),
    fromJSON: (state: unknown) => store.fromJSON(state),
    reset: () => store.reset(),
    inventory: (ctx: ServiceContext) => store.inventory(ctx),
  };
}
