// What the soak runner checks after each step beyond the demo's exact picture (test/support/reliability/harness.ts),
// in terms that hold for any stack of the five resources: no object of ours that state does not know (orphan),
// and no object created twice (duplicate).
import type { Inventory } from "../../test/support/reliability/harness";
import type { LogEntry } from "../../src/emulator/request-log";

/** The ids of the keylink resources of an exported state, by type. */
export function stateIds(exported: string): Record<string, string[]> {
  const resources = (
    JSON.parse(exported) as { deployment: { resources?: Array<{ type: string; id?: string }> } }
  ).deployment.resources;
  const out: Record<string, string[]> = {};
  for (const r of resources ?? []) {
    const type = /keylink:(?:\w+:)?(\w+)$/.exec(r.type)?.[1];
    if (type && r.id) (out[type] ??= []).push(r.id);
  }
  return out;
}

const knows = (ids: string[] | undefined, ...parts: string[]) =>
  (ids ?? []).some((id) => parts.every((p) => id.includes(p)) && id.endsWith(parts[parts.length - 1]));

/**
 * Objects of ours live in the cloud that the state does not record: a CMK not pending deletion, a replica not
 * pending deletion, a MACsec key on a physical connection, key material imported into a key. (The fixtures'
 * own objects, the VPN connections and the multi-region primaries, are never ours to create.)
 */
export function orphans(inv: Inventory, exported: string): string[] {
  const ids = stateIds(exported);
  const found: string[] = [];
  for (const k of inv.tencentKms.keys)
    if (k.keyState !== "PendingDelete" && !knows(ids.Cmk, k.keyId))
      found.push(`Tencent CMK ${k.keyId} (${k.keyState}, alias '${k.alias}')`);
  for (const [account, regions] of Object.entries(inv.volcengineKms.accounts))
    for (const [region, { keys }] of Object.entries(regions))
      for (const k of keys)
        if (
          k.multiRegionKeyType === "REPLICA" &&
          k.keyState !== "PendingDelete" &&
          !knows(ids.ReplicaKey, region, k.id)
        )
          found.push(
            `Volcengine replica ${k.keyringName}/${k.keyName} in ${region} of ${account} (${k.keyState})`,
          );
  for (const pc of inv.alibabaVpc.physicalConnections)
    for (const key of pc.macsecKeys)
      if (!knows(ids.MacsecKeyAssociation, pc.physicalConnectionId, key.ckn))
        found.push(`MACsec key on ${pc.physicalConnectionId} (${key.status})`);
  for (const k of inv.alibabaKms.keys)
    if (k.materialPresent && !knows(ids.ImportedKeyMaterial, k.keyId))
      found.push(`key material in Alibaba KMS key ${k.keyId} (${k.keyState})`);
  return found;
}

/** The cloud objects one call creates each time it succeeds: a CMK, a replica. */
const CREATES: Record<string, { cloud: string; type: string }> = {
  CreateKey: { cloud: "tencent", type: "Cmk" },
  ReplicateKey: { cloud: "volcengine", type: "ReplicaKey" },
};

/**
 * Objects created twice over a run: for each creating call, the creations the cloud carried out (its answer
 * may have been lost) beyond the distinct objects of that type any state of the run recorded.
 */
export function duplicates(log: LogEntry[], recorded: Record<string, Set<string>>): string[] {
  const created: Record<string, number> = {};
  for (const e of log) {
    const c = CREATES[e.action];
    if (c && e.cloud === c.cloud && e.status === 200 && e.code === undefined)
      created[c.type] = (created[c.type] ?? 0) + 1;
  }
  return Object.entries(created)
    .filter(([type, n]) => n > (recorded[type]?.size ?? 0))
    .map(([type, n]) => `${type}: ${n} created, ${recorded[type]?.size ?? 0} ever recorded in state`);
}

/** Adds the ids of an exported state to `recorded` (by type). */
export function record(recorded: Record<string, Set<string>>, exported: string): void {
  for (const [type, ids] of Object.entries(stateIds(exported)))
    for (const id of ids) (recorded[type] ??= new Set()).add(id);
}
