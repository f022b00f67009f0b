import type { ServiceModel } from "../../types";
import { VPC_API, requiringRegion } from "../alibaba-vpc-api";
import { loadFixtures } from "./fixtures";
import { VpnModel } from "./model";
import { routes } from "./routes";

/** Alibaba VPC 2016-04-28, its IPsec-VPN part: VPN gateways and IPsec connections. */
export function createModel(): ServiceModel {
  const model = new VpnModel();
  const actions = requiringRegion(routes(model));
  return {
    ...VPC_API,
    part: { name: "vpn", fixtureKeys: ["vpnGateways", "vpnConnections"] },
    actions: () => actions,
    loadFixtures: (fixtures, ctx) => loadFixtures(model, fixtures, ctx),
    toJSON: () => model.toJSON(),
    fromJSON: (state) => model.fromJSON(state),
    reset: () => model.reset(),
    inventory: (ctx) => model.inventory(ctx),
    // Changes on one gateway exclude each other (VpnTask.CONFLICT): the request log counts them per gateway.
    lockKey: (req) => {
      if (req.action !== "ModifyVpnConnectionAttribute") return undefined;
      const id = req.params.VpnConnectionId;
      return typeof id === "string" ? model.gatewayOf(req.region, id) : undefined;
    },
  };
}
