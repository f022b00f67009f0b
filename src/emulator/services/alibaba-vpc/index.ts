import { alibabaMissing } from "../../gateway-errors";
import type { ActionHandler, ServiceModel } from "../../types";
import { createMacsecPart } from "./macsec";
import type { VpcPart } from "./part";
import { createVpnPart } from "./vpn";

// Alibaba VPC (2016-04-28) is one API served by two independent parts: Express Connect physical connections
// with MACsec (macsec.ts) and IPsec-VPN gateways and connections (vpn.ts). Fixtures are one object
// { physicalConnections, vpnGateways, vpnConnections }; state and inventory keep the parts apart.

const MACSEC_KEYS = ["physicalConnections"];
const VPN_KEYS = ["vpnGateways", "vpnConnections"];
const FIXTURE_KEYS = [...MACSEC_KEYS, ...VPN_KEYS];

/** Each part gets an object holding only its own keys, so neither has to tolerate the other's. */
function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Every modeled VPC action declares RegionId required (the 2016-04-28 API references and the SDK's request
 * models), so the gateway refuses a call without it before any lookup: MissingRegionId, not a not-found error
 * or an empty list.
 */
function requiringRegion(actions: Record<string, ActionHandler>): Record<string, ActionHandler> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, handler]): [string, ActionHandler] => [
      name,
      (req, ctx) => {
        const region = req.params.RegionId;
        if (typeof region !== "string" || region === "") throw alibabaMissing("RegionId");
        return handler(req, ctx);
      },
    ]),
  );
}

export function createModel(): ServiceModel {
  const macsec: VpcPart = createMacsecPart();
  const vpn: VpcPart = createVpnPart();
  const actions = requiringRegion({ ...macsec.actions, ...vpn.actions });
  return {
    key: "alibabaVpc",
    cloud: "alibaba",
    service: "vpc",
    protocols: ["alibaba-rpc"],
    versions: ["2016-04-28"],
    actions: () => actions,
    loadFixtures(fixtures, ctx) {
      if (fixtures === undefined || fixtures === null) return;
      if (!isPlainObject(fixtures)) throw new Error("Invalid alibabaVpc fixtures: expected an object");
      const unknown = Object.keys(fixtures).filter((k) => !FIXTURE_KEYS.includes(k));
      if (unknown.length > 0) {
        throw new Error(
          `Invalid alibabaVpc fixtures: unknown key(s) ${unknown.join(", ")} (expected ${FIXTURE_KEYS.join(", ")})`,
        );
      }
      macsec.loadFixtures(pick(fixtures, MACSEC_KEYS), ctx);
      vpn.loadFixtures(pick(fixtures, VPN_KEYS), ctx);
    },
    toJSON: () => ({ macsec: macsec.toJSON(), vpn: vpn.toJSON() }),
    fromJSON(state) {
      const s = isPlainObject(state) ? state : {};
      macsec.fromJSON(s.macsec);
      vpn.fromJSON(s.vpn);
    },
    reset() {
      macsec.reset();
      vpn.reset();
    },
    inventory(ctx) {
      const m = macsec.inventory(ctx);
      const v = vpn.inventory(ctx);
      return isPlainObject(m) && isPlainObject(v) ? { ...m, ...v } : { macsec: m, vpn: v };
    },
    lockKey: (req) => macsec.lockKey(req) ?? vpn.lockKey(req),
  };
}
