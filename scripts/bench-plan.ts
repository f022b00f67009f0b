// The benchmark's generated stack (scripts/bench.ts), also deployed by the soak runner with --size
// (scripts/soak.ts): for a size, the mix of the five resources, their inputs (deterministic stand-in secrets) and
// the emulator fixtures they need.
import { createHash } from "node:crypto";
import type { EmulatorFixtures } from "../src/emulator/admin-client";

export const TYPES = [
  "VpnConnectionConfig",
  "MacsecKeyAssociation",
  "ImportedKeyMaterial",
  "ReplicaKey",
  "Cmk",
] as const;
export type ResourceType = (typeof TYPES)[number];
/** Share of each type in a stack; Cmk takes what rounding leaves. */
const MIX: Record<Exclude<ResourceType, "Cmk">, number> = {
  VpnConnectionConfig: 0.4,
  MacsecKeyAssociation: 0.2,
  ImportedKeyMaterial: 0.15,
  ReplicaKey: 0.1,
};
const CONNECTIONS_PER_GATEWAY = 5;
/** An active key set and a standby, as for rotation (a connection holds at most three). */
const KEYS_PER_PHYSICAL_CONNECTION = 2;
const REPLICA_REGIONS = ["cn-shanghai", "cn-guangzhou"];
const ALIBABA_REGION = "cn-hangzhou";
const VOLCENGINE_PRIMARY_REGION = "cn-beijing";
const TENCENT_REGION = "ap-guangzhou";

// ---------------------------------------------------------------------------------------------- the stack

export interface StackPlan {
  size: number;
  gateways: { id: string; connections: string[] }[];
  physicalConnections: { id: string; keys: number }[];
  externalKeys: string[];
  primaries: { keyring: string; key: string; replicaRegions: string[] }[];
  cmks: number;
}

export function planStack(size: number): StackPlan {
  const vpn = Math.round(size * MIX.VpnConnectionConfig);
  const macsec = Math.round(size * MIX.MacsecKeyAssociation);
  const materials = Math.round(size * MIX.ImportedKeyMaterial);
  const replicas = Math.round(size * MIX.ReplicaKey);
  const cmks = size - vpn - macsec - materials - replicas;
  const gateways = chunk(vpn, CONNECTIONS_PER_GATEWAY).map((n, g) => ({
    id: `vpn-bench${g + 1}`,
    connections: Array.from({ length: n }, (_, c) => `vco-bench${g + 1}x${c + 1}`),
  }));
  const physicalConnections = chunk(macsec, KEYS_PER_PHYSICAL_CONNECTION).map((keys, i) => ({
    id: `pc-bench${i + 1}`,
    keys,
  }));
  const primaries = chunk(replicas, REPLICA_REGIONS.length).map((n, i) => ({
    keyring: `bench-ring-${i + 1}`,
    key: `bench-mrk-${i + 1}`,
    replicaRegions: REPLICA_REGIONS.slice(0, n),
  }));
  const externalKeys = Array.from({ length: materials }, (_, i) => `key-bench-ext-${i + 1}`);
  return { size, gateways, physicalConnections, externalKeys, primaries, cmks };
}

/** `total` split into groups of `per` (the last one smaller). */
function chunk(total: number, per: number): number[] {
  return Array.from({ length: Math.ceil(total / per) }, (_, i) => Math.min(per, total - i * per));
}

export function describePlan(p: StackPlan): string {
  const count = counts(p);
  return (
    `${p.size} resources: ${count.VpnConnectionConfig} VpnConnectionConfig on ${p.gateways.length} gateways ` +
    `(≤${CONNECTIONS_PER_GATEWAY} each), ${count.MacsecKeyAssociation} MacsecKeyAssociation on ` +
    `${p.physicalConnections.length} physical connections (active + standby), ${count.ImportedKeyMaterial} ` +
    `ImportedKeyMaterial, ${count.ReplicaKey} ReplicaKey of ${p.primaries.length} multi-region primaries, ` +
    `${count.Cmk} Cmk`
  );
}

export function counts(p: StackPlan): Record<ResourceType, number> {
  return {
    VpnConnectionConfig: p.gateways.reduce((n, g) => n + g.connections.length, 0),
    MacsecKeyAssociation: p.physicalConnections.reduce((n, c) => n + c.keys, 0),
    ImportedKeyMaterial: p.externalKeys.length,
    ReplicaKey: p.primaries.reduce((n, k) => n + k.replicaRegions.length, 0),
    Cmk: p.cmks,
  };
}

