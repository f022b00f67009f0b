// MacsecKeyAssociation's provider functions against the emulator (in process, over HTTP, through the real
// Alibaba client). Out-of-band changes are made through the same client, as another tool would make them.
import { forgetProcessMemory } from "../../../src/common/process-memory";
import { forgetSharedReads } from "../../../src/common/shared-reads";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { CloudError } from "../../../src/clouds/errors";
import { waitFor } from "../../../src/clouds/retry";
import { UNKNOWN } from "../../../src/resources/common/check";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { forgetTakeovers } from "../../../src/resources/common/taken-over";

type Props = Record<string, unknown>;

const REGION = "cn-hangzhou";
const K1 = "1A".repeat(16);
const K2 = "2B".repeat(16);
const K3 = "3C".repeat(16);
const K4 = "4D".repeat(16);
const CAK1 = "c0ffee00c0ffee00c0ffee00c0ffee01";
const CAK2 = "C0FFEE00C0FFEE00C0FFEE00C0FFEE02";
const CAK3 = "C0FFEE00C0FFEE00C0FFEE00C0FFEE03";
const CAK4 = "C0FFEE00C0FFEE00C0FFEE00C0FFEE04";
const ALL_CAKS = [CAK1, CAK2, CAK3, CAK4];
const TRANSITION_MS = 80;

let warnings: string[] = [];
/** Everything the provider let out that is not marked secret: errors, warnings, non-secret outputs. */
const exposed: string[] = [];

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
  resetEachTest: false,
  beforeClose: async (emu) => {
    // The secret test over everything the file saw, and what the emulator holds at the end.
    const all = exposed.join("\n").toUpperCase() + JSON.stringify(await emu.admin.inventory()).toUpperCase();
    for (const cak of ALL_CAKS) expect(all).not.toContain(cak.toUpperCase());
  },
});
let emu: InProcessEmulator;

beforeEach(async () => {
  emu = emulator();
  // Each test is a deployment of its own (one provider process in Pulumi).
  forgetTakeovers();
  forgetSharedReads();
  await emu.admin.reset();
  await emu.admin.setDurations({ macsecTransition: TRANSITION_MS });
  forgetProcessMemory("macsec-pending-creates");
  forgetProcessMemory("lock-handovers");
  warnings = [];
  jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    const text = args.map(String).join(" ");
    warnings.push(text);
    exposed.push(text);
  });
});

afterEach(() => jest.restoreAllMocks());

interface ConnFixture {
  physicalConnectionId: string;
  [k: string]: unknown;
}

async function connections(...conns: ConnFixture[]): Promise<void> {
  await emu.admin.loadFixtures({
    alibabaVpc: { physicalConnections: conns.map((c) => ({ region: REGION, ...c })) },
  });
}

function args(pc: string, ckn: string, cak: string, extra: Props = {}): Props {
  return { region: REGION, physicalConnectionId: pc, cipherSuite: "GCM-AES-128", ckn, cak, ...extra };
}

function remember(outs: Props | undefined): Props {
  const plain = Object.fromEntries(Object.entries(outs ?? {}).filter(([k]) => k !== "cak"));
  exposed.push(JSON.stringify(plain));
  return outs ?? {};
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    exposed.push((e as Error).message);
    return e as Error;
  }
  throw new Error("expected a failure");
}

