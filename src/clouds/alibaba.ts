import type RPCClient = require("@alicloud/pop-core");
import { randomUUID } from "node:crypto";
import { globalAgent as httpAgent } from "node:http";
import { globalAgent as httpsAgent } from "node:https";
import { resolveSettings } from "../config";
import { alibabaCredentials } from "./alibaba-credentials";
import { resolveChain, withCredentials } from "./credentials";
import { CloudError } from "./errors";
import { CallOptions, REQUEST_TIMEOUT_MS, networkError, retrying } from "./call";

export type AlibabaProduct = "vpc" | "kms";

const API_VERSION: Record<AlibabaProduct, string> = { vpc: "2016-04-28", kms: "2016-01-20" };

export interface AlibabaCallOptions extends CallOptions {
  /** Idempotency token for a write; the same token is sent on every retry of this call. */
  clientToken?: string;
}

export interface AlibabaClient {
  call<T = Record<string, unknown>>(
    action: string,
    params: Record<string, unknown>,
    opts?: AlibabaCallOptions,
  ): Promise<T>;
}

/** A fresh idempotency token for one logical write. */
export function newClientToken(): string {
  return randomUUID();
}

/**
 * pop-core sends a plain object nested in an array as "[object Object]" and `undefined` as "undefined",
 * so nested values are flattened here into the RPC form `A.1.B.C` (1-based indices) and empty ones dropped.
 */
export function flattenParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (prefix: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(`${prefix}.${i + 1}`, item));
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(`${prefix}.${k}`, v);
    } else {
      out[prefix] = String(value);
    }
  };
  for (const [k, v] of Object.entries(params)) visit(k, v);
  return out;
}

/** json-bigint returns BigNumber objects for integers over 15 digits; state wants plain strings. */
function plainNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (value && typeof value === "object") {
    if ((value as { constructor?: { name?: string } }).constructor?.name === "BigNumber")
      return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainNumbers(v);
    return out;
  }
  return value;
}

function endpointFor(product: AlibabaProduct, region: string): string {
  const settings = resolveSettings();
  if (settings.target === "emulator") return settings.emulatorUrl;
  return `https://${product}.${region}.aliyuncs.com`;
}

/**
 * Whose answers the calls of `product` in `region` get: the endpoint, the region (one emulator endpoint serves
 * every region) and the account of the current credentials named by their access key id (never the secret).
 * Tables that keep answers for a while key them by it.
 */
export async function alibabaScope(product: AlibabaProduct, region: string): Promise<string> {
  const creds = await resolveChain(alibabaCredentials());
  return `${endpointFor(product, region)}|${region}|${creds.accessKeyId}`;
}

/** Items per page of the Alibaba listings read whole (DescribeVpnConnections, DescribePhysicalConnections: 50 at most). */
const LISTING_PAGE_SIZE = 50;

/**
 * Every item of an Alibaba RPC listing that holds at most `maxItems` items: `readPage` sends the paging parameters
 * it is given (PageNumber from 1, PageSize) and answers the page's items and TotalCount; the first page, then the
 * others at once. Undefined when the listing holds more: a caller then reads the objects it needs on their own,
 * rather than a whole region for a few of them.
 */
export async function smallListing<T>(
  readPage: (paging: { PageNumber: number; PageSize: number }) => Promise<{ items: T[]; totalCount: number }>,
  maxItems: number,
): Promise<T[] | undefined> {
  const page = (n: number) => readPage({ PageNumber: n, PageSize: LISTING_PAGE_SIZE });
  const first = await page(1);
  if (first.totalCount > maxItems) return undefined;
  const pages = Math.ceil(first.totalCount / LISTING_PAGE_SIZE);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => page(i + 2)));
  return [first, ...rest].flatMap((p) => p.items);
}

interface PopEntry {
  response?: { statusCode?: number };
}

interface PopError {
  code?: string;
  data?: { Code?: string; Message?: string; RequestId?: string };
  entry?: PopEntry;
}

/** One client per product and region. Credentials and endpoint are resolved on every call, never stored. */
export function alibabaClient(product: AlibabaProduct, region: string): AlibabaClient {
  return {
    async call<T>(action: string, params: Record<string, unknown>, opts?: AlibabaCallOptions): Promise<T> {
      const endpoint = endpointFor(product, region);
      const body = flattenParams({
        RegionId: region,
        ...params,
        ...(opts?.clientToken ? { ClientToken: opts.clientToken } : {}),
      });
      // Required on the first call, not with the provider module: check and diff never need the SDK.
      const RPC = require("@alicloud/pop-core") as unknown as new (
        config: RPCClient.Config,
        verbose: boolean,
      ) => { request(a: string, p: object, o: object): Promise<[unknown, PopEntry]> };
      return withCredentials(alibabaCredentials(), (creds) => {
        const client = new RPC(
          {
            endpoint,
            apiVersion: API_VERSION[product],
            accessKeyId: creds.accessKeyId,
            accessKeySecret: creds.secret,
            ...(creds.sessionToken ? { securityToken: creds.sessionToken } : {}),
          },
          true,
        );
        return retrying(async () => {
          let json: unknown;
          let entry: PopEntry;
          try {
            // Upper-case POST: on GET (or 'post') pop-core puts every parameter, secrets included, in the URL
            // and then into its error messages.
            [json, entry] = await client.request(action, body, {
              method: "POST",
              timeout: REQUEST_TIMEOUT_MS,
              // pop-core gives each client an agent of its own, and this makes a client per call: the calls would
              // each open a connection (against the cloud, a TLS handshake too) and leave it idle. Node's global
              // agents keep connections alive and close idle ones after 5 s, as for the other clouds' clients.
              agent: endpoint.startsWith("https:") ? httpsAgent : httpAgent,
            });
          } catch (e) {
            const pe = e as PopError;
            if (pe?.data?.Code) {
              throw new CloudError({
                cloud: "alibaba",
                action,
                code: pe.data.Code,
                message: pe.data.Message ?? "",
                httpStatus: pe.entry?.response?.statusCode,
                requestId: pe.data.RequestId,
              });
            }
            throw networkError("alibaba", action, endpoint, e);
          }
          // pop-core never checks the HTTP status: a 5xx without a Code field would pass as success.
          const status = entry?.response?.statusCode ?? 200;
          if (status >= 400) {
            const b = (json ?? {}) as { Code?: string; Message?: string; RequestId?: string };
            throw new CloudError({
              cloud: "alibaba",
              action,
              code: b.Code ?? `HTTP${status}`,
              message: b.Message ?? "the cloud answered with an error status",
              httpStatus: status,
              requestId: b.RequestId,
            });
          }
          return plainNumbers(json) as T;
        }, opts);
      });
    },
  };
}
