import { alibabaClient, alibabaScope, smallListing } from "../../clouds/alibaba";
import { handOver, takeOver } from "../../clouds/lock";
import { waitFor, waitLearned } from "../../clouds/retry";
import type { CipherSuite } from "../../clouds/facts/alibaba-vpc-macsec";
import {
  CHECK_SHARED_READ_MS,
  REFRESH_SHARED_READ_MS,
  SHARED_LISTING_MAX_ITEMS,
  type SharedReads,
  listingOrNone,
  sharedReads,
} from "../../common/shared-reads";
import {
  type LiveConnection,
  type LiveKey,
  type Step,
  isTransitional,
  targetStatus,
  waitFailure,
} from "./rules";

// Everything MacsecKeyAssociation says to the cloud (Alibaba VPC 2016-04-28): the wire types, the finder and the
// named waiters. Neither AssociateMacSecKey
// (https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-associatemacseckey-express-connect)
// nor DisassociateMacSecKey
// (https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-disassociatemacseckey-express-connect)
// takes a ClientToken: their parameters are RegionId, PhysicalConnectionId, Ckn (and CipherSuite, Cak), so a
// write is made idempotent by reading first (the key set's CKN names it) rather than by a token.

/** AssociateMacSecKey's parameters (besides RegionId, which the client adds). */
export interface AssociateParams {
  PhysicalConnectionId: string;
  CipherSuite: CipherSuite;
  Ckn: string;
  Cak: string;
}

/** DisassociateMacSecKey's parameters. */
export interface DisassociateParams {
  PhysicalConnectionId: string;
  Ckn: string;
}

/** A connection in DescribePhysicalConnections' answer, the part the resource reads (never the Cak field). */
interface ConnectionItem {
  PhysicalConnectionId?: string;
  ProductType?: string;
  ParentPhysicalConnectionId?: string;
  Status?: string;
  BusinessStatus?: string;
  MacsecKeys?: {
    MacsecKey?: Array<{ Ckn?: string; CipherSuite?: string; Status?: string; StartOn?: string }>;
  };
}

/** The part of DescribePhysicalConnections' answer the resource reads. */
export interface DescribeBody {
  TotalCount?: number;
  PhysicalConnectionSet?: { PhysicalConnectionType?: ConnectionItem[] };
}

/** A key set's place: region, connection and (upper-case) CKN. */
export interface KeyPlace {
  region: string;
  physicalConnectionId: string;
  ckn: string;
}

/** The connection as DescribePhysicalConnections shows it, or undefined when there is none with this id. */
export async function describeConnection(
  region: string,
  physicalConnectionId: string,
  deadlineMs: number,
): Promise<LiveConnection | undefined> {
  const body = await alibabaClient("vpc", region).call<DescribeBody>(
    "DescribePhysicalConnections",
    { Filter: [{ Key: "PhysicalConnectionId", Value: [physicalConnectionId] }], PageSize: 50 },
    { deadlineMs },
  );
  const found = (body.PhysicalConnectionSet?.PhysicalConnectionType ?? []).find(
    (c) => c.PhysicalConnectionId === physicalConnectionId,
  );
  return found && connectionFrom(found);
}

function connectionFrom(found: ConnectionItem): LiveConnection {
  return {
    physicalConnectionId: found.PhysicalConnectionId ?? "",
    productType: found.ProductType ?? "",
    parentPhysicalConnectionId: found.ParentPhysicalConnectionId ?? "",
    status: found.Status ?? "",
    businessStatus: found.BusinessStatus ?? "",
    // CKNs are compared upper-cased: the cloud upper-cases them.
    keys: (found.MacsecKeys?.MacsecKey ?? []).map((k) => ({
      ckn: (k.Ckn ?? "").toUpperCase(),
      cipherSuite: k.CipherSuite ?? "",
      status: k.Status ?? "",
      startOn: k.StartOn ?? "",
    })),
  };
}

/** The key set in a connection already read, or undefined when it (or the connection) is gone. */
export function keyIn(conn: LiveConnection | undefined, ckn: string): LiveKey | undefined {
  return conn?.keys.find((k) => k.ckn === ckn.toUpperCase());
}

/**
 * The tables of one operation's shared reads: the region's listing (undefined: more than
 * SHARED_LISTING_MAX_ITEMS connections, or the listing failed), and a connection read alone.
 */
interface SharedTables {
  region: () => SharedReads<Map<string, LiveConnection> | undefined>;
  one: () => SharedReads<LiveConnection | undefined>;
}

