// The soak runner's stack-independent checks (scripts/soak/checks.ts): orphans from the emulator's inventory
// against an exported state, and objects created twice from the emulator's request log.
import type { Inventory } from "../../support/reliability/harness";
import type { LogEntry } from "../../../src/emulator/request-log";
import { duplicates, orphans, record } from "../../../scripts/soak/checks";

const state = (resources: Array<[string, string]>) =>
  JSON.stringify({
    deployment: {
      resources: resources.map(([type, id]) => ({ type: `pulumi-nodejs:dynamic/keylink:${type}`, id })),
    },
  });

/** A region holding one key of the multi-region key r/k, of `type`. */
const region = (multiRegionKeyType: string) => ({
  keyrings: ["r"],
  keys: [
    { id: "k1", keyringName: "r", keyName: "k", keyState: "Enable", multiRegionKeyType, description: "" },
  ],
});

function inventory(): Inventory {
  return {
    alibabaVpc: {
      physicalConnections: [
        {
          physicalConnectionId: "pc-1",
          macsecKeys: [{ ckn: "AB01", cipherSuite: "GCM-AES-256", status: "Associated" }],
        },
      ],
      vpnGateways: [],
      vpnConnections: [],
    },
    alibabaKms: { keys: [{ keyId: "key-1", keyState: "Enabled", materialPresent: true }] },
    volcengineKms: {
      accounts: {
        "1": {
          "cn-beijing": region("PRIMARY"),
          "cn-shanghai": region("REPLICA"),
        },
      },
    },
    tencentKms: {
      keys: [
        { keyId: "cmk-1", alias: "a", keyState: "Enabled", description: "" },
        { keyId: "cmk-old", alias: "", keyState: "PendingDelete", description: "" },
      ],
    },
  };
}

const ALL: Array<[string, string]> = [
  ["MacsecKeyAssociation", "cn-hangzhou:pc-1:AB01"],
  ["ImportedKeyMaterial", "cn-hangzhou:key-1"],
  ["ReplicaKey", "cn-shanghai:k1"],
  ["Cmk", "ap-guangzhou:cmk-1"],
];

describe("orphans", () => {
  it("finds none when the state records every live object of ours (keys pending deletion are not live)", () => {
    expect(orphans(inventory(), state(ALL))).toEqual([]);
  });

  it("names each live object the state does not record; fixture primaries are never ours", () => {
    expect(orphans(inventory(), state([]))).toEqual([
      "Tencent CMK cmk-1 (Enabled, alias 'a')",
      "Volcengine replica r/k in cn-shanghai of 1 (Enable)",
      "MACsec key on pc-1 (Associated)",
      "key material in Alibaba KMS key key-1 (Enabled)",
    ]);
  });
});

describe("duplicates", () => {
  const entry = (action: string, cloud: string, code?: string) =>
    ({ action, cloud, status: 200, ...(code ? { code } : {}) }) as LogEntry;

  it("counts the creations the cloud carried out beyond the objects any state recorded", () => {
    const recorded: Record<string, Set<string>> = {};
    record(recorded, state([["Cmk", "ap-guangzhou:cmk-1"]]));
    const log = [
      entry("CreateKey", "tencent"),
      entry("CreateKey", "tencent", "InvalidParameterValue.AliasAlreadyExists"),
      entry("ReplicateKey", "volcengine"),
    ];
    expect(duplicates(log, recorded)).toEqual(["ReplicaKey: 1 created, 0 ever recorded in state"]);
    expect(duplicates([...log, entry("CreateKey", "tencent")], recorded)).toEqual([
      "Cmk: 2 created, 1 ever recorded in state",
      "ReplicaKey: 1 created, 0 ever recorded in state",
    ]);
  });

  it("does not count another cloud's action of the same name (Alibaba KMS CreateKey)", () => {
    expect(duplicates([entry("CreateKey", "alibaba")], {})).toEqual([]);
  });
});
