// Several deployments at once, each a real `pulumi` CLI process with its own work folder and file backend (as two
// CI jobs have), against one emulator:
// (a) two stacks whose VPN connections share one gateway, deployed at the same time, their writes held until both
//     are sent: the gateway takes one change at a time (2 s each here), so one stack meets the cloud's busy
//     answer to the other's change in flight and retries within its deadline; both converge, each connection
//     with its own settings.
// (b) two stacks creating Cmks in one region, both past their preview before either creates (their CreateKey
//     calls are held at a barrier): near the account's quota, and with the same alias. One converges; the other
//     fails with the cloud's code and a message naming the key the other stack created; nothing is lost, no key
//     is left that no state records, and no key is recorded by both.
// (c) a person changes the connection a stack is configuring (by hand, through the cloud's API, as the console
//     does) between the stack's read of it and its write: the person's change is not overwritten silently by
//     settings from the stale read; the stack either keeps it or fails naming the connection.
// The stacks reach the emulator through a loopback proxy each (test/support/reliability/lossy-proxy.ts), which
// only holds their writes where a case says so.
import * as fs from "node:fs";
import * as path from "node:path";
import { alibabaClient } from "../../src/clouds/alibaba";
import { startEmulator } from "../../src/emulator";
import type { EmulatorFixtures } from "../../src/emulator/admin-client";
import { type ProjectStack, installPackageIntoExamples } from "../../scripts/engine";
import { demoFixturesOwnedBy } from "../support/fixtures";
import { type LossyProxy, startLossyProxy } from "../support/reliability/lossy-proxy";
import {
  E2E_ACCOUNT,
  type RunningEmulator,
  expectNoSecrets,
  openE2EStack,
  useEmulatorAsE2E,
} from "../support/e2e";

jest.setTimeout(600_000);

const VPN_PROJECT = path.join(__dirname, "projects", "concurrent-vpn");
const CMK_PROJECT = path.join(__dirname, "projects", "concurrent-cmk");

interface Deployment {
  name: string;
  stack: ProjectStack;
  workDir: string;
  proxy: LossyProxy;
  output: string[];
}

interface Cloud {
  emulator: RunningEmulator;
  deployments: Deployment[];
}

async function startCloud(
  fixtures: EmulatorFixtures,
  durations: Record<string, number> = {},
): Promise<Cloud> {
  installPackageIntoExamples();
  const emulator = await startEmulator({
    port: 0,
    fixtures,
    durations: { vpnGatewayUpdate: 300, macsecTransition: 200, replicaCreate: 200, ...durations },
  });
  useEmulatorAsE2E(emulator.url);
  return { emulator, deployments: [] };
}

/** A stack of `project` (another CI job: its own work folder and backend) behind its own proxy. */
async function deploy(
  cloud: Cloud,
  name: string,
  project: string,
  config: Record<string, string>,
  secret: string[] = [],
) {
  const proxy = await startLossyProxy(cloud.emulator.url);
  const { stack, workDir } = await openE2EStack({
    projectDir: project,
    name,
    stackName: name,
    emulatorUrl: proxy.url,
    config: Object.fromEntries(
      Object.entries(config).map(([k, value]) => [k, { value, secret: secret.includes(k) }]),
    ),
  }).catch(async (e: unknown) => {
    await proxy.close();
    throw e;
  });
  // Every call of the stack's processes goes through its proxy: the emulator address this test process uses
  // for its own clients (KEYLINK_EMULATOR_URL, inherited by the CLI) must not take them around it.
  stack.env.KEYLINK_EMULATOR_URL = proxy.url;
  const d: Deployment = { name, stack, workDir, proxy, output: [] };
  cloud.deployments.push(d);
  return d;
}

async function stopCloud(cloud: Cloud | undefined): Promise<void> {
  if (!cloud) return;
  for (const d of cloud.deployments) {
    await d.proxy.close();
    fs.rmSync(d.workDir, { recursive: true, force: true });
  }
  await cloud.emulator.close();
}

