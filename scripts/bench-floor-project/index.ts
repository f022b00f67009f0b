// The benchmark's floor stack (scripts/bench.ts): the same resources as the benchmark's stack (plan.json, same
// names and inputs), each a dynamic resource whose provider echoes its inputs, declared through this package's
// own stub (dynamicProvider), with no network and nothing else. What the engine, the SDK and the dynamic-provider
// process cost for this many resources; the benchmark prints the package's times over this stack's.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { dynamicProvider } from "pulumi-keylink/dist/resources/common/stub.js";

/** scripts/bench.ts PlannedResource. */
interface Planned {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "plan.json"), "utf8")) as {
  resources: Planned[];
};

/** Inputs in, the same out; a change updates in place; the id is the resource's name given as input. */
const echo = dynamicProvider(() => ({
  configure: async () => undefined,
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => ({ inputs: news }),
  diff: async (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => {
    const changed = Object.keys({ ...olds, ...news }).filter(
      (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    return { changes: changed.length > 0, replaces: [] };
  },
  create: async (inputs: Record<string, unknown>) => ({ id: String(inputs.floorId), outs: inputs }),
  read: async (id: string, props: Record<string, unknown>) => ({ id, props }),
  update: async (_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) => ({
    outs: news,
  }),
  destroy: async () => undefined,
}));

class Echo extends pulumi.dynamic.Resource {
  constructor(type: string, name: string, inputs: Record<string, unknown>) {
    super(echo, name, { ...inputs, floorId: name }, undefined, "keylinkfloor", type);
  }
}

for (const r of plan.resources) new Echo(r.type, r.name, r.inputs);
