// Cmk through the real Pulumi CLI: create, no-change preview, drift found and repaired, in-place update,
// replacement that keeps the alias (delete first), destroy, and no credential in state or output.
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { tencentClient } from "../../src/clouds/tencent";
import { E2E_ACCOUNT, type E2ESuite, expectNoSecrets, resourcesOfType, startE2E } from "../support/e2e";

jest.setTimeout(300_000);

interface TencentKey {
  keyId: string;
  alias: string;
  description: string;
  keyState: string;
  keyUsage: string;
}

let e2e: E2ESuite;
const REGION = "ap-guangzhou";

async function keys(): Promise<TencentKey[]> {
  const inv = await e2e.emulator.admin.inventory<{ tencentKms: { keys: TencentKey[] } }>();
  return inv.tencentKms.keys;
}

/** The update's steps on the Cmk ("start <op>" and "done <op>"), in the order of the engine's events. */
function cmkSteps(e: EngineEvent): string[] {
  const step = (when: string, ev?: { metadata: StepEventMetadata; planning?: boolean }) =>
    ev && !ev.planning && ev.metadata.urn.endsWith("::app-key") ? [`${when} ${ev.metadata.op}`] : [];
  return [...step("start", e.resourcePreEvent), ...step("done", e.resOutputsEvent)];
}

async function keyById(keyId: string): Promise<TencentKey> {
  const k = (await keys()).find((x) => x.keyId === keyId);
  if (!k) throw new Error(`no key ${keyId} in the emulator`);
  return k;
}

beforeAll(async () => {
  e2e = await startE2E({ example: "cmk", config: { "example:alias": { value: "orders-data" } } });
});

afterAll(async () => {
  await e2e?.stop();
});

describe("Cmk end to end, in order: each case starts from the stack the previous one left", () => {
  let keyId: string;

  it("creates the key on up", async () => {
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    keyId = String(up.outputs.keyId.value);
    expect(await keyById(keyId)).toMatchObject({ alias: "orders-data", keyState: "Enabled" });
  });

  it("shows no changes on a second preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("finds a key disabled out of band on preview --refresh, and up --refresh repairs it", async () => {
    await tencentClient(REGION).call("DisableKey", { KeyId: keyId });
    const preview = await e2e.stack.preview({ refresh: true, diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ enabled\s*: false => true/);
    await e2e.stack.up({ refresh: true, onOutput: e2e.onOutput });
    expect((await keyById(keyId)).keyState).toBe("Enabled");
    await e2e.stack.preview({ refresh: true, expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("updates the description in place", async () => {
    await e2e.stack.setConfig("example:description", { value: "Orders data, rotated yearly" });
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(String(up.outputs.keyId.value)).toBe(keyId);
    expect((await keyById(keyId)).description).toBe("Orders data, rotated yearly");
  });

  it("replaces the key when keyUsage changes, deleting first because the alias is kept", async () => {
    await e2e.stack.setConfig("example:keyUsage", { value: "ASYMMETRIC_DECRYPT_RSA_2048" });
    await e2e.emulator.admin.clearRequests();
    const steps: string[] = [];
    const up = await e2e.stack.up({ onOutput: e2e.onOutput, onEvent: (e) => steps.push(...cmkSteps(e)) });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    // The engine deletes the old key before it creates the new one, and the cloud saw the calls in that order.
    expect(steps).toEqual([
      "start delete-replaced",
      "done delete-replaced",
      "start replace",
      "done replace",
      "start create-replacement",
      "done create-replacement",
    ]);
    const writes = await e2e.writesSince();
    expect(writes.indexOf("ScheduleKeyDeletion")).toBeGreaterThanOrEqual(0);
    expect(writes.indexOf("ScheduleKeyDeletion")).toBeLessThan(writes.indexOf("CreateKey"));
    const newKeyId = String(up.outputs.keyId.value);
    expect(newKeyId).not.toBe(keyId);
    expect(await keyById(newKeyId)).toMatchObject({
      alias: "orders-data",
      keyUsage: "ASYMMETRIC_DECRYPT_RSA_2048",
    });
    const old = await keyById(keyId);
    expect(old.keyState).toBe("PendingDelete");
    expect(old.alias).not.toBe("orders-data");
    keyId = newKeyId;
  });

  it("fails preview when the alias is taken, naming the field, and makes no write", async () => {
    await tencentClient(REGION).call("CreateKey", { Alias: "taken-alias" });
    await e2e.emulator.admin.clearRequests();
    await e2e.stack.setConfig("example:alias", { value: "taken-alias" });
    await expect(e2e.stack.preview({ onOutput: e2e.onOutput })).rejects.toThrow(
      /app-key.*alias: 'taken-alias' is already used by/s,
    );
    expect(await e2e.writesSince()).toEqual([]);
    await e2e.stack.setConfig("example:alias", { value: "orders-data" });
  });

  it("keeps credentials out of state and CLI output", async () => {
    const exported = await e2e.exportState();
    const [cmk] = resourcesOfType(exported, "Cmk");
    expect(cmk.outputs?.alias).toBe("orders-data");
    expect(String(cmk.inputs?.__provider).length).toBeLessThan(4096);
    expectNoSecrets([exported, ...e2e.output], [E2E_ACCOUNT.secret]);
  });

  it("destroys: the key is scheduled for deletion and its alias freed", async () => {
    await e2e.stack.destroy({ onOutput: e2e.onOutput });
    const k = await keyById(keyId);
    expect(k.keyState).toBe("PendingDelete");
    expect(k.alias).not.toBe("orders-data");
  });
});
