// A loopback HTTP proxy between the provider and the emulator that, on a seeded share of write calls, lets the
// emulator carry the call out and then drops the client's connection instead of passing the answer on: the
// "answer lost after the cloud committed" failure that the emulator's own `reset` fault (which drops the
// connection before the model runs) cannot produce. A retried write then meets its own earlier effect.
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../../src/emulator/faults";

export interface LossyProxy {
  url: string;
  /** Actions whose answer was dropped, in order. */
  dropped: string[];
  /** Drop answers of writes with this probability from now on (0 = pass everything). */
  setProbability(p: number, seed: number): void;
  /**
   * From now on, drop the first answer of each write action of each cloud protocol (each once), whatever the
   * probability; only of `actions` when given. `false` stops it.
   */
  dropFirstOfEach(on: boolean, actions?: string[]): void;
  /**
   * From now on, each write waits for `hook(action)` before it goes on to the emulator (`undefined` stops it): a
   * test's chance to act between the stack's reads and its write, or to hold writes of two stacks at a barrier.
   */
  beforeWrite(hook: ((action: string) => Promise<void>) | undefined): void;
  close(): Promise<void>;
}

const READ = /^(Describe|List|Query)/;

/**
 * The API action of a cloud request and where it was found, which tells the protocol: Tencent's TC3 header,
 * the query (Volcengine, or Tencent's legacy API under /v2/) or the form body (Alibaba RPC).
 */
function actionOf(req: IncomingMessage, body: Buffer): { action: string; protocol: string } {
  const tc = req.headers["x-tc-action"];
  if (typeof tc === "string") return { action: tc, protocol: "tencent" };
  const url = new URL(req.url ?? "/", "http://proxy");
  const fromQuery = url.searchParams.get("Action");
  if (fromQuery)
    return { action: fromQuery, protocol: url.pathname.startsWith("/v2/") ? "tencent-legacy" : "volcengine" };
  if (String(req.headers["content-type"] ?? "").includes("x-www-form-urlencoded"))
    return { action: new URLSearchParams(body.toString("utf8")).get("Action") ?? "", protocol: "alibaba" };
  return { action: "", protocol: "" };
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const to = new URL(target);
  let probability = 0;
  let random = mulberry32(1);
  const dropped: string[] = [];
  let firstOfEach: { seen: Set<string>; only?: string[] } | undefined;
  let hook: ((action: string) => Promise<void>) | undefined;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const { action, protocol } = actionOf(req, body);
      const write = action !== "" && !READ.test(action);
      let drop = write && random() < probability;
      const key = `${protocol}:${action}`;
      if (
        write &&
        firstOfEach &&
        !firstOfEach.seen.has(key) &&
        (firstOfEach.only === undefined || firstOfEach.only.includes(action))
      ) {
        firstOfEach.seen.add(key);
        drop = true;
      }
      // The Host header is passed as the client sent it: signatures (TC3) cover it.
      const forward = () => {
        const upstream = request(
          { hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on("data", (c: Buffer) => parts.push(c));
            answer.on("end", () => {
              if (drop) {
                dropped.push(action);
                req.socket.destroy();
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            });
          },
        );
        upstream.on("error", () => req.socket.destroy());
        upstream.end(body);
      };
      const held = write && hook ? hook(action) : undefined;
      if (held) held.then(forward, () => req.socket.destroy());
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped,
    setProbability(p, seed) {
      probability = p;
      random = mulberry32(seed);
    },
    dropFirstOfEach(on, actions) {
      firstOfEach = on ? { seen: new Set(), only: actions } : undefined;
    },
    beforeWrite(h) {
      hook = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
