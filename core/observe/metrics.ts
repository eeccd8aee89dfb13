// The appliance's figures for machines: the server status (DSP SRVSTAT, the status snapshot) and the
// Prometheus text exposition format (version 0.0.4) of it plus every counter of the CounterSet. Calls
// by final status class come from the call tracker's 'ended' events (trackCallOutcomes).
//
// Format rules followed (prometheus.io/docs/instrumenting/exposition_formats): one `# HELP` and one
// `# TYPE` line per metric family before its samples; HELP text escapes \ and newline; label values
// escape \, " and newline; names match [a-zA-Z_:][a-zA-Z0-9_:]*; values are Go floats (NaN, +Inf, -Inf).
import type { EventLoopDelay, EventLoopDelayTotals } from './event-loop-delay';
import type { GcFigures } from './gc-pauses';
import { IMS_VERSION } from '../version';
import type { Counter, CounterSet } from './counters';
import { processMemory } from './process-memory';
import type { ReplyCounts } from './reply-counts';
import type { WriterFigures } from './writer-figures';

/** What the server is doing right now (DSP SRVSTAT; the status snapshot of the control contract). */
export interface ServerStatus {
  version: string;
  pid: number;
  /** ms since the epoch when the process started, and seconds since. */
  startedAt: number;
  uptimeSeconds: number;
  /** The address in our Via / Record-Route ('' before start). */
  serverIp: string;
  /** The one IPv6 peers are told (SERVER_IP6 in force, or SERVER_IP when IPv6; '' when none). */
  serverIp6?: string;
  /** The address the SIP listeners bind (SIP.HOST: `::` both families, `0.0.0.0` every IPv4 one). */
  listenHost?: string;
  udpPort: number;
  /** 0 when TCP is off. */
  tcpPort: number;
  /** 0 (or absent) when that listener is off. */
  tlsPort?: number;
  wsPort?: number;
  wssPort?: number;
  /** Open connections by transport (TCP, TLS, WS, WSS). */
  connections?: Record<string, number>;
  /** Bindings by the transport they were registered over (UDP, TCP, TLS, WS, WSS). */
  bindingsByTransport?: Record<string, number>;
  /** Registrations: bindings, and the AORs they belong to. */
  bindings: number;
  aors: number;
  /** Live calls (INVITE dialogs the proxy tracks). */
  calls: number;
  /** Of those, the dialogs (RFC 3261 §12): early (a 18x relayed) and confirmed (a 2xx relayed). */
  dialogs?: DialogCounts;
  transactions: { server: number; client: number };
  /** Proxy response contexts (requests being forwarded). */
  proxyContexts: number;
  /** SIP message totals since start. */
  messages: {
    requestsIn: number;
    responsesIn: number;
    out: number;
    parseErrors: number;
    retransmissions: number;
    authFailures: number;
    /** Lockouts imposed (user name from an address, or a whole address). */
    authLockouts: number;
    /** Requests refused because their source was locked out. */
    authLockedOut: number;
  };
}

/** The parts a status is read from; the Appliance has them all. */
export interface StatusSource {
  readonly serverIp: string;
  readonly serverIp6?: string;
  readonly listenHost?: string;
  readonly transport: {
    readonly udpPort: number;
    readonly tcpPort: number;
    readonly tlsPort?: number;
    readonly wsPort?: number;
    readonly wssPort?: number;
    connectionCounts?(): Record<string, number>;
  };
  readonly location: {
    readonly bindingCount: number;
    readonly aorCount: number;
    countByTransport?(): Record<string, number>;
  };
  readonly calls: { readonly size: number; dialogCounts?(): DialogCounts };
  readonly transactions: { readonly serverCount: number; readonly clientCount: number };
  readonly proxy: { readonly contextCount: number };
  readonly counters: CounterSet;
}

export interface DialogCounts {
  early: number;
  confirmed: number;
}

/** The sum of a counter's values over its labels; 0 when no such counter is registered. */
export function counterTotal(counters: { all(): readonly Counter[] }, name: string): number {
  return (
    counters
      .all()
      .find((c) => c.name === name)
      ?.total() ?? 0
  );
}

/**
 * When the process started, on the wall clock, as it was then (performance.timeOrigin, recorded once).
 * Worked out as now - uptime it moved with the wall clock: an hour earlier after a step back an hour.
 */
