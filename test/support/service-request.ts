// A request to one of the emulator's services as the wire layer hands it to a model, for the model tests; the
// Alibaba VPC services (2016-04-28) have their own shorthand: the parameters as sent, RegionId included.
import type { ServiceRequest } from "../../src/emulator/types";

/** Which API a request is for. */
export type Api = Pick<ServiceRequest, "cloud" | "protocol" | "service" | "version">;

export function serviceRequest(
  api: Api,
  action: string,
  params: Record<string, unknown>,
  opts: { region: string; account: string; requestId?: string },
): ServiceRequest {
  return {
    ...api,
    action,
    region: opts.region,
    account: opts.account,
    params,
    requestId: opts.requestId ?? "req-1",
  };
}

export function vpcRequest(
  action: string,
  params: Record<string, unknown>,
  opts: { region?: string; account?: string; requestId?: string } = {},
): ServiceRequest {
  return serviceRequest(
    { cloud: "alibaba", protocol: "alibaba-rpc", service: "vpc", version: "2016-04-28" },
    action,
    params,
    {
      region: opts.region ?? "cn-hangzhou",
      account: opts.account ?? "1234567890",
      requestId: opts.requestId ?? "r",
    },
  );
}
