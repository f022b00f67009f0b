// MacsecKeyAssociation through the real Pulumi CLI, on one physical connection that also holds a key set made
// outside Pulumi: create, no-change preview, the active role taken out of band found and won back, an
// AssociatedFailed key renegotiated, in-place active false/true, replacements (new CAK with the same CKN deletes
// first; new CKN creates first with room and deletes first at three sets), the three-set quota refused at
// preview, deleting the active key hands the role to another, destroy, and no CAK or credential in state or output.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { alibabaClient } from "../../src/clouds/alibaba";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

const REGION = "cn-hangzhou";
const PC = "pc-e2emacsec01";
const SUITE = "GCM-AES-XPN-256";

const hex = () => randomBytes(32).toString("hex").toUpperCase();
const CKN = { a: hex(), b: hex(), c: hex(), standby: hex(), extra: hex(), oob: hex() };
const CAK = { a: hex(), a2: hex(), standby: hex(), extra: hex(), oob: hex() };

interface InventoryKey {
  ckn: string;
  cak: string;
  cipherSuite: string;
  status: string;
}
type Inventory = {
  alibabaVpc: { physicalConnections: Array<{ physicalConnectionId: string; macsecKeys: InventoryKey[] }> };
};

let e2e: E2ESuite;

/** The connection's key sets as the emulator holds them, CKN → status. */
async function keysOnConnection(): Promise<Record<string, string>> {
  const inv = await e2e.emulator.admin.inventory<Inventory>();
  const pc = inv.alibabaVpc.physicalConnections.find((c) => c.physicalConnectionId === PC);
  if (!pc) throw new Error(`no connection ${PC} in the emulator`);
  return Object.fromEntries(pc.macsecKeys.map((k) => [k.ckn, k.status]));
}

/** Writes the stack's key sets (plain config) and their CAKs (one secret JSON object). */
async function setKeySets(sets: Array<{ name: string; ckn: string; cak: string; active?: boolean }>) {
  await e2e.stack.setConfig("example:keySets", {
    value: JSON.stringify(sets.map(({ name, ckn, active }) => ({ name, ckn, active }))),
  });
  await e2e.stack.setConfig("example:caks", {
    value: JSON.stringify(Object.fromEntries(sets.map((s) => [s.name, s.cak]))),
    secret: true,
  });
}

/** Replaces the connection in the emulator with these key sets (how a test sets a key's status). */
async function loadConnection(
  keys: Array<{ ckn: string; cak: string; status: string }>,
  negotiationFails = false,
) {
  await e2e.emulator.admin.loadFixtures({
    alibabaVpc: {
      physicalConnections: [
        {
          physicalConnectionId: PC,
          region: REGION,
          account: E2E_ACCOUNT.account,
          name: "hangzhou-dc1-uplink",
          negotiationFails,
          macsecKeys: keys.map((k) => ({ ...k, cipherSuite: SUITE })),
        },
      ],
    },
  });
}

/** Collects what the CLI prints on stdout and stderr (--diff puts warnings on stderr) for the secret search. */
/** Declares the key sets in stack config; the writes of the next step are counted from here. */
async function declareKeySets(sets: Parameters<typeof setKeySets>[0]) {
  await setKeySets(sets);
  await e2e.emulator.admin.clearRequests();
}

function log() {
  return { onOutput: e2e.onOutput };
}

beforeAll(async () => {
  e2e = await startE2E({
    example: "macsec-key-association",
    config: { "example:physicalConnectionId": { value: PC } },
  });
  await loadConnection([]);
  await setKeySets([{ name: "primary", ckn: CKN.a, cak: CAK.a }]);
});

afterAll(async () => {
  await e2e?.stop();
});

