// A scriptable local HTTP server for wire tests of our cloud clients: it records every request (method, path,
// query, headers, raw body) and answers with the next scripted reply. Independent of the emulator on purpose:
// the checks below recompute each cloud's documented signature themselves.
import { createHash, createHmac } from "node:crypto";
import { createServer, IncomingHttpHeaders, Server } from "node:http";
import { AddressInfo } from "node:net";

export interface Captured {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  /** An object is sent as JSON; a string is sent as is. */
  body: unknown;
}

export interface CaptureServer {
  url: string;
  requests: Captured[];
  /** TCP connections accepted so far (a client that keeps its connection alive opens one). */
  readonly connections: number;
  /** Replies used in order; once used up, `fallback` answers. */
  script(...replies: Reply[]): void;
  fallback: Reply;
  close(): Promise<void>;
}

export async function startCaptureServer(fallback: Reply): Promise<CaptureServer> {
  const requests: Captured[] = [];
  let queue: Reply[] = [];
  const state = { fallback };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const reply = queue.shift() ?? state.fallback;
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
      res.end(text);
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    script: (...replies) => {
      queue = replies;
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(r: Reply) {
      state.fallback = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sha256hex = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, s: string): Buffer => createHmac("sha256", key).update(s).digest();

/** RFC 3986 percent-encoding as Alibaba's POP and Volcengine specify (space %20, `*` %2A, `~` kept). */
export const pct = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/** Alibaba RPC (api-alibaba.md §4.6): parameters of query and form body, HMAC-SHA1 with secret + "&". */
export function alibabaParams(r: Captured): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(r.query);
  if (r.body) Object.assign(params, Object.fromEntries(new URLSearchParams(r.body)));
  return params;
}

export function alibabaSignatureOk(r: Captured, secret: string): boolean {
  const params = alibabaParams(r);
  const sig = params.Signature;
  delete params.Signature;
  const canon = Object.keys(params)
    .sort()
    .map((k) => `${pct(k)}=${pct(params[k])}`)
    .join("&");
  const sts = `${r.method}&%2F&${pct(canon)}`;
  return (
    createHmac("sha1", secret + "&")
      .update(sts)
      .digest("base64") === sig
  );
}

/** Volcengine V4 (api-volcengine-tencent.md §1.5), signed headers as listed in the Authorization header. */
export function volcengineAuth(r: Captured): {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
} {
  const m =
    /^HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(r.headers.authorization),
    );
  if (!m) throw new Error(`unexpected Authorization: ${r.headers.authorization}`);
  return {
    accessKeyId: m[1],
    date: m[2],
    region: m[3],
    service: m[4],
    signedHeaders: m[5].split(";"),
    signature: m[6],
  };
}

export function volcengineSignatureOk(r: Captured, secret: string): boolean {
  const a = volcengineAuth(r);
  const query = [...r.query]
    .map(([k, v]) => [pct(k), pct(v)] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const headers = a.signedHeaders.map((h) => `${h}:${String(r.headers[h] ?? "").trim()}\n`).join("");
  const payloadHash = sha256hex(r.body);
  const canonical = [r.method, r.path, query, headers, a.signedHeaders.join(";"), payloadHash].join("\n");
  const xDate = String(r.headers["x-date"]);
  const scope = `${a.date}/${a.region}/${a.service}/request`;
  const sts = ["HMAC-SHA256", xDate, scope, sha256hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(secret, a.date), a.region), a.service), "request");
  return createHmac("sha256", key).update(sts).digest("hex") === a.signature;
}

/** Tencent TC3-HMAC-SHA256 (api-volcengine-tencent.md §2.2); the SDK signs the host without its port. */
export function tencentTc3SignatureOk(r: Captured, secret: string): boolean {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(r.headers.authorization),
    );
  if (!m) return false;
  const [, , date, service, signed, signature] = m;
  const names = signed.split(";");
  const value = (h: string): string =>
    h === "host" ? String(r.headers.host).replace(/:\d+$/, "") : String(r.headers[h] ?? "").trim();
  const headers = names.map((h) => `${h}:${value(h)}\n`).join("");
  const canonical = [r.method, r.path, r.query.toString(), headers, signed, sha256hex(r.body)].join("\n");
  const timestamp = String(r.headers["x-tc-timestamp"]);
  const sts = ["TC3-HMAC-SHA256", timestamp, `${date}/${service}/tc3_request`, sha256hex(canonical)].join(
    "\n",
  );
  const key = hmac(hmac(hmac("TC3" + secret, date), service), "tc3_request");
  return createHmac("sha256", key).update(sts).digest("hex") === signature;
}

/** Tencent API 2.0 (api-volcengine-tencent.md §2.3): sorted k=v without encoding, host with its port. */
export function tencentLegacySignatureOk(r: Captured, secret: string): boolean {
  const params = Object.fromEntries(r.query);
  const sig = params.Signature;
  delete params.Signature;
  const joined = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  const sts = `${r.method}${r.headers.host}${r.path}?${joined}`;
  const algorithm = params.SignatureMethod === "HmacSHA256" ? "sha256" : "sha1";
  return createHmac(algorithm, secret).update(sts).digest("base64") === sig;
}
