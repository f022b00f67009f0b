// Parity: the same inputs through the dynamic resources' provider modules (called as the dynamic-provider host
// calls them) and through pulumi-resource-keylink over gRPC give the same check failures, diffs and outputs,
// for each of the five types, against the emulator reset before each side.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import { RESOURCES } from "../../src/plugin/resources";
import { plain } from "../../src/plugin/wire";
import { Engine, PLUGIN_MAIN, PluginProcess, startPlugin, urnOf } from "./grpc-client";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Bag = Record<string, unknown>;

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const CKN = "1F".repeat(32);
const CAK = "2E".repeat(32);
const MATERIAL = Buffer.alloc(32, 7).toString("base64");

interface Case {
  token: string;
  valid: Bag;
  invalid: Bag;
  change: Bag;
  /** Outputs that differ between two creates by nature (new key ids, times). */
  volatile?: string[];
}

const CASES: Case[] = [
  {
    token: "keylink:alibaba:MacsecKeyAssociation",
    valid: {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-XPN-256",
      ckn: CKN,
      cak: CAK,
    },
    invalid: {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-128",
      ckn: CKN,
      cak: CAK,
    },
    change: { active: false },
    volatile: ["startOn"],
  },
  {
    token: "keylink:alibaba:VpnConnectionConfig",
    valid: {
      region: "cn-hangzhou",
      vpnConnectionId: "vco-demo0001",
      ikeConfig: { psk: "parityPsk-1", ikeVersion: "ikev2", ikeEncAlg: "aes256" },
      enableDpd: true,
    },
    invalid: { region: "cn-hangzhou", vpnConnectionId: "vco-demo0001", ikeConfig: { ikeEncAlg: "rot13" } },
    change: { enableDpd: false },
    // The emulator generates the connection's first PSK afresh on each reset.
    volatile: ["originalSettings", "livePresharedKeys"],
  },
  {
    token: "keylink:alibaba:ImportedKeyMaterial",
    valid: { region: "cn-hangzhou", keyId: "key-byok-demo-0001", keyMaterial: MATERIAL },
    invalid: { region: "cn-hangzhou", keyId: "key-byok-demo-0001", keyMaterial: "c2hvcnQ=" },
    change: { expireAt: "2099-01-01T00:00:00Z" },
  },
  {
    token: "keylink:volcengine:ReplicaKey",
    valid: {
      keyringName: "orders",
      keyName: "mrk-orders",
      primaryRegion: "cn-beijing",
      replicaRegion: "cn-shanghai",
    },
    invalid: {
      keyringName: "orders",
      keyName: "mrk-orders",
      primaryRegion: "cn-beijing",
      replicaRegion: "cn-beijing",
    },
    change: { description: "changed" },
    volatile: ["replicaKeyId", "trn", "primaryKeyTrn", "creationDate", "updateDate"],
  },
  {
    token: "keylink:tencent:Cmk",
    valid: { region: "ap-guangzhou", alias: "parity-key", description: "same" },
    invalid: { region: "ap-guangzhou", alias: "kms-reserved" },
    change: { alias: "parity-key-2" },
    volatile: ["keyId", "createTime"],
  },
];

let emu: Emulator;
let plugin: PluginProcess;
let engine: Engine;
let fixtures: Bag;
const saved = { ...process.env };

beforeAll(async () => {
  if (!fs.existsSync(PLUGIN_MAIN)) throw new Error("dist/ is missing: run 'npm run build' first");
  fixtures = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, "..", "..", "examples", "fixtures", "demo.json"), "utf8"),
  ) as Bag;
  emu = await startEmulator({
    port: 0,
    fixtures,
    durations: { vpnGatewayUpdate: 100, macsecTransition: 100, replicaCreate: 100 },
  });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
  plugin = await startPlugin(PLUGIN_MAIN);
  engine = new Engine(plugin.client);
  await engine.configure({ "keylink:emulatorUrl": emu.url });
});

afterAll(async () => {
  process.env = saved;
  await plugin?.close();
  await emu?.close();
});

/** The plugin's wire form of inputs: what the type marks secret arrives wrapped, as from a program. */
function wire(token: string, inputs: Bag): Bag {
  const secrets = RESOURCES.find((r) => r.token === token)!.secrets;
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, secrets.includes(k) ? secret(v) : v]));
}

function stable(outs: Bag, volatile: string[] = []): Bag {
  return Object.fromEntries(
    Object.entries(JSON.parse(JSON.stringify(outs)) as Bag)
      .filter(([k]) => k !== "__provider")
      .map(([k, v]) => [k, volatile.includes(k) ? "(varies)" : v]),
  );
}

describe.each(CASES)("$token", (c) => {
  const module = RESOURCES.find((r) => r.token === c.token)!.module;
  const urn = urnOf(c.token, "parity");

  test("same check failures for invalid inputs", async () => {
    await emu.admin.reset();
    const dynamic = await module.check({}, c.invalid);
    await emu.admin.reset();
    const viaPlugin = await engine.check(urn, {}, wire(c.token, c.invalid));
    expect(dynamic.failures?.length).toBeGreaterThan(0);
    expect(viaPlugin.failures).toEqual(dynamic.failures);
  });

  test("same checked inputs, outputs and diff of a change", async () => {
    await emu.admin.reset();
    const d = await module.check({}, c.valid);
    const dOuts = (await module.create(d.inputs as Bag)).outs as Bag;
    const dNews = (await module.check(d.inputs as Bag, { ...c.valid, ...c.change })).inputs as Bag;
    const dDiff = await module.diff("id", dOuts, dNews);

    await emu.admin.reset();
    const p = await engine.check(urn, {}, wire(c.token, c.valid));
    const created = await engine.create(urn, p.inputs);
    const pNews = (await engine.check(urn, p.inputs, wire(c.token, { ...c.valid, ...c.change }))).inputs;
    const pDiff = await engine.diff(urn, created.id, created.props, pNews);

    expect(plain(p.inputs)).toEqual(JSON.parse(JSON.stringify(d.inputs)));
    expect(stable(plain(created.props) as Bag, c.volatile)).toEqual(stable(dOuts, c.volatile));
    expect(plain(pNews)).toEqual(JSON.parse(JSON.stringify(dNews)));
    // DiffResponse: changes 1 = none, 2 = some, 0 = unknown (the engine then diffs the inputs itself).
    const changes = dDiff.changes === true ? 2 : dDiff.changes === false ? 1 : 0;
    expect({ changes: pDiff.changes, replaces: pDiff.replacesList, dbr: pDiff.deletebeforereplace }).toEqual({
      changes,
      replaces: dDiff.replaces ?? [],
      dbr: dDiff.deleteBeforeReplace ?? false,
    });
  });
});
