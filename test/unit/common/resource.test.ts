// KeylinkResource, the base of the package's resource classes: constructing one formats none of the stack traces
// the SDK records for its promises (shown only with PULUMI_DEBUG_PROMISE_LEAKS), only the one state records;
// with PULUMI_DEBUG_PROMISE_LEAKS set it formats them all, as a plain dynamic resource does; Error.stackTraceLimit
// is put back; and an error thrown while constructing keeps the program's line in its stack.
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

/** How many frames each stack trace formatted while `construct` ran holds (V8 formats one when .stack is read). */
function tracesFormatted(construct: () => void): number[] {
  const original = Error.prepareStackTrace;
  const frames: number[] = [];
  Error.prepareStackTrace = (error, callSites) => {
    frames.push(callSites.length);
    return [String(error), ...callSites.map((c) => `    at ${c}`)].join("\n");
  };
  try {
    construct();
  } finally {
    Error.prepareStackTrace = original;
  }
  return frames;
}

const nonEmpty = (frames: number[]) => frames.filter((n) => n > 0).length;

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

test("constructing a resource formats only the stack trace that state records, and puts the limit back", () => {
  const before = Error.stackTraceLimit;
  Error.stackTraceLimit = 25;
  try {
    const keylink = tracesFormatted(() => newCmk());
    expect(Error.stackTraceLimit).toBe(25);
    expect(nonEmpty(keylink)).toBe(1);
    // The SDK's promise traces are there, empty; a plain dynamic resource formats each with its frames.
    expect(keylink.length).toBeGreaterThan(3);
    expect(nonEmpty(tracesFormatted(newPlain))).toBeGreaterThan(3);
  } finally {
    Error.stackTraceLimit = before;
  }
});

test("with PULUMI_DEBUG_PROMISE_LEAKS set, every trace keeps its frames", () => {
  process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
  const keylink = tracesFormatted(() => newCmk());
  expect(nonEmpty(keylink)).toBe(keylink.length);
  expect(keylink.length).toBeGreaterThan(3);
});

test("an error thrown while constructing names the program's line, and the limit is put back", () => {
  const before = Error.stackTraceLimit;
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
  expect(Error.stackTraceLimit).toBe(before);
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Error).message).toBe("a transformation failed");
  // The stack starts at the caller of `new Cmk` (newCmk, in this file), not inside the SDK.
  expect((thrown as Error).stack?.split("\n")[1]).toMatch(/resource\.test\.ts/);
});