export function processStartedAt(): number {
  return Math.floor(performance.timeOrigin);
}

export function serverStatus(source: StatusSource): ServerStatus {
  const uptimeSeconds = process.uptime();
  const total = (name: string): number => counterTotal(source.counters, name);
  return {
    version: IMS_VERSION,
    pid: process.pid,
    startedAt: processStartedAt(),
    uptimeSeconds,
    serverIp: source.serverIp,
    serverIp6: source.serverIp6 ?? '',
    listenHost: source.listenHost ?? '',
    udpPort: source.transport.udpPort,
    tcpPort: source.transport.tcpPort,
    tlsPort: source.transport.tlsPort ?? 0,
    wsPort: source.transport.wsPort ?? 0,
    wssPort: source.transport.wssPort ?? 0,
    connections: source.transport.connectionCounts?.() ?? {},
    bindingsByTransport: source.location.countByTransport?.() ?? {},
    bindings: source.location.bindingCount,
    aors: source.location.aorCount,
    calls: source.calls.size,
    dialogs: source.calls.dialogCounts?.() ?? { early: 0, confirmed: 0 },
    transactions: { server: source.transactions.serverCount, client: source.transactions.clientCount },
    proxyContexts: source.proxy.contextCount,
    messages: {
      requestsIn: total('sip_requests_in_total'),
      responsesIn: total('sip_responses_in_total'),
      out: total('sip_messages_out_total'),
      parseErrors: total('sip_parse_errors_total'),
      retransmissions: total('sip_retransmissions_total'),
      authFailures: total('sip_auth_failures_total'),
      authLockouts: total('sip_auth_lockouts_total'),
      authLockedOut: total('sip_auth_locked_out_total'),
    },
  };
}

export const CALLS_TOTAL = 'ims_calls_total';
export const CALLS_STARTED_TOTAL = 'ims_calls_started_total';

/** The class of a final status: 2xx, 4xx...; 'none' when the call had no final status. */
export function statusClass(status: number): string {
  return status >= 100 && status < 700 ? `${Math.floor(status / 100)}xx` : 'none';
}

/**
 * Counts every call started in `ims_calls_started_total` (the console's calls/s) and every ended call by
 * the class of its final status in `ims_calls_total{class}` (answered calls are 2xx; a call cancelled is
 * 487, 4xx). Returns the unsubscribe function.
 */
export function trackCallOutcomes(
  counters: CounterSet,
  calls: { on(listener: (e: { type: string; call: { statusCode: number } }) => void): () => void },
): () => void {
  const counter = counters.counter(
    CALLS_TOTAL,
    'Calls ended, by the class of their final status (2xx: answered)',
    'class',
  );
  const started = counters.counter(CALLS_STARTED_TOTAL, 'Calls started');
  // Each class from the start, at 0: rate(ims_calls_total{class="4xx"}) has a series before the first.
  for (const c of ['2xx', '3xx', '4xx', '5xx', '6xx']) counter.inc(c, 0);
  return calls.on((e) => {
    if (e.type === 'started') started.inc();
    else if (e.type === 'ended') counter.inc(statusClass(e.call.statusCode));
  });
}

/** This process's own figures, as the Prometheus client libraries name them. */
export interface ProcessFigures {
  cpuSeconds: number;
  residentBytes: number;
  heapUsedBytes: number;
  startTimeSeconds: number;
}

export function processFigures(): ProcessFigures {
  const cpu = process.cpuUsage();
  const memory = processMemory();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    residentBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    startTimeSeconds: Math.floor(processStartedAt() / 1000),
  };
}

export interface MetricsInput {
  /** Every counter is rendered as a Prometheus counter, with its label. */
  counters: { all(): readonly Counter[] };
  /** The gauges (registrations, calls, transactions...); left out when absent. */
  status?: ServerStatus;
  /** Default: this process now. */
  process?: ProcessFigures;
  /** The event loop's delay over the last sampled interval (the perf sampler's); left out when absent. */
  eventLoop?: EventLoopDelay;
  /** The ticks of the event loop sampled since start and their delays added up: the summary's _count and _sum. */
  eventLoopTotals?: EventLoopDelayTotals;
  /** Garbage collections since start (the perf sampler's); left out when absent. */
  gc?: GcFigures;
  /** SIP responses by direction, CSeq method and class (the transport's); left out when absent. */
  replies?: ReplyCounts;
  /** The CDR, HEP and trace.db writers' counts since start; left out when absent. */
  writers?: WriterFigures;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

type Labels = readonly (readonly [string, string])[];

/** Builds the text family by family; rejects a name the format does not allow (a programming error). */
class Exposition {
  readonly #lines: string[] = [];
  readonly #families = new Set<string>();