type Outcome = { ok: true; outputs: Record<string, { value: unknown }> } | { ok: false; message: string };

async function upOutcome(d: Deployment): Promise<Outcome> {
  try {
    return { ok: true, outputs: (await d.stack.up({ onOutput: (s) => d.output.push(s) })).outputs };
  } catch (e) {
    const message = String((e as Error).message);
    d.output.push(message);
    return { ok: false, message };
  }
}

/** The ids of the keylink resources of a stack's state. */
async function stateIds(d: Deployment): Promise<string[]> {
  const exported = JSON.parse(await d.stack.exportState()) as {
    deployment: { resources?: Array<{ type: string; id?: string }> };
  };
  return (exported.deployment.resources ?? [])
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/keylink:"))
    .map((r) => String(r.id));
}

/**
 * Releases every caller once `n` different parties have arrived (a client's retry of a held call counts for its
 * party once), or after `timeoutMs`, so that one stack failing early cannot hang the other.
 */
function barrier(n: number, timeoutMs = 60_000): (party: string) => Promise<void> {
  const arrived = new Set<string>();
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, timeoutMs).unref();
  });
  return async (party) => {
    arrived.add(party);
    if (arrived.size === n) release();
    await all;
  };
}

interface LiveConnection {
  IkeConfig: Record<string, unknown> & { Psk: string; IkeLifetime: number; IkeEncAlg: string };
  IpsecConfig: Record<string, unknown> & { IpsecEncAlg: string };
}

function describeConnection(id: string): Promise<LiveConnection> {
  return alibabaClient("vpc", "cn-hangzhou").call<LiveConnection>("DescribeVpnConnection", {
    VpnConnectionId: id,
  });
}

interface TencentKey {
  keyId: string;
  alias: string;
  keyState: string;
}

async function tencentKeys(cloud: Cloud): Promise<TencentKey[]> {
  return (await cloud.emulator.admin.inventory<{ tencentKms: { keys: TencentKey[] } }>()).tencentKms.keys;
}

describe("two stacks whose VPN connections share one gateway, deployed at the same time", () => {
  let cloud: Cloud;
  let a: Deployment;
  let b: Deployment;
  const psk = { a: "pskTeamA-4Hq8Zm2Rw", b: "pskTeamB-9Lx3Vn6Ts" };

  beforeAll(async () => {
    // A gateway change takes long enough that the two stacks' changes overlap.
    cloud = await startCloud(demoFixturesOwnedBy(E2E_ACCOUNT), { vpnGatewayUpdate: 2000 });
    a = await deploy(
      cloud,
      "vpn-a",
      VPN_PROJECT,
      { "concurrent:vpnConnectionId": "vco-demo0001", "concurrent:psk": psk.a },
      ["concurrent:psk"],
    );
    b = await deploy(
      cloud,
      "vpn-b",
      VPN_PROJECT,
      { "concurrent:vpnConnectionId": "vco-demo0002", "concurrent:psk": psk.b },
      ["concurrent:psk"],
    );
  });

  afterAll(async () => {
    await stopCloud(cloud);
  });

  it("both converge, each connection with its own settings", async () => {
    await cloud.emulator.admin.clearRequests();
    // Both stacks' writes reach the gateway together: the cloud takes one and answers the other busy.
    const gate = barrier(2);
    for (const d of [a, b])
      d.proxy.beforeWrite((action) =>
        action === "ModifyVpnConnectionAttribute" ? gate(d.name) : Promise.resolve(),
      );
    const [ua, ub] = await Promise.all([upOutcome(a), upOutcome(b)]);
    for (const d of [a, b]) d.proxy.beforeWrite(undefined);
    expect(ua).toMatchObject({ ok: true });
    expect(ub).toMatchObject({ ok: true });

    const busy = (await cloud.emulator.admin.requests()).entries.filter((e) =>
      ["VpnTask.CONFLICT", "VpnGateway.Configuring"].includes(e.code ?? ""),
    );
    expect(busy.length).toBeGreaterThan(0);
    for (const [id, want] of [
      ["vco-demo0001", psk.a],
      ["vco-demo0002", psk.b],
    ]) {
      const live = await describeConnection(id);
      expect(live.IkeConfig).toMatchObject({ Psk: want, IkeEncAlg: "aes256" });
      expect(live.IpsecConfig).toMatchObject({ IpsecEncAlg: "aes256" });
    }
    expect(await stateIds(a)).toEqual(["cn-hangzhou:vco-demo0001"]);
    expect(await stateIds(b)).toEqual(["cn-hangzhou:vco-demo0002"]);
    for (const d of [a, b]) await d.stack.preview({ refresh: true, expectNoChanges: true });
    const states = await Promise.all([a.stack.exportState(), b.stack.exportState()]);
    expectNoSecrets([...a.output, ...b.output, ...states], [psk.a, psk.b, E2E_ACCOUNT.secret]);
  });

  it("both destroy at the same time, each connection back to its settings", async () => {
    const before = await describeConnection("vco-demo0001");
    await Promise.all([
      a.stack.destroy({ onOutput: (s) => a.output.push(s) }),
      b.stack.destroy({ onOutput: (s) => b.output.push(s) }),
    ]);
    expect(await stateIds(a)).toEqual([]);
    expect(await stateIds(b)).toEqual([]);
    // restoreOnDelete: the PSK given by the stack is gone from the connection.
    expect((await describeConnection("vco-demo0001")).IkeConfig.Psk).not.toBe(before.IkeConfig.Psk);
    expect((await describeConnection("vco-demo0002")).IkeConfig.Psk).not.toBe(psk.b);
  });
});

