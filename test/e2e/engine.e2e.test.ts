// What the Pulumi engine does with the package as a whole, through the real CLI on one stack of the suite's own
// project (test/e2e/projects/engine): the demo's five resource types plus one adopter of each kind.
// - Pulumi's `import` resource option fails for a dynamic resource before any cloud call; each resource offers
//   its own way to adopt an existing cloud object instead, and each works.
// - `__provider` in state is a small stub that requires the package by name (no code, schema or credential), so
//   rebuilding the package changes neither it nor the plan.
// - One invalid input per resource type fails preview, naming the field, without a single write; an invalid
//   secret input is named without its value being shown.
// The cases run in order on one stack, each from the state the previous ones left (the hand-made key, the
// adopted objects, the scenario declared); the last one destroys the stack.
import { demoFixturesOwnedBy } from "../support/fixtures";
import { demoConfig, demoSecrets } from "../support/demo";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { alibabaClient } from "../../src/clouds/alibaba";
import { tencentClient } from "../../src/clouds/tencent";
import { volcengineClient } from "../../src/clouds/volcengine";
import { wrapKeyMaterial } from "../../src/resources/imported-key-material/material";
import { EXAMPLES_DIR, REPO_ROOT, installPackageIntoExamples } from "../../scripts/engine";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(600_000);

const HANGZHOU = "cn-hangzhou";
const GUANGZHOU = "ap-guangzhou";
const TYPES = [
  "MacsecKeyAssociation",
  "VpnConnectionConfig",
  "ImportedKeyMaterial",
  "ReplicaKey",
  "Cmk",
] as const;
const MODULE_OF: Record<(typeof TYPES)[number], string> = {
  MacsecKeyAssociation: "macsec-key-association",
  VpnConnectionConfig: "vpn-connection-config",
  ImportedKeyMaterial: "imported-key-material",
  ReplicaKey: "replica-key",
  Cmk: "cmk",
};

// The demo's secrets (scripts/demo.ts makes them the same way) and the adopted objects' secrets.
const DEMO = demoSecrets();
const ADOPT_CKN = randomBytes(32).toString("hex").toUpperCase();
const ADOPT_CAK = randomBytes(32).toString("hex").toUpperCase();
const adoptMaterial = randomBytes(32);
const ADOPT_MATERIAL = adoptMaterial.toString("base64");
// Invalid secrets: a failure names their field but must not show them.
const BAD_PSK = `bad"psk-${randomBytes(6).toString("hex")}`;
const BAD_CAK = `${randomBytes(31).toString("hex").toUpperCase()}XY`;
const SHORT_MATERIAL = randomBytes(16).toString("base64");
const SECRETS = [
  E2E_ACCOUNT.secret,
  DEMO.cak,
  DEMO.psk1,
  DEMO.psk2,
  DEMO.keyMaterial,
  ADOPT_CAK,
  ADOPT_MATERIAL,
  BAD_PSK,
  BAD_CAK,
  SHORT_MATERIAL,
];

/** The demo's fixtures owned by the E2E account, plus one object of each kind to adopt. */
function fixtures() {
  return demoFixturesOwnedBy(E2E_ACCOUNT, {
    alibabaVpc: {
      physicalConnections: [
        { physicalConnectionId: "pc-adopt0001", region: HANGZHOU, name: "dc2-uplink", macsecCapable: true },
      ],
    },
    alibabaKms: {
      keys: [
        { keyId: "key-byok-adopt-0001", region: HANGZHOU, origin: "EXTERNAL", keySpec: "Aliyun_AES_256" },
      ],
    },
    volcengineKms: {
      keys: [{ region: "cn-beijing", keyringName: "orders", keyName: "mrk-adopt", multiRegion: true }],
    },
  });
}

// ---- the program (test/e2e/projects/engine): what each step declares, through stack config ----

type Invalid = (typeof TYPES)[number] | "MacsecKeyAssociation.cak" | "ImportedKeyMaterial.keyMaterial";

interface Scenario {
  /** Only a Cmk with Pulumi's `import` resource option (the first step). */
  importOption?: string;
  /** The demo plus the adopters; a Cmk adopter without adoptKeyId when undefined. */
  adoptKeyId?: string;
  /** One extra resource of this type with one invalid input. */
  invalid?: Invalid;
}

let scenario: Scenario = {};

/** Declares `next` in the stack config (engine:importOption, engine:adoptKeyId, engine:invalid). */
async function declare(next: Scenario): Promise<void> {
  for (const key of ["importOption", "adoptKeyId", "invalid"] as const) {
    const value = next[key];
    if (value === scenario[key]) continue;
    if (value === undefined) await e2e.stack.removeConfig(`engine:${key}`);
    else await e2e.stack.setConfig(`engine:${key}`, { value });
  }
  scenario = next;
}