describe("MacsecKeyAssociation end to end, in order: each case starts from the stack the previous one left", () => {
  it("associates the key set on up; the emulator shows it active and never the CAK", async () => {
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    expect(up.outputs.keySets.value).toEqual({
      primary: { ckn: CKN.a, status: "Associated", activeCkn: CKN.a },
    });
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Associated" });
    const inv = await e2e.emulator.admin.inventory<Inventory>();
    const key = inv.alibabaVpc.physicalConnections[0].macsecKeys[0];
    expect(key).toMatchObject({ ckn: CKN.a, cak: "****", cipherSuite: SUITE });
    expectNoSecrets([JSON.stringify(inv)], [CAK.a]);
  });

  it("shows no changes on a second preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, ...log() });
  });

  it("finds the active role taken by another key out of band, and up --refresh takes it back", async () => {
    await alibabaClient("vpc", REGION).call("AssociateMacSecKey", {
      PhysicalConnectionId: PC,
      CipherSuite: SUITE,
      Ckn: CKN.oob,
      Cak: CAK.oob,
    });
    // The emulator's transition (200 ms) has to end before refresh reads a settled status.
    await settled();
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Disassociated", [CKN.oob]: "Associated" });
    const preview = await e2e.stack.preview({ refresh: true, diff: true, ...log() });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ active\s*: false => true/);
    // Provider notes are warnings, which --diff prints on stderr.
    expect(preview.stderr).toContain(`and key ${CKN.oob}, active now, becomes Disassociated`);
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.up({ refresh: true, ...log() });
    expect(await e2e.writesSince()).toEqual(["AssociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Associated", [CKN.oob]: "Disassociated" });
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, ...log() });
  });

  it("renegotiates an AssociatedFailed key: fails while the peer disagrees, succeeds once it agrees", async () => {
    const failed = [
      { ckn: CKN.a, cak: CAK.a, status: "AssociatedFailed" },
      { ckn: CKN.oob, cak: CAK.oob, status: "Disassociated" },
    ];
    await loadConnection(failed, true);
    const preview = await e2e.stack.preview({ refresh: true, diff: true, ...log() });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    // Refresh shows the status the cloud reports; `active` is still true, so the update is the renegotiation.
    expect(preview.stdout).toMatch(/~ status\s*: "Associated" => "AssociatedFailed"/);

    // The peer still has other keys: the renegotiation fails again, and the error says what to check.
    const message = await e2e.failureOf(e2e.stack.up({ refresh: true, ...log() }));
    expect(message).toContain(
      `MACsec key ${CKN.a} was associated with ${PC} but its status is AssociatedFailed`,
    );
    expect(message).toMatch(/same CKN, CAK and cipher suite/);

    // The peer is fixed: the next up associates the key again and the session comes up.
    await loadConnection(failed, false);
    await e2e.emulator.admin.clearRequests();
    const up = await e2e.stack.up({ refresh: true, ...log() });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(await e2e.writesSince()).toEqual(["AssociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Associated", [CKN.oob]: "Disassociated" });
  });

  it("updates active in place: false hands the role to the other key, true takes it back", async () => {
    await declareKeySets([{ name: "primary", ckn: CKN.a, cak: CAK.a, active: false }]);
    let up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(await e2e.writesSince()).toEqual(["DisassociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Disassociated", [CKN.oob]: "Associated" });
    expect(up.outputs.keySets.value).toMatchObject({
      primary: { status: "Disassociated", activeCkn: CKN.oob },
    });

    await declareKeySets([{ name: "primary", ckn: CKN.a, cak: CAK.a }]);
    up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(await e2e.writesSince()).toEqual(["AssociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Associated", [CKN.oob]: "Disassociated" });
  });

  it("replaces the key set on a new CAK with the same CKN, deleting the old set first", async () => {
    await setKeySets([{ name: "primary", ckn: CKN.a, cak: CAK.a2 }]);
    const preview = await e2e.stack.preview({ diff: true, ...log() });
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    expect(preview.stderr).toContain(
      `MACsec key ${CKN.a} on ${PC} is replaced by deleting it first (the new key set has the same CKN)`,
    );
    await e2e.emulator.admin.clearRequests();
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    // Delete first (active: disassociate, then disassociate again to delete), then associate with the new CAK.
    expect(await e2e.writesSince()).toEqual([
      "DisassociateMacSecKey",
      "DisassociateMacSecKey",
      "AssociateMacSecKey",
    ]);
    expect(await keysOnConnection()).toEqual({ [CKN.a]: "Associated", [CKN.oob]: "Disassociated" });
    // The cloud now holds the new CAK: the old one is refused for this CKN.
    await expect(
      alibabaClient("vpc", REGION).call(
        "AssociateMacSecKey",
        { PhysicalConnectionId: PC, CipherSuite: SUITE, Ckn: CKN.a, Cak: CAK.a },
        { retry: false },
      ),
    ).rejects.toMatchObject({ code: "IllegalParam.Cak" });
  });

  it("replaces the key set on a new CKN, creating the new set first while the connection has room", async () => {
    await declareKeySets([{ name: "primary", ckn: CKN.b, cak: CAK.a2 }]);
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    // The new set is associated (the old one loses the active role), then the old, Disassociated, is deleted.
    expect(await e2e.writesSince()).toEqual(["AssociateMacSecKey", "DisassociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.b]: "Associated", [CKN.oob]: "Disassociated" });
  });

  it("refuses at preview a deployment that would bring the connection over three key sets", async () => {
    // Two sets stored (ours and the out-of-band one) and two new ones: the second new one is the fourth.
    await declareKeySets([
      { name: "primary", ckn: CKN.b, cak: CAK.a2 },
      { name: "standby", ckn: CKN.standby, cak: CAK.standby, active: false },
      { name: "extra", ckn: CKN.extra, cak: CAK.extra, active: false },
    ]);
    const message = await e2e.failureOf(e2e.stack.preview(log()));
    expect(message).toContain(`physical connection ${PC} already holds 2 key set(s)`);
    for (const ckn of [CKN.b, CKN.oob]) expect(message).toContain(ckn);
    expect(message).toMatch(
      new RegExp(`this deployment already adds 1 more \\(CKN (${CKN.standby}|${CKN.extra})\\)`),
    );
    expect(message).toContain("at most 3 MACsec key sets");
    expect(await e2e.writesSince()).toEqual([]);
  });

  it("adds a standby key set: associated, then disassociated so the active key keeps its role", async () => {
    await declareKeySets([
      { name: "primary", ckn: CKN.b, cak: CAK.a2 },
      { name: "standby", ckn: CKN.standby, cak: CAK.standby, active: false },
    ]);
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(await e2e.writesSince()).toEqual(["AssociateMacSecKey", "DisassociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({
      [CKN.b]: "Associated",
      [CKN.oob]: "Disassociated",
      [CKN.standby]: "Disassociated",
    });
  });

  it("refuses at preview a fourth key set on a connection holding three, naming them, with no write", async () => {
    await declareKeySets([
      { name: "primary", ckn: CKN.b, cak: CAK.a2 },
      { name: "standby", ckn: CKN.standby, cak: CAK.standby, active: false },
      { name: "extra", ckn: CKN.extra, cak: CAK.extra, active: false },
    ]);
    const message = await e2e.failureOf(e2e.stack.preview(log()));
    expect(message).toContain(`physical connection ${PC} already holds 3 key set(s)`);
    for (const ckn of [CKN.b, CKN.oob, CKN.standby]) expect(message).toContain(ckn);
    expect(message).toContain("QuotaExceeded.PconnMacsec");
    expect(await e2e.writesSince()).toEqual([]);
  });

  it("replaces the key set on a new CKN at three key sets by deleting the old set first", async () => {
    await declareKeySets([
      { name: "primary", ckn: CKN.c, cak: CAK.a2 },
      { name: "standby", ckn: CKN.standby, cak: CAK.standby, active: false },
    ]);
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(up.stdout).toContain(
      `MACsec key ${CKN.b} on ${PC} is replaced by deleting it first (the connection holds 3`,
    );
    expect(await e2e.writesSince()).toEqual([
      "DisassociateMacSecKey",
      "DisassociateMacSecKey",
      "AssociateMacSecKey",
    ]);
    expect(await keysOnConnection()).toEqual({
      [CKN.c]: "Associated",
      [CKN.oob]: "Disassociated",
      [CKN.standby]: "Disassociated",
    });
  });

  it("keeps CAKs and credentials out of state and CLI output", async () => {
    const exported = await e2e.exportState();
    const keys = resourcesOfType(exported, "MacsecKeyAssociation");
    expect(keys.map((k) => k.outputs?.ckn).sort()).toEqual([CKN.c, CKN.standby].sort());
    for (const k of keys) {
      // The CAK is stored as a secret (ciphertext), in inputs and outputs.
      expect(k.outputs?.cak).toMatchObject({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      });
      expect(k.inputs?.cak).toMatchObject({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      });
      expect(String(k.inputs?.__provider).length).toBeLessThan(4096);
    }
    // The search runs over real material: the CLI output names the key sets (CKNs are not secret).
    expect(e2e.output.join("\n")).toContain(CKN.c);
    const stackConfig = fs.readFileSync(path.join(e2e.stack.projectDir, "Pulumi.e2e.yaml"), "utf8");
    expect(stackConfig).toContain("example:caks");
    expectNoSecrets([exported, stackConfig, ...e2e.output], [...Object.values(CAK), E2E_ACCOUNT.secret]);
  });

  it("deleting the active key set takes two disassociate calls, and the cloud makes another key active", async () => {
    await declareKeySets([{ name: "standby", ckn: CKN.standby, cak: CAK.standby, active: false }]);
    const up = await e2e.stack.up(log());
    expect(up.summary.resourceChanges).toMatchObject({ delete: 1 });
    expect(await e2e.writesSince()).toEqual(["DisassociateMacSecKey", "DisassociateMacSecKey"]);
    // The most recently activated other key (the standby, activated when the CKN-b set was deleted) takes over.
    expect(await keysOnConnection()).toEqual({ [CKN.oob]: "Disassociated", [CKN.standby]: "Associated" });
    expect(up.stdout).toContain(`the cloud made key ${CKN.standby} the active key`);
    // The standby now holds the role it should not: refresh shows it, and the next up would hand it back.
    await settled();
    const preview = await e2e.stack.preview({ refresh: true, diff: true, ...log() });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ active\s*: true => false/);
  });

  it("destroys: the stack's key sets are gone and the key made outside Pulumi is active again", async () => {
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.destroy(log());
    expect(await e2e.writesSince()).toEqual(["DisassociateMacSecKey", "DisassociateMacSecKey"]);
    expect(await keysOnConnection()).toEqual({ [CKN.oob]: "Associated" });
    expectNoSecrets(e2e.output, [...Object.values(CAK), E2E_ACCOUNT.secret]);
  });
});

/** Waits until no key of the connection is Associating or Disassociating. */
async function settled(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const keys = await keysOnConnection();
    if (!Object.values(keys).some((s) => s.endsWith("ing"))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the MACsec keys of ${PC} did not settle`);
}
