// Shared set-up of the reliability suites and the soak runner (scripts/soak.ts): the demo project (examples/demo, fixtures examples/fixtures/demo.json,
// a copy of the project per rig) through the real Pulumi CLI and its language host against an emulator
// (in-process, or its bin), seeded secrets, the inventory checks that prove a deployment converged (or was fully
// removed), and a hard kill of the CLI's process tree.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// Jest's own assertion library, imported so that the soak runner (scripts/soak.ts), outside Jest, checks the same way.
import { expect } from "expect";
import { EXAMPLES_DIR, installPackageIntoExamples, openProject } from "../../../scripts/engine";
import { alibabaClient } from "../../../src/clouds/alibaba";
import { startEmulator } from "../../../src/emulator";
import { EmulatorAdmin, type EmulatorFixtures } from "../../../src/emulator/admin-client";
import { mulberry32 } from "../../../src/emulator/faults";
import type { LogEntry } from "../../../src/emulator/request-log";
import type { E2E } from "../e2e";
import { type DemoSecrets, demoConfig, demoSecrets } from "../demo";
import { demoFixtures } from "../fixtures";
import { useAccountInProcess, credentialsConfig } from "../accounts";
import { type LossyProxy, startLossyProxy } from "./lossy-proxy";

/**
 * A fixture account with distinctive secrets (searched for in state and output). It owns the demo fixtures'
 * account (1234567890), so the fixture objects are its own.
 */
export const RELIABILITY_ACCOUNT = {
  accessKeyId: "AKIDkeylinkRel01",
  secret: "relAccessSecret-9Xq4Lm2Vt8Ws",
  account: "1234567890",
};

export const DEMO_DURATIONS = { vpnGatewayUpdate: 150, macsecTransition: 100, replicaCreate: 100 };

/** The base seed of a suite: RELIABILITY_SEED replays a failed run, otherwise `fallback` (fixed, for CI). */
export function baseSeed(fallback: number): number {
  const raw = process.env.RELIABILITY_SEED;
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
    throw new Error(`RELIABILITY_SEED must be an integer in [0, 2^32), got '${raw}'`);
  return n;
}

/** `count` seeds derived from `base` (the first is `base` itself, so one failing seed replays alone). */
export function seedsFrom(base: number, count: number): number[] {
  const random = mulberry32(base);
  return [base, ...Array.from({ length: count - 1 }, () => Math.floor(random() * 2 ** 32))];
}

export type { DemoSecrets };

/** The demo's secrets drawn from `seed`, so a run replays. */
export function seededDemoSecrets(seed: number): DemoSecrets {
  const random = mulberry32(seed ^ 0x5eed);
  return demoSecrets((n) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256))));
}

/** Every secret the stack handles, in the forms a leak could take (the CAK also lower-cased). */
export function secretValues(s: DemoSecrets): string[] {
  return [s.cak, s.cak.toLowerCase(), s.psk1, s.psk2, s.keyMaterial, RELIABILITY_ACCOUNT.secret];
}

export interface Rig extends E2E {
  /** Every cloud request the emulator answered, in order (cleared by the suites between runs). */
  log: LogEntry[];
  /** Called with each answered cloud request (the interruption suite kills the CLI from here). */
  onRequest?: (entry: LogEntry) => void;
  secrets: DemoSecrets;
  /** Between the stack and the emulator when asked for: drops answers of writes on demand. */
  proxy?: LossyProxy;
  /** The emulator, when it runs as its bin (then `log` stays empty: its stdout has one line per call). */
  bin?: EmulatorBin;
}

export interface RigOptions {
  seed: number;
  /** Run the emulator as its bin in a child process (its stdout is kept) instead of in this process. */
  bin?: boolean;
  /** Route the stack's calls through a lossy proxy (the suites' own reads go to the emulator directly). */
  proxy?: boolean;
  /** Another project than the demo, with its own fixtures (owned by the reliability account). */
  project?: { dir: string; fixtures: EmulatorFixtures };
}

