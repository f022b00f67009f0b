// A request to the emulator's Alibaba VPC services (2016-04-28) as the wire layer hands it to a model: the
// parameters as sent, RegionId included.
import type { ServiceRequest } from "../../src/emulator/types";

export function vpcRequest(
  action: string,
  params: Record<string, unknown>,
  opts: { region?: string; account?: string; requestId?: string } = {},
): ServiceRequest {
  return {
    cloud: "alibaba",
    protocol: "alibaba-rpc",
    service: "vpc",
    version: "2016-04-28",
    action,
    region: opts.region ?? "cn-hangzhou",
    account: opts.account ?? "1234567890",
    params,
    requestId: opts.requestId ?? "r",
  };
}
