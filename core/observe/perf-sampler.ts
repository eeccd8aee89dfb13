// The CPU/MEM/NET/MSG sampler behind DSP PERF and the perf topic of the control contract: once a second
// (an unref'ed interval, so it never keeps the process alive) it reads the process CPU time
// (process.cpuUsage), memory (process-memory.ts: never throws) and the SIP counters, and turns the counter deltas
// into messages per second, in total and by method / status code. Network bytes are the host's
// interfaces (/proc/net/dev, Linux only; undefined elsewhere) — the process's own traffic is its SIP
// messages, counted as packets. The last 600 samples (ten minutes) are kept in a ring.
//
// Unlike the original (two blocking 0.5 s cpu_percent calls per DSP PERF, reference §1.2 #13), reading a
// sample costs nothing: the figures are already there.
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import { anchoredClock } from './anchored-clock';
import type { CounterSet } from './counters';
import { eventLoopMonitor } from './event-loop-delay';
import type { EventLoopDelay, EventLoopDelaySource, EventLoopDelayTotals } from './event-loop-delay';
import { gcPauses, type GcFigures, type GcPauseSource } from './gc-pauses';
import { processMemory, type ProcessMemory } from './process-memory';

export const DEFAULT_PERF_INTERVAL_MS = 1000;
// Ten minutes: the Performance view charts the last 600 samples (its WINDOW_SAMPLES) from the first load.
export const DEFAULT_PERF_CAPACITY = 600;

/** Names of the counters the sampler reads (registered by the transport and the transaction layer). */
export const PERF_COUNTERS = {
  requestsIn: 'sip_requests_in_total',
  responsesIn: 'sip_responses_in_total',
  messagesOut: 'sip_messages_out_total',
  parseErrors: 'sip_parse_errors_total',
  keepAlives: 'sip_keepalives_total',
  retransmissions: 'sip_retransmissions_total',
  callsStarted: 'ims_calls_started_total',
} as const;

export interface PerfCpu {
  /** Process CPU time over the interval as % of one core (may exceed 100 on several cores). */
  percent: number;
  /** The same as % of the whole host (all cores). */
  hostPercent: number;
  userPercent: number;
  systemPercent: number;
  /** Process CPU time since it started, seconds. */
  totalSeconds: number;
  cores: number;
  /** Host load average over 1, 5 and 15 minutes (all zero on Windows). */
  loadAverage: [number, number, number];
}

