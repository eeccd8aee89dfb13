// Prometheus text exposition: the output is parsed back line by line (every line a HELP/TYPE comment or
// `name{labels} value`, label values unescaped to what went in), and the call outcome counter is fed by
// a REAL call tracker over a real transaction layer (the transaction test harness).
import { describe, expect, it } from 'vitest';
import { CounterSet, MAX_LABEL_VALUES } from '../../../core/observe/counters';
import {
  escapeLabelValue,
  formatValue,
  prometheusText,
  serverStatus,
  statusClass,
  trackCallOutcomes,
} from '../../../core/observe/metrics';
import type { ProcessFigures, ServerStatus } from '../../../core/observe/metrics';
import { parseMessage, SipRequest, SipResponse } from '../../../core/sip/message/index';
import { CallTracker } from '../../../core/sip/proxy/call-tracker';
import { LocalIdentity } from '../../../core/sip/proxy/local-identity';
import type { Branch } from '../../../core/sip/proxy/response-context';
import { ReplyCounts } from '../../../core/observe/reply-counts';
import type { WriterFigures } from '../../../core/observe/writer-figures';
import { idleServerStatus } from '../../support/server-status';
import { harness } from '../sip/transaction/harness';

interface Family {
  help: string;
  type: string;
  samples: { name?: string; labels: Record<string, string>; value: number }[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/;

function unescape(v: string): string {
  return v.replace(/\\([\\"n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  expect(text, `value ${text}`).toMatch(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/);
  return Number(text);
}

/** Parses exposition text strictly; fails the test on any line that is not in the format. */
function parseExposition(text: string): Map<string, Family> {
  expect(text.endsWith('\n')).toBe(true);
  const families = new Map<string, Family>();
  let current: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = COMMENT.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment as unknown as [string, string, string, string];
      if (kind === 'HELP') {
        expect(families.has(name), `${name} described twice`).toBe(false);
        families.set(name, {
          help: rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'),
          type: '',
          samples: [],
        });
        current = name;
      } else {
        expect(current, `TYPE of ${name} right after its HELP`).toBe(name);
        expect(['counter', 'gauge', 'summary', 'histogram', 'untyped']).toContain(rest);
        families.get(name)!.type = rest;
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    expect(sample, `line is neither a comment nor a sample: ${JSON.stringify(line)}`).not.toBeNull();
    const [, sampleName, labelText = '', value] = sample as unknown as [
      string,
      string,
      string | undefined,
      string,
    ];
    // A summary x's sum and count are samples x_sum and x_count of its family (Histograms and summaries).
    const name =
      current !== undefined &&
      families.get(current)?.type === 'summary' &&
      (sampleName === `${current}_sum` || sampleName === `${current}_count`)
        ? current
        : sampleName;
    expect(name, `sample of ${sampleName} inside the family ${current}`).toBe(current);
    expect(families.get(name)!.type, `${name} has a TYPE before its samples`).not.toBe('');
    const labels: Record<string, string> = {};
    let rest = labelText;
    while (rest !== '') {
      const m = LABEL.exec(rest);
      expect(m, `bad label set {${labelText}}`).not.toBeNull();
      labels[m![1]!] = unescape(m![2]!);
      rest = rest.slice(m![0].length);
    }
    families
      .get(name)!
      .samples.push({ labels, value: parseValue(value), ...(sampleName !== name && { name: sampleName }) });
  }
  return families;
}

const STATUS: ServerStatus = idleServerStatus({
  uptimeSeconds: 12,
  serverIp: '192.0.2.1',
  tcpPort: 5060,
  bindings: 7,
  aors: 5,
  calls: 2,
  transactions: { server: 3, client: 4 },
  proxyContexts: 1,
});

const PROCESS: ProcessFigures = {
  cpuSeconds: 1.25,
  residentBytes: 52_428_800,
  heapUsedBytes: 10_485_760,
  startTimeSeconds: 1_700_000_000,
};

describe('prometheusText', () => {
  it('renders counters with their label, the gauges and the process figures, all parseable', () => {
    const counters = new CounterSet();
    const requests = counters.counter('sip_requests_in_total', 'SIP requests received, by method', 'method');
    requests.inc('REGISTER', 2);
    requests.inc('INVITE', 3);
    counters.counter('sip_auth_failures_total', 'Failed digest authentications').inc();
    counters.counter('sip_parse_errors_total', 'Parse errors, by problem', 'kind'); // none yet
    counters.counter('sip_keepalives_total', 'CRLF keep-alives received'); // none yet
    const text = prometheusText({ counters, status: STATUS, process: PROCESS });
    const families = parseExposition(text);

    expect(families.get('process_cpu_seconds_total')).toMatchObject({
      type: 'counter',
      samples: [{ value: 1.25 }],
    });
    expect(families.get('process_resident_memory_bytes')!.samples[0]!.value).toBe(52_428_800);
    expect(families.get('ims_registrations')).toMatchObject({
      type: 'gauge',
      samples: [{ labels: {}, value: 7 }],
    });
    expect(families.get('ims_registered_aors')!.samples[0]!.value).toBe(5);
    expect(families.get('ims_active_calls')!.samples[0]!.value).toBe(2);
    expect(families.get('ims_transactions')!.samples).toEqual([
      { labels: { kind: 'server' }, value: 3 },
      { labels: { kind: 'client' }, value: 4 },
    ]);
    expect(families.get('ims_proxy_contexts')!.samples[0]!.value).toBe(1);
    expect(families.get('ims_info')!.samples).toEqual([
      { labels: { version: '0.1.0', server_ip: '192.0.2.1' }, value: 1 },
    ]);
    expect(families.get('sip_requests_in_total')).toEqual({
      help: 'SIP requests received, by method',
      type: 'counter',
      samples: [
        { labels: { method: 'INVITE' }, value: 3 },
        { labels: { method: 'REGISTER' }, value: 2 },
      ],
    });
    expect(families.get('sip_auth_failures_total')!.samples).toEqual([{ labels: {}, value: 1 }]);
    expect(families.get('sip_keepalives_total')!.samples).toEqual([{ labels: {}, value: 0 }]);
    expect(families.get('sip_parse_errors_total')).toMatchObject({ type: 'counter', samples: [] });

    expect(text).toContain(
      '# HELP sip_requests_in_total SIP requests received, by method\n' +
        '# TYPE sip_requests_in_total counter\n' +
        'sip_requests_in_total{method="INVITE"} 3\n' +
        'sip_requests_in_total{method="REGISTER"} 2\n',
    );
  });

  it('lists the listener ports, connections and registrations by transport (TLS, WS, WSS off: left out)', () => {
    const families = parseExposition(
      prometheusText({
        counters: new CounterSet(),
        status: {
          ...STATUS,
          tlsPort: 5061,
          wsPort: 0,
          wssPort: 7443,
          connections: { TCP: 1, TLS: 2, WS: 0, WSS: 3 },
          bindingsByTransport: { UDP: 4, WSS: 3 },
        },
        process: PROCESS,
      }),
    );
    const byTransport = (name: string): Record<string, number> =>
      Object.fromEntries(families.get(name)!.samples.map((x) => [x.labels.transport!, x.value]));
    expect(byTransport('ims_listener_port')).toEqual({ UDP: 5060, TCP: 5060, TLS: 5061, WSS: 7443 });
    expect(byTransport('ims_connections')).toEqual({ TCP: 1, TLS: 2, WS: 0, WSS: 3 });
    // Registrations by transport: every transport, 0 included (a vanishing series is no 0 to alert on).
    expect(byTransport('ims_registrations_by_transport')).toEqual({ UDP: 4, TCP: 0, TLS: 0, WS: 0, WSS: 3 });
  });

  it('escapes label values and help text as the format says', () => {
    const counters = new CounterSet();
    const nasty = 'a "quoted" \\path\\\nnext line';
    counters.counter('odd_total', 'Help with a \\ backslash\nand a newline', 'value').inc(nasty, 2);
    const text = prometheusText({ counters, process: PROCESS });
    expect(text).toContain('odd_total{value="a \\"quoted\\" \\\\path\\\\\\nnext line"} 2\n');
    expect(text).toContain('# HELP odd_total Help with a \\\\ backslash\\nand a newline\n');
    const family = parseExposition(text).get('odd_total')!;
    expect(family.help).toBe('Help with a \\ backslash\nand a newline');
    expect(family.samples).toEqual([{ labels: { value: nasty }, value: 2 }]);
    expect(escapeLabelValue('plain')).toBe('plain');
    // Without a status there are no gauges of the SIP stack.
    expect(text).not.toContain('ims_registrations');
  });

  it('writes the event-loop delay in seconds by quantile when given, and leaves it out otherwise', () => {
    const eventLoop = { p50Ms: 0.5, p99Ms: 12, maxMs: 250, meanMs: 1 };
    // A summary has its _sum and _count beside the quantiles (exposition format: they were missing).
    const eventLoopTotals = { count: 360_000, sumMs: 7_250 };
    const family = parseExposition(
      prometheusText({ counters: new CounterSet(), process: PROCESS, eventLoop, eventLoopTotals }),
    ).get('ims_event_loop_delay_seconds')!;
    expect(family.type).toBe('summary');
    expect(family.help).toContain('quantiles over the last second only');
    expect(family.samples).toEqual([
      { labels: { quantile: '0.5' }, value: 0.0005 },
      { labels: { quantile: '0.99' }, value: 0.012 },
      { labels: { quantile: '1' }, value: 0.25 },
      { name: 'ims_event_loop_delay_seconds_sum', labels: {}, value: 7.25 },
      { name: 'ims_event_loop_delay_seconds_count', labels: {}, value: 360_000 },
    ]);
    expect(
      parseExposition(prometheusText({ counters: new CounterSet(), process: PROCESS })).has(
        'ims_event_loop_delay_seconds',
      ),
    ).toBe(false);
  });

  it('writes the garbage collections since start as counters by kind when given', () => {
    const gc = {
      young: { count: 120, pauseMs: 250, maxMs: 4 },
      full: { count: 3, pauseMs: 45, maxMs: 12 },
    };
    const parsed = parseExposition(prometheusText({ counters: new CounterSet(), process: PROCESS, gc }));
    expect(parsed.get('ims_gc_collections_total')).toMatchObject({
      type: 'counter',
      samples: [
        { labels: { kind: 'young' }, value: 120 },
        { labels: { kind: 'full' }, value: 3 },
      ],
    });
    expect(parsed.get('ims_gc_pause_seconds_total')).toMatchObject({
      type: 'counter',
      samples: [
        { labels: { kind: 'young' }, value: 0.25 },
        { labels: { kind: 'full' }, value: 0.045 },
      ],
    });
    expect(
      parseExposition(prometheusText({ counters: new CounterSet(), process: PROCESS })).has(
        'ims_gc_collections_total',
      ),
    ).toBe(false);
  });

  it('writes sip_replies_total by direction, method and class, every series from the start', () => {
    const replies = new ReplyCounts();
    replies.received('INVITE', 180);
    replies.sent('REGISTER', '401');
    replies.sent('XYZZY', '501');
    const family = parseExposition(
      prometheusText({ counters: new CounterSet(), process: PROCESS, replies }),
    ).get('sip_replies_total')!;
    expect(family.type).toBe('counter');
    expect(family.samples).toHaveLength(168);
    const value = (direction: string, method: string, cls: string): number | undefined =>
      family.samples.find(
        (x) => x.labels.direction === direction && x.labels.method === method && x.labels.class === cls,
      )?.value;
    expect(value('received', 'INVITE', '1xx')).toBe(1);
    expect(value('sent', 'REGISTER', '4xx')).toBe(1);
    expect(value('sent', 'other', '5xx')).toBe(1);
    expect(value('sent', 'BYE', '6xx')).toBe(0);
    expect(family.samples.reduce((n, x) => n + x.value, 0)).toBe(3);
  });

  it("writes the evidence writers' counters: CDR by store, HEP, trace.db", () => {
    const writers: WriterFigures = {
      cdrDbRows: 10,
      cdrDbFailures: 1,
      cdrCsvRows: 9,
      cdrCsvFailures: 2,
      cdrDropped: 0,
      hepSent: 40,
      hepFailed: 3,
      traceDbMessages: 50,
      traceDbFailures: 4,
    };
    const families = parseExposition(
      prometheusText({ counters: new CounterSet(), process: PROCESS, writers }),
    );
    expect(families.get('ims_cdr_rows_written_total')).toMatchObject({
      type: 'counter',
      samples: [
        { labels: { store: 'sqlite' }, value: 10 },
        { labels: { store: 'csv' }, value: 9 },
      ],
    });
    expect(families.get('ims_cdr_write_failures_total')!.samples).toEqual([
      { labels: { store: 'sqlite' }, value: 1 },
      { labels: { store: 'csv' }, value: 2 },
    ]);
    const one = (name: string): number | undefined => families.get(name)?.samples[0]?.value;
    expect(one('ims_cdr_rows_dropped_total')).toBe(0);
    expect(one('ims_hep_packets_sent_total')).toBe(40);
    expect(one('ims_hep_send_errors_total')).toBe(3);
    expect(one('ims_trace_db_messages_written_total')).toBe(50);
    expect(one('ims_trace_db_write_failures_total')).toBe(4);
    for (const name of ['ims_hep_packets_sent_total', 'ims_trace_db_write_failures_total'])
      expect(families.get(name)!.type).toBe('counter');
  });

  it('writes Go float values', () => {
    expect([NaN, Infinity, -Infinity, 0, 1.5, 1e21].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0',
      '1.5',
      '1e+21',
    ]);
  });

  it("reads this process's own figures when none are given", () => {
    const families = parseExposition(prometheusText({ counters: new CounterSet() }));
    expect(families.get('process_cpu_seconds_total')!.samples[0]!.value).toBeGreaterThan(0);
    expect(families.get('process_resident_memory_bytes')!.samples[0]!.value).toBeGreaterThan(1_000_000);
    expect(families.get('process_start_time_seconds')!.samples[0]!.value).toBeLessThanOrEqual(
      Date.now() / 1000,
    );
  });
});

describe('serverStatus', () => {
  it('reads ports, address, registrations, calls, transactions and message totals from the parts', () => {
    const h = harness();
    const counters = new CounterSet();
    counters.counter('sip_requests_in_total', '', 'method').inc('INVITE', 5);
    counters.counter('sip_responses_in_total', '', 'code').inc('200', 4);
    counters.counter('sip_messages_out_total', '', 'kind').inc('100', 9);
    counters.counter('sip_retransmissions_total', '', 'kind').inc('INVITE', 2);
    const s = serverStatus({
      serverIp: '192.0.2.1',
      transport: { udpPort: 5070, tcpPort: 5070 },
      location: { bindingCount: 3, aorCount: 2 },
      calls: { size: 1 },
      transactions: h.layer,
      proxy: { contextCount: 0 },
      counters,
    });
    expect(s).toMatchObject({
      pid: process.pid,
      serverIp: '192.0.2.1',
      udpPort: 5070,
      tcpPort: 5070,
      bindings: 3,
      aors: 2,
      calls: 1,
      transactions: { server: 0, client: 0 },
      proxyContexts: 0,
      messages: {
        requestsIn: 5,
        responsesIn: 4,
        out: 9,
        parseErrors: 0,
        retransmissions: 2,
        authFailures: 0,
        authLockouts: 0,
        authLockedOut: 0,
      },
    });
    expect(s.startedAt).toBe(Math.floor(performance.timeOrigin));
  });
});

describe('trackCallOutcomes', () => {
  const SDP =
    'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

  function invite(n: number): SipRequest {
    const msg = parseMessage(
      Buffer.from(
        `INVITE sip:1002@ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5061;branch=z9hG4bK-${n}\r\n` +
          `Max-Forwards: 70\r\nFrom: <sip:1001@ims.lab>;tag=f${n}\r\nTo: <sip:1002@ims.lab>\r\n` +
          `Call-ID: call-${n}\r\nCSeq: 1 INVITE\r\nContact: <sip:1001@192.0.2.10:5061>\r\n` +
          `Content-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`,
        'latin1',
      ),
    );
    if (!(msg instanceof SipRequest)) throw new Error('test INVITE does not parse');
    return msg;
  }

  function ok(req: SipRequest): SipResponse {
    const msg = parseMessage(
      Buffer.from(
        `SIP/2.0 200 OK\r\nVia: ${req.header('via')!}\r\nFrom: ${req.header('from')!}\r\n` +
          `To: ${req.header('to')!};tag=t\r\nCall-ID: ${req.callId}\r\nCSeq: 1 INVITE\r\n` +
          `Contact: <sip:1002@192.0.2.20:5062>\r\nContent-Length: 0\r\n\r\n`,
        'latin1',
      ),
    );
    if (!(msg instanceof SipResponse)) throw new Error('test 200 does not parse');
    return msg;
  }

  /** A call tracker over a real transaction layer (the transaction test harness). */
  function realTracker(): { h: ReturnType<typeof harness>; tracker: CallTracker } {
    const h = harness();
    const identity = new LocalIdentity({
      advertised: '192.0.2.1',
      bindHost: '0.0.0.0',
      port: 5060,
      domain: 'ims.lab',
      domains: [],
    });
    const tracker = new CallTracker({
      layer: h.layer,
      timers: h.timers,
      identity: () => identity,
      maxCallMs: () => 0,
    });
    return { h, tracker };
  }

  it('counts ended calls of a real call tracker by final status class', () => {
    const { tracker } = realTracker();
    const counters = new CounterSet();
    const stop = trackCallOutcomes(counters, tracker);
    const source = { transport: 'UDP', address: '192.0.2.10', port: 5061 } as const;
    const branch = { hop: { transport: 'UDP', address: '192.0.2.20', port: 5062 } } as unknown as Branch;

    const r1 = invite(1);
    tracker.invite(r1, source, () => undefined).success!(ok(r1), branch);
    tracker.invite(invite(2), source, () => undefined).failure!(486, 'Busy Here', undefined);
    tracker.invite(invite(3), source, () => undefined);
    tracker.invite(invite(4), source, () => undefined);
    tracker.end('call-1'); // answered: BYE both ways, 200
    tracker.end('call-3'); // unanswered: cancelled, 487
    tracker.endAll(); // call-4 unanswered at shutdown: 503
    const exposition = parseExposition(prometheusText({ counters, process: PROCESS }));
    // Every call started is counted once (the Overview's calls/s reads it through the perf samples).
    expect(exposition.get('ims_calls_started_total')!.samples).toEqual([{ labels: {}, value: 4 }]);
    const family = exposition.get('ims_calls_total')!;
    expect(family.type).toBe('counter');
    // Every class has its series from the start, 0 until a call ends in it (an alert or rate() needs one).
    expect(family.samples).toEqual([
      { labels: { class: '2xx' }, value: 1 },
      { labels: { class: '3xx' }, value: 0 },
      { labels: { class: '4xx' }, value: 2 },
      { labels: { class: '5xx' }, value: 1 },
      { labels: { class: '6xx' }, value: 0 },
    ]);
    stop();
    tracker.invite(invite(5), source, () => undefined).failure!(480, 'Temporarily Unavailable', undefined);
    expect(
      counters
        .all()
        .find((c) => c.name === 'ims_calls_total')!
        .get('4xx'),
    ).toBe(2);
  });

  it('sip_dialogs: the early (18x) and confirmed (2xx) dialogs of a real call tracker, as they change', () => {
    const { h, tracker } = realTracker();
    const source = { transport: 'UDP', address: '192.0.2.10', port: 5061 } as const;
    const branch = { hop: { transport: 'UDP', address: '192.0.2.20', port: 5062 } } as unknown as Branch;
    const ringing = (req: SipRequest): SipResponse =>
      parseMessage(Buffer.from(ok(req).toString().replace('200 OK', '180 Ringing'), 'latin1')) as SipResponse;
    const dialogs = (): { labels: Record<string, string>; value: number }[] => {
      const status = serverStatus({
        serverIp: '192.0.2.1',
        transport: { udpPort: 5060, tcpPort: 0 },
        location: { bindingCount: 0, aorCount: 0 },
        calls: tracker,
        transactions: h.layer,
        proxy: { contextCount: 0 },
        counters: new CounterSet(),
      });
      return parseExposition(prometheusText({ counters: new CounterSet(), status, process: PROCESS })).get(
        'sip_dialogs',
      )!.samples;
    };
    expect(dialogs()).toEqual([
      { labels: { state: 'early' }, value: 0 },
      { labels: { state: 'confirmed' }, value: 0 },
    ]);
    const [r1, r2, r3] = [invite(1), invite(2), invite(3)];
    const l1 = tracker.invite(r1, source, () => undefined);
    const l2 = tracker.invite(r2, source, () => undefined);
    tracker.invite(r3, source, () => undefined); // no 18x yet: no dialog
    l1.provisional!(ringing(r1), branch);
    l2.provisional!(ringing(r2), branch);
    expect(dialogs().map((d) => d.value)).toEqual([2, 0]);
    l1.success!(ok(r1), branch);
    expect(dialogs().map((d) => d.value)).toEqual([1, 1]);
    tracker.end('call-1');
    tracker.end('call-2');
    expect(dialogs().map((d) => d.value)).toEqual([0, 0]);
    tracker.endAll();
  });

  it('names status classes', () => {
    expect([200, 487, 503, 603, 0].map(statusClass)).toEqual(['2xx', '4xx', '5xx', '6xx', 'none']);
  });
});

describe('counter series known in advance', () => {
  it('writes each known label value at 0 before its first event, so that increase() sees the first', () => {
    const counters = new CounterSet();
    const c = counters.counter('sip_unroutable_total', 'Unroutable, by why', 'why', ['unresolved', 'other']);
    let families = parseExposition(prometheusText({ counters, status: STATUS, process: PROCESS }));
    expect(families.get('sip_unroutable_total')!.samples).toEqual([
      { labels: { why: 'other' }, value: 0 },
      { labels: { why: 'unresolved' }, value: 0 },
    ]);
    c.inc('unresolved');
    families = parseExposition(prometheusText({ counters, status: STATUS, process: PROCESS }));
    expect(families.get('sip_unroutable_total')!.samples).toEqual([
      { labels: { why: 'other' }, value: 0 },
      { labels: { why: 'unresolved' }, value: 1 },
    ]);
    expect(c.total()).toBe(1);
  });
});

describe('counter labels from the network', () => {
  it('files label values past MAX_LABEL_VALUES under "other": garbage methods cannot grow memory', () => {
    const c = new CounterSet().counter('sip_requests_in_total', 'Requests', 'method');
    for (let i = 0; i < 10_000; i++) c.inc(`M${i}`);
    c.inc('M3');
    expect(c.entries().length).toBeLessThanOrEqual(MAX_LABEL_VALUES + 1);
    expect(c.get('M3')).toBe(2);
    expect(c.get('other')).toBe(10_000 - MAX_LABEL_VALUES);
    expect(c.total()).toBe(10_001);
    // The SIP methods and the status codes keep series of their own past the cap.
    c.inc('SUBSCRIBE');
    c.inc('PRACK');
    expect([c.get('SUBSCRIBE'), c.get('PRACK'), c.get('other')]).toEqual([1, 1, 10_000 - MAX_LABEL_VALUES]);
    const codes = new CounterSet().counter('sip_responses_in_total', 'Responses', 'code');
    for (let i = 0; i < 100; i++) codes.inc(`X${i}`);
    codes.inc('487');
    expect(codes.get('487')).toBe(1);
  });
});
