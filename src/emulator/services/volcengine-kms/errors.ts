import { ServiceError } from "../../types";

// Volcengine KMS error codes, statuses and message templates as the ReplicateKey document lists them
// (https://www.volcengine.com/docs/6476/1438471) and the other KMS actions share (ScheduleKeyDeletion,
// CancelKeyDeletion, UpdateKey). The parameter errors' templates are in routes.ts.
// Reject.Throttling.Action (403) is never decided by the model: it comes from the emulator's fault injection.

export const invalidParameter = (name: string): ServiceError =>
  new ServiceError("InvalidParameter", `The request parameter ${name} is invalid.`, 400);

export const invalidOperation = (): ServiceError =>
  new ServiceError(
    "InvalidOperation",
    "The request was rejected because the specified resource is not valid for this operation.",
    400,
  );

export const invalidReplicaRegion = (region: string): ServiceError =>
  new ServiceError("InvalidReplicaRegion", `The replica region [${region}] is not valid`, 400);

export const invalidKeyStatus = (state: string): ServiceError =>
  new ServiceError(
    "InvalidKeyStatus",
    `Current key status: ${state} does not allow to perform this action`,
    400,
  );

export const notFound = (kind: string, id: string): ServiceError =>
  new ServiceError("Not Found", `Not found ${kind} [${id}].`, 404);

export const conflict = (kind: string, id: string): ServiceError =>
  new ServiceError("Conflict", `The ${kind} resource ${id} is conflict.`, 409);