// Apart per operation: each has its own window, and a refresh never takes an answer a check read.
const READ: SharedTables = {
  region: () => sharedReads("macsec-read-region-connections", REFRESH_SHARED_READ_MS),
  one: () => sharedReads("macsec-read-connections", REFRESH_SHARED_READ_MS),
};
const CHECK: SharedTables = {
  region: () => sharedReads("macsec-check-region-connections", CHECK_SHARED_READ_MS),
  one: () => sharedReads("macsec-check-connections", CHECK_SHARED_READ_MS),
};

/** Every physical connection of the region, when it has at most SHARED_LISTING_MAX_ITEMS. */
async function regionConnections(
  region: string,
  deadlineMs: number,
): Promise<Map<string, LiveConnection> | undefined> {
  const items = await smallListing(async (paging) => {
    const body = await alibabaClient("vpc", region).call<DescribeBody>(
      "DescribePhysicalConnections",
      paging,
      { deadlineMs },
    );
    return {
      items: body.PhysicalConnectionSet?.PhysicalConnectionType ?? [],
      totalCount: Number(body.TotalCount ?? 0),
    };
  }, SHARED_LISTING_MAX_ITEMS);
  return items && new Map(items.map((c) => [c.PhysicalConnectionId ?? "", connectionFrom(c)]));
}

/**
 * The connection from a listing of the region's connections sent less than the tables' window ago or now (kept
 * apart per endpoint, account of the credentials and region), so that the reads of a region's key sets list it
 * once; a region of more than SHARED_LISTING_MAX_ITEMS connections, a listing that failed or a connection it does
 * not show (gone, or not listed yet) take the connection's own read, shared the same way.
 */
async function sharedConnection(
  tables: SharedTables,
  region: string,
  physicalConnectionId: string,
  deadlineMs: number,
): Promise<LiveConnection | undefined> {
  const scope = await alibabaScope("vpc", region);
  const listed = await tables.region().read(
    scope,
    listingOrNone(() => regionConnections(region, deadlineMs)),
  );
  return (
    listed?.get(physicalConnectionId) ??
    (await tables
      .one()
      .read(`${scope}|${physicalConnectionId}`, () =>
        describeConnection(region, physicalConnectionId, deadlineMs),
      ))
  );
}

/**
 * For check: the connection as the deployment's checks read it less than CHECK_SHARED_READ_MS ago (the engine
 * checks resources one after another: a check pass over a region's key sets waits for one listing), else now.
 * Create reads it again under the connection's lock before writing.
 */
export function checkConnection(
  region: string,
  physicalConnectionId: string,
  deadlineMs: number,
): Promise<LiveConnection | undefined> {
  return sharedConnection(CHECK, region, physicalConnectionId, deadlineMs);
}

/**
 * Finder, for read: the key set and its connection, or undefined when the key set or its connection is gone, from
 * the connection as the refresh's reads read it less than REFRESH_SHARED_READ_MS ago, else now.
 */
export async function findKeySet(
  place: KeyPlace,
  deadlineMs: number,
): Promise<{ conn: LiveConnection; key: LiveKey } | undefined> {
  const conn = await sharedConnection(READ, place.region, place.physicalConnectionId, deadlineMs);
  const key = keyIn(conn, place.ckn);
  return conn && key ? { conn, key } : undefined;
}

export async function associateKey(
  region: string,
  params: AssociateParams,
  deadlineMs: number,
): Promise<void> {
  try {
    await alibabaClient("vpc", region).call("AssociateMacSecKey", { ...params }, { deadlineMs });
  } finally {
    await forgetCheckReads(region, params.PhysicalConnectionId);
  }
}

export async function disassociateKey(
  region: string,
  params: DisassociateParams,
  deadlineMs: number,
): Promise<void> {
  try {
    await alibabaClient("vpc", region).call("DisassociateMacSecKey", { ...params }, { deadlineMs });
  } finally {
    await forgetCheckReads(region, params.PhysicalConnectionId);
  }
}

/**
 * After a write (answered or not: a lost answer may hide one carried out), the deployment's later checks read the
 * connection written to again, alone: a check after this deployment's own create must count the key set it stored.
 * The listing keeps showing the region's other connections, which the write left as they were.
 */
async function forgetCheckReads(region: string, physicalConnectionId: string): Promise<void> {
  const scope = await alibabaScope("vpc", region);
  CHECK.region().amend(scope, (listed) => {
    if (!listed) return listed;
    const rest = new Map(listed);
    rest.delete(physicalConnectionId);
    return rest;
  });
  CHECK.one().forget(`${scope}|${physicalConnectionId}`);
}

