import type { ServiceContext, ServiceModel, WireProtocol } from "../../types";
import { loadFixtures } from "./fixtures";
import { AlibabaKms } from "./model";
import { routes } from "./routes";

/** Alibaba KMS 2016-01-20 over Alibaba RPC: keys, imported key material, deletion. */
export function createModel(): ServiceModel {
  const kms = new AlibabaKms();
  const handlers = routes(kms);
  return {
    key: "alibabaKms",
    cloud: "alibaba",
    service: "kms",
    protocols: ["alibaba-rpc"],
    versions: ["2016-01-20"],
    actions: (protocol: WireProtocol) => (protocol === "alibaba-rpc" ? handlers : {}),
    loadFixtures: (fixtures: unknown, ctx: ServiceContext) => loadFixtures(kms, fixtures, ctx),
    toJSON: () => kms.toJSON(),
    fromJSON: (state: unknown) => kms.fromJSON(state),
    reset: () => kms.reset(),
    inventory: (ctx: ServiceContext) => kms.inventory(ctx),
  };
}
