// The parts of the Pulumi CLI's engine events (`--event-log`, one JSON object per line; apitype.EngineEvent in
// github.com/pulumi/pulumi/sdk/v3/go/common/apitype/events.go) that the drift report reads. Everything else an
// event carries is let through untouched and ignored.
import { z } from "zod";

const stateSchema = z.looseObject({
  type: z.string(),
  urn: z.string(),
  id: z.string().optional(),
  custom: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).nullish(),
  outputs: z.record(z.string(), z.unknown()).nullish(),
});

const propertyDiffSchema = z.looseObject({ diffKind: z.string(), inputDiff: z.boolean().optional() });

const metadataSchema = z.looseObject({
  op: z.string(),
  urn: z.string(),
  type: z.string(),
  old: stateSchema.nullish(),
  new: stateSchema.nullish(),
  keys: z.array(z.string()).nullish(),
  diffs: z.array(z.string()).nullish(),
  detailedDiff: z.record(z.string(), propertyDiffSchema).nullish(),
});

export const engineEventSchema = z.looseObject({
  sequence: z.number().optional(),
  resourcePreEvent: z.looseObject({ metadata: metadataSchema }).optional(),
  resOutputsEvent: z.looseObject({ metadata: metadataSchema }).optional(),
  resOpFailedEvent: z.looseObject({ metadata: metadataSchema }).optional(),
  diagnosticEvent: z
    .looseObject({
      urn: z.string().optional(),
      prefix: z.string().optional(),
      message: z.string(),
      severity: z.string(),
      ephemeral: z.boolean().optional(),
    })
    .optional(),
  summaryEvent: z.looseObject({ resourceChanges: z.record(z.string(), z.number()).nullish() }).optional(),
});

export type EngineEvent = z.infer<typeof engineEventSchema>;
export type StepMetadata = z.infer<typeof metadataSchema>;
export type StepState = z.infer<typeof stateSchema>;

/**
 * Parses an event log (JSON lines). A line that is not an event (a partial last line of a killed CLI) is
 * skipped: what the CLI itself reported decides whether the check succeeded.
 */
export function parseEventLog(text: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = engineEventSchema.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}
