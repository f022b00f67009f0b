// KeylinkResource, the base of the package's resource classes: while the SDK constructs one, the program's stack
// trace formatter (ts-node's maps every frame through source maps) formats only the trace that state records, not
// the one the SDK takes for each of its promises (shown only with PULUMI_DEBUG_PROMISE_LEAKS); with
// PULUMI_DEBUG_PROMISE_LEAKS set it formats them all, as for a plain dynamic resource; the formatter is put back;
// and an error a transformation throws keeps every frame, its own line first.
import * as pulumi from "@pulumi/pulumi";
import { Cmk } from "../../../src/resources/cmk";

beforeAll(() =>
  pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: () => ({}),
  }),
);

const echo: pulumi.dynamic.ResourceProvider = { create: async (inputs) => ({ id: "plain", outs: inputs }) };

/** A dynamic resource declared as the SDK documents it, without the package's base. */
class Plain extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(echo, name, { a: 1, b: undefined }, undefined);
  }
}

/** The function name of the top frame of each trace the program's formatter formats while `construct` runs. */
function tracesFormatted(construct: () => void): string[] {
  const original = Error.prepareStackTrace;
  const formatter = (error: Error, frames: NodeJS.CallSite[]) => {
    tops.push(frames[0]?.getFunctionName() ?? "");
    return [String(error), ...frames.map((f) => `    at ${f}`)].join("\n");
  };
  const tops: string[] = [];
  Error.prepareStackTrace = formatter;
  try {
    construct();
    expect(Error.prepareStackTrace).toBe(formatter);
  } finally {
    Error.prepareStackTrace = original;
  }
  return tops;
}

let n = 0;
/** Every resource constructed, whose registrations the mocks finish after each test. */
const made: pulumi.CustomResource[] = [];
const newCmk = (opts?: pulumi.CustomResourceOptions) =>
  made.push(new Cmk(`cmk-${++n}`, { region: "ap-guangzhou", alias: `alias-${n}` }, opts));
const newPlain = () => made.push(new Plain(`plain-${++n}`));

afterEach(async () => {
  delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  await Promise.all(made.splice(0).map((r) => new Promise((resolve) => r.urn.apply(resolve))));
});

test("constructing a resource formats the trace that state records and none of the SDK's promise traces", () => {
  expect(tracesFormatted(() => newCmk())).toEqual(["callsites"]);
  const plain = tracesFormatted(newPlain);
  expect(plain).toContain("callsites");
  expect(plain.filter((f) => f === "debuggablePromise").length).toBeGreaterThan(3);
});

test("with PULUMI_DEBUG_PROMISE_LEAKS set, the SDK's promise traces are formatted as for a plain resource", () => {
  process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
  const keylink = tracesFormatted(() => newCmk());
  expect(keylink.filter((f) => f === "debuggablePromise").length).toBeGreaterThan(3);
});

test("an error a transformation throws keeps its frames, its own line first, and the formatter is put back", () => {
  const original = Error.prepareStackTrace;
  let thrown: unknown;
  try {
    newCmk({
      transformations: [
        () => {
          throw new Error("a transformation failed");
        },
      ],
    });
  } catch (e) {
    thrown = e;
  }
  expect(Error.prepareStackTrace).toBe(original);
  expect(thrown).toBeInstanceOf(Error);
  const frames = (thrown as Error).stack?.split("\n").slice(1) ?? [];
  expect(frames[0]).toMatch(/resource\.test\.ts/);
  expect(frames.some((f) => /newCmk/.test(f))).toBe(true);
});
