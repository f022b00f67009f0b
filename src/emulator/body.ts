import type { IncomingMessage } from "node:http";

/** Default cap on a request body: larger ones get the cloud's "too large" error. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Past this multiple of the cap the connection is dropped instead of drained. */
const DRAIN_FACTOR = 64;

export interface ReadBody {
  /** The body, or its first `cap` bytes when it was too large. */
  body: Buffer;
  tooLarge: boolean;
}

/**
 * Reads the body up to `cap` bytes. A larger body is drained (not kept) so that the connection stays usable
 * and the client gets an answer; a body beyond DRAIN_FACTOR x cap is cut off by destroying the request.
 */
export async function readBody(req: IncomingMessage, cap: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (kept < cap) {
      const part = buf.subarray(0, cap - kept);
      chunks.push(part);
      kept += part.length;
    }
    if (total > cap * DRAIN_FACTOR) {
      req.destroy();
      break;
    }
  }
  return { body: Buffer.concat(chunks), tooLarge: total > cap };
}
