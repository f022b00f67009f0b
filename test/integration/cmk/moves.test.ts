// Aliases moving between the Cmks of one deployment, through the provider's functions against the emulator. The
// helpers play the engine: one deployment is one provider process (forgetDeployment between them), checks come one
// at a time in the program's order, and independent updates run in parallel.
import { startEmulator } from "../../../src/emulator";
import { tencentClient } from "../../../src/clouds/tencent";
import { PEERS_INPUT, forgetDeployment } from "../../../src/resources/cmk/moves";
import { forgetTakeovers } from "../../../src/resources/common/taken-over";
import * as provider from "../../../src/resources/cmk/provider";
import { forgetSharedReads } from "../../../src/common/shared-reads";

type Props = Record<string, unknown>;
interface Managed {
  name: string;
  id: string;
  outs: Props;
  inputs: Props;
}

const REGION = "ap-guangzhou";
let emu: Awaited<ReturnType<typeof startEmulator>>;
const saved = { ...process.env };
let warnings: string[];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emu.url;
});

afterAll(async () => {
  process.env = saved;
  await emu.close();
});

beforeEach(async () => {
  await emu.admin.reset();
  await provider.configure({ get: () => undefined });
  newDeployment();
  forgetTakeovers();
  warnings = [];
  jest.spyOn(console, "warn").mockImplementation((m: string) => void warnings.push(String(m)));
});

afterEach(() => jest.restoreAllMocks());

const kms = () => tencentClient(REGION);

/** A deployment's provider process starts with nothing in memory: no moves, no listings. */
function newDeployment(): void {
  forgetDeployment();
  forgetSharedReads();
}

async function aliasOf(keyId: string): Promise<string> {
  return (await kms().call<{ KeyMetadata: { Alias: string } }>("DescribeKey", { KeyId: keyId })).KeyMetadata
    .Alias;
}

let batchNo = 0;

/** The inputs a program declaring `names` in one go sends for `name` (what the Cmk class adds). */
function declared(names: string[]): (name: string, args: Props) => Props {
  const batch = `batch-${++batchNo}`;
  return (name, args) => ({ ...args, [PEERS_INPUT]: { batch, name, names } });
}

/** A first deployment creating these Cmks. */
async function createAll(specs: Array<[string, Props]>): Promise<Managed[]> {
  newDeployment();
  const program = declared(specs.map(([n]) => n));
  const out: Managed[] = [];
  for (const [name, args] of specs) {
    const checked = await provider.check({}, program(name, { region: REGION, ...args }));
    expect(checked.failures ?? []).toEqual([]);
    const created = await provider.create(checked.inputs as Props);
    out.push({ name, id: created.id, outs: created.outs as Props, inputs: checked.inputs as Props });
  }
  newDeployment();
  return out;
}

interface Planned {
  current?: Managed;
  name: string;
  inputs: Props;
  failures: string[];
  changes?: boolean;
  replaces?: string[];
}

/** Check then diff, each resource in the program's order: a preview, or the planning part of an up. */
async function plan(specs: Array<[Managed | string, Props]>): Promise<Planned[]> {
  const names = specs.map(([r]) => (typeof r === "string" ? r : r.name));
  const program = declared(names);
  const out: Planned[] = [];
  for (const [r, args] of specs) {
    const current = typeof r === "string" ? undefined : r;
    const name = typeof r === "string" ? r : r.name;
    const checked = await provider.check(current?.inputs ?? {}, program(name, { region: REGION, ...args }));
    const p: Planned = {
      current,
      name,
      inputs: checked.inputs as Props,
      failures: (checked.failures ?? []).map((f) => f.reason),
    };
    if (current) {
      const d = await provider.diff(current.id, current.outs, p.inputs);
      p.changes = d.changes;
      p.replaces = d.replaces ?? [];
    }
    out.push(p);
  }
  return out;
}

/** Runs the planned steps in parallel, as Pulumi does for independent resources. */
async function apply(planned: Planned[]): Promise<Managed[]> {
  return Promise.all(
    planned.map(async (p) => {
      if (!p.current) {
        const c = await provider.create(p.inputs);
        return { name: p.name, id: c.id, outs: c.outs as Props, inputs: p.inputs };
      }
      if (!p.changes) return p.current;
      const u = await provider.update(p.current.id, p.current.outs, p.inputs);
      return { name: p.name, id: p.current.id, outs: u.outs as Props, inputs: p.inputs };
    }),
  );
}

