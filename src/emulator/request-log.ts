// The log of cloud API calls the emulator answered, with counts, and for writes that touch a lockable object
// (a VPN gateway) the most calls ever in flight at once per object: the proof that a client never has two
// changes in flight on one gateway.
import type { EmulatorCloud } from "./types";

export interface LogEntry {
  seq: number;
  /** Emulator-clock epoch ms when the request arrived. */
  at: number;
  cloud: EmulatorCloud;
  service: string;
  action: string;
  region: string;
  status: number;
  /** Error code, when the call failed (also for Tencent errors, which are HTTP 200). */
  code?: string;
  ms: number;
  lockKey?: string;
}

export interface RequestsReport {
  entries: LogEntry[];
  byAction: Record<string, number>;
  byCloud: Record<string, number>;
  /** `cloud -> action -> count`, for actions that exist in several clouds. */
  byCloudAction: Record<string, Record<string, number>>;
  /** lockKey -> the most requests with that key in flight at once. */
  maxInFlight: Record<string, number>;
}

/** A request being served; `start` is a monotonic time in ms. */
export interface Ticket {
  start: number;
  at: number;
}

interface Interval {
  start: number;
  end: number;
}

/** Entries beyond this are dropped oldest first; counts and maxima still include them. */
const MAX_ENTRIES = 100_000;

export class RequestLog {
  private entries: LogEntry[] = [];
  private seq = 0;
  private byAction: Record<string, number> = {};
  private byCloud: Record<string, number> = {};
  private byCloudAction: Record<string, Record<string, number>> = {};
  private maxInFlight: Record<string, number> = {};
  /** Finished intervals per key that may still overlap a request in flight. */
  private recent = new Map<string, Interval[]>();
  private open = new Set<Ticket>();

  constructor(private readonly monotonic: () => number = () => performance.now()) {}

  /** Called when a request arrives, before its body is read, so that overlapping requests are seen as such. */
  begin(at: number): Ticket {
    const ticket = { start: this.monotonic(), at };
    this.open.add(ticket);
    return ticket;
  }

  /** Forgets a request that turned out not to be a cloud call. */
  cancel(ticket: Ticket): void {
    this.open.delete(ticket);
  }

  /** Called when the request was answered (or its connection dropped). */
  finish(ticket: Ticket, e: Omit<LogEntry, "seq" | "at" | "ms">): LogEntry {
    this.open.delete(ticket);
    const end = this.monotonic();
    const entry: LogEntry = {
      seq: ++this.seq,
      at: ticket.at,
      ...e,
      ms: Math.round((end - ticket.start) * 10) / 10,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.byAction[e.action] = (this.byAction[e.action] ?? 0) + 1;
    this.byCloud[e.cloud] = (this.byCloud[e.cloud] ?? 0) + 1;
    const perCloud = (this.byCloudAction[e.cloud] ??= {});
    perCloud[e.action] = (perCloud[e.action] ?? 0) + 1;
    if (e.lockKey !== undefined) this.countOverlap(e.lockKey, { start: ticket.start, end });
    return entry;
  }

  /**
   * Every set of overlapping intervals has a member that finishes last; when it finishes, the others are in
   * `recent`. So computing the peak over `recent` ∪ {this one} at each finish finds the true maximum.
   */
  private countOverlap(key: string, iv: Interval): void {
    const overlapping = (this.recent.get(key) ?? []).filter((o) => o.end > iv.start && o.start < iv.end);
    const all = [...overlapping, iv];
    let peak = 0;
    for (const p of all.map((o) => Math.max(o.start, iv.start))) {
      peak = Math.max(peak, all.filter((o) => o.start <= p && p < o.end).length);
    }
    this.maxInFlight[key] = Math.max(this.maxInFlight[key] ?? 0, peak);
    this.recent.set(key, [...(this.recent.get(key) ?? []), iv]);
    // Keep only intervals that a request still in flight could overlap.
    let earliestOpen = Infinity;
    for (const t of this.open) earliestOpen = Math.min(earliestOpen, t.start);
    for (const [k, list] of this.recent) {
      const kept = list.filter((o) => o.end > earliestOpen);
      if (kept.length) this.recent.set(k, kept);
      else this.recent.delete(k);
    }
  }

  report(): RequestsReport {
    return {
      entries: [...this.entries],
      byAction: { ...this.byAction },
      byCloud: { ...this.byCloud },
      byCloudAction: Object.fromEntries(Object.entries(this.byCloudAction).map(([c, m]) => [c, { ...m }])),
      maxInFlight: { ...this.maxInFlight },
    };
  }

  clear(): void {
    this.entries = [];
    this.byAction = {};
    this.byCloud = {};
    this.byCloudAction = {};
    this.maxInFlight = {};
    this.recent.clear();
  }
}
