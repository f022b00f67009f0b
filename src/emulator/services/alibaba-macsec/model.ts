import { createHash } from "node:crypto";
import {
  type CipherSuite,
  type KeyStatus,
  MACSEC_BUSINESS_STATUS,
  MACSEC_CIPHER_SUITES,
  MACSEC_CONNECTION_STATUS,
  MACSEC_KEY_HEX,
  MACSEC_KEY_SETS_PER_CONNECTION,
  MACSEC_PRODUCT_TYPE,
  type SettledKeyStatus,
  macsecKeyHexLength,
} from "../../../clouds/facts/alibaba-vpc-macsec";
import { DEFAULT_ACCOUNT } from "../../accounts";
import { type Managed, beginTransition, inTransition, statusAt } from "../../managed-state";
import {
  cipherSuiteUnsupported,
  illegalParam,
  macsecKeyNotFound,
  macsecKeyUnstable,
  macsecQuotaExceeded,
  macsecUnsupported,
  physicalConnectionIncorrectStatus,
  physicalConnectionNotFound,
} from "./errors";

// Express Connect physical connections and their MACsec key sets, as Alibaba VPC (2016-04-28) keeps them.
// State and rules only: parameters arrive already read from the request (routes.ts), errors leave as
// ServiceErrors. The API's facts (cipher suites, key lengths, the three-set quota) are in
// src/clouds/facts/alibaba-vpc-macsec.ts, shared with the provider.

/** The transition's duration, by name (ServiceContext.durationMs). */
export const MACSEC_TRANSITION = "macsecTransition";

export type ProductType = "PhysicalConnection" | "VirtualPhysicalConnection";

/**
 * A key set. `status` is the settled status (Associated, Disassociated, AssociatedFailed); while `transition`
 * lasts the key shows Associating or Disassociating (managed-state.ts).
 */
export interface MacsecKeyRecord extends Managed<KeyStatus> {
  ckn: string;
  /**
   * SHA-256 of the CAK. The model only needs to tell whether a re-association carries the same secret, so the
   * emulator never holds a CAK, and neither its state file nor its inventory can leak one.
   */
  cakSha256: string;
  cipherSuite: CipherSuite;
  /** When the key last became the active key (epoch ms). */
  startOn: number;
  /** Increases each time a key becomes active: picks "the most recently activated key" on disassociation. */
  activation: number;
}

export interface PhysicalConnectionRecord {
  physicalConnectionId: string;
  regionId: string;
  /** Owning account; absent only in state files written before accounts scoped VPC objects (= built-in). */
  account?: string;
  name: string;
  description: string;
  /** Dedicated connections are "PhysicalConnection"; hosted ones "VirtualPhysicalConnection" with a parent. */
  productType: ProductType;
  parentPhysicalConnectionId?: string;
  status: string;
  businessStatus: string;
  accessPointId: string;
  portType: string;
  bandwidth: number;
  lineOperator: string;
  spec: string;
  chargeType: string;
  creationTime: number;
  // The next four have no field in the API (DescribePhysicalConnections shows no MACsec capability or payment
  // state; DeviceFeaturesSelected has an undocumented format), so they are fixture-only and never rendered.
  /** "The Express Connect physical connection must be fully paid." */
  fullyPaid: boolean;
  /** Whether the device hosting the port supports MACsec. */
  macsecCapable: boolean;
  /** Cipher suites the device supports. */
  supportedCipherSuites: CipherSuite[];
  /** Test control: MKA negotiation with the peer fails, so associations end AssociatedFailed. */
  negotiationFails: boolean;
  macsecKeys: MacsecKeyRecord[];
}

export interface MacsecKeyView {
  Ckn: string;
  Cak: string;
  CipherSuite: CipherSuite;
  Status: KeyStatus;
  StartOn: string;
}

/**
 * What DescribePhysicalConnections shows for Cak. The response model has the field, but whether the real API
 * returns the CAK in clear is unconfirmed; the emulator treats it as the secret it is and returns a mask, so no
 * caller can come to rely on reading a CAK back.
 */
export const CAK_MASK = "****";

export function isCipherSuite(v: string): v is CipherSuite {
  return (MACSEC_CIPHER_SUITES as readonly string[]).includes(v);
}

export function hashCak(cak: string): string {
  return createHash("sha256").update(cak.toUpperCase()).digest("hex");
}

