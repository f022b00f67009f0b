import type { ServiceModel } from "../../types";
import { VPC_API, requiringRegion } from "../alibaba-vpc-api";
import { loadFixtures } from "./fixtures";
import { MacsecModel, type PhysicalConnectionRecord } from "./model";
import { routes } from "./routes";

/** Alibaba VPC 2016-04-28, its MACsec part: Express Connect physical connections and their MACsec key sets. */
export function createModel(): ServiceModel {
  const model = new MacsecModel();
  const actions = requiringRegion(routes(model));
  return {
    ...VPC_API,
    part: { name: "macsec", fixtureKeys: ["physicalConnections"] },
    actions: () => actions,
    loadFixtures: (fixtures, ctx) => loadFixtures(model, fixtures, ctx),
    toJSON: () => model.toJSON(),
    fromJSON(state) {
      const s = (state ?? {}) as { physicalConnections?: PhysicalConnectionRecord[]; activations?: number };
      model.restore(s.physicalConnections ?? [], s.activations ?? 0);
    },
    reset: () => model.reset(),
    inventory: (ctx) => model.inventory(ctx.now()),
    // MACsec writes on one connection exclude each other (IncorrectStatus.PconnMacsec), so the request log
    // counts them per connection, as it counts VPN writes per gateway.
    lockKey(req) {
      if (req.action !== "AssociateMacSecKey" && req.action !== "DisassociateMacSecKey") return undefined;
      const id = req.params.PhysicalConnectionId;
      return typeof id === "string" && id !== "" ? `pconn:${id}` : undefined;
    },
  };
}
