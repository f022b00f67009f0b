import type Service from "@volcengine/openapi/lib/base/service";
import { resolveSettings } from "../config";
import { resolveChain, withCredentials } from "./credentials";
import { CloudError } from "./errors";
import { volcengineCredentials } from "./volcengine-credentials";
import { CallOptions, REQUEST_TIMEOUT_MS, compact, networkError, retrying } from "./call";

const KMS_VERSION = "2021-02-18";

export interface VolcengineCallOptions extends CallOptions {
  /** POST with a JSON body (default, as the official Go SDK does) or GET with the query. */
  method?: "GET" | "POST";
}

export interface VolcengineClient {
  call<T = Record<string, unknown>>(
    action: string,
    params: Record<string, unknown>,
    opts?: VolcengineCallOptions,
  ): Promise<T>;
}

interface VolcResponse {
  ResponseMetadata?: {
    RequestId?: string;
    Error?: { Code?: string; CodeN?: number; Message?: string };
  };
  Result?: unknown;
}

/** The KMS endpoint for `region`: the emulator's, else the region's. */
function kmsEndpoint(
  settings: ReturnType<typeof resolveSettings>,
  region: string,
): { protocol: string; host: string } {
  if (settings.target !== "emulator") return { protocol: "https:", host: `kms.${region}.volcengineapi.com` };
  const { protocol, host } = new URL(settings.emulatorUrl);
  return { protocol, host };
}

/**
 * Whose answers the KMS calls in `region` get: the endpoint, the region (one emulator endpoint serves every region)
 * and the account of the current credentials named by their access key id (never the secret). Tables that keep
 * answers for a while key them by it.
 */
export async function volcengineScope(region: string): Promise<string> {
  const settings = resolveSettings();
  const creds = await resolveChain(volcengineCredentials(settings));
  return `${kmsEndpoint(settings, region).host}|${region}|${creds.accessKeyId}`;
}

/**
 * A KMS client whose calls are signed for `region`: the credential scope carries the region, so a replica's
 * calls must be signed for the replica region, not the primary's.
 */
export function volcengineClient(region: string): VolcengineClient {
  return {
    async call<T>(action: string, params: Record<string, unknown>, opts?: VolcengineCallOptions): Promise<T> {
      const settings = resolveSettings();
      const { protocol, host } = kmsEndpoint(settings, region);
      return withCredentials(volcengineCredentials(settings), (creds) => {
        // Required on the first call, not with the provider module. The package's index loads every Volcengine
        // service's client (~135 ms, blocking the provider's other calls while it loads); its generic Service
        // alone takes ~45 ms. The path is the one the index re-exports Service from, in the pinned 1.36.2.
        const service = new (
          require("@volcengine/openapi/lib/base/service") as { default: typeof Service }
        ).default({
          host,
          protocol,
          region,
          serviceName: "kms",
          defaultVersion: KMS_VERSION,
          accessKeyId: creds.accessKeyId,
          secretKey: creds.secret,
          ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
        });
        const method = opts?.method ?? "POST";
        const api =
          method === "POST"
            ? service.createJSONAPI(action, { Version: KMS_VERSION })
            : service.createAPI(action, { Version: KMS_VERSION, method: "GET" });
        const data = compact(params);
        return retrying(async () => {
          let res: VolcResponse;
          try {
            // The second argument is merged into the axios request; only the timeout is set here.
            res = (await api(data, { timeout: REQUEST_TIMEOUT_MS } as Parameters<
              typeof api
            >[1])) as VolcResponse;
          } catch (e) {
            throw networkError("volcengine", action, `${protocol}//${host}`, e);
          }
          // The SDK does not throw on 4xx/5xx; the error is in the body.
          const meta = res?.ResponseMetadata;
          if (!meta) {
            throw new CloudError({
              cloud: "volcengine",
              action,
              code: "MalformedResponse",
              message: "the answer had no ResponseMetadata",
              errorClass: "transient",
            });
          }
          if (meta.Error) {
            throw new CloudError({
              cloud: "volcengine",
              action,
              code: meta.Error.Code ?? String(meta.Error.CodeN ?? "UnknownError"),
              message: meta.Error.Message ?? "",
              requestId: meta.RequestId,
            });
          }
          return (res.Result ?? {}) as T;
        }, opts);
      });
    },
  };
}
