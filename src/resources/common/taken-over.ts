// Cloud objects that a create of this deployment took over from a resource the same deployment removes: a
// resource renamed in the program (without Pulumi's `aliases` option) or moved to another stack of resources is
// a create of the new one and, after all creates, a delete of the old one, which would otherwise delete the
// object the new resource now manages. Kept in the provider process, which serves the whole deployment.
import { processMemory } from "../../common/process-memory";

function table(): Set<string> {
  return processMemory("taken-over", () => new Set<string>());
}

/** Records that a create of this deployment took over the object whose resource id is `id`. */
export function recordTakeover(kind: string, id: string): void {
  table().add(`${kind}:${id}`);
}

/** Whether a create of this deployment took over the object that the resource being deleted had. */
export function wasTakenOver(kind: string, id: string): boolean {
  return table().has(`${kind}:${id}`);
}

/** Forgets the takeovers (a new deployment in the same process: tests). */
export function forgetTakeovers(): void {
  table().clear();
}
