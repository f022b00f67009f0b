// A MACsec key set moving from one resource to another in one deployment (a resource renamed in the program):
// the new resource's create takes the key over, and the delete of the old one, which Pulumi runs after the
// creates, leaves the key on the connection.
import { forgetTakeovers } from "../../../src/resources/common/taken-over";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const args = {
  region: "cn-hangzhou",
  physicalConnectionId: "pc-demo0001",
  cipherSuite: "GCM-AES-128",
  ckn: "6A".repeat(16),
  cak: "C0FFEE00C0FFEE00C0FFEE00C0FFEE66",
};

async function keysOnConnection(): Promise<Array<{ ckn: string; status: string }>> {
  const inv = await h.emulator.admin.inventory<{
    alibabaVpc: {
      physicalConnections: Array<{
        physicalConnectionId: string;
        macsecKeys: Array<{ ckn: string; status: string }>;
      }>;
    };
  }>();
  return (
    inv.alibabaVpc.physicalConnections.find((c) => c.physicalConnectionId === "pc-demo0001")?.macsecKeys ?? []
  );
}

beforeEach(async () => {
  forgetTakeovers();
  await h.emulator.admin.setDurations({ macsecTransition: 50 });
});

it("keeps the key that another resource of the deployment took over when the old resource is deleted", async () => {
  const checked = await provider.check({}, args);
  const old = await provider.create(checked.inputs as Record<string, unknown>);
  forgetTakeovers();
  // The next deployment: the renamed resource is created (it takes the key over), then the old one is deleted.
  const again = await provider.check({}, args);
  const renamed = await provider.create(again.inputs as Record<string, unknown>);
  expect(renamed.id).toBe(old.id);
  await provider.destroy(old.id, old.outs as Record<string, unknown>);
  expect(await keysOnConnection()).toEqual([
    expect.objectContaining({ ckn: args.ckn, status: "Associated" }),
  ]);
  expect(h.warnings.join("\n")).toContain("was taken over by another resource of this deployment");
  // In a later deployment, deleting the resource does remove the key.
  forgetTakeovers();
  await provider.destroy(renamed.id, renamed.outs as Record<string, unknown>);
  expect(await keysOnConnection()).toEqual([]);
});