/** Checks and creates as the engine would (check's normalised inputs go to create). */
async function up(inputs: Props): Promise<{ id: string; outs: Props }> {
  const checked = await provider.check({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  const created = await provider.create(checked.inputs as Props);
  return { id: created.id, outs: remember(created.outs) };
}

/** A `pulumi refresh` of the one resource: a run of its own, so no read shared from an earlier one. */
async function refresh(id: string, outs: Props) {
  forgetSharedReads();
  forgetProcessMemory("lock-handovers");
  const r = await provider.read(id, outs);
  remember(r.props);
  return r;
}

/** The cloud's view through the client, as another tool would see it. */
async function cloudKeys(pc: string): Promise<Record<string, string>> {
  const body = await alibabaClient("vpc", REGION).call<{
    PhysicalConnectionSet: {
      PhysicalConnectionType: Array<{ MacsecKeys: { MacsecKey: Array<{ Ckn: string; Status: string }> } }>;
    };
  }>("DescribePhysicalConnections", { Filter: [{ Key: "PhysicalConnectionId", Value: [pc] }] });
  const keys = body.PhysicalConnectionSet.PhysicalConnectionType[0]?.MacsecKeys.MacsecKey ?? [];
  return Object.fromEntries(keys.map((k) => [k.Ckn, k.Status]));
}

/** The keys once none is transitional; bounded: the emulator's transitions last TRANSITION_MS. */
function settle(pc: string): Promise<Record<string, string>> {
  return waitFor(
    () => cloudKeys(pc),
    (keys) => !Object.values(keys).some((s) => s.endsWith("ing")),
    (keys) => JSON.stringify(keys),
    {
      description: `the keys of ${pc} to settle`,
      timeoutMs: 50 * TRANSITION_MS,
      intervalMs: TRANSITION_MS / 2,
    },
  );
}

async function outOfBandAssociate(pc: string, ckn: string, cak: string): Promise<void> {
  await alibabaClient("vpc", REGION).call("AssociateMacSecKey", {
    PhysicalConnectionId: pc,
    CipherSuite: "GCM-AES-128",
    Ckn: ckn,
    Cak: cak,
  });
}

describe("create, read, destroy", () => {
  test("create associates the key and waits until it is Associated; lower case is normalised", async () => {
    await connections({ physicalConnectionId: "pc-a" });
    const { id, outs } = await up(args("pc-a", K1.toLowerCase(), CAK1));
    expect(id).toBe(`${REGION}:pc-a:${K1}`);
    expect(outs).toMatchObject({
      ckn: K1,
      cak: CAK1.toUpperCase(),
      status: "Associated",
      active: true,
      activeCkn: K1,
    });
    expect(outs.startOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await cloudKeys("pc-a")).toEqual({ [K1]: "Associated" });
  });

  test("destroy of the active key disassociates, deletes, and says which key the cloud made active", async () => {
    await connections({ physicalConnectionId: "pc-a" });
    const a = await up(args("pc-a", K1, CAK1));
    const b = await up(args("pc-a", K2, CAK2));
    await provider.update(a.id, a.outs, { ...args("pc-a", K1, CAK1), active: true }); // K1 active again, K2 standby
    await provider.destroy(a.id, a.outs);
    expect(await settle("pc-a")).toEqual({ [K2]: "Associated" });
    expect(warnings.join("\n")).toContain(`the cloud made key ${K2} the active key`);
    expect((await refresh(a.id, a.outs)).id).toBeFalsy();
    // Destroying what is already gone succeeds.
    await provider.destroy(a.id, a.outs);
    await provider.destroy(b.id, b.outs);
    expect(await cloudKeys("pc-a")).toEqual({});
  });

  test("active: false stores a standby key and hands the active role back", async () => {
    await connections({ physicalConnectionId: "pc-a" });
    await up(args("pc-a", K1, CAK1));
    const { outs } = await up(args("pc-a", K2, CAK2, { active: false }));
    expect(outs).toMatchObject({ status: "Disassociated", active: false, activeCkn: K1 });
    expect(await settle("pc-a")).toEqual({ [K1]: "Associated", [K2]: "Disassociated" });
  });

  test("a write waits while another key of the connection is transitional", async () => {
    await connections({ physicalConnectionId: "pc-a" });
    await emu.admin.setDurations({ macsecTransition: 400 });
    await outOfBandAssociate("pc-a", K1, CAK1);
    const { outs } = await up(args("pc-a", K2, CAK2));
    expect(outs.status).toBe("Associated");
    expect(await settle("pc-a")).toEqual({ [K1]: "Disassociated", [K2]: "Associated" });
  });
});

test("a create reads the connection at most three times per key set on average (check, settle, the wait)", async () => {
  await connections({ physicalConnectionId: "pc-r1" }, { physicalConnectionId: "pc-r2" });
  await emu.admin.clearRequests();
  const sets: Array<[string, string, string]> = [
    ["pc-r1", K1, CAK1],
    ["pc-r1", K2, CAK2],
    ["pc-r2", K3, CAK3],
  ];
  for (const [pc, ckn, cak] of sets) {
    const { outs } = await up(args(pc, ckn, cak));
    // Each create still waits until the cloud shows the key set Associated.
    expect(outs.status).toBe("Associated");
  }
  const log = await emu.admin.requests();
  const reads = log.entries.filter((e) => e.action === "DescribePhysicalConnections").length;
  expect(log.byAction.AssociateMacSecKey).toBe(sets.length);
  expect(reads).toBeGreaterThanOrEqual(2 * sets.length);
  expect(reads / sets.length).toBeLessThanOrEqual(3);
  expect(await cloudKeys("pc-r1")).toEqual({ [K1]: "Disassociated", [K2]: "Associated" });
  expect(await cloudKeys("pc-r2")).toEqual({ [K3]: "Associated" });
});

describe("preview (check)", () => {
  test("three new keys on a connection holding one: the third fails, naming the connection and the CKNs", async () => {
    await connections({
      physicalConnectionId: "pc-q",
      macsecKeys: [{ ckn: K1, cak: CAK1, cipherSuite: "GCM-AES-128" }],
    });
    expect((await provider.check({}, args("pc-q", K2, CAK2))).failures ?? []).toEqual([]);
    expect((await provider.check({}, args("pc-q", K3, CAK3))).failures ?? []).toEqual([]);
    const third = await provider.check({}, args("pc-q", K4, CAK4));
    expect(third.failures).toHaveLength(1);
    const reason = third.failures![0].reason;
    exposed.push(reason);
    expect(third.failures![0].property).toBe("ckn");
    expect(reason).toContain(`pc-q already holds 1 key set(s) (CKN ${K1})`);
    expect(reason).toContain(`this deployment already adds 2 more (CKN ${K2}, ${K3})`);
  });

  test("a CAK still unknown at preview does not skip the quota judgement", async () => {
    await connections({
      physicalConnectionId: "pc-q",
      macsecKeys: [
        { ckn: K1, cak: CAK1, cipherSuite: "GCM-AES-128" },
        { ckn: K2, cak: CAK2, cipherSuite: "GCM-AES-128", status: "Disassociated" },
        { ckn: K3, cak: CAK3, cipherSuite: "GCM-AES-128", status: "Disassociated" },
      ],
    });
    const r = await provider.check({}, args("pc-q", K4, UNKNOWN));
    expect(r.failures?.map((f) => f.property)).toEqual(["ckn"]);
    expect(r.failures?.[0].reason).toContain(`CKN ${K1}, ${K2}, ${K3}`);
  });

  test("an existing resource's check makes no cloud call and no quota judgement", async () => {
    await connections({ physicalConnectionId: "pc-q" });
    const before = (await emu.admin.requests()).byAction.DescribePhysicalConnections ?? 0;
    const r = await provider.check(args("pc-q", K1, CAK1), args("pc-q", K1, CAK1, { active: false }));
    expect(r.failures ?? []).toEqual([]);
    expect((await emu.admin.requests()).byAction.DescribePhysicalConnections ?? 0).toBe(before);
  });

  test("a hosted, missing or locked connection fails at preview", async () => {
    await connections(
      { physicalConnectionId: "pc-d" },
      { physicalConnectionId: "pc-h", parentPhysicalConnectionId: "pc-d" },
      { physicalConnectionId: "pc-l", businessStatus: "FinancialLocked" },
    );
    const reasons = async (pc: string) =>
      ((await provider.check({}, args(pc, K1, CAK1))).failures ?? []).map((f) => f.reason).join(" ");
    expect(await reasons("pc-h")).toContain("hosted connection");
    expect(await reasons("pc-none")).toContain("no physical connection pc-none in region cn-hangzhou");
    expect(await reasons("pc-l")).toContain("BusinessStatus FinancialLocked");
  });

  test("invalid inputs fail on their field without the CAK in the message", async () => {
    const r = await provider.check({}, args("pc-d", K1, CAK1.slice(0, 30) + "zz"));
    exposed.push(JSON.stringify(r.failures));
    // No property on a secret field: the engine would print its value (the reason names the field).
    expect(r.failures?.map((f) => [f.property, f.reason.split(":")[0]])).toEqual([["", "cak"]]);
  });
});

describe("preconditions the cloud reports at create", () => {
  test.each([
    [{ macsecCapable: false }, "UnsupportedFeature.Macsec", /does not support MACsec/],
    [
      { supportedCipherSuites: ["GCM-AES-256"] },
      "UnsupportedFeature.Macsec.CipherSuite",
      /not cipher suite GCM-AES-128/,
    ],
    [{ fullyPaid: false }, "IncorrectStatus.PhysicalConnection", /fully paid/],
  ])("%j: %s with a hint", async (extra, code, hint) => {
    await connections({ physicalConnectionId: "pc-x", ...extra });
    const e = await failure(provider.create({ ...args("pc-x", K1, CAK1), active: true }));
    expect(e).toBeInstanceOf(CloudError);
    expect((e as CloudError).code).toBe(code);
    expect(e.message).toMatch(hint);
    expect(e.message).toMatch(/request id/);
  });

  test("an existing CKN with another CAK: the cloud refuses and the hint explains", async () => {
    await connections({
      physicalConnectionId: "pc-x",
      macsecKeys: [{ ckn: K1, cak: CAK2, cipherSuite: "GCM-AES-128" }],
    });
    const e = await failure(provider.create({ ...args("pc-x", K1, CAK1), active: true }));
    expect((e as CloudError).code).toBe("IllegalParam.Cak");
    expect(e.message).toContain("another CAK");
  });
});

describe("drift and repair", () => {
  test("another key associated out of band: refresh shows it, diff proposes re-association naming it, update repairs", async () => {
    await connections({ physicalConnectionId: "pc-r" });
    const inputs = args("pc-r", K1, CAK1, { active: true });
    const { id, outs } = await up(inputs);
    await outOfBandAssociate("pc-r", K2, CAK2);
    await settle("pc-r");

    const r = await refresh(id, outs);
    expect(r.props).toMatchObject({
      status: "Disassociated",
      active: false,
      activeCkn: K2,
      cak: CAK1.toUpperCase(),
    });
    expect(r.inputs).toMatchObject({ active: false });

    const checked = (await provider.check(r.inputs as Props, inputs)).inputs as Props;
    const d = await provider.diff(id, r.props as Props, checked);
    expect(d).toMatchObject({ changes: true });
    expect(d.replaces ?? []).toEqual([]);
    expect(warnings.join("\n")).toContain(`key ${K2}, active now, becomes Disassociated`);

    const u = await provider.update(id, r.props as Props, checked);
    remember(u.outs);
    expect(u.outs).toMatchObject({ status: "Associated", activeCkn: K1 });
    expect(warnings.join("\n")).toContain(`key ${K2}, active before, is now Disassociated`);
    expect(await settle("pc-r")).toEqual({ [K1]: "Associated", [K2]: "Disassociated" });
  });

  test("a key deleted out of band disappears on refresh", async () => {
    await connections({ physicalConnectionId: "pc-r" });
    const { id, outs } = await up(args("pc-r", K1, CAK1));
    const client = alibabaClient("vpc", REGION);
    await client.call("DisassociateMacSecKey", { PhysicalConnectionId: "pc-r", Ckn: K1 });
    await settle("pc-r");
    await client.call("DisassociateMacSecKey", { PhysicalConnectionId: "pc-r", Ckn: K1 });
    expect(await refresh(id, outs)).toEqual({});
  });

  test("a changed cipher suite shows as drift that replaces the key set, deleting first", async () => {
    await connections({ physicalConnectionId: "pc-r" });
    const inputs = args("pc-r", K1, CAK1);
    const { id, outs } = await up(inputs);
    await connections({
      physicalConnectionId: "pc-r",
      macsecKeys: [{ ckn: K1, cak: CAK1, cipherSuite: "GCM-AES-XPN-128" }],
    });
    const r = await refresh(id, outs);
    expect(r.inputs).toMatchObject({ cipherSuite: "GCM-AES-XPN-128" });
    const checked = (await provider.check(r.inputs as Props, inputs)).inputs as Props;
    const d = await provider.diff(id, r.props as Props, checked);
    expect(d).toMatchObject({ changes: true, replaces: ["cipherSuite"], deleteBeforeReplace: true });
  });

  test("a new CKN on a connection holding three sets is replaced delete-first", async () => {
    await connections({
      physicalConnectionId: "pc-r",
      macsecKeys: [
        { ckn: K2, cak: CAK2, cipherSuite: "GCM-AES-128", status: "Disassociated" },
        { ckn: K3, cak: CAK3, cipherSuite: "GCM-AES-128", status: "Disassociated" },
      ],
    });
    const { id, outs } = await up(args("pc-r", K1, CAK1));
    const news = (await provider.check(args("pc-r", K1, CAK1), args("pc-r", K4, CAK1))).inputs as Props;
    expect(await provider.diff(id, outs, news)).toMatchObject({
      replaces: ["ckn"],
      deleteBeforeReplace: true,
    });
  });

  test("negotiation fails: create reports a partial resource; once the peer is fixed the update renegotiates", async () => {
    await connections({ physicalConnectionId: "pc-f", negotiationFails: true });
    const inputs = { ...args("pc-f", K1, CAK1), active: true, __provider: "serialized" };
    const e = (await failure(provider.create(inputs))) as Error & { id?: string; properties?: Props };
    expect(e.message).toMatch(/AssociatedFailed.*did not come up/);
    expect(e.id).toBe(`${REGION}:pc-f:${K1}`);
    expect(e.properties).toMatchObject({ status: "AssociatedFailed", __provider: "serialized" });
    remember(e.properties);

    // The peer is fixed; the key is still AssociatedFailed.
    await connections({
      physicalConnectionId: "pc-f",
      macsecKeys: [{ ckn: K1, cak: CAK1, cipherSuite: "GCM-AES-128", status: "AssociatedFailed" }],
    });
    const r = await refresh(e.id!, e.properties!);
    expect(r.props).toMatchObject({ status: "AssociatedFailed", active: true });
    const d = await provider.diff(e.id!, r.props as Props, inputs);
    expect(d.changes).toBe(true);
    expect(warnings.join("\n")).toMatch(/AssociatedFailed.*renegotiate/);
    const u = await provider.update(e.id!, r.props as Props, inputs);
    remember(u.outs);
    expect(u.outs).toMatchObject({ status: "Associated" });
  });
});

test("the emulator's inventory and request log never hold a CAK", async () => {
  await connections({ physicalConnectionId: "pc-s" });
  await up(args("pc-s", K1, CAK1));
  const text = JSON.stringify([await emu.admin.inventory(), await emu.admin.requests()]).toUpperCase();
  expect(text).toContain(K1);
  expect(text).not.toContain(CAK1.toUpperCase());
});
