// pulumi-resource-keylink over its gRPC protocol, as the engine drives it, against the emulator started in-process:
// configuration arriving through Configure only (the plugin's environment has none), dispatch by type token,
// the dynamic resources' ids, secrets wrapped on the wire, check failures naming the field before any cloud call,
// and a read with no properties (what `pulumi import` sends).
import * as fs from "node:fs";
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { startEmulator } from "../../src/emulator";
import { Engine, PLUGIN_MAIN, PluginProcess, startPlugin, urnOf } from "./grpc-client";
import { demoFixturesOwnedBy } from "../support/fixtures";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET, value });
const ACCOUNT = {
  accessKeyId: "AKIDpluginTest",
  secret: "pluginAccessSecret-4Hq8Xr2Lm",
  account: "2100000001",
};
const CAK = "C0FFEE".repeat(10) + "ABCD";
const CKN = "AB".repeat(32);
/** A MACsec key set's inputs on the demo's connection, as the engine sends them (the CAK marked secret). */
const macsecNews = () => ({
  region: "cn-hangzhou",
  physicalConnectionId: "pc-demo0001",
  cipherSuite: "GCM-AES-XPN-256",
  ckn: CKN,
  cak: secret(CAK),
});

let emu: Emulator;
let plugin: PluginProcess;
let engine: Engine;

/** The plugin's environment: nothing of keylink's, so every setting must come through Configure. */
function bareEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(KEYLINK_|ALIBABA_CLOUD_|ALICLOUD_|VOLCENGINE_|TENCENTCLOUD_)/.test(k),
    ),
  );
}

function settings(prefix: string): Record<string, string> {
  return {
    [`${prefix}emulatorUrl`]: emu.url,
    [`${prefix}alibabaAccessKeyId`]: ACCOUNT.accessKeyId,
    [`${prefix}alibabaAccessKeySecret`]: ACCOUNT.secret,
    [`${prefix}tencentSecretId`]: ACCOUNT.accessKeyId,
    [`${prefix}tencentSecretKey`]: ACCOUNT.secret,
  };
}

beforeAll(async () => {
  if (!fs.existsSync(PLUGIN_MAIN)) throw new Error("dist/ is missing: run 'npm run build' first");
  emu = await startEmulator({ port: 0, fixtures: demoFixturesOwnedBy(ACCOUNT) });
  plugin = await startPlugin(PLUGIN_MAIN, bareEnv());
  engine = new Engine(plugin.client);
  await engine.configure(settings("keylink:"));
});

afterAll(async () => {
  await plugin?.close();
  await emu?.close();
});

const macsec = urnOf("keylink:alibaba:MacsecKeyAssociation", "uplink");
const cmk = urnOf("keylink:tencent:Cmk", "app-key");

test("Configure's variables reach the provider: a Cmk is created in the emulator they name, as their account", async () => {
  const { inputs, failures } = await engine.check(cmk, {}, { region: "ap-guangzhou", alias: "plugin-key" });
  expect(failures).toEqual([]);
  const created = await engine.create(cmk, inputs);
  expect(created.id).toMatch(/^ap-guangzhou:[0-9a-f-]+$/);
  expect(created.props).toMatchObject({ alias: "plugin-key", keyState: "Enabled", enabled: true });
  const log = await emu.admin.requests();
  expect(log.entries.some((e) => e.action === "CreateKey")).toBe(true);
  await engine.delete(cmk, created.id, created.props);
});

test("an explicit provider's inputs (keylink:config:<key>) configure it the same way", async () => {
  const other = await startPlugin(PLUGIN_MAIN, bareEnv());
  try {
    const e = new Engine(other.client);
    await e.configure(settings("keylink:config:"));
    const { failures } = await e.check(cmk, {}, { region: "ap-guangzhou", alias: "explicit-provider-key" });
    expect(failures).toEqual([]);
  } finally {
    await other.close();
  }
});

