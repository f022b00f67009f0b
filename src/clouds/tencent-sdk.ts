// What the KMS client (tencent.ts) and the STS calls of the credential chain (tencent-credentials.ts) both need
// from tencentcloud-sdk-nodejs-common: a CommonClient aimed at the cloud or at the emulator, and the SDK's
// service errors as CloudErrors that keep the cloud's code and request id.
import type { CommonClient } from "tencentcloud-sdk-nodejs-common";
import type { Settings } from "../config";
import { REQUEST_TIMEOUT_MS } from "./call";
import { CloudError } from "./errors";

/** Where a Tencent Cloud service's calls go: its public host, or the emulator when the target is the emulator. */
export function tencentEndpoint(settings: Settings, cloudHost: string): { host: string; origin: string } {
  if (settings.target !== "emulator") return { host: cloudHost, origin: `https://${cloudHost}` };
  const emulator = new URL(settings.emulatorUrl);
  return { host: emulator.host, origin: emulator.origin };
}

export function tencentCommonClient(
  endpoint: { host: string; origin: string },
  version: string,
  credential: { secretId: string; secretKey: string; token?: string },
  region: string,
): CommonClient {
  // Required on the first call, not with the provider module (the SDK takes ~150 ms to load).
  const { CommonClient: Client } = require("tencentcloud-sdk-nodejs-common") as {
    CommonClient: typeof CommonClient;
  };
  return new Client(endpoint.host, version, {
    credential,
    region,
    profile: {
      httpProfile: {
        endpoint: endpoint.host,
        protocol: `${new URL(endpoint.origin).protocol}//`,
        reqTimeout: REQUEST_TIMEOUT_MS / 1000,
      },
    },
  });
}

export interface TencentSdkError {
  code?: string;
  requestId?: string;
  httpCode?: number;
  message?: string;
}

/** A service error the SDK raised (it has the cloud's code) as a CloudError; undefined for any other failure. */
export function tencentServiceError(action: string, e: unknown, hint?: string): CloudError | undefined {
  const se = e as TencentSdkError | undefined;
  if (!se?.code) return undefined;
  return new CloudError({
    cloud: "tencent",
    action,
    code: se.code,
    message: se.message ?? "",
    requestId: se.requestId,
    ...(hint ? { hint } : {}),
  });
}
