import { forgetProcessMemory } from "../../../src/common/process-memory";
import { forgetSharedReads } from "../../../src/common/shared-reads";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { useInProcessEmulator } from "../../support/in-process-emulator";

// The reads of a wait after a MACsec write (issue #13): the cloud gives no estimate of a transition, so the first
// wait on a connection reads 200 ms after the call and then every quarter of the time waited; the next one on a
// connection reads when the last one took (less a twentieth), so it costs one or two reads instead of three. Right
// after a write on the connection, the next one does not read it before writing.

const REGION = "cn-hangzhou";
const [K1, K2] = ["1A", "2B"].map((b) => b.repeat(16));
const CAK = "C0FFEE00C0FFEE00C0FFEE00C0FFEE07";
const TRANSITION_MS = 500;

const emulator = useInProcessEmulator({
  unset: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
});

beforeEach(async () => {
  // A deployment of its own: nothing learnt, nothing shared.
  forgetSharedReads();
  forgetProcessMemory("transition-ms");
  forgetProcessMemory("macsec-pending-creates");
  forgetProcessMemory("lock-handovers");
  await emulator().admin.setDurations({ macsecTransition: TRANSITION_MS });
  await emulator().admin.loadFixtures({
    alibabaVpc: { physicalConnections: [{ physicalConnectionId: "pc-wait", region: REGION }] },
  });
});

/** Creates the key set `ckn` and answers the DescribePhysicalConnections calls its create made. */
async function readsOfCreate(ckn: string): Promise<number> {
  const inputs = {
    region: REGION,
    physicalConnectionId: "pc-wait",
    cipherSuite: "GCM-AES-128",
    ckn,
    cak: CAK,
  };
  const checked = await provider.check({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  await emulator().admin.clearRequests();
  expect((await provider.create(checked.inputs as Record<string, unknown>)).outs?.status).toBe("Associated");
  return (await emulator().admin.requests()).byAction.DescribePhysicalConnections ?? 0;
}

it("reads a second association when the first took, and not before writing right after the first", async () => {
  // The read before writing, then 200, 400 and 600 ms after the call (400 when the machine is slow).
  expect(await readsOfCreate(K1)).toBeGreaterThanOrEqual(3);
  // The connection as the first association's wait left it stands in for the read before writing; the first read
  // comes 570 ms after the call (600 less a twentieth), when the 500 ms transition is over.
  expect(await readsOfCreate(K2)).toBe(1);
});

it("reads before writing when the deployment's last write on the connection was longer ago", async () => {
  await readsOfCreate(K1);
  await new Promise((r) => setTimeout(r, 1100));
  expect(await readsOfCreate(K2)).toBe(2);
});

it("reads before writing when the deployment's last write on the connection failed after its wait's read", async () => {
  // A standby key: associate (whose wait reads the connection), then disassociate, which is refused.
  await emulator().admin.injectFault({
    action: "DisassociateMacSecKey",
    code: "Forbidden.RAM",
    httpStatus: 403,
  });
  const standby = { region: REGION, physicalConnectionId: "pc-wait", cipherSuite: "GCM-AES-128", cak: CAK };
  const checked = await provider.check({}, { ...standby, ckn: K1, active: false });
  await expect(provider.create(checked.inputs as Record<string, unknown>)).rejects.toThrow(/Forbidden\.RAM/);
  await emulator().admin.clearFaults();
  // The connection as the association's wait read it is no longer what the cloud holds after a write was sent.
  expect(await readsOfCreate(K2)).toBe(2);
});