/** Starts an emulator with the demo fixtures and the demo stack on it, credentials and secrets in stack config. */
export async function startRig(opts: RigOptions): Promise<Rig> {
  installPackageIntoExamples();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-reliability-"));
  // The emulator's files (its fixtures hold the account secret: the cloud's side) apart from Pulumi's.
  const emulatorDir = path.join(workDir, "emulator");
  fs.mkdirSync(emulatorDir);
  const log: LogEntry[] = [];
  // The emulator's answer hook reaches the rig built below (the suites set rig.onRequest).
  const late: { rig?: Rig } = {};
  const fixtures = { ...(opts.project?.fixtures ?? demoFixtures()), accounts: [RELIABILITY_ACCOUNT] };
  let bin: EmulatorBin | undefined;
  if (opts.bin) {
    const fixturesFile = path.join(emulatorDir, "fixtures.json");
    fs.writeFileSync(fixturesFile, JSON.stringify(fixtures));
    bin = await startEmulatorBin(["--fixtures", fixturesFile]);
    await bin.admin.setDurations(DEMO_DURATIONS);
  }
  const emulator =
    bin ??
    (await startEmulator({
      port: 0,
      fixtures,
      durations: DEMO_DURATIONS,
      onRequest: (entry) => {
        log.push(entry);
        late.rig?.onRequest?.(entry);
      },
    }));
  // Our own clients (used by the suites for reads) talk to the same emulator as the same account.
  useAccountInProcess(emulator.url, RELIABILITY_ACCOUNT);
  const proxy = opts.proxy ? await startLossyProxy(emulator.url) : undefined;
  const stack = await openProject({
    projectDir: opts.project?.dir ?? path.join(EXAMPLES_DIR, "demo"),
    stackName: "reliability",
    workDir,
    emulatorUrl: proxy?.url ?? emulator.url,
    config: {
      ...credentialsConfig(RELIABILITY_ACCOUNT),
    },
  }).catch(async (e: unknown) => {
    // Nothing else would stop the emulator and the proxy: the suite's afterAll gets no rig.
    await proxy?.close();
    await emulator.close();
    fs.rmSync(workDir, { recursive: true, force: true });
    throw e;
  });
  const output: string[] = [];
  const rig: Rig = {
    emulator,
    stack,
    workDir,
    output,
    onOutput: (s) => output.push(s),
    log,
    secrets: seededDemoSecrets(opts.seed),
    proxy,
    bin,
  };
  late.rig = rig;
  await useSeed(rig, opts.seed);
  return rig;
}

/** The demo's secrets for `seed`, into stack config as scripts/demo.ts sets them: the CKN plain, the rest secret. */
export async function useSeed(rig: Rig, seed: number): Promise<void> {
  rig.secrets = seededDemoSecrets(seed);
  await rig.stack.setAllConfig(demoConfig(rig.secrets));
}

/** Back to the demo fixtures with nothing of ours deployed: emulator reset, faults and logs cleared. */
export async function resetCloud(rig: Rig): Promise<void> {
  await rig.emulator.admin.reset();
  rig.log.length = 0;
}

// ------------------------------------------------------------------------------------------------ inventory