describe("Cmks exchanging aliases in one deployment", () => {
  it("a swap previews without failure, converges in one up through a temporary alias, then shows no change", async () => {
    const [x, y] = await createAll([
      ["x", { alias: "alias-x" }],
      ["y", { alias: "alias-y" }],
    ]);
    // Preview (a new provider process): x is checked first and claims alias-y before y is checked.
    newDeployment();
    const preview = await plan([
      [x, { alias: "alias-y" }],
      [y, { alias: "alias-x" }],
    ]);
    expect(preview.map((p) => p.failures)).toEqual([[], []]);
    expect(preview.map((p) => [p.changes, p.replaces])).toEqual([
      [true, []],
      [true, []],
    ]);
    // The preview wrote nothing.
    expect(await aliasOf(x.outs.keyId as string)).toBe("alias-x");

    newDeployment();
    const planned = await plan([
      [x, { alias: "alias-y" }],
      [y, { alias: "alias-x" }],
    ]);
    expect(planned.flatMap((p) => p.failures)).toEqual([]);
    const [x2, y2] = await apply(planned);
    expect(await aliasOf(x.outs.keyId as string)).toBe("alias-y");
    expect(await aliasOf(y.outs.keyId as string)).toBe("alias-x");
    expect(x2.outs).toMatchObject({ alias: "alias-y", keyId: x.outs.keyId });
    expect(y2.outs).toMatchObject({ alias: "alias-x", keyId: y.outs.keyId });
    expect(warnings.join("\n")).toMatch(/waits under the temporary alias 'moving-/);

    newDeployment();
    const again = await plan([
      [x2, { alias: "alias-y" }],
      [y2, { alias: "alias-x" }],
    ]);
    expect(again.map((p) => [p.failures, p.changes])).toEqual([
      [[], false],
      [[], false],
    ]);
  });

  it("a new Cmk takes the alias another Cmk of the stack gives up, in one up", async () => {
    const [old] = await createAll([["old", { alias: "orders" }]]);
    // The new Cmk is declared (and checked) first.
    const planned = await plan([
      ["new", { alias: "orders" }],
      [old, { alias: "orders-retired" }],
    ]);
    expect(planned.flatMap((p) => p.failures)).toEqual([]);
    const [created] = await apply(planned);
    expect(await aliasOf(created.outs.keyId as string)).toBe("orders");
    expect(await aliasOf(old.outs.keyId as string)).toBe("orders-retired");
  });

  it("an alias held by a key outside the stack still fails the preview, once every Cmk is checked", async () => {
    const [mine] = await createAll([["mine", { alias: "mine" }]]);
    const other = await kms().call<{ KeyId: string }>("CreateKey", {
      Alias: "foreign",
      KeyUsage: "ENCRYPT_DECRYPT",
    });
    const preview = await plan([
      ["new", { alias: "foreign" }],
      [mine, { alias: "mine" }],
    ]);
    // The claim waits for "mine" (which might have released it), then fails on the check in progress.
    expect(preview[0].failures).toEqual([]);
    expect(preview[1].failures).toHaveLength(1);
    expect(preview[1].failures[0]).toContain(
      `Cmk 'new': alias: 'foreign' is already used by CMK ${other.KeyId}`,
    );
    expect(preview[1].failures[0]).toContain(`adoptKeyId: "${other.KeyId}"`);
  });

  it("an alias a Cmk of the stack keeps fails, and adoptKeyId is never advised for the stack's own key", async () => {
    const [keeper] = await createAll([["keeper", { alias: "kept" }]]);
    const preview = await plan([
      [keeper, { alias: "kept" }],
      ["grabber", { alias: "kept" }],
    ]);
    expect(preview[0].failures).toEqual([]);
    expect(preview[1].failures).toHaveLength(1);
    expect(preview[1].failures[0]).toContain(
      `held by CMK ${keeper.outs.keyId} in ${REGION}, which Cmk 'keeper'`,
    );
    expect(preview[1].failures.join("\n")).not.toContain("adoptKeyId");
  });

  it("up stops before any write when the holder does not move away", async () => {
    const other = await kms().call<{ KeyId: string }>("CreateKey", {
      Alias: "taken",
      KeyUsage: "ENCRYPT_DECRYPT",
    });
    newDeployment();
    await expect(provider.create({ region: REGION, alias: "taken", description: "" })).rejects.toThrow(
      `'taken' is already used by CMK ${other.KeyId}`,
    );
    const inventory = await emu.admin.inventory<{ tencentKms: { keys: unknown[] } }>();
    expect(inventory.tencentKms.keys).toHaveLength(1);
  });

  it("a Cmk renamed in the program adopts the key, and the delete of the old resource keeps it", async () => {
    const [old] = await createAll([["old-name", { alias: "payments" }]]);
    newDeployment();
    forgetTakeovers();
    const keyId = old.outs.keyId as string;
    // The preview names the key to adopt; the new resource adopts it, then Pulumi deletes the old one.
    const preview = await plan([["new-name", { alias: "payments" }]]);
    expect(preview[0].failures.join("\n")).toContain(`adoptKeyId: "${keyId}"`);
    const [adopted] = await apply(await plan([["new-name", { alias: "payments", adoptKeyId: keyId }]]));
    expect(adopted.id).toBe(old.id);
    await provider.destroy(old.id, old.outs);
    expect(await aliasOf(keyId)).toBe("payments");
    expect(warnings.join("\n")).toContain("was adopted (adoptKeyId) by another Cmk of this deployment");
  });
});