// ---- helpers ----

let e2e: E2ESuite;

interface Inventory {
  alibabaVpc: {
    physicalConnections: Array<{
      physicalConnectionId: string;
      macsecKeys: Array<{ ckn: string; status: string }>;
    }>;
    vpnConnections: Array<{ vpnConnectionId: string; ikeConfig: Record<string, unknown> }>;
  };
  alibabaKms: { keys: Array<{ keyId: string; keyState: string; imports: number }> };
  volcengineKms: {
    accounts: Record<
      string,
      Record<string, { keys: Array<{ keyName: string; keyState: string; multiRegionKeyType: string }> }>
    >;
  };
  tencentKms: { keys: Array<{ keyId: string; alias: string; description: string; keyState: string }> };
}

const inventory = () => e2e.emulator.admin.inventory<Inventory>();

async function actions(): Promise<Array<{ action: string; code?: string }>> {
  return (await e2e.emulator.admin.requests()).entries.map((e) => ({ action: e.action, code: e.code }));
}

function providerTexts(exported: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const type of TYPES) {
    for (const r of resourcesOfType(exported, type)) texts.set(r.urn, String(r.inputs?.__provider));
  }
  return texts;
}

/** Appends a comment to the built files the provider stubs require: a rebuild that keeps behaviour. */
function touchDist(marker: string): Array<[string, string]> {
  const files = [
    path.join(REPO_ROOT, "dist", "index.js"),
    path.join(REPO_ROOT, "dist", "resources", "common", "stub.js"),
    ...Object.values(MODULE_OF).flatMap((m) =>
      ["provider.js", "dynamic.js"].map((f) => path.join(REPO_ROOT, "dist", "resources", m, f)),
    ),
  ];
  const originals = files.map((f): [string, string] => [f, fs.readFileSync(f, "utf8")]);
  for (const [f, text] of originals) fs.writeFileSync(f, `${text}\n// ${marker}\n`);
  return originals;
}

beforeAll(async () => {
  e2e = await startE2E({
    example: "engine",
    projectDir: path.join(__dirname, "projects", "engine"),
    fixtures: fixtures(),
    durations: { kmsImport: 50 },
    config: {
      ...demoConfig(DEMO),
      "engine:adoptCkn": { value: ADOPT_CKN },
      "engine:adoptCak": { value: ADOPT_CAK, secret: true },
      "engine:adoptMaterial": { value: ADOPT_MATERIAL, secret: true },
      "engine:badPsk": { value: BAD_PSK, secret: true },
      "engine:badCak": { value: BAD_CAK, secret: true },
      "engine:shortMaterial": { value: SHORT_MATERIAL, secret: true },
    },
  });
});

afterAll(async () => {
  await e2e?.stop();
});

