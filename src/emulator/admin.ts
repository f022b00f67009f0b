// The admin API under /_emulator/, for tests, benchmarks and the demo. Plain JSON; errors are {error}.
import { checkClockMs, parseDurations } from "./clock";
import type { Reply } from "./envelopes";
import { parseFaultSpec } from "./faults";
import type { EmulatorCore } from "./server";

export const ADMIN_PREFIX = "/_emulator/";

class AdminError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function json(body: Buffer): unknown {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AdminError("the request body is not valid JSON");
  }
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new AdminError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function clock(core: EmulatorCore, body: Record<string, unknown>) {
  const { advanceMs, nowMs } = body;
  if ((advanceMs === undefined) === (nowMs === undefined))
    throw new AdminError("give exactly one of advanceMs or nowMs");
  try {
    if (advanceMs !== undefined) {
      if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs))
        throw new AdminError("advanceMs must be a number");
      checkClockMs(core.state.clock.now() + advanceMs, "advanceMs");
      core.state.clock.advance(advanceMs);
    } else {
      if (typeof nowMs !== "number" || !Number.isFinite(nowMs))
        throw new AdminError("nowMs must be epoch milliseconds");
      checkClockMs(nowMs, "nowMs");
      core.state.clock.set(nowMs);
    }
  } catch (e) {
    throw e instanceof AdminError ? e : new AdminError((e as Error).message);
  }
  core.state.save();
  return clockView(core);
}

function clockView(core: EmulatorCore) {
  return { nowMs: core.state.clock.now(), offsetMs: core.state.clock.offsetMs };
}

type Route = (core: EmulatorCore, body: Buffer) => unknown;

const ROUTES: Record<string, Route> = {
  "GET health": () => ({ ok: true }),
  "POST reset": (core) => {
    core.resetAll();
    return { ok: true };
  },
  "POST fixtures": (core, body) => {
    try {
      core.state.loadFixtures(json(body));
    } catch (e) {
      throw e instanceof AdminError ? e : new AdminError(`invalid fixtures: ${(e as Error).message}`);
    }
    core.state.save();
    return { ok: true };
  },
  "GET inventory": (core) => core.state.inventory(),
  "GET requests": (core) => core.log.report(),
  "DELETE requests": (core) => {
    core.log.clear();
    return { ok: true };
  },
  "GET faults": (core) => ({ faults: core.faults.list() }),
  "POST faults": (core, body) => {
    try {
      return core.faults.add(parseFaultSpec(json(body)));
    } catch (e) {
      throw e instanceof AdminError ? e : new AdminError((e as Error).message);
    }
  },
  "DELETE faults": (core) => {
    core.faults.clear();
    return { ok: true };
  },
  // Alibaba's ALIBABA_CLOUD_CREDENTIALS_URI can name any address, so the emulator stands in for it; the clouds'
  // instance-metadata addresses are fixed in their libraries and cannot be pointed here.
  "GET instance-credentials/alibaba": (core) => {
    let changed = false;
    const model = core.state.models.find((m) => m.key === "alibabaSts");
    const answer = model?.instanceCredentials?.(core.state.context(() => (changed = true)));
    if (answer === undefined) throw new AdminError("no alibabaSts.instanceRole in the fixtures", 404);
    if (changed) core.state.save();
    return answer;
  },
  "GET clock": (core) => clockView(core),
  "POST clock": (core, body) => clock(core, object(json(body), "the clock request")),
  "GET durations": (core) => core.state.durations.toJSON(),
  "POST durations": (core, body) => {
    try {
      core.state.durations.set(parseDurations(json(body), "durations", core.state.durations.names()));
    } catch (e) {
      throw e instanceof AdminError ? e : new AdminError((e as Error).message);
    }
    core.state.save();
    return core.state.durations.toJSON();
  },
};

/** `path` is what follows /_emulator/. */
export function handleAdmin(core: EmulatorCore, method: string, path: string, body: Buffer): Reply {
  const name = path.replace(/\/+$/, "");
  const handler = ROUTES[`${method.toUpperCase()} ${name}`];
  if (!handler) {
    const known = Object.keys(ROUTES).map((k) => `${k.split(" ")[0]} ${ADMIN_PREFIX}${k.split(" ")[1]}`);
    return { status: 404, body: { error: `no admin route ${method} ${ADMIN_PREFIX}${name}`, routes: known } };
  }
  try {
    return { status: 200, body: handler(core, body) };
  } catch (e) {
    if (e instanceof AdminError) return { status: e.status, body: { error: e.message } };
    return { status: 500, body: { error: `admin ${name} failed: ${(e as Error).message}` } };
  }
}
