import { alibabaMissing } from "../../gateway-errors";
import { ServiceError } from "../../types";

// Alibaba IPsec-VPN error codes as the ModifyVpnConnectionAttribute document lists them
// (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-modifyvpnconnectionattribute-vpns), plus the
// few the document implies without naming (marked below). Messages follow the document's English texts.

export const connectionNotFound = (id: string): ServiceError =>
  new ServiceError(
    "InvalidVpnConnectionInstanceId.NotFound",
    `The specified vpn connection instance id does not exist. (${id})`,
    404,
  );

// Not in the ModifyVpnConnectionAttribute document; the code terraform-provider-alicloud treats as "gateway gone".
export const gatewayNotFound = (id: string): ServiceError =>
  new ServiceError(
    "InvalidVpnGatewayInstanceId.NotFound",
    `The specified vpn gateway instance id does not exist. (${id})`,
    404,
  );

/** The POP gateway's answer for a required parameter that was not sent (Missing<Param>). */
export const missingParameter = (name: string): ServiceError => alibabaMissing(name);

export const gatewayConfiguring = (): ServiceError =>
  new ServiceError("VpnGateway.Configuring", "The specified service is configuring.", 400);

export const financialLocked = (): ServiceError =>
  new ServiceError("VpnGateway.FinancialLocked", "The specified service is financial locked.", 400);

export const taskConflict = (): ServiceError =>
  new ServiceError("VpnTask.CONFLICT", "Vpn task has conflict.", 400);

// Not in the ModifyVpnConnectionAttribute document (terraform treats it as a gateway being deleted); a change can never succeed there.
export const gatewayIncorrectStatus = (status: string): ServiceError =>
  new ServiceError("IncorrectStatus.VpnGateway", `The VPN gateway is in status ${status}.`, 400);

export const invalidName = (): ServiceError => new ServiceError("InvalidName", "The name is not valid", 400);

export const illegalSubnet = (side: "LocalSubnet" | "RemoteSubnet", value: string): ServiceError =>
  new ServiceError(`IllegalParam.${side}`, `The specified "${side}" (${value}) is invalid.`, 400);

/** Unsupported algorithm or DH group, e.g. NotSupportVpnConnectionParameter.IpsecPfs. */
export const notSupported = (field: string, what: string): ServiceError =>
  new ServiceError(
    `NotSupportVpnConnectionParameter.${field}`,
    `The specified vpn connection ${what} is not support.`,
    400,
  );

/** A parameter with an invalid value, e.g. IllegalParam.LocalAsn, IllegalParam.TunnelCidr. */
export const illegalParam = (name: string, detail?: string): ServiceError =>
  new ServiceError(
    `IllegalParam.${name}`,
    `The specified ${name} is invalid.${detail ? ` ${detail}` : ""}`,
    400,
  );

export const tunnelCidrMalformed = (): ServiceError =>
  new ServiceError("InvalidTunnelCidr.Malformed", "The specified TunnelCidr is malformed.", 400);

export const localBgpIpMalformed = (): ServiceError =>
  new ServiceError("InvalidLocalBgpIp.Malformed", "The specified LocalBgpIp is malformed.", 400);

export const missingTunnelCidr = (): ServiceError =>
  new ServiceError(
    "MissingParameter.TunnelCidr",
    "The parameter TunnelCidr is mandatory when BGP is enabled.",
    400,
  );

export const mustEnableBgp = (): ServiceError =>
  new ServiceError(
    "IllegalParam.EnableBgp",
    "VPN connection must enable BGP when VPN gateway has enabled BGP.",
    400,
  );

export const ikev1MultiRoutes = (): ServiceError =>
  new ServiceError(
    "ModifyIkeV1WithMultiRoutes.Invalid",
    "Failed to modify VPN connection parameters. Multi-network is configured while using IkeV1 protocol.",
    400,
  );

export const sameCgwDifferentIke = (): ServiceError =>
  new ServiceError(
    "VpnConnectionParamInvalid.SameVpnAndCgwDifferentIkeConfigs",
    "IPSec connections associated with the same user gateway and VPN gateway should have the same pre-shared key and IKE configuration.",
    400,
  );

export const sameCgwSelectorOverlap = (): ServiceError =>
  new ServiceError(
    "VpnConnectionParamInvalid.SameVpnAndCgwTrafficSelectorOverlap",
    "Traffic selectors of IPSec connections associated with the same user gateway and VPN gateway should not overlap.",
    400,
  );

// Alibaba's common code for a ClientToken reused with different parameters (not in the ModifyVpnConnectionAttribute document).
export const idempotentMismatch = (): ServiceError =>
  new ServiceError(
    "IdempotentParameterMismatch",
    "The request uses the same client token as a previous, but non-identical request.",
    400,
  );
