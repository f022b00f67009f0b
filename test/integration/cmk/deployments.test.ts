// Two deployments (two stacks, or two CI jobs) creating Cmks in one account and region at the same time, against
// one emulator through the real Tencent clients: the second previews (its checks pass), the first then creates,
// and the second's `up` must fail clearly, with the cloud's code and request id, naming the other key and what to
// do, leaving nothing half-made (issue #15).
import { CloudError } from "../../../src/clouds/errors";
import { tencentClient } from "../../../src/clouds/tencent";
import * as provider from "../../../src/resources/cmk/provider";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";
import { Deployment } from "../../support/deployments";

type Props = Record<string, unknown>;
interface Inventory {
  tencentKms: { keys: Array<{ keyId: string; alias: string; region: string }> };
}

const REGION = "ap-guangzhou";
const emulator = useInProcessEmulator({ unset: ["KEYLINK_TENCENT_CMK_QUOTA"] });
let emu: InProcessEmulator;

beforeEach(async () => {
  emu = emulator();
});

/** A deployment whose provider was configured by the engine (no stack configuration). */
async function deployment(name: string): Promise<Deployment> {
  const d = new Deployment(name);
  await d.run(() => provider.configure({ get: () => undefined }));
  return d;
}

/** The preview of one new Cmk: check passes, and returns the inputs `up` will create. */
async function preview(d: Deployment, args: Props): Promise<Props> {
  const checked = await d.run(() => provider.check({}, args));
  expect(checked.failures ?? []).toEqual([]);
  return checked.inputs as Props;
}

/** check + create of one new Cmk, as `pulumi up` does. */
async function up(d: Deployment, args: Props): Promise<{ id: string; outs: Props }> {
  const inputs = await preview(d, args);
  const created = await d.run(() => provider.create(inputs));
  return { id: created.id, outs: created.outs as Props };
}

async function createFails(d: Deployment, inputs: Props): Promise<CloudError> {
  const e = await d
    .run(() => provider.create(inputs))
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(e).toBeInstanceOf(CloudError);
  return e as CloudError;
}

async function keys(): Promise<Inventory["tencentKms"]["keys"]> {
  return (await emu.admin.inventory<Inventory>()).tencentKms.keys;
}

describe("two deployments against one account", () => {
  it.each([
    ["3.0", "InvalidParameterValue.AliasAlreadyExists"],
    ["legacy-v2", "4500"],
  ])(
    "an alias the other deployment took after the preview fails `up` naming its key (api %s)",
    async (api, code) => {
      const first = await deployment("first");
      const second = await deployment("second");
      const planned = await preview(second, { region: REGION, alias: "shared", api });
      const taken = await up(first, { region: REGION, alias: "shared" });
      const e = await createFails(second, planned);
      expect(e.code).toBe(code);
      expect(e.requestId).toEqual(expect.any(String));
      expect(e.message).toContain(`request id ${e.requestId}`);
      expect(e.message).toContain(
        `'shared' is already used by CMK ${taken.outs.keyId} (Enabled) in ${REGION}`,
      );
      expect(e.message).toMatch(/free when this deployment checked it: another deployment or a person/);
      expect(e.message).toMatch(/choose another alias, rename that key, or .*adoptKeyId/);
      expect(e.message).toContain("Nothing was created; choose what to do, then run 'pulumi up' again");
      // Nothing half-made: the first deployment's key is the only one.
      expect(await keys()).toEqual([expect.objectContaining({ keyId: taken.outs.keyId, alias: "shared" })]);
      // The refused CreateKey was the second deployment's only write.
      const writes = (await emu.admin.requests()).entries.filter(
        (r) => !/^(Describe|List|Get)/.test(r.action),
      );
      expect(writes.map((w) => [w.action, w.code])).toEqual([
        ["CreateKey", undefined],
        ["CreateKey", code],
      ]);
    },
  );

  it("a rename onto an alias the other deployment took after the preview fails `up`, the key unchanged", async () => {
    const first = await deployment("first");
    const second = await deployment("second");
    const mine = await up(second, { region: REGION, alias: "mine", description: "before" });
    const news = { region: REGION, alias: "wanted", description: "after" };
    const checked = await second.run(() => provider.check(mine.outs, news));
    expect(checked.failures ?? []).toEqual([]);
    const taken = await up(first, { region: REGION, alias: "wanted" });
    const e = await second
      .run(() => provider.update(mine.id, mine.outs, checked.inputs as Props))
      .then(
        () => undefined,
        (err: unknown) => err as CloudError,
      );
    expect(e).toBeInstanceOf(CloudError);
    expect(e?.code).toBe("InvalidParameterValue.AliasAlreadyExists");
    expect(e?.message).toContain(`request id ${e?.requestId}`);
    expect(e?.message).toContain(
      `Cmk ${mine.id}: alias: 'wanted' is already used by CMK ${taken.outs.keyId} (Enabled) in ${REGION}`,
    );
    expect(e?.message).toContain("Nothing else was changed");
    // UpdateAlias came first and was refused: the description was not changed either.
    const { KeyMetadata } = await tencentClient(REGION).call<{ KeyMetadata: Props }>("DescribeKey", {
      KeyId: mine.outs.keyId,
    });
    expect(KeyMetadata).toMatchObject({ Alias: "mine", Description: "before" });
  });

  it("the quota the other deployment used up after the preview fails `up` naming the key it created", async () => {
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    await emu.admin.loadFixtures({
      tencentKms: { quota: 2, keys: [{ region: REGION, alias: "old", createTime: anHourAgo }] },
    });
    const first = await deployment("first");
    const second = await deployment("second");
    const planned = await preview(second, { region: REGION, alias: "second-key" });
    const taken = await up(first, { region: REGION, alias: "first-key" });
    const e = await createFails(second, planned);
    expect(e.code).toBe("LimitExceeded.CmkLimitExceeded");
    expect(e.message).toContain(`request id ${e.requestId}`);
    expect(e.message).toContain(
      `Cmk (new key, alias 'second-key'): the account's CMK quota in ${REGION} is used up`,
    );
    expect(e.message).toContain(`since then CMK ${taken.outs.keyId} (alias 'first-key') was created`);
    // The key that was there before the preview is not blamed.
    expect(e.message).not.toContain("alias 'old'");
    expect(e.message).toMatch(/Nothing was created\. Delete unused keys.*then run 'pulumi up' again/);
    expect((await keys()).map((k) => k.alias).sort()).toEqual(["first-key", "old"]);
  });

  it("an alias released by the other deployment's key meanwhile is simply taken", async () => {
    const first = await deployment("first");
    const second = await deployment("second");
    const held = await up(first, { region: REGION, alias: "moving" });
    // The second deployment's preview fails while the first holds the alias...
    const checked = await second.run(() => provider.check({}, { region: REGION, alias: "moving" }));
    expect(checked.failures?.[0].reason).toContain(`already used by CMK ${held.outs.keyId}`);
    // ... and its next `up` (a provider process of its own), after the first renamed its key, creates one.
    await first.run(() => provider.update(held.id, held.outs, { region: REGION, alias: "moved" }));
    const created = await up(await deployment("second, next up"), { region: REGION, alias: "moving" });
    const { KeyMetadata } = await tencentClient(REGION).call<{ KeyMetadata: Props }>("DescribeKey", {
      KeyId: created.outs.keyId,
    });
    expect(KeyMetadata.Alias).toBe("moving");
  });
});
