// Small stand-in service models for testing the wire layer on its own: a store of named "things".
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import type { EmulatorOptions } from "../../src/emulator/start";
import { paramReader } from "../../src/emulator/params";
import { withoutProxies } from "./emulator-clients";
import {
  type ActionHandler,
  type EmulatorCloud,
  ServiceError,
  type ServiceModel,
  type WireProtocol,
} from "../../src/emulator/types";

export interface FakeSpec {
  key: string;
  cloud: EmulatorCloud;
  service: string;
  protocols: WireProtocol[];
  versions: string[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function fakeModel(
  spec: FakeSpec,
): ServiceModel & { things: Map<string, { name: string; account: string }> } {
  const things = new Map<string, { name: string; account: string }>();
  const codes = { missing: "MissingParameter", invalid: "InvalidParameter" };
  const actions: Record<string, ActionHandler> = {
    Echo: (req) => ({
      Params: req.params,
      Region: req.region,
      Account: req.account,
      Service: req.service,
      Version: req.version,
      Protocol: req.protocol,
    }),
    CreateThing: (req, ctx) => {
      const name = paramReader(req.params, codes).str("Name", { required: true, maxLength: 64 });
      if (things.has(name))
        throw new ServiceError("Thing.AlreadyExists", `Thing ${name} already exists.`, 409);
      things.set(name, { name, account: req.account });
      ctx.changed();
      return { Name: name };
    },
    ListThings: () => ({ Things: [...things.keys()] }),
    Modify: async (req, ctx) => {
      await sleep(ctx.durationMs("fakeModify"));
      return { GatewayId: req.params.GatewayId };
    },
    Boom: () => {
      throw new Error("model bug");
    },
    BigIntPayload: () => ({ n: BigInt(1) }),
    Now: (_req, ctx) => ({ NowMs: ctx.now() }),
  };
  return {
    ...spec,
    things,
    actions: (protocol) => (spec.protocols.includes(protocol) ? actions : {}),
    loadFixtures: (fixtures) => {
      const list = (fixtures as { things?: unknown })?.things;
      if (!Array.isArray(list)) throw new Error(`${spec.key}.things must be an array`);
      list.forEach((t: unknown, i) => {
        const name = (t as { name?: unknown })?.name;
        if (typeof name !== "string") throw new Error(`${spec.key}.things[${i}].name must be a string`);
        things.set(name, { name, account: "1234567890" });
      });
    },
    toJSON: () => ({ things: [...things.values()] }),
    fromJSON: (state) => {
      things.clear();
      for (const t of (state as { things: Array<{ name: string; account: string }> }).things)
        things.set(t.name, t);
    },
    reset: () => things.clear(),
    inventory: () => ({ things: [...things.keys()] }),
    lockKey: (req) => (req.action === "Modify" ? String(req.params.GatewayId) : undefined),
  };
}

/** One fake per cloud and protocol, with the versions the real clients send. */
export function fakeModels() {
  return {
    alibabaVpc: fakeModel({
      key: "alibabaVpc",
      cloud: "alibaba",
      service: "vpc",
      protocols: ["alibaba-rpc"],
      versions: ["2016-04-28"],
    }),
    alibabaKms: fakeModel({
      key: "alibabaKms",
      cloud: "alibaba",
      service: "kms",
      protocols: ["alibaba-rpc"],
      versions: ["2016-01-20"],
    }),
    volcengineKms: fakeModel({
      key: "volcengineKms",
      cloud: "volcengine",
      service: "kms",
      protocols: ["volcengine"],
      versions: ["2021-02-18"],
    }),
    tencentKms: fakeModel({
      key: "tencentKms",
      cloud: "tencent",
      service: "kms",
      protocols: ["tencent-tc3", "tencent-legacy"],
      versions: ["2019-01-18"],
    }),
  };
}

/**
 * The emulator serving the fakes, started before the file's tests with the proxy settings the client libraries
 * would honour removed, reset before each test, closed and the settings restored after. The handle reads the
 * running emulator, which exists only once beforeAll has run.
 */
export function useFakeEmulator(opts: Omit<EmulatorOptions, "port"> = {}): RunningEmulator {
  let emu: RunningEmulator | undefined;
  let restoreProxies: (() => void) | undefined;
  const running = (): RunningEmulator => {
    if (!emu) throw new Error("the fake emulator is not running: use it inside a test");
    return emu;
  };
  beforeAll(async () => {
    restoreProxies = withoutProxies();
    emu = await startEmulator({ ...opts, port: 0, models: Object.values(fakeModels()) });
  });
  afterAll(async () => {
    await emu?.close();
    restoreProxies?.();
  });
  beforeEach(() => running().admin.reset());
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get admin() {
      return running().admin;
    },
    close: () => running().close(),
  };
}