interface MacsecKey {
  ckn: string;
  cipherSuite: string;
  status: string;
}
interface PhysicalConnection {
  physicalConnectionId: string;
  macsecKeys: MacsecKey[];
}
interface VpnGateway {
  vpnGatewayId: string;
  status: string;
  maxInFlight: number;
}
interface VpnConnection {
  vpnConnectionId: string;
  state: string;
  ikeConfig: Record<string, unknown>;
  ipsecConfig: Record<string, unknown>;
}
interface AlibabaKey {
  keyId: string;
  keyState: string;
  materialPresent: boolean;
}
interface VolcKey {
  id: string;
  keyringName: string;
  keyName: string;
  keyState: string;
  multiRegionKeyType: string;
  description: string;
}
interface TencentKey {
  keyId: string;
  alias: string;
  keyState: string;
  description: string;
}
export interface Inventory {
  alibabaVpc: {
    physicalConnections: PhysicalConnection[];
    vpnGateways: VpnGateway[];
    vpnConnections: VpnConnection[];
  };
  alibabaKms: { keys: AlibabaKey[] };
  volcengineKms: {
    accounts: Record<string, Record<string, { keyrings: string[]; keys: VolcKey[] }>>;
  };
  tencentKms: { keys: TencentKey[] };
}

export function inventory(rig: Rig): Promise<Inventory> {
  return rig.emulator.admin.inventory<Inventory>();
}

/** An IPsec connection as the cloud's own read API shows it (the inventory leaves PSKs out). */
export interface LiveVpn {
  psk: string;
  ike: Record<string, unknown>;
  ipsec: Record<string, unknown>;
  enableDpd: boolean;
}

export interface CloudView {
  inv: Inventory;
  vpn: Record<string, LiveVpn>;
}

export const DEMO_CONNECTIONS = ["vco-demo0001", "vco-demo0002"];

/** The emulator's inventory plus the demo connections read through our real client (DescribeVpnConnection). */
export async function cloudView(rig: Rig): Promise<CloudView> {
  const vpn: Record<string, LiveVpn> = {};
  for (const id of DEMO_CONNECTIONS) {
    const body = await alibabaClient("vpc", "cn-hangzhou").call<{
      IkeConfig: Record<string, unknown> & { Psk: string };
      IpsecConfig: Record<string, unknown>;
      EnableDpd: boolean;
    }>("DescribeVpnConnection", { VpnConnectionId: id });
    const { Psk, ...ike } = body.IkeConfig;
    vpn[id] = { psk: Psk, ike, ipsec: body.IpsecConfig, enableDpd: body.EnableDpd };
  }
  return { inv: await inventory(rig), vpn };
}

const ACCOUNT = RELIABILITY_ACCOUNT.account;

function volcKeys(inv: Inventory, region: string): VolcKey[] {
  return inv.volcengineKms.accounts[ACCOUNT]?.[region]?.keys ?? [];
}

/** What the demo's VPN connections must show after `up` (examples/demo/index.ts). */
const DEMO_IKE = {
  ikeVersion: "ikev2",
  ikeEncAlg: "aes256",
  ikeAuthAlg: "sha256",
  ikePfs: "group14",
  ikeLifetime: 28800,
};
const DEMO_IPSEC = {
  ipsecEncAlg: "aes256",
  ipsecAuthAlg: "sha256",
  ipsecPfs: "group14",
  ipsecLifetime: 3600,
};

/**
 * The cloud holds exactly what the stack says: one MACsec key (ours, Associated), both connections configured,
 * the BYOK key Enabled with material, one replica of the primary, one CMK with the alias; nothing else of ours.
 * Also: no VPN gateway ever had two changes in flight.
 */
