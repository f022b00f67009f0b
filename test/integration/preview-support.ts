// Shared set-up of the unknown-input integration suites: an emulator with the demo fixtures, the warnings the
// provider emits (outside the provider host they go through pulumi.log, i.e. console.warn), and the cloud calls.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";

export interface PreviewHarness {
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  warnings: string[];
  /** The actions the emulator answered since the test began. */
  calls(): Promise<string[]>;
}

export function previewHarness(): PreviewHarness {
  const h = { warnings: [] as string[] } as PreviewHarness;
  const saved = { ...process.env };
  const fixtures = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "examples", "fixtures", "demo.json"), "utf8"),
  );
  beforeAll(async () => {
    h.emulator = await startEmulator({ port: 0, fixtures });
    for (const k of Object.keys(process.env)) {
      if (/^(ALIBABA|ALICLOUD|VOLCENGINE|TENCENTCLOUD)_/.test(k)) delete process.env[k];
    }
    process.env.KEYLINK_TARGET = "emulator";
    process.env.KEYLINK_EMULATOR_URL = h.emulator.url;
  });
  afterAll(async () => {
    await h.emulator.close();
    process.env = saved;
  });
  beforeEach(async () => {
    await h.emulator.admin.reset();
    await h.emulator.admin.clearRequests();
    h.warnings.length = 0;
    jest.spyOn(console, "warn").mockImplementation((m: string) => void h.warnings.push(String(m)));
  });
  afterEach(() => jest.restoreAllMocks());
  h.calls = async () => (await h.emulator.admin.requests()).entries.map((e) => e.action);
  return h;
}
