import { alibabaMissing } from "../../gateway-errors";
import { ServiceError } from "../../types";

// Alibaba VPC error codes of the MACsec actions (AssociateMacSecKey, DisassociateMacSecKey,
// DescribePhysicalConnections), with the messages the API documents. A message never carries a parameter's
// value: the value may be a CAK.

export const illegalParam = (name: string): ServiceError =>
  new ServiceError(`IllegalParam.${name}`, `The param of ${name} is illegal.`);

/** The POP gateway's answer for a required parameter that was not sent (Missing<Param>). */
export const missingParameter = (name: string): ServiceError => alibabaMissing(name);

export const physicalConnectionNotFound = (id: string): ServiceError =>
  new ServiceError(
    "ResourceNotFound.PhysicalConnectionId",
    `The specified resource of [${id}] is not found.`,
  );

export const physicalConnectionIncorrectStatus = (id: string): ServiceError =>
  new ServiceError(
    "IncorrectStatus.PhysicalConnection",
    `The status of PhysicalConnection [${id}] is incorrect.`,
  );

export const macsecUnsupported = (): ServiceError =>
  new ServiceError("UnsupportedFeature.Macsec", "The feature of Macsec is not supported.");

export const cipherSuiteUnsupported = (): ServiceError =>
  new ServiceError(
    "UnsupportedFeature.Macsec.CipherSuite",
    "The feature of Macsec.CipherSuite is not supported.",
  );

export const macsecKeyUnstable = (id: string): ServiceError =>
  new ServiceError("IncorrectStatus.PconnMacsec", `The status of PconnMacsec [${id}] is incorrect.`);

export const macsecQuotaExceeded = (usage: number, quota: number): ServiceError =>
  new ServiceError(
    "QuotaExceeded.PconnMacsec",
    `The quota of PconnMacsec is exceeded, usage ${usage}/${quota}.`,
  );

export const macsecKeyNotFound = (ckn: string): ServiceError =>
  new ServiceError("ResourceNotFound.PconnMacsec", `The specified resource of [${ckn}] is not found.`);
