import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { VpnModel } from "./vpn-model";
import { vpnActions } from "./vpn-routes";

/** The IPsec-VPN half of the "alibabaVpc" service model (index.ts combines it with MACsec). */
export interface VpnPart {
  actions: Record<string, ActionHandler>;
  /** Receives the whole alibabaVpc fixture object and reads vpnGateways and vpnConnections. */
  loadFixtures(fixtures: unknown, ctx: ServiceContext): void;
  toJSON(): unknown;
  fromJSON(state: unknown): void;
  reset(): void;
  inventory(ctx: ServiceContext): unknown;
  /** The VPN gateway a ModifyVpnConnectionAttribute touches: the cloud allows one change at a time per gateway. */
  lockKey(req: ServiceRequest): string | undefined;
}

export function createVpnPart(): VpnPart {
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