export function expectConverged(
  view: CloudView,
  outputs: Record<string, { value: unknown }>,
  s: DemoSecrets,
): void {
  const inv = view.inv;
  const [pc] = inv.alibabaVpc.physicalConnections;
  expect(pc.macsecKeys).toEqual([
    expect.objectContaining({ ckn: s.ckn, cipherSuite: "GCM-AES-XPN-256", status: "Associated" }),
  ]);
  expect(outputs.macsecStatus.value).toBe("Associated");

  for (const id of ["vco-demo0001", "vco-demo0002"]) {
    const conn = inv.alibabaVpc.vpnConnections.find((c) => c.vpnConnectionId === id);
    expect(conn).toMatchObject({ state: "active", ikeConfig: DEMO_IKE, ipsecConfig: DEMO_IPSEC });
  }
  expect(view.vpn["vco-demo0001"]).toMatchObject({ psk: s.psk1, enableDpd: true });
  expect(view.vpn["vco-demo0002"]).toMatchObject({ psk: s.psk2, enableDpd: true });
  expect(outputs.vpnConnections.value).toEqual(DEMO_CONNECTIONS);
  const [gw] = inv.alibabaVpc.vpnGateways;
  expect(gw.status).toBe("active");
  expect(gw.maxInFlight).toBeLessThanOrEqual(1);

  expect(inv.alibabaKms.keys).toEqual([
    expect.objectContaining({ keyId: "key-byok-demo-0001", keyState: "Enabled", materialPresent: true }),
  ]);
  expect(outputs.byokKeyState.value).toBe("Enabled");

  const [primary] = volcKeys(inv, "cn-beijing");
  expect(volcKeys(inv, "cn-beijing")).toHaveLength(1);
  expect(volcKeys(inv, "cn-shanghai")).toEqual([
    expect.objectContaining({
      id: primary.id,
      keyringName: "orders",
      keyName: "mrk-orders",
      keyState: "Enable",
      multiRegionKeyType: "REPLICA",
      description: "Orders key, Shanghai replica",
    }),
  ]);
  expect(outputs.replicaTrn.value).toBe(`trn:kms:cn-shanghai:${ACCOUNT}:keyrings/orders/keys/mrk-orders`);

  expect(inv.tencentKms.keys).toEqual([
    expect.objectContaining({
      keyId: outputs.appKeyId.value,
      alias: "app-data-key",
      keyState: "Enabled",
      description: "Encrypts application data",
    }),
  ]);
  // No key of ours in any other region or account.
  expect(Object.keys(inv.volcengineKms.accounts)).toEqual([ACCOUNT]);
  for (const [region, { keys }] of Object.entries(inv.volcengineKms.accounts[ACCOUNT])) {
    if (region !== "cn-beijing" && region !== "cn-shanghai") expect(keys).toEqual([]);
  }
}

/** The resources of the demo in an exported state, by type: their ids. */
function idsByType(exported: string): Record<string, string[]> {
  const resources = (
    JSON.parse(exported) as { deployment: { resources?: Array<{ type: string; id?: string }> } }
  ).deployment.resources;
  const out: Record<string, string[]> = {};
  for (const r of resources ?? []) {
    const type = /^pulumi-nodejs:dynamic\/keylink:(\w+)$/.exec(r.type)?.[1];
    if (type) (out[type] ??= []).push(String(r.id));
  }
  for (const ids of Object.values(out)) ids.sort();
  return out;
}

/** The state (as `pulumi stack export` shows it) records exactly the objects the cloud holds, by their ids. */
export function expectStateMatchesCloud(exported: string, view: CloudView, s: DemoSecrets): void {
  const inv = view.inv;
  const replica = volcKeys(inv, "cn-shanghai")[0];
  expect(idsByType(exported)).toEqual({
    Cmk: [`ap-guangzhou:${inv.tencentKms.keys[0].keyId}`],
    ImportedKeyMaterial: ["cn-hangzhou:key-byok-demo-0001"],
    MacsecKeyAssociation: [`cn-hangzhou:pc-demo0001:${s.ckn}`],
    ReplicaKey: [`cn-shanghai:${replica.id}`],
    VpnConnectionConfig: DEMO_CONNECTIONS.map((id) => `cn-hangzhou:${id}`),
  });
}

/** After destroy the state holds none of the demo's resources. */
export function expectStateEmpty(exported: string): void {
  expect(idsByType(exported)).toEqual({});
}

/**
 * After `destroy` nothing of ours is active: no MACsec key on the connection, the connections back to their
 * fixture settings (restoreOnDelete), the BYOK material removed, the replica and the CMK pending deletion with
 * the CMK's alias freed; the fixture objects themselves untouched.
 */
