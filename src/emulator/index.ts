// The local cloud emulator: one HTTP server speaking Alibaba Cloud RPC, Volcengine OpenAPI, Tencent Cloud API
// 3.0 and the Tencent legacy API, with an admin API under /_emulator/.
import { allModels } from "./services";
import { type EmulatorOptions, type RunningEmulator, launchEmulator } from "./start";
import type { ServiceModel } from "./types";

export { EmulatorAdmin, type ClockView, type EmulatorFixtures } from "./admin-client";
export { DEFAULT_ACCOUNT, type Account } from "./accounts";
export type { ActiveFault, FaultSpec } from "./faults";
export { gatewayError, type ErrorExtras } from "./gateway-errors";
export { ParamReader, paramReader, unflatten, type ParamCodes } from "./params";
export type { LogEntry, RequestsReport } from "./request-log";
export { DEFAULT_HOST, DEFAULT_PORT, type EmulatorOptions, type RunningEmulator } from "./start";
export * from "./types";

/** Starts the emulator with the project's service models (or `models`, for tests of the wire layer). */
export function startEmulator(
  opts: EmulatorOptions & { models?: ServiceModel[] } = {},
): Promise<RunningEmulator> {
  return launchEmulator(opts.models ?? allModels(), opts);
}
