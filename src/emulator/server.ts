// The emulator's HTTP server: one port for the three clouds' wire protocols and the admin API.
// Per request: read the body (capped) -> detect the protocol -> parse the common parameters -> verify the
// signature -> route to a model -> injected fault, if any -> the model's handler -> the cloud's envelope.
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin, ADMIN_PREFIX } from "./admin";
import { DEFAULT_MAX_BODY_BYTES, readBody } from "./body";
import { Clock } from "./clock";
import { route } from "./dispatch";
import { type Reply, type ReplyMeta, errorReply, newRequestId, successReply } from "./envelopes";
import { Faults } from "./faults";
import { NonceCache } from "./nonces";
import { type Protocol, type RawRequest, detectProtocol } from "./protocols";
import { type LogEntry, RequestLog, type Ticket } from "./request-log";
import { ALIBABA_WINDOW_MS } from "./signatures/alibaba-rpc";
import type { AuthEnv } from "./signatures/common";
import { EmulatorState } from "./store";
import { ServiceError, type ServiceModel, type ServiceRequest } from "./types";

export interface EmulatorCoreOptions {
  models: ServiceModel[];
  /** JSON state file: loaded at start when it exists, rewritten after every change. */
  stateFile?: string;
  /** Fixtures applied at start (when no state file was loaded) and again after each reset. */
  fixtures?: unknown;
  durations?: Record<string, number>;
  maxBodyBytes?: number;
  /** Called once per cloud request answered; entries carry no parameter values. */
  onRequest?: (entry: LogEntry) => void;
  /** Called with an unexpected exception (a model bug); the client gets the cloud's internal error. */
  onInternalError?: (err: unknown, info: { requestId: string; action: string }) => void;
  clock?: Clock;
}

/** Thrown inside the pipeline to drop the connection (an injected `reset` fault). */
const RESET = Symbol("reset connection");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Default HTTP status of an injected fault: server-side codes 5xx, the rest 400. */
function faultStatus(code: string): number {
  if (/ServiceUnavailable/i.test(code)) return 503;
  return /^(InternalError|UndefinedError|UnknownError)/.test(code) ? 500 : 400;
}

export class EmulatorCore {
  readonly state: EmulatorState;
  readonly faults = new Faults();
  readonly log = new RequestLog();
  /** Nonces live twice the longest timestamp window, so a replay is caught for as long as it would pass. */
  readonly nonces = new NonceCache(2 * ALIBABA_WINDOW_MS);
  readonly server: Server;
  private readonly maxBodyBytes: number;
  private readonly authEnv: AuthEnv;