export interface PerfMemory {
  /** Bytes. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  hostTotal: number;
  hostFree: number;
}

/** Host-wide interface byte counters (every interface, loopback included). */
export interface PerfHostNetwork {
  rxBytes: number;
  txBytes: number;
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
}

export interface PerfNetwork {
  /** SIP datagrams / stream messages received (requests, responses, rejects, keep-alives) per second. */
  packetsInPerSecond: number;
  /** SIP messages sent per second. */
  packetsOutPerSecond: number;
  packetsIn: number;
  packetsOut: number;
  /** undefined where the host's counters cannot be read cheaply (not Linux). */
  host: PerfHostNetwork | undefined;
}

export interface PerfMessages {
  /** Per second over the interval. */
  inPerSecond: number;
  outPerSecond: number;
  requestsInPerSecond: number;
  responsesInPerSecond: number;
  parseErrorsPerSecond: number;
  retransmissionsPerSecond: number;
  /** Since start. */
  inTotal: number;
  outTotal: number;
  /** Per second, by label: requests in by method, responses in by code, messages out by method or code. */
  requestsIn: Record<string, number>;
  responsesIn: Record<string, number>;
  out: Record<string, number>;
}

export interface PerfSample {
  /** ms since the epoch. */
  at: number;
  /** ms since the previous sample (or since the sampler started). */
  intervalMs: number;
  cpu: PerfCpu;
  memory: PerfMemory;
  network: PerfNetwork;
  messages: PerfMessages;
  /** Calls the proxy started tracking, per second over the interval (the Overview's calls/s). */
  calls: { startedPerSecond: number };
  /** What was live at the sample: the Overview's sparklines of them have the sampler's history. */
  live: PerfLive;
  /** How late the event loop ran over the interval (p50, p99, max, mean in ms): the proxy's own delay. */
  eventLoop: EventLoopDelay;
  /** Garbage collections over the interval and how long they held the loop (young and full). */
  gc: GcFigures;
}

/** Counts at a sample's time: live calls, registered users and contacts, auth failures so far. */
export interface PerfLive {
  calls: number;
  aors: number;
  bindings: number;
  authFailures: number;
}

const NOTHING_LIVE: PerfLive = { calls: 0, aors: 0, bindings: 0, authFailures: 0 };

/** What DSP PERF and the control contract read (PerfSampler implements it). */
export interface PerfSource {
  /** The newest sample; undefined before the first one (one interval after start). */
  latest(): PerfSample | undefined;
  /** The newest `n` samples (all kept when n is omitted), oldest first. */
  history(n?: number): PerfSample[];
  /** Called with every new sample; returns the unsubscribe function. */
  on(listener: (sample: PerfSample) => void): () => void;
}

export interface PerfSamplerOptions {
  counters: CounterSet;
  /** Default 1000 ms. */
  intervalMs?: number;
  /** Samples kept, default 600 (ten minutes). */
  capacity?: number;
  /**
   * Each sample's time (default: the wall clock at the start, advanced on `elapsed`: anchored-clock.ts).
   * Stamped by the wall clock itself, a clock stepped back or forward left the history out of order
   * (uPlot drew nothing, the Overview's sparklines vanished) or spread ten minutes over 22 hours.
   */
  now?: () => number;
  /**
   * A monotonic clock (default performance.now; `now` when only that is given, as tests do): the
   * interval the rates are divided by. On the wall clock a step back made one sample 1 ms long: 1,931%
   * of CPU and 7,000 requests a second that never were.
   */
  elapsed?: () => number;
  /** Start the interval at once (default true). Tests take samples with sample(). */
  autoStart?: boolean;
  /**
   * Host interface byte totals; default: /proc/net/dev on Linux, undefined elsewhere. Return undefined
   * when they cannot be read.
   */
  readHostNetwork?: () => { rxBytes: number; txBytes: number } | undefined;
  /** The event-loop delay monitor (default: node:perf_hooks monitorEventLoopDelay, read and reset each sample). */
  eventLoop?: EventLoopDelaySource;
  /** The collections (default: node:perf_hooks 'gc' entries, read each sample). */
  gc?: GcPauseSource;
  /** Where a failing listener is reported (default: ignored, so one bad listener stops nothing). */
  onListenerError?: (err: unknown) => void;
  /** The live counts at each sample (default: none). */
  live?: () => PerfLive;
  /** The process's memory (default: process-memory.ts, which never throws). */
  memory?: () => ProcessMemory;
}

/** Label → value of one counter, copied. */
type Totals = Map<string, number>;

interface Baseline {
  at: number;
  /** The monotonic clock at the sample. */
  mono: number;
  cpu: NodeJS.CpuUsage;
  counters: Record<keyof typeof PERF_COUNTERS, Totals>;
  host: { rxBytes: number; txBytes: number } | undefined;
}

/** Sums the receive and transmit bytes of every interface in /proc/net/dev text. */
export function parseProcNetDev(text: string): { rxBytes: number; txBytes: number } | undefined {
  let rxBytes = 0;
  let txBytes = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    // Receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes ...
    if (fields.length < 16 || fields.some((n) => !Number.isFinite(n))) continue;
    rxBytes += fields[0]!;
    txBytes += fields[8]!;
    seen = true;
  }
  return seen ? { rxBytes, txBytes } : undefined;
}

function procNetDev(): { rxBytes: number; txBytes: number } | undefined {
  try {
    return parseProcNetDev(readFileSync('/proc/net/dev', 'latin1'));
  } catch {
    return undefined;
  }
}

const defaultHostNetwork = process.platform === 'linux' ? procNetDev : (): undefined => undefined;

const sum = (m: Totals): number => {
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
};