test("with no configuration, the environment variables are read", async () => {
  const other = await startPlugin(PLUGIN_MAIN, {
    ...bareEnv(),
    KEYLINK_EMULATOR_URL: emu.url,
    TENCENTCLOUD_SECRET_ID: ACCOUNT.accessKeyId,
    TENCENTCLOUD_SECRET_KEY: ACCOUNT.secret,
  });
  try {
    const e = new Engine(other.client);
    await e.configure({});
    await emu.admin.clearRequests();
    const { failures } = await e.check(cmk, {}, { region: "ap-guangzhou", alias: "from-env-key" });
    expect(failures).toEqual([]);
    expect((await emu.admin.requests()).entries.map((x) => x.action)).toContain("ListKeyDetail");
  } finally {
    await other.close();
  }
});

test("the CAK stays a secret on the wire: in check's inputs, create's outputs and a refresh; the id is the dynamic resource's", async () => {
  const news = {
    region: "cn-hangzhou",
    physicalConnectionId: "pc-demo0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: CKN.toLowerCase(),
    cak: secret(CAK.toLowerCase()),
  };
  const { inputs, failures } = await engine.check(macsec, {}, news);
  expect(failures).toEqual([]);
  expect(inputs.cak).toEqual(secret(CAK));
  expect(inputs.ckn).toBe(CKN);
  const created = await engine.create(macsec, inputs);
  expect(created.id).toBe(`cn-hangzhou:pc-demo0001:${CKN}`);
  expect(created.props.cak).toEqual(secret(CAK));
  expect(created.props.status).toBe("Associated");
  const read = await engine.read(macsec, created.id, created.props);
  expect(read.props.cak).toEqual(secret(CAK));
  expect(read.inputs?.cak).toEqual(secret(CAK));
  const diff = await engine.diff(macsec, created.id, created.props, inputs);
  expect(diff.changes).toBe(1); // DIFF_NONE
  await engine.delete(macsec, created.id, created.props);
  expect(plugin.stderr.join("")).not.toContain(CAK);
});

test("invalid inputs fail check naming the field, with no cloud call and no secret in the reason", async () => {
  await emu.admin.clearRequests();
  const { failures } = await engine.check(
    macsec,
    {},
    {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-256",
      ckn: CKN,
      cak: secret("12AB"),
    },
  );
  expect(failures).toEqual([
    { property: "", reason: "cak: must be 64 hex characters for GCM-AES-256 (got 4)" },
  ]);
  expect((await emu.admin.requests()).entries).toEqual([]);
});

test("a read with an id and no properties (pulumi import) returns the object's inputs", async () => {
  const { inputs } = await engine.check(
    cmk,
    {},
    { region: "ap-guangzhou", alias: "to-import", description: "d" },
  );
  const created = await engine.create(cmk, inputs);
  const read = await engine.read(cmk, created.id);
  expect(read.id).toBe(created.id);
  expect(read.inputs).toMatchObject({ region: "ap-guangzhou", alias: "to-import", description: "d" });
  await engine.delete(cmk, created.id, created.props);
});

test("an imported MACsec key set: its CAK is asked for by name, and once supplied the preview has no change", async () => {
  const news = macsecNews();
  const created = await engine.create(macsec, (await engine.check(macsec, {}, news)).inputs);
  const imported = await engine.read(macsec, created.id);
  expect(imported.inputs).not.toHaveProperty("cak");
  expect(imported.props).not.toHaveProperty("cak");
  const generated = await engine.check(macsec, {}, imported.inputs!);
  expect(generated.failures).toEqual([
    {
      property: "cak",
      reason:
        "cak: required, and the cloud never returns it, so 'pulumi import' cannot read it back: set it (as a secret) " +
        "to the value the object was made with.",
    },
  ]);
  const completed = await engine.check(macsec, imported.inputs!, { ...imported.inputs, cak: secret(CAK) });
  expect(completed.failures).toEqual([]);
  const diff = await engine.diff(macsec, created.id, imported.props, completed.inputs);
  expect(diff).toMatchObject({ changes: 1, replacesList: [] });
  await engine.delete(macsec, created.id, imported.props);
});