/**
 * With nothing learnt yet, the first read after a write waits this long: a key set is Associating or
 * Disassociating right after the call, so a read at once only costs a call.
 */
const FIRST_READ_AFTER_WRITE_MS = 200;

/**
 * The lock every MACsec write on a connection takes, across the deployment: the cloud refuses a write while another
 * key set of the connection is in transition (IncorrectStatus.PconnMacsec), and taking the writes one at a time in
 * this process avoids retry storms when several key sets of one connection change together.
 */
export function connectionLockKey(region: string, physicalConnectionId: string): string {
  return `alibaba:pconn:${region}:${physicalConnectionId}`;
}

const settled = (c: LiveConnection | undefined) => !c || !c.keys.some((k) => isTransitional(k.status));

/**
 * Waits until no key of the connection is Associating or Disassociating (writes are refused meanwhile). Right after
 * the deployment's last write on the connection, the connection as that write's wait left it stands in for the
 * first read (takeOver), when it showed every key settled.
 */
export async function waitKeysSettled(
  region: string,
  physicalConnectionId: string,
  remaining: () => number,
): Promise<LiveConnection | undefined> {
  const left = takeOver<LiveConnection>(connectionLockKey(region, physicalConnectionId));
  if (left && settled(left)) return left;
  return waitFor(
    () => describeConnection(region, physicalConnectionId, remaining()),
    settled,
    (c) => (c ? c.keys.map((k) => `${k.ckn}=${k.status}`).join(", ") || "no keys" : "connection not found"),
    { description: `the MACsec keys of ${physicalConnectionId} to settle`, timeoutMs: remaining() },
  );
}

/**
 * Polls after a write until `done` holds for the key set: the first read when this kind of transition last took on
 * the connection (waitLearned; on another connection, else FIRST_READ_AFTER_WRITE_MS), since the cloud gives no
 * estimate of it. The connection as the last read showed it goes to the next write on the connection (takeOver).
 */
async function waitAfterWrite(
  place: KeyPlace,
  transition: "associate" | "disassociate" | "delete",
  done: (key: LiveKey | undefined) => boolean,
  remaining: () => number,
): Promise<LiveConnection | undefined> {
  const step: Step = transition === "associate" ? "associate" : "disassociate";
  const what = transition === "delete" ? "to be deleted" : `to be ${targetStatus(step)}`;
  const learned = await waitLearned(
    {
      kind: `macsec-${transition}`,
      key: `${place.region}:${place.physicalConnectionId}`,
      acceptedAt: Date.now(),
      firstReadAfterMs: FIRST_READ_AFTER_WRITE_MS,
    },
    () => describeConnection(place.region, place.physicalConnectionId, remaining()),
    (c) => done(keyIn(c, place.ckn)),
    (c) => keyIn(c, place.ckn)?.status ?? "absent",
    {
      description: `MACsec key ${place.ckn} on ${place.physicalConnectionId} ${what}`,
      timeoutMs: remaining(),
      failed: (c) => waitFailure(step, place.ckn, place.physicalConnectionId, keyIn(c, place.ckn)),
    },
  );
  const { value: conn, sentAt, tookMs } = learned;
  if (conn) handOver(connectionLockKey(place.region, place.physicalConnectionId), conn, sentAt, tookMs);
  return conn;
}

/** After AssociateMacSecKey: until the key set is Associated (AssociatedFailed fails the wait). */
export function waitKeyAssociated(
  place: KeyPlace,
  remaining: () => number,
): Promise<LiveConnection | undefined> {
  const target = targetStatus("associate");
  return waitAfterWrite(place, "associate", (k) => k?.status === target, remaining);
}

/**
 * After DisassociateMacSecKey on a key set holding the active role: until it is Disassociated (or gone, if
 * something else deleted it meanwhile).
 */
export function waitKeyDisassociated(
  place: KeyPlace,
  remaining: () => number,
): Promise<LiveConnection | undefined> {
  const target = targetStatus("disassociate");
  return waitAfterWrite(place, "disassociate", (k) => !k || k.status === target, remaining);
}

/** After DisassociateMacSecKey on a Disassociated key set, which deletes it: until it is gone. */
export function waitKeyGone(place: KeyPlace, remaining: () => number): Promise<LiveConnection | undefined> {
  return waitAfterWrite(place, "delete", (k) => !k, remaining);
}
