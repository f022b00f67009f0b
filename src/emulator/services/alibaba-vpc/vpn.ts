import type { VpcPart } from "./part";
import { VpnModel } from "./vpn-model";
import { vpnActions } from "./vpn-routes";

/** The IPsec-VPN half of the "alibabaVpc" service model (index.ts combines it with MACsec). */
export function createVpnPart(): VpcPart {
  const model = new VpnModel();
  return {
    actions: vpnActions(model),
    loadFixtures: (fixtures, ctx) => model.loadFixtures(fixtures, ctx),
    toJSON: () => model.toJSON(),
    fromJSON: (state) => model.fromJSON(state),
    reset: () => model.reset(),
    inventory: (ctx) => model.inventory(ctx),
    lockKey: (req) => {
      if (req.action !== "ModifyVpnConnectionAttribute") return undefined;
      const id = req.params.VpnConnectionId;
      return typeof id === "string" ? model.gatewayOf(req.region, id) : undefined;
    },
  };
}
