// A client of the admin API, usable against any running emulator (in-process or the keylink-emulator bin).
import type { Account } from "./accounts";
import type { ActiveFault, FaultSpec } from "./faults";
import type { RequestsReport } from "./request-log";

export interface EmulatorFixtures {
  accounts?: Account[];
  alibabaVpc?: unknown;
  alibabaKms?: unknown;
  volcengineKms?: unknown;
  tencentKms?: unknown;
  /** `{roles, oidcProviders}` per cloud's STS: src/emulator/roles.ts. */
  alibabaSts?: unknown;
  tencentSts?: unknown;
  volcengineSts?: unknown;
}

export interface ClockView {
  nowMs: number;
  offsetMs: number;
}

export class EmulatorAdmin {
  /** `url` is the emulator's base URL, e.g. http://127.0.0.1:4577. */
  constructor(readonly url: string) {}

  /** Back to the startup state: models and accounts emptied (startup fixtures reapplied), faults, log, clock. */
  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }

  async loadFixtures(fixtures: EmulatorFixtures): Promise<void> {
    await this.call("POST", "fixtures", fixtures);
  }

  /** Per model key, that model's inventory; plus `emulator` (accounts without secrets, clock, durations). */
  inventory<T = Record<string, unknown>>(): Promise<T> {
    return this.call<T>("GET", "inventory");
  }

  requests(): Promise<RequestsReport> {
    return this.call<RequestsReport>("GET", "requests");
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "requests");
  }

  injectFault(fault: FaultSpec): Promise<ActiveFault> {
    return this.call<ActiveFault>("POST", "faults", fault);
  }

  async faults(): Promise<ActiveFault[]> {
    return (await this.call<{ faults: ActiveFault[] }>("GET", "faults")).faults;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }

  advanceClock(ms: number): Promise<ClockView> {
    return this.call<ClockView>("POST", "clock", { advanceMs: ms });
  }

  setClock(nowMs: number): Promise<ClockView> {
    return this.call<ClockView>("POST", "clock", { nowMs });
  }

  clock(): Promise<ClockView> {
    return this.call<ClockView>("GET", "clock");
  }

  /** Merges `{name: ms}` into the durations of asynchronous transitions; returns them all. */
  setDurations(durations: Record<string, number>): Promise<Record<string, number>> {
    return this.call<Record<string, number>>("POST", "durations", durations);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.url.replace(/\/+$/, "")}/_emulator/${path}`;
    const res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new Error(`Emulator admin ${method} ${path} answered HTTP ${res.status} with a non-JSON body`);
    }
    if (!res.ok) {
      const error = (parsed as { error?: string } | undefined)?.error ?? text;
      throw new Error(`Emulator admin ${method} ${path} failed (HTTP ${res.status}): ${error}`);
    }
    return parsed as T;
  }
}