/** Alibaba renders times as second-precision UTC ISO strings, e.g. 2026-04-13T08:00:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface AssociateParams {
  region: string;
  account: string;
  physicalConnectionId: string;
  cipherSuite: string;
  ckn: string;
  cak: string;
}

export interface DisassociateParams {
  region: string;
  account: string;
  physicalConnectionId: string;
  ckn: string;
}

export interface Clock {
  now: number;
  transitionMs: number;
}

export interface ConnectionFilter {
  key: string;
  values: string[];
}

const FILTERS: Record<string, (c: PhysicalConnectionRecord) => string> = {
  PhysicalConnectionId: (c) => c.physicalConnectionId,
  AccessPointId: (c) => c.accessPointId,
  Type: () => "VPC",
  LineOperator: (c) => c.lineOperator,
  Name: (c) => c.name,
  Status: (c) => c.status,
  Spec: (c) => c.spec,
  ProductType: (c) => c.productType,
};

export function isSupportedFilterKey(key: string): boolean {
  return key in FILTERS;
}

export function displayedStatus(k: MacsecKeyRecord, now: number): KeyStatus {
  return statusAt(k, now);
}

/** A key as a state file of an earlier version kept it: the transition as `transitionUntil`. */
type StoredKey = MacsecKeyRecord & { transitionUntil?: number };

function fromStored(k: StoredKey): MacsecKeyRecord {
  const { transitionUntil, ...key } = k;
  if (transitionUntil === undefined || key.transition !== undefined) return key;
  const during = key.status === "Disassociated" ? "Disassociating" : "Associating";
  return { ...key, transition: { during, until: transitionUntil } };
}

/** The key holding the active role: Associated, or AssociatedFailed (active but the session did not come up). */
function holdsActiveRole(k: MacsecKeyRecord): boolean {
  return k.status === "Associated" || k.status === "AssociatedFailed";
}

export class MacsecModel {
  private readonly connections = new Map<string, PhysicalConnectionRecord>();
  private activations = 0;

  reset(): void {
    this.connections.clear();
    this.activations = 0;
  }

  /** Adds a connection, or replaces the one with the same id (so tests can set up a key's status). */
  put(record: PhysicalConnectionRecord): void {
    for (const k of record.macsecKeys) this.activations = Math.max(this.activations, k.activation);
    this.connections.set(record.physicalConnectionId, record);
  }

  nextActivation(): number {
    return ++this.activations;
  }

  all(): PhysicalConnectionRecord[] {
    return [...this.connections.values()];
  }

  toJSON(): { physicalConnections: PhysicalConnectionRecord[]; activations: number } {
    return { physicalConnections: this.all(), activations: this.activations };
  }

  restore(connections: PhysicalConnectionRecord[], activations: number): void {
    this.reset();
    for (const c of connections) this.put({ ...c, macsecKeys: c.macsecKeys.map(fromStored) });
    this.activations = Math.max(this.activations, activations);
  }

  /** A readable summary; a CAK never appears (the model holds none). */
  inventory(now: number): unknown {
    return {
      physicalConnections: this.all().map((c) => ({
        physicalConnectionId: c.physicalConnectionId,
        region: c.regionId,
        account: c.account,
        productType: c.productType,
        status: c.status,
        businessStatus: c.businessStatus,
        fullyPaid: c.fullyPaid,
        macsecCapable: c.macsecCapable,
        supportedCipherSuites: c.supportedCipherSuites,
        negotiationFails: c.negotiationFails,
        macsecKeys: c.macsecKeys.map((k) => ({
          ckn: k.ckn,
          cak: CAK_MASK,
          cipherSuite: k.cipherSuite,
          status: displayedStatus(k, now),
          startOn: isoSeconds(k.startOn),
        })),
      })),
    };
  }

  /** Connections of this region visible to this account. */
  visible(region: string, account: string): PhysicalConnectionRecord[] {
    return this.all().filter(
      // Another account's connection does not exist for the caller: not found, as in the cloud.
      (c) => c.regionId === region && (c.account ?? DEFAULT_ACCOUNT.account) === account,
    );
  }

  describe(region: string, account: string, filters: ConnectionFilter[]): PhysicalConnectionRecord[] {
    return this.visible(region, account)
      .filter((c) => filters.every((f) => f.values.includes(FILTERS[f.key](c))))
      .sort(
        (a, b) =>
          a.creationTime - b.creationTime || a.physicalConnectionId.localeCompare(b.physicalConnectionId),
      );
  }

  keyView(k: MacsecKeyRecord, now: number): MacsecKeyView {
    return {
      Ckn: k.ckn,
      Cak: CAK_MASK,
      CipherSuite: k.cipherSuite,
      Status: displayedStatus(k, now),
      StartOn: isoSeconds(k.startOn),
    };
  }

