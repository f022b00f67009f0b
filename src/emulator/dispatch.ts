// Finds the model and handler for a call: by protocol and API version, then by the service the request names,
// then by who has the action.
import type { GatewayErrors } from "./gateway-errors";
import type { ParsedCall, Protocol } from "./protocols";
import type { ActionHandler, ServiceError, ServiceModel } from "./types";

export type Route =
  | { model: ServiceModel; handler: ActionHandler }
  | { model?: ServiceModel; handler?: undefined; error: ServiceError };

function handlerOf(model: ServiceModel, protocol: Protocol, action: string): ActionHandler | undefined {
  const actions = model.actions(protocol.id);
  // Own properties only: "constructor" or "__proto__" must not resolve to something inherited.
  return Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
}

export function route(models: readonly ServiceModel[], protocol: Protocol, call: ParsedCall): Route {
  const errors: GatewayErrors = protocol.errors;
  let candidates = models.filter((m) => m.protocols.includes(protocol.id));
  if (call.serviceStrict) {
    candidates = candidates.filter((m) => m.service === call.serviceHint);
    if (candidates.length === 0) return { error: errors.serviceNotFound(call.serviceHint) };
  }
  // The legacy API has no version; its models list none.
  if (protocol.id !== "tencent-legacy")
    candidates = candidates.filter((m) => m.versions.includes(call.version));
  if (candidates.length === 0) return { error: errors.invalidVersion(call.version) };
  const preferred = candidates.filter((m) => m.service === call.serviceHint);
  if (preferred.length > 0) candidates = preferred;
  for (const model of candidates) {
    const handler = handlerOf(model, protocol, call.action);
    if (handler) return { model, handler };
  }
  return { model: candidates[0], error: errors.invalidAction(call.action, call.version) };
}