/**
 * Two stacks create their Cmk at the same moment, both past preview: their CreateKey calls wait at a barrier
 * until both have sent one. Answers both outcomes and the key each state holds.
 */
async function raceCreates(cloud: Cloud, a: Deployment, b: Deployment) {
  const gate = barrier(2);
  for (const d of [a, b])
    d.proxy.beforeWrite((action) => (action === "CreateKey" ? gate(d.name) : Promise.resolve()));
  const outcomes = await Promise.all([upOutcome(a), upOutcome(b)]);
  for (const d of [a, b]) d.proxy.beforeWrite(undefined);
  const winner = outcomes[0].ok ? a : b;
  const loser = outcomes[0].ok ? b : a;
  return { outcomes, winner, loser, winnerIds: await stateIds(winner), loserIds: await stateIds(loser) };
}

/** One stack won the race, the other failed with `code` naming the winner's key; nothing lost, nothing orphaned. */
async function expectOneWinner(
  cloud: Cloud,
  race: Awaited<ReturnType<typeof raceCreates>>,
  code: RegExp,
  alias: string,
) {
  const { outcomes, winnerIds, loserIds } = race;
  expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  const failure = outcomes.find((o) => !o.ok) as { ok: false; message: string };
  expect(winnerIds).toHaveLength(1);
  const winnerKey = winnerIds[0].split(":").pop() as string;
  // The loser records nothing.
  expect(loserIds).toEqual([]);
  // Exactly one key exists, the winner's, live with its alias: no second key that no state knows.
  expect(await tencentKeys(cloud)).toEqual([
    expect.objectContaining({ keyId: winnerKey, keyState: "Enabled", alias }),
  ]);
  // The cloud's code, and the key that took the place.
  expect(failure.message).toMatch(code);
  expect(failure.message).toContain(winnerKey);
}

/**
 * Two stacks (`name`-a and `name`-b) of the CMK project on one emulator with `fixtures`, their Cmks given
 * `aliases`, race to create: one converges, the other fails with `code` naming the winner's key.
 */
