// ReplicaKey check and diff with inputs not known yet, as Pulumi passes them at preview (its placeholder string),
// against the emulator: preview never looks the placeholder up and never fails or replaces because of it; the
// check that `pulumi up` runs with the known value judges the primary before any write.
import { UNKNOWN } from "../../../src/resources/common/check";
import * as provider from "../../../src/resources/replica-key/provider";
import { type InProcessEmulator, useInProcessEmulator } from "../../support/in-process-emulator";

const PRIMARY_ID = "39a0e7c6-b7dd-4c83-b400-3449bb95403a";
const SINGLE_ID = "0b8a2f0e-2a4c-4d57-9c3e-6d1f3e2b9a10";
const FIXTURES = {
  volcengineKms: {
    keyrings: [{ region: "cn-beijing", name: "test" }],
    keys: [
      { region: "cn-beijing", keyringName: "test", keyName: "mrk-test", id: PRIMARY_ID, multiRegion: true },
      { region: "cn-beijing", keyringName: "test", keyName: "single", id: SINGLE_ID },
    ],
  },
};
const common = { primaryRegion: "cn-beijing", replicaRegion: "cn-shanghai", timeoutSeconds: 20 };

const inProcess = useInProcessEmulator({ unset: ["VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"] });
let emulator: InProcessEmulator;
let warnings: string[];

beforeEach(async () => {
  emulator = inProcess();
  await emulator.admin.setDurations({ replicaCreate: 50 });
  await emulator.admin.loadFixtures(FIXTURES);
  await emulator.admin.clearRequests();
  warnings = [];
  // Outside the provider host, warnings go through pulumi.log, which prints them with console.warn.
  jest.spyOn(console, "warn").mockImplementation((m: string) => void warnings.push(String(m)));
});

afterEach(() => jest.restoreAllMocks());

const calls = async () => (await emulator.admin.requests()).entries.map((e) => e.action);

describe("ReplicaKey with inputs not known at preview", () => {
  it.each([
    ["keyId", { keyId: UNKNOWN }],
    ["keyName", { keyringName: "test", keyName: UNKNOWN }],
    ["keyringName", { keyringName: UNKNOWN, keyName: "mrk-test" }],
    ["primaryRegion", { keyId: PRIMARY_ID, primaryRegion: UNKNOWN }],
  ])("a create passes check without looking %s up, and warns that up checks it", async (field, naming) => {
    const r = await provider.check({}, { ...common, ...naming });
    expect(r.failures ?? []).toEqual([]);
    expect(await calls()).toEqual([]);
    expect(warnings.join("\n")).toContain(`${field} not known until another resource is deployed`);
  });

  it("up's check, with the value known, judges the primary before any write", async () => {
    const r = await provider.check({}, { ...common, keyId: SINGLE_ID });
    expect(r.failures?.map((f) => f.property)).toEqual(["keyId"]);
    expect(r.failures?.[0].reason).toMatch(/single-region key/);
    expect((await calls()).filter((a) => a !== "DescribeKey")).toEqual([]);
  });

  it("an existing replica whose keyId is unknown is an update, not a replacement; up then finds no change", async () => {
    const checked = await provider.check({}, { ...common, keyId: PRIMARY_ID });
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const outs = created.outs as Record<string, unknown>;
    const previewed = await provider.check(checked.inputs as Record<string, unknown>, {
      ...common,
      keyId: UNKNOWN,
    });
    expect(previewed.failures ?? []).toEqual([]);
    const d = await provider.diff(created.id, outs, previewed.inputs as Record<string, unknown>);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(warnings.join("\n")).toContain("'pulumi up' replaces the replica");
    // At up the value is known (the same key): nothing to do.
    const atUp = await provider.check(checked.inputs as Record<string, unknown>, {
      ...common,
      keyId: PRIMARY_ID,
    });
    expect(await provider.diff(created.id, outs, atUp.inputs as Record<string, unknown>)).toMatchObject({
      changes: false,
      replaces: [],
    });
    // Had it named another primary key, up replaces.
    const other = "00000000-0000-4000-8000-000000000000";
    expect(
      await provider.diff(created.id, outs, { ...(atUp.inputs as Record<string, unknown>), keyId: other }),
    ).toMatchObject({ changes: true, replaces: ["keyId"] });
  });
});
