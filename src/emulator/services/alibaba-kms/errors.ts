import { ServiceError } from "../../types";

// Alibaba KMS (2016-01-20) error codes. The ImportKeyMaterial document
// (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-importkeymaterial) lists InvalidKeyMaterial,
// InvalidImportToken, ExpiredImportToken, Unsupported.Origin and InvalidParameter, all HTTP 400. The state
// errors (Rejected.<state>, HTTP 409) and Forbidden.KeyNotFound (HTTP 404) follow Alibaba's "impact of CMK
// status on API operations" page and terraform-provider-alicloud. Messages follow the documents' wording.

export const keyNotFound = (keyId: string): ServiceError =>
  new ServiceError("Forbidden.KeyNotFound", `The specified Key is not found: ${keyId}.`, 404);

export const invalidParameter = (name: string, why: string): ServiceError =>
  new ServiceError("InvalidParameter", `The specified parameter ${name} is not valid: ${why}.`, 400);

export const unsupportedOrigin = (): ServiceError =>
  new ServiceError("Unsupported.Origin", "This key origin is not valid for this api", 400);

export const invalidKeyMaterial = (why: string): ServiceError =>
  new ServiceError("InvalidKeyMaterial", `key material is invalid: ${why}`, 400);

export const invalidImportToken = (): ServiceError =>
  new ServiceError("InvalidImportToken", "import token is invalid", 400);

export const expiredImportToken = (): ServiceError =>
  new ServiceError("ExpiredImportToken", "import token is expired", 400);

export const rejectedState = (state: string): ServiceError =>
  new ServiceError(`Rejected.${state}`, `The request is rejected because the key state is ${state}.`, 409);
