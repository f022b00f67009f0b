import type * as pulumi from "@pulumi/pulumi";
import {
  MACSEC_KEY_SETS_PER_CONNECTION as MAX_KEY_SETS,
  MACSEC_TRANSITIONAL_STATUSES,
} from "../../clouds/facts/alibaba-vpc-macsec";
import { isUnknown, type Failure } from "../common/check";
import { Inputs, KeyStatus, Outputs, REPLACE_FIELDS } from "./schema";

// What the provider predicts about MACsec on an Alibaba Express Connect physical connection, as pure functions
// of (old state, new inputs, live state). provider.ts reads the live state and acts on the decisions.

export interface LiveKey {
  ckn: string;
  cipherSuite: string;
  status: KeyStatus | string;
  startOn: string;
}

export interface LiveConnection {
  physicalConnectionId: string;
  productType: string;
  parentPhysicalConnectionId: string;
  status: string;
  businessStatus: string;
  keys: LiveKey[];
}

export function isTransitional(status: string): boolean {
  return (MACSEC_TRANSITIONAL_STATUSES as readonly string[]).includes(status);
}

/** Statuses in which the key holds (or is taking) the active role on its connection. */
export function holdsActiveRole(status: string): boolean {
  return status === "Associated" || status === "AssociatedFailed" || status === "Associating";
}

export function activeKey(conn: LiveConnection): LiveKey | undefined {
  return conn.keys.find((k) => holdsActiveRole(k.status));
}

function list(ckns: string[]): string {
  return ckns.join(", ");
}

/**
 * Preconditions of AssociateMacSecKey that DescribePhysicalConnections can show: the connection exists, is
 * dedicated, Enabled and in BusinessStatus Normal. Device capability, supported cipher suites and payment have
 * no field in the API; the cloud's own errors report those at create (see `hintFor`).
 */
export function connectionFailures(conn: LiveConnection | undefined, region: string, id: string): Failure[] {
  if (!conn) {
    return [
      {
        property: "physicalConnectionId",
        reason:
          `physicalConnectionId: no physical connection ${id} in region ${region} for these credentials. ` +
          `Check physicalConnectionId and region (and the Alibaba Cloud account the credentials belong to).`,
      },
    ];
  }
  const failures: Failure[] = [];
  if (conn.productType === "VirtualPhysicalConnection" || conn.parentPhysicalConnectionId) {
    failures.push({
      property: "physicalConnectionId",
      reason:
        `physicalConnectionId: ${id} is a hosted connection (ProductType ${conn.productType}` +
        `${conn.parentPhysicalConnectionId ? `, parent ${conn.parentPhysicalConnectionId}` : ""}); MACsec can be ` +
        `configured only on a dedicated physical connection. Use the dedicated connection's id.`,
    });
  }
  if (conn.status !== "Enabled") {
    failures.push({
      property: "physicalConnectionId",
      reason: `physicalConnectionId: ${id} is ${conn.status}; MACsec keys can be associated only while it is Enabled.`,
    });
  }
  if (conn.businessStatus !== "Normal") {
    failures.push({
      property: "physicalConnectionId",
      reason:
        `physicalConnectionId: ${id} has BusinessStatus ${conn.businessStatus}; MACsec needs Normal ` +
        `(a fully paid connection). Settle the connection's payment, then run 'pulumi up' again.`,
    });
  }
  return failures;
}

export interface QuotaInput {
  conn: LiveConnection;
  /** The CKN this resource would store. */
  ckn: string;
  /** CKNs that other resources checked earlier in this deployment will add to this connection. */
  pendingCkns: string[];
  /** The CKN this resource replaces on the same connection; it is freed first when the quota requires. */
  replacingCkn?: string;
}

/**
 * At most three key sets per connection. Counts the keys stored now, plus the creates already checked in this
 * deployment (creates run before deletes, so a key that this deployment removes still counts), plus this one.
 */