  associate(p: AssociateParams, clock: Clock): void {
    if (!isCipherSuite(p.cipherSuite)) throw illegalParam("CipherSuite");
    const suite = p.cipherSuite;
    const ckn = normaliseHex(p.ckn, macsecKeyHexLength(suite), "Ckn");
    const cak = normaliseHex(p.cak, macsecKeyHexLength(suite), "Cak");
    const conn = this.connectionFor(p.region, p.account, p.physicalConnectionId);
    if (conn.productType !== MACSEC_PRODUCT_TYPE || conn.parentPhysicalConnectionId || !conn.macsecCapable) {
      throw macsecUnsupported();
    }
    if (!conn.supportedCipherSuites.includes(suite)) throw cipherSuiteUnsupported();
    this.refuseWhileUnstable(conn, clock.now);

    const cakSha256 = hashCak(cak);
    const existing = conn.macsecKeys.find((k) => k.ckn === ckn);
    if (existing) {
      // A CKN names one key set. Associating it again with another CAK or cipher suite is refused rather than
      // taken as an in-place rotation: the documentation describes no modification, and a strict emulator keeps
      // the provider from depending on the undocumented behaviour (it replaces the set: delete, then associate).
      if (existing.cipherSuite !== suite) throw illegalParam("CipherSuite");
      if (existing.cakSha256 !== cakSha256) throw illegalParam("Cak");
      // Re-associating the active key is a no-op; a Disassociated key becomes active again, and an
      // AssociatedFailed key is renegotiated.
      if (existing.status === "Associated") return;
      this.activate(conn, existing, clock);
      return;
    }
    if (conn.macsecKeys.length >= MACSEC_KEY_SETS_PER_CONNECTION)
      throw macsecQuotaExceeded(conn.macsecKeys.length, MACSEC_KEY_SETS_PER_CONNECTION);
    const key: MacsecKeyRecord = {
      ckn,
      cakSha256,
      cipherSuite: suite,
      status: "Disassociated",
      startOn: clock.now,
      activation: 0,
    };
    conn.macsecKeys.push(key);
    this.activate(conn, key, clock);
  }

  disassociate(p: DisassociateParams, clock: Clock): void {
    const ckn = normaliseHex(p.ckn, undefined, "Ckn");
    const conn = this.connectionFor(p.region, p.account, p.physicalConnectionId);
    this.refuseWhileUnstable(conn, clock.now);
    const key = conn.macsecKeys.find((k) => k.ckn === ckn);
    if (!key) throw macsecKeyNotFound(ckn);
    if (key.status === "Disassociated") {
      // "If you dissociate a key that is in the Disassociated state, the key is deleted."
      conn.macsecKeys = conn.macsecKeys.filter((k) => k !== key);
      return;
    }
    beginTransition<KeyStatus>(key, "Disassociating", "Disassociated", clock.now, clock.transitionMs);
    // "The most recently activated (effective) key is automatically associated."
    const next = conn.macsecKeys
      .filter((k) => k !== key && k.status === "Disassociated")
      .sort((a, b) => b.activation - a.activation)[0];
    if (next) this.becomeActive(conn, next, clock);
  }

  private connectionFor(region: string, account: string, id: string): PhysicalConnectionRecord {
    const conn = this.visible(region, account).find((c) => c.physicalConnectionId === id);
    if (!conn) throw physicalConnectionNotFound(id);
    // Enabled, BusinessStatus Normal and fully paid, for both MACsec writes.
    if (
      conn.status !== MACSEC_CONNECTION_STATUS ||
      conn.businessStatus !== MACSEC_BUSINESS_STATUS ||
      !conn.fullyPaid
    ) {
      throw physicalConnectionIncorrectStatus(id);
    }
    return conn;
  }

  private refuseWhileUnstable(conn: PhysicalConnectionRecord, now: number): void {
    if (conn.macsecKeys.some((k) => inTransition(k, now))) throw macsecKeyUnstable(conn.physicalConnectionId);
  }

  /** Makes `key` the active key; the key that held the active role becomes Disassociated. */
  private activate(conn: PhysicalConnectionRecord, key: MacsecKeyRecord, clock: Clock): void {
    for (const k of conn.macsecKeys) {
      if (k !== key && holdsActiveRole(k)) {
        beginTransition<KeyStatus>(k, "Disassociating", "Disassociated", clock.now, clock.transitionMs);
      }
    }
    this.becomeActive(conn, key, clock);
  }

  private becomeActive(conn: PhysicalConnectionRecord, key: MacsecKeyRecord, clock: Clock): void {
    const settled: SettledKeyStatus = conn.negotiationFails ? "AssociatedFailed" : "Associated";
    beginTransition<KeyStatus>(key, "Associating", settled, clock.now, clock.transitionMs);
    key.startOn = clock.now;
    key.activation = this.nextActivation();
  }
}

/** Hex only; lower case is accepted and upper-cased. `length` undefined accepts either key length. */
export function normaliseHex(value: string, length: number | undefined, param: string): string {
  const ok =
    MACSEC_KEY_HEX.test(value) &&
    (length === undefined ? value.length === 32 || value.length === 64 : value.length === length);
  if (!ok) throw illegalParam(param);
  return value.toUpperCase();
}