function cmkRace(
  title: string,
  name: string,
  fixtures: EmulatorFixtures,
  aliases: [string, string],
  code: RegExp,
) {
  describe(title, () => {
    let cloud: Cloud;
    let a: Deployment;
    let b: Deployment;

    beforeAll(async () => {
      cloud = await startCloud(fixtures);
      a = await deploy(cloud, `${name}-a`, CMK_PROJECT, { "concurrent:alias": aliases[0] });
      b = await deploy(cloud, `${name}-b`, CMK_PROJECT, { "concurrent:alias": aliases[1] });
    });

    afterAll(async () => {
      await stopCloud(cloud);
    });

    it(`one converges; the other fails with ${code.source.replace(/\\/g, "")} naming the key that took its place`, async () => {
      const race = await raceCreates(cloud, a, b);
      await expectOneWinner(cloud, race, code, race.winner === a ? aliases[0] : aliases[1]);
      await race.winner.stack.preview({ refresh: true, expectNoChanges: true });
    });
  });
}

// The demo fixtures hold no CMK: a quota of one leaves room for one key.
cmkRace(
  "two stacks creating Cmks in one region when the quota leaves room for one",
  "quota",
  { ...demoFixturesOwnedBy(E2E_ACCOUNT), tencentKms: { keys: [], quota: 1 } },
  ["team-a-key", "team-b-key"],
  /LimitExceeded\.CmkLimitExceeded/,
);

cmkRace(
  "two stacks creating Cmks with the same alias at the same time",
  "alias",
  demoFixturesOwnedBy(E2E_ACCOUNT),
  ["shared-app-key", "shared-app-key"],
  /InvalidParameterValue\.AliasAlreadyExists/,
);

describe("a person changing the connection by hand while the stack configures it", () => {
  let cloud: Cloud;
  let d: Deployment;
  const psk = "pskByStack-7Ke2Wq5Mz";

  beforeAll(async () => {
    cloud = await startCloud(demoFixturesOwnedBy(E2E_ACCOUNT));
    d = await deploy(
      cloud,
      "by-hand",
      VPN_PROJECT,
      { "concurrent:vpnConnectionId": "vco-demo0001", "concurrent:psk": psk },
      ["concurrent:psk"],
    );
  });

  afterAll(async () => {
    await stopCloud(cloud);
  });

  it("the person's change is not overwritten silently by the stack's stale read", async () => {
    const before = await describeConnection("vco-demo0001");
    const byHand = before.IkeConfig.IkeLifetime === 7200 ? 3600 : 7200;
    let changed = false;
    // Between the stack's last read of the connection and its write: the person changes the IKE lifetime (a
    // setting the stack does not manage). The stack's write then meets the gateway busy with that change, as it
    // would in the cloud (the gateway takes one change at a time): no API offers a conditional write, so the
    // stack must read again before it writes again, and keep the person's setting.
    d.proxy.beforeWrite(async (action) => {
      if (action !== "ModifyVpnConnectionAttribute" || changed) return;
      changed = true;
      await alibabaClient("vpc", "cn-hangzhou").call("ModifyVpnConnectionAttribute", {
        VpnConnectionId: "vco-demo0001",
        IkeConfig: JSON.stringify({ IkeLifetime: byHand }),
      });
    });
    const up = await upOutcome(d);
    d.proxy.beforeWrite(undefined);
    expect(changed).toBe(true);
    const live = await describeConnection("vco-demo0001");
    if (up.ok) {
      // The stack went on: the person's setting is still there, and the stack's own settings too.
      expect(live.IkeConfig).toMatchObject({ IkeLifetime: byHand, Psk: psk, IkeEncAlg: "aes256" });
      await d.stack.preview({ refresh: true, expectNoChanges: true });
    } else {
      // The stack stopped: it says which connection changed under it, and the person's setting stands.
      expect(up.message).toContain("vco-demo0001");
      expect(live.IkeConfig.IkeLifetime).toBe(byHand);
    }
    expectNoSecrets([...d.output, await d.stack.exportState()], [psk, E2E_ACCOUNT.secret]);
  });
});