export function quotaFailure(q: QuotaInput): Failure | undefined {
  const stored = q.conn.keys.map((k) => k.ckn);
  if (stored.includes(q.ckn)) return undefined;
  const kept = stored.filter((c) => c !== q.replacingCkn);
  const pending = [...new Set(q.pendingCkns)].filter((c) => c !== q.ckn && !stored.includes(c));
  if (kept.length + pending.length + 1 <= MAX_KEY_SETS) return undefined;
  const holds =
    stored.length > 0
      ? `already holds ${stored.length} key set(s) (CKN ${list(stored)})`
      : "holds no key set yet";
  const more =
    pending.length > 0
      ? `, and this deployment already adds ${pending.length} more (CKN ${list(pending)})`
      : "";
  return {
    property: "ckn",
    reason:
      `ckn: physical connection ${q.conn.physicalConnectionId} ${holds}${more}; Alibaba Cloud allows at most ` +
      `${MAX_KEY_SETS} MACsec key sets per connection (QuotaExceeded.PconnMacsec). Remove a key set in a separate ` +
      `'pulumi up' first (Pulumi creates new resources before it deletes removed ones), or reuse an existing one.`,
  };
}

export interface KeyDiff extends pulumi.dynamic.DiffResult {
  /** What the update will do, for the log (a dynamic provider's diff cannot carry text). */
  notes: string[];
}

function same(a: unknown, b: unknown, upper: boolean): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  return upper && typeof a === "string" && typeof b === "string"
    ? a.toUpperCase() === b.toUpperCase()
    : a === b;
}

/**
 * Old state (outputs, refreshed by read) against new inputs.
 * - region, connection, cipher suite, CKN or CAK changed: replace. Create-before-delete normally; delete first
 *   when the id stays the same (the old key's deletion would remove the new one) or when the connection already
 *   holds three sets (`liveCkns`, read by the provider only when a replacement is on the same connection).
 * - active differs from what the cloud shows (refresh found the key Disassociated or AssociatedFailed, or active
 *   elsewhere): update, with a note saying what the update does and which key loses the active role.
 */
export function diffKey(olds: Partial<Outputs>, news: Inputs, liveCkns?: string[]): KeyDiff {
  const replaces = REPLACE_FIELDS.filter((f) => !same(olds[f], news[f], f === "ckn" || f === "cak"));
  if (replaces.length > 0) {
    const sameId =
      same(olds.region, news.region, false) &&
      same(olds.physicalConnectionId, news.physicalConnectionId, false) &&
      same(olds.ckn, news.ckn, true);
    const sameConnection =
      same(olds.region, news.region, false) &&
      same(olds.physicalConnectionId, news.physicalConnectionId, false);
    const full = sameConnection && (liveCkns ?? []).length >= MAX_KEY_SETS;
    const deleteBeforeReplace = sameId || full;
    const notes = deleteBeforeReplace
      ? [
          `MACsec key ${olds.ckn} on ${olds.physicalConnectionId} is replaced by deleting it first` +
            (sameId
              ? " (the new key set has the same CKN)"
              : ` (the connection holds ${MAX_KEY_SETS} key sets)`) +
            `: until the new set is associated, another key (or none) is active on the connection.`,
        ]
      : [];
    return { changes: true, replaces: [...replaces], deleteBeforeReplace, notes };
  }
  const notes: string[] = [];
  const status = olds.status;
  const who = `MACsec key ${news.ckn} on ${news.physicalConnectionId}`;
  let drift = false;
  if (status !== undefined && !isUnknown(news.active)) {
    if (news.active && !(status === "Associated" || status === "Associating")) {
      drift = true;
      if (status === "AssociatedFailed") {
        notes.push(
          `${who} is AssociatedFailed (the MACsec session did not come up): the update associates it again, which ` +
            `makes the device renegotiate. Check that the peer device has the same CKN, CAK and cipher suite.`,
        );
      } else {
        const other = olds.activeCkn && olds.activeCkn !== news.ckn ? olds.activeCkn : undefined;
        notes.push(
          `${who} is ${status} but active is true: the update associates it again` +
            (other
              ? `, and key ${other}, active now, becomes Disassociated.`
              : `; no other key is active now.`),
        );
      }
    } else if (!news.active && holdsActiveRole(status)) {
      drift = true;
      notes.push(
        `${who} is ${status} but active is false: the update disassociates it, and the cloud makes the most ` +
          `recently active other key (if any) active.`,
      );
    }
  }
  const changes =
    drift || !same(olds.active, news.active, false) || !same(olds.timeoutSeconds, news.timeoutSeconds, false);
  return { changes, replaces: [], deleteBeforeReplace: false, notes };
}

export type Step = "associate" | "disassociate";

