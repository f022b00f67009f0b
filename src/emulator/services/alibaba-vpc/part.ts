import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";

/** The shape both parts of the VPC service (MACsec in macsec.ts, VPN in vpn.ts) expose to index.ts. */
export interface VpcPart {
  actions: Record<string, ActionHandler>;
  /** Receives the whole `alibabaVpc` fixture object and takes its own keys from it. */
  loadFixtures(fixtures: unknown, ctx: ServiceContext): void;
  toJSON(): unknown;
  fromJSON(state: unknown): void;
  reset(): void;
  inventory(ctx: ServiceContext): unknown;
  /** The object a write touches (a VPN gateway, a physical connection), for the request log's in-flight count. */
  lockKey(req: ServiceRequest): string | undefined;
}
