import { ALIAS_MAX } from "../../clouds/facts/tencent-kms";
import type { LiveKey } from "./cloud";
import { aliasTakenFailure } from "./rules";
import { forgetProcessMemory, processMemory } from "../../common/process-memory";
import { type Failure } from "../common/check";

// Aliases moving between the Cmks of one deployment: two keys exchanging aliases, or one taking the alias
// another gives up, converge in one `pulumi up`.
//
// Pulumi checks resources one at a time, in the order the program registers them, and a dynamic provider sees
// neither the stack's state nor the other resources. So when a Cmk claims an alias held by a key, the Cmk that
// holds it may not have been checked yet. Two facts fill the gap:
// - each Cmk carries `deploymentPeers`, the names of the Cmks its program declared in the same turn of the event
//   loop (set by the Resource class, removed by check: never stored). A claim on a held alias waits for the
//   peers still unchecked; once they are all checked, an alias still held by a key no peer releases is a real
//   conflict, reported on the check in progress;
// - the provider process serves the whole deployment, so what each check and diff learns (which Cmk gives up or
//   keeps which alias, which key ids the stack's resources hold) is remembered here, in the process.
// During `up`, a key whose alias is held by a key of this deployment that moves away waits for it to be
// released; a key whose own alias is wanted by another Cmk first moves to a temporary alias, which breaks
// cycles (a swap).

/** The value the Resource class adds to a Cmk's inputs. */
export interface Peers {
  batch: string;
  name: string;
  names: string[];
}

export const PEERS_INPUT = "deploymentPeers";

interface Claim {
  claimant: string;
  region: string;
  alias: string;
  holder: LiveKey;
  batch: string;
}

interface Memory {
  /** Per batch, the peers checked so far. */
  checked: Map<string, Set<string>>;
  /** Per batch, its peers. */
  batches: Map<string, string[]>;
  /** "<region>/<alias>" → the Cmk that gives it up in this deployment. */
  releases: Map<string, string>;
  /** "<region>/<alias>" → the Cmk that keeps it. */
  keeps: Map<string, string>;
  /** "<region>/<alias>" → the Cmk replaced with another alias: its old key holds the alias until it is deleted. */
  retiring: Map<string, string>;
  /** "<region>/<alias>" → the Cmk that takes it (a create, or an alias change). */
  claims: Map<string, string>;
  /** Key ids that resources of this deployment hold (from their state). */
  managed: Set<string>;
  /** Claims on held aliases waiting for unchecked peers. */
  open: Claim[];
}

/** This deployment's memory. */
export function memory(): Memory {
  return processMemory<Memory>("cmk-moves", () => ({
    checked: new Map(),
    batches: new Map(),
    releases: new Map(),
    keeps: new Map(),
    retiring: new Map(),
    claims: new Map(),
    managed: new Set(),
    open: [],
  }));
}

/** Forgets everything (a new deployment in the same process: tests). */
export function forgetDeployment(): void {
  forgetProcessMemory("cmk-moves");
}

const slot = (region: string, alias: string) => `${region}/${alias}`;

export function parsePeers(v: unknown): Peers | undefined {
  if (!v || typeof v !== "object") return undefined;
  const p = v as Partial<Peers>;
  return typeof p.batch === "string" && typeof p.name === "string" && Array.isArray(p.names)
    ? { batch: p.batch, name: p.name, names: p.names.filter((n): n is string => typeof n === "string") }
    : undefined;
}

/** A Cmk's alias plan, as check sees it: its old alias and region (if it exists) and the new ones. */
export interface Plan {
  name: string;
  old?: { region: string; alias: string };
  region: string;
  alias: string;
  /** A replacement: the old key keeps its alias until Pulumi deletes it, after this deployment's other steps. */
  replaced?: boolean;
}

/** Records what a checked Cmk does with aliases. */
export function recordPlan(m: Memory, plan: Plan, peers: Peers | undefined): void {
  if (peers) {
    m.batches.set(peers.batch, peers.names);
    let set = m.checked.get(peers.batch);
    if (!set) m.checked.set(peers.batch, (set = new Set()));
    set.add(peers.name);
  }
  const { old } = plan;
  const moves = !old || old.alias !== plan.alias || old.region !== plan.region;
  if (old) {
    const holds = !moves ? m.keeps : plan.replaced ? m.retiring : m.releases;
    holds.set(slot(old.region, old.alias), plan.name);
  }
  if (moves) m.claims.set(slot(plan.region, plan.alias), plan.name);
}

