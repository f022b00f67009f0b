import * as pulumi from "@pulumi/pulumi";

/**
 * The base of the package's resource classes: a pulumi.dynamic.Resource whose construction does without the stack
 * traces that @pulumi/pulumi (3.259) formats as text for every promise it makes while it registers a resource
 * (`debuggablePromise`: the URN's, the id's and a few per output property). The SDK shows those traces only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set, in its report of promises left pending at exit, and a TypeScript program runs
 * under ts-node, which maps every frame of every trace through source maps: for the benchmark's 300 resources that
 * formatting took 1.1 of the program's 3.0 CPU-seconds, and a `pulumi preview` with no changes 4.5 s instead of 3.5
 * (2-core machine). With PULUMI_DEBUG_PROMISE_LEAKS set the traces are kept. The stack trace and source position
 * that state records for each resource are taken apart, with no limit (Resource.callsites), so they keep every
 * frame.
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
    const limit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      super(provider, name, props, opts, module, type);
    } catch (e) {
      // An error thrown while registering (a transformation's, say) takes its stack from here: the program's line
      // that constructed the resource, and its callers.
      Error.stackTraceLimit = limit;
      if (e instanceof Error && Object.isExtensible(e)) Error.captureStackTrace(e, new.target);
      throw e;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