describe("Pulumi's import resource option", () => {
  let handMadeKeyId: string;

  it("fails for a dynamic resource, at preview and at up, before any cloud call", async () => {
    handMadeKeyId = (
      await tencentClient(GUANGZHOU).call<{ KeyId: string }>("CreateKey", {
        Alias: "made-by-hand",
        Description: "created in the console",
      })
    ).KeyId;
    await tencentClient(GUANGZHOU).call("DisableKey", { KeyId: handMadeKeyId });
    await e2e.emulator.admin.clearRequests();
    await declare({ importOption: `${GUANGZHOU}:${handMadeKeyId}` });
    // The host's Read needs the serialized provider from the prior state's properties; an import has none.
    const hostError = "Cannot read properties of undefined (reading 'toJavaScript')";
    const preview = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(preview).toContain(`Preview failed: ${hostError}`);
    // `pulumi up` fails in its own preview, on the same resource, with the same error.
    const up = await e2e.failureOf(e2e.stack.up({ onOutput: e2e.onOutput }));
    expect(up).toContain(`keylink:Cmk imported import error: Preview failed: ${hostError}`);
    expect(up).not.toContain("Updating (e2e)");
    // The provider never ran: not even a read reached the cloud.
    expect(await actions()).toEqual([]);
  });

  it("so the alias-taken preview failure suggests adoptKeyId instead", async () => {
    await declare({});
    await e2e.emulator.admin.clearRequests();
    const text = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
    expect(text).toContain(`alias: 'made-by-hand' is already used by CMK ${handMadeKeyId} (Disabled)`);
    expect(text).toContain(`set adoptKeyId: "${handMadeKeyId}"`);
    expect(text).not.toMatch(/resource option \{ import/);
    expect(await e2e.writesSince()).toEqual([]);
    await declare({ adoptKeyId: handMadeKeyId });
  });
});

describe("adopting existing cloud objects", () => {
  let exportedBefore: string;

  it("takes over one existing object of each kind on up, creating none of them", async () => {
    // Made outside Pulumi, through our real clients: a MACsec key set, imported material, a replica.
    await alibabaClient("vpc", HANGZHOU).call("AssociateMacSecKey", {
      PhysicalConnectionId: "pc-adopt0001",
      CipherSuite: "GCM-AES-XPN-256",
      Ckn: ADOPT_CKN,
      Cak: ADOPT_CAK,
    });
    const kms = alibabaClient("kms", HANGZHOU);
    const params = await kms.call<{ ImportToken: string; PublicKey: string }>("GetParametersForImport", {
      KeyId: "key-byok-adopt-0001",
      WrappingAlgorithm: "RSAES_OAEP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    });
    await kms.call("ImportKeyMaterial", {
      KeyId: "key-byok-adopt-0001",
      EncryptedKeyMaterial: wrapKeyMaterial(adoptMaterial, params.PublicKey, "RSAES_OAEP_SHA_256"),
      ImportToken: params.ImportToken,
      KeyMaterialExpireUnix: 0,
    });
    await volcengineClient("cn-beijing").call(
      "ReplicateKey",
      { KeyringName: "orders", KeyName: "mrk-adopt", ReplicaRegion: "cn-shanghai" },
      { method: "POST" },
    );
    const before = await inventory();
    await e2e.emulator.admin.clearRequests();

    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    // The stack, the demo's six resources and four adopters (the failed import stopped at up's preview).
    expect(up.summary.resourceChanges).toMatchObject({ create: 11 });
    const log = await actions();
    const after = await inventory();

    // Cmk: adoptKeyId took the key over (no CreateKey but the demo's own) and applied the inputs.
    expect(log.filter((a) => a.action === "CreateKey")).toHaveLength(1);
    expect(after.tencentKms.keys).toHaveLength(before.tencentKms.keys.length + 1);
    expect(String(up.outputs.adoptedCmkId.value)).toBe(scenario.adoptKeyId);
    expect(after.tencentKms.keys.find((k) => k.keyId === scenario.adoptKeyId)).toMatchObject({
      alias: "made-by-hand",
      description: "now managed by Pulumi",
      keyState: "Enabled",
    });

    // MacsecKeyAssociation: the same CKN and CAK associated again is the one key set, still Associated.
    const pc = after.alibabaVpc.physicalConnections.find((c) => c.physicalConnectionId === "pc-adopt0001");
    expect(pc?.macsecKeys).toEqual([expect.objectContaining({ ckn: ADOPT_CKN, status: "Associated" })]);
    expect(up.outputs.adoptedMacsecStatus.value).toBe("Associated");

    // ImportedKeyMaterial: the same material imported again (KMS accepts only the first material).
    const byok = after.alibabaKms.keys.find((k) => k.keyId === "key-byok-adopt-0001");
    expect(byok).toMatchObject({ keyState: "Enabled", imports: 2 });

    // ReplicaKey: ReplicateKey answered Conflict and the replica already there was adopted, not duplicated.
    expect(log.filter((a) => a.action === "ReplicateKey").map((a) => a.code)).toEqual(
      expect.arrayContaining(["Conflict", undefined]),
    );
    const shanghai = after.volcengineKms.accounts[E2E_ACCOUNT.account]["cn-shanghai"].keys;
    expect(shanghai.filter((k) => k.keyName === "mrk-adopt")).toEqual([
      expect.objectContaining({ keyState: "Enable", multiRegionKeyType: "REPLICA" }),
    ]);

    // VpnConnectionConfig: create adopts the connection (there is no connection create or delete in the log)
    // and records the settings it found in the secret originalSettings.
    expect(log.map((a) => a.action)).toContain("ModifyVpnConnectionAttribute");
    expect(log.map((a) => a.action).filter((a) => /^(Create|Delete)VpnConnection$/.test(a))).toEqual([]);
    const vco = after.alibabaVpc.vpnConnections.find((c) => c.vpnConnectionId === "vco-demo0001");
    expect(vco?.ikeConfig).toMatchObject({ ikeEncAlg: "aes256", ikePfs: "group14" });
    exportedBefore = await e2e.exportState();
    for (const r of resourcesOfType(exportedBefore, "VpnConnectionConfig")) {
      expect(JSON.stringify(r.outputs?.originalSettings)).toMatch(/ciphertext/);
    }
  });

  it("then shows no changes, refreshed or not", async () => {
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  describe("__provider in state", () => {
    it("is a small stub per type that requires the package by name, with no code, schema or credential", () => {
      const sizes: Record<string, number> = {};
      for (const type of TYPES) {
        const resources = resourcesOfType(exportedBefore, type);
        expect(resources.length).toBeGreaterThan(0);
        for (const r of resources) {
          const text = r.inputs?.__provider;
          // A plain string: a secret would show as an object holding ciphertext.
          expect(typeof text).toBe("string");
          expect(r.outputs?.__provider).toBe(text);
          const stub = String(text);
          const bytes = Buffer.byteLength(stub, "utf8");
          sizes[type] = bytes;
          expect(bytes).toBeLessThanOrEqual(1024);
          expect(stub).toContain(`require("pulumi-keylink/dist/resources/${MODULE_OF[type]}/dynamic.js")`);
          // Exactly one require and no function of the package copied in.
          expect(stub.match(/require\(/g)).toHaveLength(1);
          for (const absent of [
            E2E_ACCOUNT.secret,
            E2E_ACCOUNT.accessKeyId,
            "safeParse",
            "zod",
            "z.object",
            "regex",
            "call(",
            "AccessKey",
            "emulator",
          ]) {
            expect(stub).not.toContain(absent);
          }
          // Resources of a type share one stub (the host caches providers by this text).
          expect(stub).toBe(String(resources[0].inputs?.__provider));
        }
      }
      console.log(`__provider bytes per resource type: ${JSON.stringify(sizes)}`);
    });

    it("does not change, nor does the plan, when the package is rebuilt with other code", async () => {
      const marker = `rebuilt-${randomBytes(4).toString("hex")}`;
      const originals = touchDist(marker);
      try {
        installPackageIntoExamples();
        const installed = path.join(
          EXAMPLES_DIR,
          "node_modules",
          "pulumi-keylink",
          "dist",
          "resources",
          "cmk",
        );
        expect(fs.readFileSync(path.join(installed, "provider.js"), "utf8")).toContain(marker);
        await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
        // preview alone would not see a changed stub (diff ignores __provider): an up records the new inputs
        // even for unchanged resources, so the stubs in state after it are the ones this program made now.
        const up = await e2e.stack.up({ onOutput: e2e.onOutput });
        expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
        expect(providerTexts(await e2e.exportState())).toEqual(providerTexts(exportedBefore));
      } finally {
        for (const [f, text] of originals) fs.writeFileSync(f, text);
        installPackageIntoExamples();
      }
    });
  });
});

describe("invalid input", () => {
  it.each([
    ["MacsecKeyAssociation", /ckn: must be 64 hex characters for GCM-AES-XPN-256/],
    ["VpnConnectionConfig", /ikeConfig\.psk: must be 1 to 100 characters/],
    ["ImportedKeyMaterial", /expireAt: 2020-01-01T00:00:00\.000Z is not in the future/],
    ["ReplicaKey", /keyName: must be 2 to 31 characters/],
    ["Cmk", /alias: must not start with "kms-"/],
    // Secret inputs: the engine would print the value of a failing top-level property, in plaintext even when
    // secret, so their failures name the field in the reason only.
    [
      "MacsecKeyAssociation.cak",
      /'invalid-macsec-cak' has a problem: cak: the key \(CAK\) must contain hexadecimal/,
    ],
    [
      "ImportedKeyMaterial.keyMaterial",
      /'invalid-material-size' has a problem: keyMaterial: key key-byok-adopt-0001 is Aliyun_AES_256, which needs 32 bytes/,
    ],
  ] as const)("%s: preview fails naming the field, and nothing is written", async (type, message) => {
    await declare({ ...scenario, invalid: type });
    await e2e.emulator.admin.clearRequests();
    try {
      const text = await e2e.failureOf(e2e.stack.preview({ onOutput: e2e.onOutput }));
      expect(text).toMatch(message);
      expect(text).toMatch(new RegExp(`keylink:${type.split(".")[0]} resource 'invalid-`));
      expectNoSecrets([text], SECRETS);
      expect(await e2e.writesSince()).toEqual([]);
    } finally {
      await declare({ ...scenario, invalid: undefined });
    }
  });
});

describe("secrets and destroy, after the cases above", () => {
  it("keeps every secret and the account secret out of state and CLI output", async () => {
    expectNoSecrets([await e2e.exportState(), ...e2e.output], SECRETS);
  });

  it("destroy removes what was adopted like what was created, and gives the VPN connections back", async () => {
    await e2e.stack.destroy({ onOutput: e2e.onOutput });
    const inv = await inventory();
    expect(inv.tencentKms.keys.find((k) => k.keyId === scenario.adoptKeyId)?.keyState).toBe("PendingDelete");
    const pc = inv.alibabaVpc.physicalConnections.find((c) => c.physicalConnectionId === "pc-adopt0001");
    expect(pc?.macsecKeys).toEqual([]);
    // restoreOnDelete: the demo put back the settings it found.
    const vco = inv.alibabaVpc.vpnConnections.find((c) => c.vpnConnectionId === "vco-demo0001");
    expect(vco?.ikeConfig).toMatchObject({ ikeEncAlg: "aes", ikePfs: "group2" });
  });
});
