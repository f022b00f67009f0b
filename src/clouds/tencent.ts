import { randomInt } from "node:crypto";
import { resolveSettings } from "../config";
import { resolveChain, withCredentials } from "./credentials";
import { CloudError } from "./errors";
import { tencentCredentials } from "./tencent-credentials";
import { CallOptions, REQUEST_TIMEOUT_MS, compact, networkError, retrying } from "./call";
import {
  type TencentSdkError,
  tencentCommonClient,
  tencentEndpoint,
  tencentServiceError,
} from "./tencent-sdk";
import { legacySign } from "./tencent-legacy-signer";
import { LEGACY_REGION_CODES } from "./facts/tencent-kms";

const KMS_VERSION = "2019-01-18";

export interface TencentClient {
  call<T = Record<string, unknown>>(
    action: string,
    params: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<T>;
}

/**
 * Whose answers the KMS calls in `region` get: the endpoint, the region (one emulator endpoint serves every region)
 * and the account of the current credentials named by their SecretId (never the key). Tables that keep answers for
 * a while key them by it.
 */
export async function tencentScope(region: string): Promise<string> {
  const settings = resolveSettings();
  const creds = await resolveChain(tencentCredentials(settings));
  return `${tencentEndpoint(settings, "kms.tencentcloudapi.com").origin}|${region}|${creds.accessKeyId}`;
}

/** KMS API 3.0 (TC3-HMAC-SHA256, signed by CommonClient). Returns the `Response` object. */
export function tencentClient(region: string): TencentClient {
  return {
    async call<T>(action: string, params: Record<string, unknown>, opts?: CallOptions): Promise<T> {
      const settings = resolveSettings();
      const endpoint = tencentEndpoint(settings, "kms.tencentcloudapi.com");
      const body = compact(params);
      return withCredentials(tencentCredentials(settings), (creds) => {
        const client = tencentCommonClient(
          endpoint,
          KMS_VERSION,
          { secretId: creds.accessKeyId, secretKey: creds.secret, token: creds.sessionToken },
          region,
        );
        return retrying(async () => {
          try {
            return (await client.request(action, body)) as T;
          } catch (e) {
            const serviceError = tencentServiceError(action, e);
            if (serviceError) throw serviceError;
            const se = e as TencentSdkError;
            if (se?.httpCode) {
              throw new CloudError({
                cloud: "tencent",
                action,
                code: `HTTP${se.httpCode}`,
                message: se.message ?? "",
                httpStatus: se.httpCode,
              });
            }
            throw networkError("tencent", action, endpoint.origin, e);
          }
        }, opts);
      });
    },
  };
}

/** The legacy API names regions by short codes; a region without one is sent as it is. */
export function legacyRegion(region: string): string {
  return LEGACY_REGION_CODES[region] ?? region;
}

interface LegacyBody {
  code?: number | string;
  message?: string;
  codeDesc?: string;
  requestId?: string;
  [k: string]: unknown;
}

/**
 * The legacy KMS API 2.0 (https://cloud.tencent.com/document/product/573/8893; GET /v2/index.php, lower-case parameters, HmacSHA256 of our own
 * signer). Returns the whole body; a non-zero `code` becomes a CloudError with that code.
 */
export function tencentLegacyClient(region: string): TencentClient {
  return {
    async call<T>(action: string, params: Record<string, unknown>, opts?: CallOptions): Promise<T> {
      const settings = resolveSettings();
      const short = legacyRegion(region);
      const base =
        settings.target === "emulator"
          ? new URL(settings.emulatorUrl)
          : new URL(`https://kms-${short}.api.qcloud.com`);
      const path = "/v2/index.php";
      return withCredentials(tencentCredentials(settings), (creds) =>
        retrying(async () => {
          const signed: Record<string, string> = {
            Action: action,
            Region: short,
            Timestamp: String(Math.floor(Date.now() / 1000)),
            Nonce: String(randomInt(1, 2 ** 31 - 1)),
            SecretId: creds.accessKeyId,
            SignatureMethod: "HmacSHA256",
            // The legacy API's common parameter for a temporary credential's token.
            ...(creds.sessionToken ? { Token: creds.sessionToken } : {}),
          };
          for (const [k, v] of Object.entries(compact(params))) signed[k] = String(v);
          const signature = legacySign({
            method: "GET",
            host: base.host,
            path,
            params: signed,
            secretKey: creds.secret,
            signatureMethod: "HmacSHA256",
          });
          const url = new URL(path, base);
          for (const [k, v] of Object.entries(signed)) url.searchParams.set(k, v);
          url.searchParams.set("Signature", signature);
          let status: number;
          let body: LegacyBody;
          try {
            const res = await fetch(url, { method: "GET", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
            status = res.status;
            body = (await res.json()) as LegacyBody;
          } catch (e) {
            throw networkError("tencent", action, base.origin, e);
          }
          const code = Number(body?.code ?? (status >= 400 ? status : 0));
          if (code !== 0) {
            throw new CloudError({
              cloud: "tencent",
              action,
              code: String(code),
              message: body?.message ?? "",
              httpStatus: status,
              requestId: body?.requestId,
              errorClass: legacyClass(code),
            });
          }
          return body as T;
        }, opts),
      );
    },
  };
}

/**
 * Legacy numeric codes: 4xxx client errors (4100-4300 authentication), 5000 resource missing, other 5xxx failed
 * operations (failed, partly executed, refused purchase), 6xxx server side.
 */
function legacyClass(code: number): CloudError["errorClass"] {
  if (code >= 4100 && code < 4400) return "auth";
  if (code >= 4000 && code < 5000) return "invalid-input";
  // Only 5000 says the resource does not exist; a read must not take any other 5xxx as "gone".
  if (code === 5000) return "not-found";
  return code >= 6000 ? "transient" : "fatal";
}