/** Peers of this batch not checked yet. */
export function uncheckedPeers(m: Memory, batch: string | undefined): string[] {
  if (!batch) return [];
  const checked = m.checked.get(batch) ?? new Set<string>();
  return (m.batches.get(batch) ?? []).filter((n) => !checked.has(n));
}

/** Whether any batch of this deployment still has peers to check. */
export function anyUnchecked(m: Memory): boolean {
  return [...m.batches.keys()].some((b) => uncheckedPeers(m, b).length > 0);
}

/** The failure when the alias is held by a key that a Cmk of this stack keeps or manages (no adoptKeyId advice). */
export function heldByStackFailure(alias: string, region: string, holder: LiveKey, keeper?: string): Failure {
  return {
    property: "alias",
    reason:
      `alias: '${alias}' is held by CMK ${holder.KeyId} in ${region}, which ` +
      (keeper ? `Cmk '${keeper}' of this stack keeps` : `a Cmk of this stack manages`) +
      `. Aliases are unique per account and region: give that Cmk another alias in the same 'pulumi up' ` +
      `(aliases can move between the Cmks of one deployment), or choose another alias here.`,
  };
}

export type Verdict = { ok: true } | { ok: false; failure: Failure } | { ok: "later" };

/**
 * Whether `claimant` may take `alias`, held now by `holder`: yes when a Cmk of this deployment gives it up; no
 * when one keeps it or the key is another's; later when peers that might give it up are not checked yet.
 */
export function judgeClaim(
  m: Memory,
  claimant: string,
  region: string,
  alias: string,
  holder: LiveKey,
  batch: string | undefined,
): Verdict {
  const s = slot(region, alias);
  const releaser = m.releases.get(s);
  if (releaser !== undefined && releaser !== claimant) return { ok: true };
  const keeper = m.keeps.get(s);
  if (keeper !== undefined && keeper !== claimant)
    return { ok: false, failure: heldByStackFailure(alias, region, holder, keeper) };
  const retiring = m.retiring.get(s);
  if (retiring !== undefined && retiring !== claimant) {
    return {
      ok: false,
      failure: {
        property: "alias",
        reason:
          `alias: '${alias}' is held by CMK ${holder.KeyId} in ${region}, which Cmk '${retiring}' of this stack ` +
          `replaces: Pulumi deletes the old key (freeing its alias) only after this deployment's other steps. ` +
          `Take the alias in a second 'pulumi up', or choose another alias here.`,
      },
    };
  }
  if (uncheckedPeers(m, batch).length > 0) return { ok: "later" };
  if (m.managed.has(holder.KeyId)) return { ok: false, failure: heldByStackFailure(alias, region, holder) };
  return { ok: false, failure: aliasTakenFailure(alias, region, holder) };
}

/** Remembers a claim judged "later". */
export function openClaim(m: Memory, claim: Claim): void {
  m.open = m.open.filter((c) => !(c.claimant === claim.claimant && c.batch === claim.batch));
  m.open.push(claim);
}

/**
 * Judges again the open claims that the latest check may settle: released → dropped; kept by a Cmk, or still
 * held once every peer is checked → a failure for the check in progress, naming the Cmk that claimed it.
 */
export function settleOpenClaims(m: Memory): Failure[] {
  const failures: Failure[] = [];
  const still: Claim[] = [];
  for (const c of m.open) {
    const v = judgeClaim(m, c.claimant, c.region, c.alias, c.holder, c.batch);
    if (v.ok === "later") still.push(c);
    else if (v.ok === false)
      failures.push({ property: "", reason: `Cmk '${c.claimant}': ${v.failure.reason}` });
  }
  m.open = still;
  return failures;
}

/** Whether a Cmk of this deployment gives up `alias` in `region`. */
export function isReleased(m: Memory, region: string, alias: string): boolean {
  return m.releases.has(slot(region, alias));
}

/** The Cmk of this deployment that takes `alias` in `region`, if any. */
export function claimantOf(m: Memory, region: string, alias: string): string | undefined {
  return m.claims.get(slot(region, alias));
}

/** The temporary alias a key takes while its own alias goes to another Cmk (unique per key, API 3.0's rule). */
export function transitAlias(keyId: string): string {
  return `moving-${keyId.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, ALIAS_MAX["3.0"]);
}
