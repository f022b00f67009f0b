// The emulator started in the test process for one test file, with the providers pointed at it.
import { startEmulator } from "../../src/emulator";

export type InProcessEmulator = Awaited<ReturnType<typeof startEmulator>>;

export interface EmulatorOptions {
  /** Environment variables a test must not inherit. */
  unset?: string[];
  /** Before each test, forget every object and the request log (default true). */
  resetEachTest?: boolean;
  /** A last look at the emulator after the file's tests, before it closes (e.g. a file-wide secret search). */
  beforeClose?: (emu: InProcessEmulator) => Promise<void>;
}

/**
 * Starts the emulator before the file's tests and closes it after; the providers call it (KEYLINK_TARGET
 * "emulator") and the environment is restored afterwards. Returns a getter: the emulator exists only once
 * beforeAll has run.
 */
export function useInProcessEmulator(opts: EmulatorOptions = {}): () => InProcessEmulator {
  let emu: InProcessEmulator | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    process.env.KEYLINK_TARGET = "emulator";
    process.env.KEYLINK_EMULATOR_URL = emu.url;
    for (const name of opts.unset ?? []) delete process.env[name];
  });
  if (opts.resetEachTest ?? true) {
    beforeEach(async () => {
      await emu?.admin.reset();
      await emu?.admin.clearRequests();
    });
  }
  afterAll(async () => {
    process.env = saved;
    try {
      if (emu) await opts.beforeClose?.(emu);
    } finally {
      await emu?.close();
    }
  });
  return () => {
    if (!emu) throw new Error("the emulator is started in beforeAll: use it inside a test or hook");
    return emu;
  };
}