/**
 * The calls that bring the key to the wanted role, from what the cloud shows now (`undefined`: the key does not
 * exist). Associating always makes a key the active one, so an inactive (standby) key is associated and then
 * disassociated, which hands the active role back to the key that held it.
 */
export function planSteps(active: boolean, status: string | undefined): Step[] {
  if (status === undefined) return active ? ["associate"] : ["associate", "disassociate"];
  if (active) return status === "Associated" || status === "Associating" ? [] : ["associate"];
  return holdsActiveRole(status) ? ["disassociate"] : [];
}

/** The status a step waits for. */
export function targetStatus(step: Step): "Associated" | "Disassociated" {
  return step === "associate" ? "Associated" : "Disassociated";
}

/** Why a wait can never succeed, or undefined to keep waiting. */
export function waitFailure(
  step: Step,
  ckn: string,
  connectionId: string,
  key: LiveKey | undefined,
): string | undefined {
  if (step === "associate" && key?.status === "AssociatedFailed") {
    return (
      `MACsec key ${ckn} was associated with ${connectionId} but its status is AssociatedFailed: the MACsec session ` +
      `with the peer did not come up. Check that the peer device is configured with the same CKN, CAK and cipher ` +
      `suite, then run 'pulumi up' again: the update associates the key again, which makes the device renegotiate.`
    );
  }
  return undefined;
}

/** Read the key back: outputs as the cloud shows them, and the inputs that would produce them. */
export function readState(
  props: Partial<Outputs>,
  conn: LiveConnection,
  key: LiveKey,
  ids: { region: string; physicalConnectionId: string },
): { props: Outputs; inputs: Inputs } {
  const inputs: Inputs = {
    region: ids.region,
    physicalConnectionId: ids.physicalConnectionId,
    ckn: key.ckn,
    // The cloud never returns the CAK; the input's value stays.
    cak: props.cak ?? "",
    cipherSuite: key.cipherSuite as Inputs["cipherSuite"],
    active: holdsActiveRole(key.status),
    ...(props.timeoutSeconds !== undefined ? { timeoutSeconds: props.timeoutSeconds } : {}),
  };
  return {
    inputs,
    props: {
      ...inputs,
      status: key.status as KeyStatus,
      startOn: key.startOn,
      activeCkn: activeKey(conn)?.ckn ?? "",
    },
  };
}

/** Advice appended to the cloud's error for AssociateMacSecKey / DisassociateMacSecKey failures. */
export function hintFor(
  code: string,
  c: {
    physicalConnectionId: string;
    region: string;
    ckn: string;
    cipherSuite?: string;
    storedCkns?: string[];
  },
): string | undefined {
  const pc = c.physicalConnectionId;
  switch (code) {
    case "ResourceNotFound.PhysicalConnectionId":
      return `No physical connection ${pc} in region ${c.region} for these credentials: check physicalConnectionId and region.`;
    case "IncorrectStatus.PhysicalConnection":
      return (
        `${pc} must be Enabled, with BusinessStatus Normal and fully paid, before MACsec keys can be associated: ` +
        `check the connection in the Express Connect console, then run 'pulumi up' again.`
      );
    case "UnsupportedFeature.Macsec":
      return (
        `${pc} does not support MACsec: only dedicated physical connections on devices with MACsec support can ` +
        `use it (hosted connections cannot). Use another connection, or ask Alibaba Cloud about a MACsec-capable port.`
      );
    case "UnsupportedFeature.Macsec.CipherSuite":
      return `The device of ${pc} supports MACsec but not cipher suite ${c.cipherSuite}: choose another cipherSuite.`;
    case "QuotaExceeded.PconnMacsec":
      return (
        `${pc} already holds ${MAX_KEY_SETS} MACsec key sets` +
        (c.storedCkns && c.storedCkns.length > 0 ? ` (CKN ${list(c.storedCkns)})` : "") +
        `: remove one before adding key ${c.ckn}.`
      );
    case "IllegalParam.Cak":
    case "IllegalParam.CipherSuite":
      return (
        `If key ${c.ckn} already exists on ${pc} with another CAK or cipher suite, the cloud does not change it in ` +
        `place: choose another CKN, or delete the existing key set first.`
      );
    case "IncorrectStatus.PconnMacsec":
      return `A MACsec key on ${pc} is still changing state; wait and run 'pulumi up' again, or raise timeoutSeconds.`;
    default:
      return undefined;
  }
}
