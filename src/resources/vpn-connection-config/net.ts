import { MAX_ASN, RESERVED_TUNNEL_CIDRS } from "../../clouds/facts/alibaba-vpc-vpn";

// IPv4 address and CIDR arithmetic for the rules the provider predicts. Pure; the cloud's facts (reserved BGP
// tunnel blocks, ASN range) come from src/clouds/facts/alibaba-vpc-vpn.ts.

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export interface Block {
  base: number;
  prefix: number;
}

/** A CIDR block written by its network address (10.0.0.0/24; 10.0.0.1/24 is refused). */
export function parseCidr(text: string): Block | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32 || base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

/** Whether two blocks share an address. */
export function overlaps(a: Block, b: Block): boolean {
  return a.base < b.base + 2 ** (32 - b.prefix) && b.base < a.base + 2 ** (32 - a.prefix);
}

const LINK_LOCAL = parseCidr("169.254.0.0/16")!;

/** Why a BGP tunnel block is not acceptable, or undefined when it is. */
export function tunnelCidrProblem(text: string): string | undefined {
  const block = parseCidr(text);
  if (!block) return "must be a CIDR block written by its network address, e.g. 169.254.10.0/30";
  if (block.prefix !== 30) return "must be a /30 block";
  if (Math.floor(block.base / 65536) !== Math.floor(LINK_LOCAL.base / 65536))
    return "must be inside 169.254.0.0/16";
  if (RESERVED_TUNNEL_CIDRS.includes(text))
    return `is reserved by Alibaba Cloud (${RESERVED_TUNNEL_CIDRS.join(", ")})`;
  return undefined;
}

/** Whether `ip` is one of the two host addresses of the /30 block `cidr` (not its network or broadcast address). */
export function isTunnelHost(ip: string, cidr: string): boolean {
  const block = parseCidr(cidr);
  const addr = parseIpv4(ip);
  return block !== undefined && addr !== undefined && addr > block.base && addr < block.base + 3;
}

/** An ASN as a number: 1..4294967295, or the two-segment form "high.low" (high * 65536 + low). */
export function parseAsn(value: number | string): number | undefined {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (/^\d{1,10}$/.test(value)) n = Number(value);
  else {
    const m = /^(\d{1,5})\.(\d{1,5})$/.exec(value);
    if (m && Number(m[1]) <= 65535 && Number(m[2]) <= 65535) n = Number(m[1]) * 65536 + Number(m[2]);
  }
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_ASN ? n : undefined;
}
