// Several deployments in one test process. Pulumi runs each deployment's providers in a process of its own, and
// the providers keep per-deployment memory (quota and alias plans, takeovers, configuration) in process-wide
// tables (src/common/process-memory.ts). A Deployment owns its own set of those tables: `run` swaps them in for
// the duration of one step and out again, so two deployments interleaved step by step see only their own memory,
// as two CI jobs running `pulumi up` against one account would.

const PREFIX = "pulumi-keylink.";
const tables = globalThis as unknown as Record<symbol, unknown>;

function processTables(): symbol[] {
  return Object.getOwnPropertySymbols(tables).filter((s) => s.description?.startsWith(PREFIX));
}

function takeAll(): Map<symbol, unknown> {
  const taken = new Map<symbol, unknown>();
  for (const s of processTables()) {
    taken.set(s, tables[s]);
    delete tables[s];
  }
  return taken;
}

function putAll(values: Map<symbol, unknown>): void {
  for (const [s, v] of values) tables[s] = v;
}

export class Deployment {
  private memory = new Map<symbol, unknown>();

  constructor(readonly name: string) {}

  /** Runs one step of this deployment with its own process memory. Steps of two deployments must not overlap. */
  async run<T>(step: () => Promise<T>): Promise<T> {
    const outside = takeAll();
    putAll(this.memory);
    try {
      return await step();
    } finally {
      this.memory = takeAll();
      putAll(outside);
    }
  }
}
