import { alibabaMissing } from "../gateway-errors";
import { ParamReader } from "../params";
import type { ActionHandler, ServiceError, ServiceModel } from "../types";

// Alibaba VPC (2016-04-28) is one API that two services of the emulator serve: MACsec on Express Connect physical
// connections (alibaba-macsec/) and IPsec-VPN gateways and connections (alibaba-vpn/). Both answer under one
// key, so fixtures, state file and inventory keep the one `alibabaVpc` object they always had: fixtures
// { physicalConnections, vpnGateways, vpnConnections }, state { macsec, vpn } (see ServiceModel.part).

/** What both services share: the API they serve and the key of their fixtures, state and inventory. */
export const VPC_API: Pick<ServiceModel, "key" | "cloud" | "service" | "protocols" | "versions"> = {
  key: "alibabaVpc",
  cloud: "alibaba",
  service: "vpc",
  protocols: ["alibaba-rpc"],
  versions: ["2016-04-28"],
};

/**
 * Every modeled VPC action declares RegionId required (the 2016-04-28 API references and the SDK's request
 * models), so the gateway refuses a call without it before any lookup: MissingRegionId, not a not-found error
 * or an empty list.
 */
export function requiringRegion(actions: Record<string, ActionHandler>): Record<string, ActionHandler> {
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

/**
 * The parameter reader of both services: a required parameter not sent is the POP gateway's Missing<Param>, a
 * bad value the service's own error (`illegal`, e.g. IllegalParam.<Param>). Messages never echo a value.
 */
export function vpcParams(
  params: Record<string, unknown>,
  illegal: (name: string, expected: string) => ServiceError,
): ParamReader {
  return new ParamReader(params, {
    missing: (name) => alibabaMissing(name).code,
    missingMessage: (name) => alibabaMissing(name).message,
    invalid: (name) => illegal(name, "").code,
    invalidMessage: (name, expected) => illegal(name, expected).message,
  });
}

/**
 * One page of a VPC listing (PageNumber from 1, PageSize 1 to 50, default 10, as every VPC Describe*s reference
 * gives them) with its paging fields; the caller names the page's items.
 */
export function vpcPage<T>(
  params: ParamReader,
  all: T[],
): { paging: { TotalCount: number; PageNumber: number; PageSize: number }; items: T[] } {
  const pageNumber = params.int("PageNumber", { min: 1 }) ?? 1;
  const pageSize = params.int("PageSize", { min: 1, max: 50 }) ?? 10;
  return {
    paging: { TotalCount: all.length, PageNumber: pageNumber, PageSize: pageSize },
    items: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
  };
}