/** One resource of the stack, deployed the same by the dynamic stack and by the plugin stack. */
export interface PlannedResource {
  type: ResourceType;
  name: string;
  inputs: Record<string, unknown>;
  /** The VPN gateway of a VpnConnectionConfig (the program chains them per gateway on request). */
  gateway?: string;
}

/** Secrets are deterministic stand-ins, so every run of either stack asks for the same values. */
function digest(label: string): Buffer {
  return createHash("sha256").update(`keylink-bench:${label}`).digest();
}
const hex64 = (label: string) => digest(label).toString("hex").toUpperCase();

export function stackResources(p: StackPlan): PlannedResource[] {
  const resources: PlannedResource[] = [];
  for (const pc of p.physicalConnections) {
    for (let i = 0; i < pc.keys; i++) {
      resources.push({
        type: "MacsecKeyAssociation",
        name: `macsec-${pc.id}-${i + 1}`,
        inputs: {
          region: ALIBABA_REGION,
          physicalConnectionId: pc.id,
          cipherSuite: "GCM-AES-256",
          ckn: hex64(`ckn-${pc.id}-${i}`),
          cak: hex64(`cak-${pc.id}-${i}`),
          active: i === 0,
        },
      });
    }
  }
  for (const g of p.gateways) {
    g.connections.forEach((id, i) =>
      resources.push({
        type: "VpnConnectionConfig",
        name: `ipsec-${id}`,
        gateway: g.id,
        inputs: {
          region: ALIBABA_REGION,
          vpnConnectionId: id,
          ikeConfig: {
            psk: digest(`psk-${id}`).subarray(0, 12).toString("base64url"),
            ikeVersion: "ikev2",
            ikeEncAlg: "aes256",
            ikeAuthAlg: "sha256",
            ikePfs: "group14",
            ikeLifetime: 28800,
          },
          ipsecConfig: {
            ipsecEncAlg: "aes256",
            ipsecAuthAlg: "sha256",
            ipsecPfs: "group14",
            ipsecLifetime: 3600,
          },
          enableDpd: true,
          // Half the connections go back to their earlier settings on destroy: destroy changes them too.
          restoreOnDelete: i % 2 === 0,
        },
      }),
    );
  }
  for (const keyId of p.externalKeys) {
    resources.push({
      type: "ImportedKeyMaterial",
      name: `material-${keyId}`,
      inputs: { region: ALIBABA_REGION, keyId, keyMaterial: digest(`material-${keyId}`).toString("base64") },
    });
  }
  for (const primary of p.primaries) {
    for (const replicaRegion of primary.replicaRegions) {
      resources.push({
        type: "ReplicaKey",
        name: `replica-${primary.key}-${replicaRegion}`,
        inputs: {
          keyringName: primary.keyring,
          keyName: primary.key,
          primaryRegion: VOLCENGINE_PRIMARY_REGION,
          replicaRegion,
          description: `${primary.key} in ${replicaRegion}`,
        },
      });
    }
  }
  for (let i = 1; i <= p.cmks; i++) {
    resources.push({
      type: "Cmk",
      name: `cmk-${i}`,
      inputs: { region: TENCENT_REGION, alias: `bench-key-${i}`, description: `Benchmark key ${i}` },
    });
  }
  return resources;
}

export function fixturesFor(p: StackPlan): EmulatorFixtures {
  return {
    alibabaVpc: {
      physicalConnections: p.physicalConnections.map((c) => ({
        physicalConnectionId: c.id,
        region: ALIBABA_REGION,
        name: `bench-${c.id}`,
        macsecCapable: true,
      })),
      vpnGateways: p.gateways.map((g) => ({
        vpnGatewayId: g.id,
        regionId: ALIBABA_REGION,
        name: `bench-${g.id}`,
      })),
      vpnConnections: p.gateways.flatMap((g, gi) =>
        g.connections.map((id, ci) => ({
          vpnConnectionId: id,
          vpnGatewayId: g.id,
          name: `bench-${id}`,
          localSubnet: [`10.${gi + 1}.0.0/16`],
          remoteSubnet: [`172.${16 + ci}.${gi + 1}.0/24`],
        })),
      ),
    },
    alibabaKms: {
      keys: p.externalKeys.map((keyId) => ({
        keyId,
        region: ALIBABA_REGION,
        origin: "EXTERNAL",
        keySpec: "Aliyun_AES_256",
      })),
    },
    volcengineKms: {
      keyrings: p.primaries.map((k) => ({ region: VOLCENGINE_PRIMARY_REGION, name: k.keyring })),
      keys: p.primaries.map((k) => ({
        region: VOLCENGINE_PRIMARY_REGION,
        keyringName: k.keyring,
        keyName: k.key,
        multiRegion: true,
      })),
    },
    tencentKms: { keys: [] },
  };
}
