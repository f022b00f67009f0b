// The real client libraries pointed at an emulator, and hand-built requests for what the libraries cannot be
// made to send (old timestamps, the legacy API, garbage).
import { createHmac, randomInt } from "node:crypto";
import RPCClient = require("@alicloud/pop-core");
import { Service } from "@volcengine/openapi";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { sha256Hex } from "../../src/emulator/signatures/common";
import { tc3CanonicalRequest, tc3Sign, tc3StringToSign } from "../../src/emulator/signatures/tencent-tc3";
import { volcengineCanonicalRequest, volcengineSign } from "../../src/emulator/signatures/volcengine";

export interface Key {
  id?: string;
  secret?: string;
}

/** pop-core errors carry the body in `data` and the HTTP status in `entry.response.statusCode`. */
export interface PopError extends Error {
  code: string;
  data: Record<string, unknown>;
  entry: { response: { statusCode: number } };
}

export function alibaba(url: string, key: Key = {}, apiVersion = "2016-04-28"): RPCClient {
  return new RPCClient({
    endpoint: url,
    apiVersion,
    accessKeyId: key.id ?? "test",
    accessKeySecret: key.secret ?? "test",
  });
}

export async function popError(p: Promise<unknown>): Promise<PopError> {
  try {
    await p;
  } catch (e) {
    return e as PopError;
  }
  throw new Error("expected the call to fail");
}

export function volcengine(url: string, key: Key = {}, serviceName = "kms"): Service {
  return new Service({
    host: new URL(url).host,
    protocol: "http:",
    region: "cn-beijing",
    serviceName,
    accessKeyId: key.id ?? "test",
    secretKey: key.secret ?? "test",
    defaultVersion: "2021-02-18",
  });
}

export function tencent(
  url: string,
  key: Key = {},
  reqMethod: "POST" | "GET" = "POST",
  version = "2019-01-18",
) {
  return new CommonClient(new URL(url).host, version, {
    credential: { secretId: key.id ?? "test", secretKey: key.secret ?? "test" },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: new URL(url).host, protocol: "http://", reqMethod } },
  });
}

export interface TencentSdkError extends Error {
  code?: string;
  requestId?: string;
  httpCode?: number;
}

export async function tencentError(p: Promise<unknown>): Promise<TencentSdkError> {
  try {
    await p;
  } catch (e) {
    return e as TencentSdkError;
  }
  throw new Error("expected the call to fail");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, only read by assertions
export type Json = any;

async function jsonOf(res: Response): Promise<{ status: number; body: Json }> {
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

/** A Volcengine JSON POST signed like the Node SDK does, at a chosen time and with a chosen body. */
export async function volcengineRaw(
  url: string,
  opts: { action: string; body: string; at?: Date; key?: Key },
): Promise<{ status: number; body: Json }> {
  const at = opts.at ?? new Date();
  const xDate = at.toISOString().replace(/[:-]|\.\d{3}/g, "");
  const query: Array<[string, string]> = [
    ["Action", opts.action],
    ["Version", "2021-02-18"],
  ];
  const headers: Record<string, string> = { "x-date": xDate, "x-content-sha256": sha256Hex(opts.body) };
  const auth = { date: xDate.slice(0, 8), region: "cn-beijing", service: "kms" };
  const signedHeaders = ["x-content-sha256", "x-date"];
  const canonical = volcengineCanonicalRequest({
    method: "POST",
    path: "/",
    query,
    header: (n) => headers[n],
    signedHeaders,
    payloadHash: headers["x-content-sha256"],
  });
  const key = { id: opts.key?.id ?? "test", secret: opts.key?.secret ?? "test" };
  const signature = volcengineSign(key.secret, auth, xDate, canonical);
  const res = await fetch(`${url}/?Action=${opts.action}&Version=2021-02-18`, {
    method: "POST",
    headers: {
      ...headers,
      "content-type": "application/json; charset=utf-8",
      authorization:
        `HMAC-SHA256 Credential=${key.id}/${auth.date}/cn-beijing/kms/request, ` +
        `SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`,
    },
    body: opts.body,
  });
  return jsonOf(res);
}

/** A TC3 POST signed like the Node SDK does (hostname without port, scope service "127"), at a chosen time. */
export async function tencentRaw(
  url: string,
  opts: { action: string; body: string | Buffer; at?: Date; version?: string; key?: Key },
): Promise<{ status: number; body: Json }> {
  const timestamp = String(Math.floor((opts.at ?? new Date()).getTime() / 1000));
  const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  const host = new URL(url).host;
  const headers: Record<string, string> = { "content-type": "application/json", host };
  const canonical = tc3CanonicalRequest({
    method: "POST",
    path: "/",
    rawQuery: "",
    header: (n) => headers[n],
    signedHeaders: ["content-type", "host"],
    payloadHash: sha256Hex(opts.body),
  });
  const key = { id: opts.key?.id ?? "test", secret: opts.key?.secret ?? "test" };
  const service = host.split(".")[0];
  const signature = tc3Sign(
    key.secret,
    date,
    service,
    tc3StringToSign(timestamp, `${date}/${service}/tc3_request`, canonical),
  );
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-tc-action": opts.action,
      "x-tc-version": opts.version ?? "2019-01-18",
      "x-tc-region": "ap-guangzhou",
      "x-tc-timestamp": timestamp,
      authorization:
        `TC3-HMAC-SHA256 Credential=${key.id}/${date}/${service}/tc3_request, ` +
        `SignedHeaders=content-type;host, Signature=${signature}`,
    },
    body: opts.body,
  });
  return jsonOf(res);
}

/**
 * A legacy v2 GET, computed by hand from the documented recipe: GET + Host + path + "?" + sorted k=v (not
 * encoded), Base64 HMAC with the secret; every value URL-encoded on the wire.
 */
export function legacyUrl(
  url: string,
  params: Record<string, string>,
  opts: { method?: "HmacSHA1" | "HmacSHA256"; at?: Date; key?: Key; nonce?: string } = {},
): string {
  const all: Record<string, string> = {
    Region: "ap-guangzhou",
    Timestamp: String(Math.floor((opts.at ?? new Date()).getTime() / 1000)),
    Nonce: opts.nonce ?? String(randomInt(1, 2 ** 31)),
    SecretId: opts.key?.id ?? "test",
    SignatureMethod: opts.method ?? "HmacSHA256",
    ...params,
  };
  const host = new URL(url).host;
  const plain = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join("&");
  const signature = createHmac(
    all.SignatureMethod === "HmacSHA1" ? "sha1" : "sha256",
    opts.key?.secret ?? "test",
  )
    .update(`GET${host}/v2/index.php?${plain}`)
    .digest("base64");
  const query = Object.entries({ ...all, Signature: signature })
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return `${url}/v2/index.php?${query}`;
}

export async function getJson(target: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  return jsonOf(await fetch(target, init));
}

/** Remove proxy settings the client libraries would otherwise honour; returns a restore function. */
export function withoutProxies(): () => void {
  const names = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "VOLC_PROXY_PORT",
    "VOLC_PROXY_HOST",
  ];
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) delete process.env[n];
  return () => {
    for (const [n, v] of saved) if (v !== undefined) process.env[n] = v;
  };
}
