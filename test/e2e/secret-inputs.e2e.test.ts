// Secret inputs of the wrong type through the real Pulumi CLI: the engine prints a check failure as
// "property <p> value <v> has a problem" and would print a CAK, key material or PSK given as a number or an
// object in plaintext. The preview must fail naming the field, with none of the values in the CLI's output, and a
// 1 MB input must give a bounded message. The suite's own project (test/e2e/projects/secret-inputs) declares the
// one resource a case names, with the stack config's value as JSON (a number, an object) in the input; each
// failure names the type the value reached the resource with.
import * as path from "node:path";
import { demoFixturesOwnedBy } from "../support/fixtures";
import { E2E, E2E_ACCOUNT, expectNoSecrets, startE2E, stopE2E } from "../support/e2e";

jest.setTimeout(300_000);

// Distinctive numbers, so that finding their digits in the output can only mean a leak.
const CAK = 7182736455463728;
const KEY_MATERIAL = 6617283945512233;
const PSK = { secretPart: 5566778899001122 };
const HUGE_LENGTH = 1_000_000;

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({
    example: "secret-inputs",
    projectDir: path.join(__dirname, "projects", "secret-inputs"),
    fixtures: demoFixturesOwnedBy(E2E_ACCOUNT),
    // A case the program does not know fails until each test sets its own.
    config: { "secret-inputs:case": { value: "none" } },
  });
});

afterAll(async () => {
  await stopE2E(e2e);
});

/**
 * Previews the stack with one case's resource (the engine stops a preview at its first check failure), its
 * value set as stack config, plain or secret, and answers everything the CLI printed; the preview must fail.
 */
async function previewOf(
  caseName: string,
  config: { value?: unknown; secretValue?: unknown; length?: number },
): Promise<string[]> {
  const { stack } = e2e;
  const current = await stack.getAllConfig();
  for (const key of ["secret-inputs:value", "secret-inputs:secretValue", "secret-inputs:length"]) {
    if (key in current) await stack.removeConfig(key);
  }
  await stack.setConfig("secret-inputs:case", { value: caseName });
  if (config.value !== undefined)
    await stack.setConfig("secret-inputs:value", { value: JSON.stringify(config.value) });
  if (config.secretValue !== undefined)
    await stack.setConfig("secret-inputs:secretValue", {
      value: JSON.stringify(config.secretValue),
      secret: true,
    });
  if (config.length !== undefined)
    await stack.setConfig("secret-inputs:length", { value: String(config.length) });
  const output: string[] = [];
  let failed = false;
  try {
    await stack.preview({ onOutput: (s) => output.push(s) });
  } catch (e) {
    failed = true;
    output.push(String((e as Error).message));
  }
  expect(failed).toBe(true);
  return output;
}

/**
 * The renderings of a number the output could hold: its digits, Go's float form (the engine prints
 * 7182736455463728 as 7.182736455463728e+15), and its first ten significant digits with and without the decimal
 * point (a rendering of less precision).
 */
function renderings(n: number): string[] {
  const digits = String(n);
  return [digits, n.toExponential(), digits.slice(0, 10), `${digits[0]}.${digits.slice(1, 10)}`];
}

const SECRETS = [CAK, KEY_MATERIAL, PSK.secretPart].flatMap(renderings);

/** No failure on a secret input may carry its value: the engine prints it as "property <p> value {...}". */
function expectNoSecretValues(out: string[]): void {
  expectNoSecrets(out, SECRETS);
  const text = out.join("\n");
  expect(text).not.toMatch(/property (cak|keyMaterial|presharedKeys) value/);
  // A nested property is not a top-level input: the engine finds no value to print for it.
  for (const m of text.matchAll(/property ikeConfig\.psk value (\S+)/g)) expect(m[1]).toBe("{<nil>}");
}

it("a CAK given as a number fails naming cak, without its value", async () => {
  const out = await previewOf("cak", { value: CAK });
  expect(out.join("\n")).toMatch(/cak: Invalid input: expected string, received number/);
  expectNoSecretValues(out);
});

it("a CAK given as a secret number fails naming cak, without its value", async () => {
  const out = await previewOf("cak", { secretValue: CAK });
  expect(out.join("\n")).toMatch(/cak: Invalid input: expected string, received number/);
  expectNoSecretValues(out);
});

it("key material given as a number fails naming keyMaterial, without its value", async () => {
  const out = await previewOf("keyMaterial", { value: KEY_MATERIAL });
  expect(out.join("\n")).toMatch(/keyMaterial: Invalid input: expected string, received number/);
  expectNoSecretValues(out);
});

it("key material given as a secret number fails naming keyMaterial, without its value", async () => {
  const out = await previewOf("keyMaterial", { secretValue: KEY_MATERIAL });
  expect(out.join("\n")).toMatch(/keyMaterial: Invalid input: expected string, received number/);
  expectNoSecretValues(out);
});

it("a PSK given as an object fails naming ikeConfig.psk, without its value", async () => {
  const out = await previewOf("psk", { value: PSK });
  expect(out.join("\n")).toMatch(/ikeConfig\.psk: Invalid input: expected string, received object/);
  expectNoSecretValues(out);
});

it("a 1 MB input gives a bounded message", async () => {
  const out = await previewOf("huge", { length: HUGE_LENGTH });
  const text = out.join("\n");
  expect(text).toMatch(/type: .*\(1000000 characters\)/);
  expect(text).not.toContain("k".repeat(1000));
  expect(text.length).toBeLessThan(100_000);
  // Nothing was written to the emulator by any of these previews.
  expect(
    (await e2e.emulator.admin.requests()).entries.filter((r) => !/^(Describe|List|Get)/.test(r.action)),
  ).toEqual([]);
});
