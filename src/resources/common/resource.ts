import * as pulumi from "@pulumi/pulumi";

/** The @pulumi/pulumi function that records, as text, a stack trace for each promise the SDK makes. */
const PROMISE_TRACE_FRAME = "debuggablePromise";

/**
 * The base of the package's resource classes: a pulumi.dynamic.Resource whose construction does without the stack
 * traces that @pulumi/pulumi (3.259) formats as text for every promise it makes while it registers a resource
 * (`debuggablePromise`: the URN's, the id's and a few per output property). The SDK shows those traces only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set, in its report of promises left pending at exit, and a TypeScript program runs
 * under ts-node, whose Error.prepareStackTrace maps every frame of every trace through source maps: for the
 * benchmark's 300 resources that formatting took 1.1 of the program's 3.0 CPU-seconds (2-core machine, CPU profile
 * of the program in a `pulumi preview` with no changes). While the SDK constructs the resource, a trace taken in
 * debuggablePromise is formatted as its first line only; every other trace (the stack that state records for the
 * resource, an error a transformation throws) is formatted by the program's own Error.prepareStackTrace, with every
 * frame. Without one (a program run by plain Node.js) V8 formats traces natively, cheaply, and nothing is changed;
 * nor is anything with PULUMI_DEBUG_PROMISE_LEAKS set.
 */
export abstract class KeylinkResource extends pulumi.dynamic.Resource {
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    const format = Error.prepareStackTrace;
    const quiet =
      typeof format === "function" && !process.env.PULUMI_DEBUG_PROMISE_LEAKS
        ? (error: Error, frames: NodeJS.CallSite[]) =>
            frames[0]?.getFunctionName() === PROMISE_TRACE_FRAME ? String(error) : format(error, frames)
        : undefined;
    if (quiet) Error.prepareStackTrace = quiet;
    try {
      super(provider, name, props, opts, module, type);
    } finally {
      // Unless something else has put its own in meanwhile.
      if (quiet && Error.prepareStackTrace === quiet) Error.prepareStackTrace = format;
    }
  }
}
