/**
 * A create that failed after the cloud object was changed. The dynamic-provider host reports an error carrying
 * `id` and `properties` as a partially created resource, so Pulumi keeps it in state and the next update repairs
 * or deletes it instead of leaving an untracked object. Secret properties stay marked secret by the engine, like
 * the inputs they came from. `properties` must include `__provider`.
 */
export class PartialCreateError extends Error {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.name = "PartialCreateError";
    this.reasons = [message];
  }
}
