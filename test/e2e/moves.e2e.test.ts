// Aliases moving between the Cmks of one stack, through the real Pulumi CLI: two Cmks exchanging aliases
// converge in one `up` whose preview succeeds, and the next preview shows no change. The provider's warnings
// (here: a key waiting under a temporary alias) show as Pulumi warnings with --diff, in --json events and in the
// plain display. The project test/e2e/projects/moves takes each Cmk's alias from stack config.
import * as path from "node:path";
import { E2E, jsonWarnings, startE2E, stopE2E } from "../support/e2e";

jest.setTimeout(600_000);

let e2e: E2E;

/** Gives the Cmks their aliases: one `pulumi config set-all`. */
async function setAliases(x: string, y: string): Promise<void> {
  await e2e.stack.check([
    "config",
    "set-all",
    "--plaintext",
    `moves:xAlias=${x}`,
    "--plaintext",
    `moves:yAlias=${y}`,
  ]);
}

async function aliasOf(keyId: string): Promise<string | undefined> {
  const inv = await e2e.emulator.admin.inventory<{
    tencentKms: { keys: Array<{ keyId: string; alias: string }> };
  }>();
  return inv.tencentKms.keys.find((k) => k.keyId === keyId)?.alias;
}

beforeAll(async () => {
  e2e = await startE2E({
    example: "moves",
    projectDir: path.join(__dirname, "projects", "moves"),
    config: { "moves:xAlias": { value: "alias-x" }, "moves:yAlias": { value: "alias-y" } },
  });
});

afterAll(async () => {
  await stopE2E(e2e);
});

describe("Cmks exchanging aliases, in order: each case starts from the stack the previous one left", () => {
  let ids: { x: string; y: string };

  it("creates two keys", async () => {
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    ids = { x: String(up.outputs.x.value), y: String(up.outputs.y.value) };
    expect(await aliasOf(ids.x)).toBe("alias-x");
    expect(await aliasOf(ids.y)).toBe("alias-y");
  });

  it("previews the swap as two updates and converges in one up, warning with --diff", async () => {
    await setAliases("alias-y", "alias-x");
    const preview = await e2e.stack.preview({ diff: true, onOutput: e2e.onOutput });
    expect(preview.changeSummary).toMatchObject({ update: 2 });
    expect(preview.stdout).not.toContain("adoptKeyId");
    const up = await e2e.stack.up({ diff: true, onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
    expect(await aliasOf(ids.x)).toBe("alias-y");
    expect(await aliasOf(ids.y)).toBe("alias-x");
    // The move through a temporary alias is a Pulumi warning, shown with --diff.
    expect(`${up.stdout}\n${up.stderr}`).toMatch(
      /warning: Cmk ap-guangzhou:\S+: alias 'alias-[xy]' goes to another Cmk/,
    );
  });

  it("shows no change on the next preview", async () => {
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("swaps back with `pulumi up --json`, whose events carry the warning", async () => {
    await setAliases("alias-x", "alias-y");
    const preview = await e2e.stack.cli(["preview", "--json"], { onOutput: e2e.onOutput });
    expect(preview.code).toBe(0);
    const up = await e2e.stack.cli(["up", "--json", "--yes"], { onOutput: e2e.onOutput });
    expect(up.code).toBe(0);
    expect(jsonWarnings(up.stdout).join("\n")).toMatch(/goes to another Cmk of this deployment/);
    expect(await aliasOf(ids.x)).toBe("alias-x");
    expect(await aliasOf(ids.y)).toBe("alias-y");
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });

  it("swaps once more with the plain display, which shows the warning too", async () => {
    await setAliases("alias-y", "alias-x");
    const up = await e2e.stack.up({ onOutput: e2e.onOutput });
    expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
    expect(up.stdout).toMatch(/warning: Cmk ap-guangzhou:\S+: alias 'alias-[xy]' goes to another Cmk/);
    await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
  });
});
