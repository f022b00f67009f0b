// The contract between the emulator's wire layer (routing, signatures, envelopes: src/emulator/*.ts,
// src/emulator/protocols/) and each service's model of state and rules (src/emulator/services/<service>/).
// As in moto: the wire layer never decides a rule, and a model never touches HTTP.

import type { Session } from "./sessions";

export type EmulatorCloud = "alibaba" | "volcengine" | "tencent";
export type WireProtocol = "alibaba-rpc" | "volcengine" | "tencent-tc3" | "tencent-legacy";

export interface ServiceRequest {
  cloud: EmulatorCloud;
  protocol: WireProtocol;
  /** "vpc" or "kms". */
  service: string;
  /** API version the client asked for, e.g. "2016-04-28". Empty for the Tencent legacy API. */
  version: string;
  action: string;
  /**
   * Region the request is for: Alibaba RegionId parameter (empty for KMS, which has none), Volcengine
   * credential-scope region, Tencent X-TC-Region header, Tencent legacy `Region` parameter.
   */
  region: string;
  /** Account that owns the access key that signed the request. */
  account: string;
  /**
   * Request parameters. Alibaba RPC: the flat string map as sent (e.g. "TunnelOptionsSpecification.1.Role");
   * use `unflatten` from ./params to read nested forms. Volcengine and Tencent 3.0: the JSON body merged
   * over the query. Tencent legacy: the query string as strings.
   */
  params: Record<string, unknown>;
  requestId: string;
}

/** A failure in the cloud's own terms. The wire layer renders it in the cloud's envelope. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export interface ServiceContext {
  /** The emulator clock in epoch milliseconds (settable through the admin API). */
  now(): number;
  /** Duration of an asynchronous transition, by name (e.g. "vpnGatewayUpdate"), settable through the admin API. */
  durationMs(name: string): number;
  /** Marks that the request changed state, so that the state file is written. */
  changed(): void;
  /**
   * Issues temporary credentials (the STS services), verified on every request that carries their token.
   * Optional so that a model's unit tests can build a context without the emulator's state.
   */
  issueSession?(init: Omit<Session, "accessKeyId" | "secret" | "sessionToken">): Session;
}

/** What a handler returns becomes the response body's payload (the wire layer adds request id and envelope). */
export type ActionHandler = (req: ServiceRequest, ctx: ServiceContext) => unknown;

export interface ServiceModel {
  /** Key in fixtures, state file and inventory: "alibabaVpc", "alibabaKms", "volcengineKms", "tencentKms". */
  readonly key: string;
  /**
   * Set when several models serve parts of one API under one `key` (Alibaba VPC: MACsec and VPN). The fixture
   * object under the key holds every part's `fixtureKeys` and each part receives only its own; the state file
   * keeps each part's state under `name`; the inventory merges the parts' summaries.
   */
  readonly part?: { name: string; fixtureKeys: readonly string[] };
  readonly cloud: EmulatorCloud;
  readonly service: string;
  /** Protocols this model answers (the Tencent KMS model answers both tencent-tc3 and tencent-legacy). */
  readonly protocols: WireProtocol[];
  /** Accepted API versions (empty for the Tencent legacy API). */
  readonly versions: string[];
  /** Action name to handler, per protocol. */
  actions(protocol: WireProtocol): Record<string, ActionHandler>;
  /** Adds fixtures (the value under this model's key). Invalid fixtures throw with a message naming the field. */
  loadFixtures(fixtures: unknown, ctx: ServiceContext): void;
  /** Everything, for the state file. */
  toJSON(): unknown;
  /** Restores from the state file. */
  fromJSON(state: unknown): void;
  reset(): void;
  /** A readable summary for tests and benchmarks (what exists, in which state, counters). Secrets masked. */
  inventory(ctx: ServiceContext): unknown;
  /**
   * The STS models: credentials of the role fixtures attach to "this instance", in the shape the cloud's
   * credentials endpoint answers (undefined when no instance role is declared).
   */
  instanceCredentials?(ctx: ServiceContext): unknown;
  /** Gateway or connection a write touches, for the request log's concurrency count (VPN only). */
  lockKey?(req: ServiceRequest): string | undefined;
}

/** Default durations of asynchronous transitions, in milliseconds. Tests and the demo shorten them. */
export const DEFAULT_DURATIONS: Record<string, number> = {
  vpnGatewayUpdate: 2000,
  macsecTransition: 1000,
  kmsImport: 0,
  replicaCreate: 1000,
};