describe("engine features the Node.js provider SDK 3.259 passes to the plugin", () => {
  test("deleteBeforeReplace passes: a Cmk replacement that keeps its alias deletes the old key first", async () => {
    const { inputs } = await engine.check(cmk, {}, { region: "ap-guangzhou", alias: "dbr-key" });
    const created = await engine.create(cmk, inputs);
    const news = (
      await engine.check(cmk, inputs, {
        region: "ap-guangzhou",
        alias: "dbr-key",
        keyUsage: "ASYMMETRIC_DECRYPT_RSA_2048",
      })
    ).inputs;
    const diff = await engine.diff(cmk, created.id, created.props, news);
    expect(diff).toMatchObject({ changes: 2, replacesList: ["keyUsage"], deletebeforereplace: true });
    await engine.delete(cmk, created.id, created.props);
  });

  test("detailed diffs do not: the SDK's DiffResult has none, so the engine diffs the inputs itself for display", async () => {
    const { inputs } = await engine.check(cmk, {}, { region: "ap-guangzhou", alias: "detailed-key" });
    const created = await engine.create(cmk, inputs);
    const news = (
      await engine.check(cmk, inputs, { region: "ap-guangzhou", alias: "detailed-key", description: "x" })
    ).inputs;
    const diff = await engine.diff(cmk, created.id, created.props, news);
    expect(diff).toMatchObject({ changes: 2, hasdetaileddiff: false, detaileddiffMap: [] });
    await engine.delete(cmk, created.id, created.props);
  });

  test("customTimeouts do not: a create given a 1 s timeout still waits out a 2.5 s MACsec transition (timeoutSeconds is the deadline)", async () => {
    const { macsecTransition } = await emu.admin.setDurations({});
    await emu.admin.setDurations({ macsecTransition: 2500 });
    try {
      const news = macsecNews();
      const started = Date.now();
      const created = await engine.create(macsec, (await engine.check(macsec, {}, news)).inputs, 1);
      expect(Date.now() - started).toBeGreaterThan(2500);
      expect(created.props.status).toBe("Associated");
      await engine.delete(macsec, created.id, created.props);
    } finally {
      await emu.admin.setDurations({ macsecTransition });
    }
  });
});

test("inputs not known at preview (output values, plain or secret) are left for later, and a secret one stays secret", async () => {
  const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  await emu.admin.clearRequests();
  const { inputs, failures } = await engine.check(
    macsec,
    {},
    {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-XPN-256",
      ckn: { [SIG]: OUTPUT, dependencies: ["urn:pulumi:test::keylink::x::y"] },
      cak: { [SIG]: OUTPUT, secret: true, dependencies: [] },
    },
  );
  expect(failures).toEqual([]);
  expect(inputs.ckn).toBe(UNKNOWN);
  expect(inputs.cak).toEqual(secret(UNKNOWN));
  expect((await emu.admin.requests()).entries).toEqual([]);
});

test("warnings reach the engine that started the plugin as warnings, not as stderr text", async () => {
  const logged: Array<{ severity: number; message: string }> = [];
  const server = new grpc.Server();
  server.addService(engineRpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, done: grpc.sendUnaryData<Empty>) => {
      logged.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
      done(null, new Empty());
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const other = await startPlugin(PLUGIN_MAIN, bareEnv(), ["-v=3", `127.0.0.1:${port}`]);
  try {
    const e = new Engine(other.client);
    await e.configure(settings("keylink:"));
    const { failures } = await e.check(
      macsec,
      {},
      {
        region: "cn-hangzhou",
        physicalConnectionId: { [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", dependencies: [] },
        cipherSuite: "GCM-AES-XPN-256",
        ckn: "AB".repeat(32),
        cak: secret(CAK),
      },
    );
    expect(failures).toEqual([]);
    expect(logged).toEqual([
      {
        severity: enginePb.LogSeverity.WARNING,
        message: expect.stringMatching(/physicalConnectionId/) as string,
      },
    ]);
    expect(other.stderr.join("")).not.toMatch(/warning/i);
  } finally {
    await other.close();
    server.forceShutdown();
  }
});

test("a type the plugin does not serve is named in the error", async () => {
  await expect(engine.check(urnOf("keylink:tencent:Nope", "x"), {}, {})).rejects.toThrow(
    /no resource type 'keylink:tencent:Nope'; it serves keylink:alibaba:MacsecKeyAssociation/,
  );
});