  constructor(private readonly opts: EmulatorCoreOptions) {
    this.state = new EmulatorState(opts.models, {
      durations: opts.durations,
      clock: opts.clock,
      stateFile: opts.stateFile,
    });
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.authEnv = {
      lookup: (id, cloud) => {
        const account = this.state.accounts.lookup(id);
        if (account) return account;
        const session = this.state.sessions.lookup(id);
        if (!session || session.cloud !== cloud) return undefined;
        const { secret, account: acting, sessionToken: token, expiresAtMs } = session;
        return { secret, account: acting, session: { token, expiresAtMs } };
      },
      now: () => this.state.clock.now(),
      wallNow: () => this.state.clock.wallNow(),
      nonces: this.nonces,
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.onInternalError?.(err, { requestId: "", action: "" });
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal emulator error" }));
      });
    });
  }

  /** Loads the state file, or applies the startup fixtures when there is none. */
  init(): void {
    if (this.state.load()) return;
    if (this.opts.fixtures !== undefined) this.state.loadFixtures(this.opts.fixtures);
    this.state.save();
  }

  /** Back to the startup state: empty models and accounts plus the startup fixtures; no faults, log or nonces. */
  resetAll(): void {
    this.state.reset();
    if (this.opts.fixtures !== undefined) this.state.loadFixtures(this.opts.fixtures);
    this.faults.clear();
    this.log.clear();
    this.nonces.clear();
    this.state.save();
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Clients keep connections alive (pop-core's agent does); do not wait for them to time out.
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    let path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    // Absolute-form request targets (through a proxy): keep only the path.
    if (!path.startsWith("/")) path = new URL(path, "http://localhost").pathname;

    if (path.startsWith(ADMIN_PREFIX)) {
      const { body, tooLarge } = await readBody(req, 64 * this.maxBodyBytes);
      const reply = tooLarge
        ? { status: 413, body: { error: "admin request body too large" } }
        : handleAdmin(this, req.method ?? "GET", path.slice(ADMIN_PREFIX.length), body);
      return send(res, reply);
    }

    const ticket = this.log.begin(this.state.clock.now());
    let read;
    try {
      read = await readBody(req, this.maxBodyBytes);
    } catch {
      // The client went away mid-body: nobody to answer.
      this.log.cancel(ticket);
      req.destroy();
      return;
    }
    const { body, tooLarge } = read;
    const raw: RawRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path,
      rawQuery,
      headers: req.headers,
      body,
      tooLarge,
    };
    const protocol = detectProtocol(raw);
    if (!protocol) {
      this.log.cancel(ticket);
      return send(res, {
        status: 400,
        body: {
          error:
            "Unrecognized request: not an Alibaba Cloud RPC, Volcengine OpenAPI, Tencent Cloud API 3.0 (TC3) or " +
            "Tencent legacy (/v2/index.php) call. The admin API is under /_emulator/.",
        },
      });
    }
    await this.serveCloud(protocol, raw, ticket, req, res);
  }

  private async serveCloud(
    protocol: Protocol,
    raw: RawRequest,
    ticket: Ticket,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const meta: ReplyMeta = {
      requestId: newRequestId(protocol.id, randomUUID()),
      action: "",
      version: "",
      service: "",
      region: "",
    };
    // What the log records; a client that hangs up before the answer is logged as status 0.
    const outcome: { status: number; code?: string; lockKey?: string } = {
      status: 0,
      code: "ClientClosedRequest",
    };
    res.once("close", () => this.finish(ticket, protocol, meta, outcome));

    let changed = false;
    let reply: Reply;
    try {
      if (raw.tooLarge) throw protocol.errors.tooLarge(this.maxBodyBytes);
      const call = protocol.parse(raw);
      Object.assign(meta, { action: call.action, version: call.version, region: call.region });
      if (call.serviceStrict) meta.service = call.serviceHint;
      // Routed before authenticating so that auth errors name the service (Alibaba's HostId); a routing error
      // is raised only once the caller proved who they are.
      const r = route(this.opts.models, protocol, call);
      if (r.model) meta.service = r.model.service;
      const account = call.authenticate(this.authEnv);
      const request: ServiceRequest = {
        cloud: protocol.cloud,
        protocol: protocol.id,
        service: meta.service,
        version: call.version,
        action: call.action,
        region: call.region,
        account,
        params: call.params(),
        requestId: meta.requestId,
      };
      if (r.handler) outcome.lockKey = r.model.lockKey?.(request);

      const fault = this.faults.take(protocol.cloud, call.action);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.reset) throw RESET;
      if (fault?.code) {
        const status = fault.httpStatus ?? faultStatus(fault.code);
        throw new ServiceError(fault.code, fault.message ?? `Injected fault ${fault.code}.`, status);
      }

      if (!r.handler) throw r.error;
      const payload = await r.handler(
        request,
        this.state.context(() => (changed = true)),
      );
      reply = successReply(protocol.id, meta, payload);
    } catch (err) {
      if (err === RESET) {
        outcome.code = "ConnectionReset";
        req.socket.destroy();
        return;
      }
      if (!(err instanceof ServiceError)) {
        this.opts.onInternalError?.(err, { requestId: meta.requestId, action: meta.action });
      }
      reply = errorReply(protocol.id, meta, err instanceof ServiceError ? err : protocol.errors.internal());
    }
    if (changed) this.persist(meta);
    const out = serialize(reply, () => errorReply(protocol.id, meta, protocol.errors.internal()));
    outcome.status = out.status;
    outcome.code = out.code;
    write(res, out);
  }

  private persist(meta: ReplyMeta): void {
    try {
      this.state.save();
    } catch (err) {
      this.opts.onInternalError?.(err, { requestId: meta.requestId, action: meta.action });
    }
  }

  private finish(
    ticket: Ticket,
    protocol: Protocol,
    meta: ReplyMeta,
    outcome: { status: number; code?: string; lockKey?: string },
  ): void {
    const entry = this.log.finish(ticket, {
      cloud: protocol.cloud,
      service: meta.service,
      action: meta.action,
      region: meta.region,
      status: outcome.status,
      ...(outcome.code !== undefined ? { code: outcome.code } : {}),
      ...(outcome.lockKey !== undefined ? { lockKey: outcome.lockKey } : {}),
    });
    this.opts.onRequest?.(entry);
  }
}

interface Serialized {
  status: number;
  text: string;
  /** The error code when the reply is an error. */
  code?: string;
}

/** JSON text of a reply; `fallback` replaces a body that cannot be serialized (BigInt, cycles). */
function serialize(reply: Reply, fallback: () => Reply): Serialized {
  let out = reply;
  let text: string;
  try {
    text = JSON.stringify(reply.body);
  } catch {
    out = fallback();
    text = JSON.stringify(out.body);
  }
  return { status: out.status, text, code: out.code };
}

function write(res: ServerResponse, out: Serialized): void {
  res.writeHead(out.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(out.text),
  });
  res.end(out.text);
}

/** Writes an admin or plain reply (bodies built by the emulator itself, always serializable). */
function send(res: ServerResponse, reply: Reply): void {
  write(res, { status: reply.status, text: JSON.stringify(reply.body) });
}
