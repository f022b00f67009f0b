// A replica moving from one ReplicaKey to another in one deployment (a resource renamed in the program): the new
// resource's create adopts the replica, and the delete of the old one, which Pulumi runs after the creates,
// leaves it in place.
import { forgetTakeovers } from "../../../src/resources/common/taken-over";
import * as provider from "../../../src/resources/replica-key/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const args = {
  keyringName: "orders",
  keyName: "mrk-orders",
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
  timeoutSeconds: 20,
};

async function replicaState(): Promise<string | undefined> {
  const inv = await h.emulator.admin.inventory<{
    volcengineKms: {
      accounts: Record<string, Record<string, { keys: Array<{ keyName: string; keyState: string }> }>>;
    };
  }>();
  const regions = Object.values(inv.volcengineKms.accounts)[0];
  return regions["cn-shanghai"]?.keys.find((k) => k.keyName === "mrk-orders")?.keyState;
}

beforeEach(async () => {
  forgetTakeovers();
  await h.emulator.admin.setDurations({ replicaCreate: 50 });
});

it("keeps the replica that another ReplicaKey of the deployment adopted when the old resource is deleted", async () => {
  const checked = await provider.check({}, args);
  const old = await provider.create(checked.inputs as Record<string, unknown>);
  forgetTakeovers();
  const renamed = await provider.create((await provider.check({}, args)).inputs as Record<string, unknown>);
  expect(renamed.id).toBe(old.id);
  await provider.destroy(old.id, old.outs as Record<string, unknown>);
  expect(await replicaState()).toBe("Enable");
  expect(h.warnings.join("\n")).toContain("was taken over by another ReplicaKey of this deployment");
  forgetTakeovers();
  await provider.destroy(renamed.id, renamed.outs as Record<string, unknown>);
  expect(await replicaState()).toBe("PendingDelete");
});