export class PerfSampler implements PerfSource {
  readonly intervalMs: number;
  readonly capacity: number;
  readonly #counters: CounterSet;
  readonly #now: () => number;
  readonly #elapsed: () => number;
  readonly #readHost: () => { rxBytes: number; txBytes: number } | undefined;
  readonly #onListenerError: (err: unknown) => void;
  readonly #ring: PerfSample[] = [];
  /** Index of the oldest sample once the ring is full. */
  #head = 0;
  readonly #listeners = new Set<(sample: PerfSample) => void>();
  readonly #loop: EventLoopDelaySource;
  readonly #live: () => PerfLive;
  readonly #gc: GcPauseSource;
  readonly #memory: () => ProcessMemory;
  #timer: NodeJS.Timeout | undefined;
  #last: Baseline;

  constructor(options: PerfSamplerOptions) {
    this.#counters = options.counters;
    this.intervalMs = options.intervalMs ?? DEFAULT_PERF_INTERVAL_MS;
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_PERF_CAPACITY);
    this.#elapsed = options.elapsed ?? options.now ?? (() => performance.now());
    this.#now = options.now ?? anchoredClock(Date.now, this.#elapsed);
    this.#readHost = options.readHostNetwork ?? defaultHostNetwork;
    this.#onListenerError = options.onListenerError ?? ((): void => undefined);
    this.#loop = options.eventLoop ?? eventLoopMonitor();
    this.#gc = options.gc ?? gcPauses();
    this.#live = options.live ?? ((): PerfLive => NOTHING_LIVE);
    this.#memory = options.memory ?? processMemory;
    this.#last = this.#baseline();
    if (options.autoStart !== false) this.start();
  }

  /** Starts sampling every intervalMs (no-op when running). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#loop.start();
    this.#gc.start();
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    this.#timer.unref();
  }

  /** Stops sampling (and the event-loop monitor); the samples taken stay readable. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#loop.stop();
    this.#gc.stop();
  }

  /** Collections since the sampler started (/metrics' counters). */
  gcTotals(): GcFigures {
    return this.#gc.totals();
  }

  /** The event loop's ticks sampled since the sampler started, and their delays added up (/metrics). */
  loopTotals(): EventLoopDelayTotals | undefined {
    return this.#loop.totals?.();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  latest(): PerfSample | undefined {
    const n = this.#ring.length;
    if (n === 0) return undefined;
    // Until the ring is full the newest is the last pushed; then it sits just before the oldest.
    return this.#ring[n < this.capacity ? n - 1 : (this.#head - 1 + n) % n];
  }

  history(n?: number): PerfSample[] {
    const ordered =
      this.#ring.length < this.capacity
        ? [...this.#ring]
        : [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)];
    return n === undefined ? ordered : ordered.slice(Math.max(0, ordered.length - Math.max(0, n)));
  }

  on(listener: (sample: PerfSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes a sample now (the interval calls this), keeps it and tells the listeners. */
  sample(): PerfSample {
    const prev = this.#last;
    const next = this.#baseline();
    const intervalMs = Math.max(1, next.mono - prev.mono);
    const seconds = intervalMs / 1000;
    const rate = (delta: number): number => Math.max(0, delta) / seconds;
    const deltas = (key: keyof typeof PERF_COUNTERS): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const [label, value] of next.counters[key]) {
        out[label] = rate(value - (prev.counters[key].get(label) ?? 0));
      }
      return out;
    };
    const delta = (key: keyof typeof PERF_COUNTERS): number =>
      sum(next.counters[key]) - sum(prev.counters[key]);

    const cores = availableParallelism();
    const userUs = next.cpu.user - prev.cpu.user;
    const systemUs = next.cpu.system - prev.cpu.system;
    const percentOf = (us: number): number => Math.max(0, (us / 1000 / intervalMs) * 100);
    const memory = this.#memory();
    const [l1 = 0, l5 = 0, l15 = 0] = loadavg();

    const inDelta = delta('requestsIn') + delta('responsesIn') + delta('parseErrors') + delta('keepAlives');
    const inTotal =
      sum(next.counters.requestsIn) +
      sum(next.counters.responsesIn) +
      sum(next.counters.parseErrors) +
      sum(next.counters.keepAlives);
    const outTotal = sum(next.counters.messagesOut);
    const outDelta = delta('messagesOut');

    const host =
      next.host === undefined
        ? undefined
        : {
            rxBytes: next.host.rxBytes,
            txBytes: next.host.txBytes,
            rxBytesPerSecond: prev.host === undefined ? 0 : rate(next.host.rxBytes - prev.host.rxBytes),
            txBytesPerSecond: prev.host === undefined ? 0 : rate(next.host.txBytes - prev.host.txBytes),
          };

    const sample: PerfSample = {
      at: next.at,
      intervalMs,
      cpu: {
        percent: percentOf(userUs + systemUs),
        hostPercent: percentOf(userUs + systemUs) / cores,
        userPercent: percentOf(userUs),
        systemPercent: percentOf(systemUs),
        totalSeconds: (next.cpu.user + next.cpu.system) / 1e6,
        cores,
        loadAverage: [l1, l5, l15],
      },
      memory: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        hostTotal: totalmem(),
        hostFree: freemem(),
      },
      network: {
        packetsInPerSecond: rate(inDelta),
        packetsOutPerSecond: rate(outDelta),
        packetsIn: inTotal,
        packetsOut: outTotal,
        host,
      },
      messages: {
        inPerSecond: rate(delta('requestsIn') + delta('responsesIn')),
        outPerSecond: rate(outDelta),
        requestsInPerSecond: rate(delta('requestsIn')),
        responsesInPerSecond: rate(delta('responsesIn')),
        parseErrorsPerSecond: rate(delta('parseErrors')),
        retransmissionsPerSecond: rate(delta('retransmissions')),
        inTotal: sum(next.counters.requestsIn) + sum(next.counters.responsesIn),
        outTotal,
        requestsIn: deltas('requestsIn'),
        responsesIn: deltas('responsesIn'),
        out: deltas('messagesOut'),
      },
      calls: { startedPerSecond: rate(delta('callsStarted')) },
      live: this.#live(),
      eventLoop: this.#loop.read(),
      gc: this.#gc.read(),
    };
    this.#last = next;
    this.#keep(sample);
    for (const l of this.#listeners) {
      try {
        l(sample);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    return sample;
  }

  /**
   * Samples of the process before this one (perf-history-file.ts), put before the ones taken since: the
   * charts keep the minutes before a restart, a hole over the time the server was down (chart-gaps.ts).
   * Only those older than every sample kept (none kept yet: than now, before the first new sample),
   * in order, and as many as there is room for, newest kept: the history only ever goes forward (a file
   * saved before the wall clock was stepped back held samples after the new ones).
   */
  restore(earlier: readonly PerfSample[]): number {
    const kept = this.history();
    const oldest = kept[0]?.at ?? this.#now() + 1;
    const room = this.capacity - kept.length;
    const ascending = earlier.filter((s) => s.at < oldest).sort((a, b) => a.at - b.at);
    const older = ascending.filter((s, i) => i === 0 || s.at > ascending[i - 1]!.at).slice(-room);
    if (room <= 0 || older.length === 0) return 0;
    this.#ring.splice(0, this.#ring.length, ...older, ...kept);
    this.#head = 0;
    return older.length;
  }

  #keep(sample: PerfSample): void {
    if (this.#ring.length < this.capacity) {
      this.#ring.push(sample);
      return;
    }
    this.#ring[this.#head] = sample;
    this.#head = (this.#head + 1) % this.capacity;
  }

  #baseline(): Baseline {
    const read = (name: string): Totals => {
      const c = this.#counters.all().find((x) => x.name === name);
      return new Map(c?.entries() ?? []);
    };
    return {
      at: this.#now(),
      mono: this.#elapsed(),
      cpu: process.cpuUsage(),
      counters: {
        requestsIn: read(PERF_COUNTERS.requestsIn),
        responsesIn: read(PERF_COUNTERS.responsesIn),
        messagesOut: read(PERF_COUNTERS.messagesOut),
        parseErrors: read(PERF_COUNTERS.parseErrors),
        keepAlives: read(PERF_COUNTERS.keepAlives),
        retransmissions: read(PERF_COUNTERS.retransmissions),
        callsStarted: read(PERF_COUNTERS.callsStarted),
      },
      host: this.#readHost(),
    };
  }
}