  family(name: string, type: 'counter' | 'gauge' | 'summary', help: string): this {
    if (!METRIC_NAME.test(name)) throw new Error(`metric name ${name} is not valid in Prometheus text`);
    if (this.#families.has(name)) throw new Error(`metric ${name} is written twice`);
    this.#families.add(name);
    this.#lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, value: number, labels: Labels = []): this {
    for (const [k] of labels) {
      if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`label name ${k} is not valid`);
    }
    const set =
      labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
    this.#lines.push(`${name}${set} ${formatValue(value)}`);
    return this;
  }

  gauge(name: string, help: string, value: number, labels: Labels = []): this {
    return this.family(name, 'gauge', help).sample(name, value, labels);
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

/** The evidence writers' counters: CDR (SQLite, CSV), HEP, trace.db. */
function writerFamilies(out: Exposition, w: WriterFigures): void {
  out
    .family(
      'ims_cdr_rows_written_total',
      'counter',
      'CDR rows committed to the database and appended to the CSV archive',
    )
    .sample('ims_cdr_rows_written_total', w.cdrDbRows, [['store', 'sqlite']])
    .sample('ims_cdr_rows_written_total', w.cdrCsvRows, [['store', 'csv']]);
  out
    .family(
      'ims_cdr_write_failures_total',
      'counter',
      'CDR writes that failed (each retried), database and CSV archive',
    )
    .sample('ims_cdr_write_failures_total', w.cdrDbFailures, [['store', 'sqlite']])
    .sample('ims_cdr_write_failures_total', w.cdrCsvFailures, [['store', 'csv']]);
  const counter = (name: string, help: string, value: number): void => {
    out.family(name, 'counter', help).sample(name, value);
  };
  counter(
    'ims_cdr_rows_dropped_total',
    'CDR rows dropped: the queue full while the database failed',
    w.cdrDropped,
  );
  counter('ims_hep_packets_sent_total', 'HEP packets sent to the collector (0 while none is set)', w.hepSent);
  counter(
    'ims_hep_send_errors_total',
    'HEP packets not sent (no address, too large, a send error)',
    w.hepFailed,
  );
  counter('ims_trace_db_messages_written_total', 'SIP trace messages written to trace.db', w.traceDbMessages);
  counter(
    'ims_trace_db_write_failures_total',
    'trace.db writes that failed (their messages not kept)',
    w.traceDbFailures,
  );
}

/** Prometheus text exposition (Content-Type: text/plain; version=0.0.4; charset=utf-8). */
export function prometheusText(input: MetricsInput): string {
  const out = new Exposition();
  const proc = input.process ?? processFigures();
  out
    .family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds')
    .sample('process_cpu_seconds_total', proc.cpuSeconds);
  out.gauge('process_resident_memory_bytes', 'Resident memory size in bytes', proc.residentBytes);
  out.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', proc.heapUsedBytes);
  out.gauge(
    'process_start_time_seconds',
    'Start time of the process since the Unix epoch, in seconds',
    proc.startTimeSeconds,
  );

  const loop = input.eventLoop;
  if (loop !== undefined) {
    const summary = out
      .family(
        'ims_event_loop_delay_seconds',
        // quantile is a summary's label (Prometheus exposition format; OpenMetrics refuses it on a gauge).
        'summary',
        'How late the event loop ran (the delay the server adds to a message): quantiles over the last second only (sampled once a second), _sum and _count over every 10 ms tick since start',
      )
      .sample('ims_event_loop_delay_seconds', loop.p50Ms / 1000, [['quantile', '0.5']])
      .sample('ims_event_loop_delay_seconds', loop.p99Ms / 1000, [['quantile', '0.99']])
      .sample('ims_event_loop_delay_seconds', loop.maxMs / 1000, [['quantile', '1']]);
    // Exposition format, text, "Histograms and summaries": a summary x also gives x_sum and x_count.
    const totals = input.eventLoopTotals;
    if (totals !== undefined) {
      summary
        .sample('ims_event_loop_delay_seconds_sum', totals.sumMs / 1000)
        .sample('ims_event_loop_delay_seconds_count', totals.count);
    }
  }

  const gc = input.gc;
  if (gc !== undefined) {
    out
      .family('ims_gc_collections_total', 'counter', 'Garbage collections since start, young and full')
      .sample('ims_gc_collections_total', gc.young.count, [['kind', 'young']])
      .sample('ims_gc_collections_total', gc.full.count, [['kind', 'full']]);
    out
      .family(
        'ims_gc_pause_seconds_total',
        'counter',
        'Time garbage collection held the event loop since start, young and full (incremental marking included)',
      )
      .sample('ims_gc_pause_seconds_total', gc.young.pauseMs / 1000, [['kind', 'young']])
      .sample('ims_gc_pause_seconds_total', gc.full.pauseMs / 1000, [['kind', 'full']]);
  }

  const s = input.status;
  if (s !== undefined) {
    out.gauge('ims_info', 'IMS Lab version and advertised address (always 1)', 1, [
      ['version', s.version],
      ['server_ip', s.serverIp],
    ]);
    out.gauge('ims_registrations', 'Registered contacts (bindings)', s.bindings);
    const listeners = out.family('ims_listener_port', 'gauge', 'Port of each SIP listener, by transport');
    const ports: [string, number | undefined][] = [
      ['UDP', s.udpPort],
      ['TCP', s.tcpPort],
      ['TLS', s.tlsPort],
      ['WS', s.wsPort],
      ['WSS', s.wssPort],
    ];
    for (const [t, port] of ports)
      if (port !== undefined && port > 0) listeners.sample('ims_listener_port', port, [['transport', t]]);
    const byTransport = out.family(
      'ims_registrations_by_transport',
      'gauge',
      'Registered contacts, by the transport they registered over',
    );
    // Every transport, 0 included: a series that vanishes when the last binding goes is no 0 to alert on.
    const bound: Record<string, number> = { UDP: 0, TCP: 0, TLS: 0, WS: 0, WSS: 0, ...s.bindingsByTransport };
    for (const [t, n] of Object.entries(bound))
      byTransport.sample('ims_registrations_by_transport', n, [['transport', t]]);
    const connections = out.family('ims_connections', 'gauge', 'Open SIP connections, by transport');
    for (const [t, n] of Object.entries(s.connections ?? {}))
      connections.sample('ims_connections', n, [['transport', t]]);
    out.gauge('ims_registered_aors', 'Addresses-of-record with at least one binding', s.aors);
    out.gauge('ims_active_calls', 'Live calls (INVITE dialogs routed by the proxy)', s.calls);
    const dialogs = s.dialogs ?? { early: 0, confirmed: 0 };
    out
      .family(
        'sip_dialogs',
        'gauge',
        'INVITE dialogs the proxy tracks, by state (RFC 3261 §12): early (a 18x relayed), confirmed (a 2xx relayed)',
      )
      .sample('sip_dialogs', dialogs.early, [['state', 'early']])
      .sample('sip_dialogs', dialogs.confirmed, [['state', 'confirmed']]);
    out
      .family('ims_transactions', 'gauge', 'Live SIP transactions (RFC 3261 §17), by kind')
      .sample('ims_transactions', s.transactions.server, [['kind', 'server']])
      .sample('ims_transactions', s.transactions.client, [['kind', 'client']]);
    out.gauge(
      'ims_proxy_contexts',
      'Requests being forwarded by the proxy (response contexts)',
      s.proxyContexts,
    );
  }

  if (input.replies !== undefined) {
    const replies = out.family(
      'sip_replies_total',
      'counter',
      'SIP responses received and sent on the wire (retransmissions included), by CSeq method and status class',
    );
    for (const r of input.replies.series())
      replies.sample('sip_replies_total', r.value, [
        ['direction', r.direction],
        ['method', r.method],
        ['class', r.class],
      ]);
  }
  if (input.writers !== undefined) writerFamilies(out, input.writers);

  const counters = [...input.counters.all()].sort((a, b) => a.name.localeCompare(b.name));
  for (const c of counters) {
    out.family(c.name, 'counter', c.help);
    const entries = c.entries().sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    if (c.label === undefined) {
      out.sample(c.name, entries.length === 0 ? 0 : c.total());
      continue;
    }
    for (const [value, n] of entries) out.sample(c.name, n, [[c.label, value]]);
  }
  return out.text();
}