export function expectDestroyed(view: CloudView, initial: CloudView): void {
  const inv = view.inv;
  expect(inv.alibabaVpc.physicalConnections[0].macsecKeys).toEqual([]);
  // restoreOnDelete: the managed settings (PSK included) are back to what they were before the first up.
  expect(view.vpn).toEqual(initial.vpn);
  expect(inv.alibabaVpc.vpnGateways[0].maxInFlight).toBeLessThanOrEqual(1);

  expect(inv.alibabaKms.keys).toEqual([
    expect.objectContaining({
      keyId: "key-byok-demo-0001",
      keyState: "PendingImport",
      materialPresent: false,
    }),
  ]);

  expect(volcKeys(inv, "cn-beijing")).toEqual([expect.objectContaining({ keyState: "Enable" })]);
  // The replicas and CMKs the stack made are still there, pending deletion (a key gone outright would be a bug).
  expect(volcKeys(inv, "cn-shanghai")).not.toEqual([]);
  for (const k of volcKeys(inv, "cn-shanghai")) expect(k.keyState).toBe("PendingDelete");

  expect(inv.tencentKms.keys).not.toEqual([]);
  for (const k of inv.tencentKms.keys) {
    expect(k.keyState).toBe("PendingDelete");
    expect(k.alias).not.toBe("app-data-key");
  }
}

// ------------------------------------------------------------------------------------------------ processes

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      out.push({ pid: Number(name), ppid, comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/**
 * The `pulumi` CLI processes this process started (scripts/engine.ts), with all their descendants: the language
 * host and the program it runs, and the dynamic-provider plugin.
 */
function pulumiTree(): number[] {
  const all = processes();
  const roots = all.filter((p) => p.ppid === process.pid && p.comm === "pulumi").map((p) => p.pid);
  const tree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/**
 * SIGKILLs the CLI and everything it started (language host, program, provider plugin), as a crashed machine or
 * a killed CI job would: no cleanup, no graceful cancel. The tree is listed first, then killed, so no child
 * escapes by being re-parented. Answers the pids killed.
 */
export function killPulumi(): number[] {
  const pids = pulumiTree();
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return pids;
}

/**
 * SIGKILLs only the dynamic-provider plugin(s) the CLI started (node running @pulumi/pulumi's
 * cmd/dynamic-provider), as an out-of-memory kill would: the CLI sees its provider vanish mid-step. Answers the
 * pids killed.
 */
export function killProvider(): number[] {
  const pids = pulumiTree().filter((pid) => {
    try {
      return /cmd\/dynamic-provider/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {
      return false;
    }
  });
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return pids;
}

// ------------------------------------------------------------------------------------------------ the bin

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface EmulatorBin {
  url: string;
  port: number;
  admin: EmulatorAdmin;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM and wait. */
  close(): Promise<void>;
}

/**
 * The emulator as users run it, `keylink-emulator` (its TypeScript entry through ts-node), on a free port of
 * the loopback interface. Resolves once it listens.
 */
export async function startEmulatorBin(args: string[]): Promise<EmulatorBin> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join("src", "emulator", "cli.ts"), "--port", "0", ...args],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code ?? 0)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      stdout.push(d.toString());
      const m = /listening on (http:\/\/\S+)/.exec(stdout.join(""));
      if (m) resolve(m[1]);
    });
    void exited.then((how) =>
      reject(new Error(`keylink-emulator ended (${how}) before listening: ${stderr.join("")}`)),
    );
  });
  return {
    url,
    port: Number(new URL(url).port),
    admin: new EmulatorAdmin(url),
    child,
    stdout,
    stderr,
    exited,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function stopRig(rig: Rig | undefined): Promise<void> {
  if (!rig) return;
  killPulumi();
  await rig.proxy?.close();
  await rig.emulator.close();
  fs.rmSync(rig.workDir, { recursive: true, force: true });
}
