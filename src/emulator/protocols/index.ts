import { alibabaRpc } from "./alibaba-rpc";
import { alibabaRpcV3 } from "./alibaba-rpc-v3";
import type { Protocol, RawRequest } from "./request";
import { tencentLegacy } from "./tencent-legacy";
import { tencentTc3 } from "./tencent-tc3";
import { volcengine } from "./volcengine";

export type { ParsedCall, Protocol, RawRequest } from "./request";

/** In order of precedence: the Authorization schemes first, then the legacy path, then Alibaba's parameters. */
export const PROTOCOLS: readonly Protocol[] = [
  tencentTc3,
  volcengine,
  alibabaRpcV3,
  tencentLegacy,
  alibabaRpc,
];

/** The protocol whose shape the request has, or undefined for a request that is none of the clouds'. */
export function detectProtocol(raw: RawRequest): Protocol | undefined {
  return PROTOCOLS.find((p) => p.matches(raw));
}
