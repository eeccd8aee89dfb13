// DSP PERF on a real PerfSampler (its samples taken by hand on the lab's clock, over a real CounterSet
// fed as the transport feeds it) and DSP SRVSTAT on a status read from real parts: the lab's location
// service, a real transaction layer and call tracker, the counters.
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import type { MmlTable } from '../../../core/mml/command';
import { renderText } from '../../../core/mml/text';
import { CounterSet } from '../../../core/observe/counters';
import { processStartedAt, serverStatus } from '../../../core/observe/metrics';
import { PerfSampler } from '../../../core/observe/perf-sampler';
import { ReplyCounts } from '../../../core/observe/reply-counts';
import { CallTracker } from '../../../core/sip/proxy/call-tracker';
import { LocalIdentity } from '../../../core/sip/proxy/local-identity';
import { harness } from '../sip/transaction/harness';
import { idleServerStatus } from '../../support/server-status';
import { binding, NOW, openLab, run, useLabs, zhShownRows } from './lab';
import type { Lab } from './lab';

useLabs();

const row = (t: MmlTable): Record<string, unknown> =>
  Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));

const GC_TITLE =
  'Garbage collection (the event loop held meanwhile; PERF.GC_HEADROOM_MB paces the full ones)';

interface PerfLab extends Lab {
  counters: CounterSet;
  perf: PerfSampler;
  host: { rxBytes: number; txBytes: number };
}

function perfLab(): PerfLab {
  const lab = openLab();
  const counters = new CounterSet();
  const host = { rxBytes: 1_000_000, txBytes: 2_000_000 };
  const perf = new PerfSampler({
    counters,
    autoStart: false,
    now: () => lab.clock.now,
    readHostNetwork: () => ({ ...host }),
    // A fixed event-loop delay (the real monitor is tested in tests/unit/observe/event-loop-delay.test.ts).
    eventLoop: {
      read: () => ({ p50Ms: 0.25, p99Ms: 4.5, maxMs: 12.345, meanMs: 0.5 }),
      start: () => undefined,
      stop: () => undefined,
    },
    // Fixed collections (the real source is tested in tests/unit/observe/gc-pauses.test.ts).
    gc: {
      read: () => ({
        young: { count: 4, pauseMs: 3.125, maxMs: 1.5 },
        full: { count: 1, pauseMs: 9.876, maxMs: 6.25 },
      }),
      totals: () => ({ young: { count: 0, pauseMs: 0, maxMs: 0 }, full: { count: 0, pauseMs: 0, maxMs: 0 } }),
      start: () => undefined,
      stop: () => undefined,
    },
  });
  lab.ctx.perf = perf;
  return { ...lab, counters, perf, host };
}

/** One second of traffic: 8 INVITE and 2 REGISTER in, 6 responses in, 10 out, 1 parse error. */
function traffic(lab: PerfLab): void {
  const requests = lab.counters.counter(
    'sip_requests_in_total',
    'SIP requests received, by method',
    'method',
  );
  const responses = lab.counters.counter('sip_responses_in_total', 'SIP responses received', 'code');
  const out = lab.counters.counter('sip_messages_out_total', 'SIP messages sent', 'kind');
  const errors = lab.counters.counter('sip_parse_errors_total', 'Parse errors', 'kind');
  requests.inc('INVITE', 8);
  requests.inc('REGISTER', 2);
  responses.inc('180', 2);
  responses.inc('200', 4);
  out.inc('INVITE', 6);
  out.inc('100', 4);
  errors.inc('header');
  lab.host.rxBytes += 51_200;
  lab.host.txBytes += 10_240;
  lab.clock.now += 1000;
  lab.perf.sample();
}

describe('DSP PERF', () => {
  it('shows CPU, memory, network and SIP message rates of the last sample', async () => {
    const lab = perfLab();
    traffic(lab);
    const r = await run(lab, 'DSP PERF');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe('Sampled over 1.0 s');
    expect(r.tables.map((t) => t.title)).toEqual([
      'CPU (this process)',
      'Memory (this process)',
      'Network',
      'SIP messages',
      'SIP messages by method or status code',
      'Event loop delay (how late the server ran what was due; every message waits this long)',
      GC_TITLE,
    ]);
    expect(row(r.tables[5]!)).toEqual({
      'p50 (ms)': 0.25,
      'p99 (ms)': 4.5,
      'Max (ms)': 12.35,
      'Mean (ms)': 0.5,
    });
    expect(r.tables[6]!.rows).toEqual([
      ['young', 4, 3.13, 1.5],
      ['full', 1, 9.88, 6.25],
    ]);
    // In Chinese the words a table writes read in Chinese too (methods and codes stay).
    const [zh] = await lab.engine.execute('DSP PERF', 'tester', { lang: 'zh' });
    // The rows are the same in every language (for scripts); the text writes the words so.
    expect(zh!.tables[6]!.rows).toEqual(r.tables[6]!.rows);
    expect(zhShownRows(zh!.tables[6]!).map((cells) => cells[0])).toEqual(['新生代', '完全']);
    expect(new Set(zhShownRows(zh!.tables[4]!).map((cells) => cells[0]))).toEqual(new Set(['接收', '发送']));
    expect(zhShownRows(zh!.tables[4]!).map((cells) => cells[1])).toContain('INVITE');
    const cpu = row(r.tables[0]!);
    expect(cpu['CPU (%)']).toBeGreaterThanOrEqual(0);
    expect(cpu['Host cores']).toBeGreaterThan(0);
    expect(row(r.tables[1]!)['Resident (MB)']).toBeGreaterThan(1);
    expect(row(r.tables[2]!)).toEqual({
      'SIP packets in/s': 17,
      'SIP packets out/s': 10,
      'SIP packets in': 17,
      'SIP packets out': 10,
      'Host received (KB/s)': 50,
      'Host sent (KB/s)': 10,
      'Host received (MB)': 1.0,
      'Host sent (MB)': 1.92,
    });
    expect(row(r.tables[3]!)).toMatchObject({
      'In/s': 16,
      'Out/s': 10,
      'Requests in/s': 10,
      'Responses in/s': 6,
      'Parse errors/s': 1,
      'Retransmissions/s': 0,
      'In (total)': 16,
      'Out (total)': 10,
      'Live calls': undefined,
    });
    expect(r.tables[4]!.rows).toEqual([
      ['in', 'INVITE', 8],
      ['in', '200', 4],
      ['in', '180', 2],
      ['in', 'REGISTER', 2],
      ['out', 'INVITE', 6],
      ['out', '100', 4],
    ]);
  });

  it('shows one kind by word or TYPE, and the latest samples with SAMPLES', async () => {
    const lab = perfLab();
    traffic(lab);
    traffic(lab);
    lab.clock.now += 1000;
    lab.perf.sample(); // a quiet second
    const cpu = await run(lab, 'DSP PERF CPU');
    expect(cpu.tables.map((t) => t.title)).toEqual(['CPU (this process)']);
    const mem = await run(lab, 'DSP PERF TYPE=mem');
    expect(mem.tables.map((t) => t.title)).toEqual(['Memory (this process)']);
    const loop = await run(lab, 'DSP PERF LOOP');
    expect(loop.tables.map((t) => t.title)).toEqual([
      'Event loop delay (how late the server ran what was due; every message waits this long)',
      GC_TITLE,
    ]);
    // A count of collections is a whole number: "4", not "4.00" as a measured figure is written.
    expect(renderText(loop)).toMatch(/\nyoung +4 +3\.13 +1\.50\n/);
    const msg = await run(lab, 'DSP PERF MSG SAMPLES=3');
    expect(msg.tables.map((t) => t.title)).toEqual([
      'SIP messages',
      'SIP messages by method or status code',
      'Last 3 samples',
    ]);
    expect(row(msg.tables[0]!)['In/s']).toBe(0);
    expect(row(msg.tables[0]!)['In (total)']).toBe(32);
    const history = msg.tables[2]!;
    expect(history.rows.map((x) => [x[0], x[4], x[5], x[6]])).toEqual([
      [NOW + 1000, 16, 10, 4.5],
      [NOW + 2000, 16, 10, 4.5],
      [NOW + 3000, 0, 0, 4.5],
    ]);
  });

  it("shows /metrics' counters since start: responses by method and class, dialogs, the evidence writers", async () => {
    const lab = perfLab();
    traffic(lab);
    const replies = new ReplyCounts();
    replies.received('INVITE', 180);
    replies.received('INVITE', 200);
    replies.sent('REGISTER', '401');
    lab.ctx.replies = replies;
    lab.ctx.writers = () => ({
      cdrDbRows: 5,
      cdrDbFailures: 1,
      cdrCsvRows: 4,
      cdrCsvFailures: 0,
      cdrDropped: 0,
      hepSent: 7,
      hepFailed: 2,
      traceDbMessages: 30,
      traceDbFailures: 0,
    });
    lab.ctx.status = () => idleServerStatus({ calls: 3, dialogs: { early: 1, confirmed: 2 } });
    const r = await run(lab, 'DSP PERF MSG');
    expect(r.tables.map((t) => t.title)).toEqual([
      'SIP messages',
      'SIP messages by method or status code',
      'SIP responses by method and class (since start)',
      'Evidence writers (since start)',
    ]);
    expect(row(r.tables[0]!)).toMatchObject({ 'Live calls': 3, 'Early dialogs': 1, 'Confirmed dialogs': 2 });
    // A method's row once it has a response: the other 26, all zeros, are /metrics' alone.
    expect(r.tables[2]!.columns.map((c) => c.name)).toEqual([
      'Direction',
      'Method',
      '1xx',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
      '6xx',
    ]);
    expect(r.tables[2]!.rows).toEqual([
      ['received', 'INVITE', 1, 1, 0, 0, 0, 0],
      ['sent', 'REGISTER', 0, 0, 0, 1, 0, 0],
    ]);
    expect(row(r.tables[3]!)).toEqual({
      'CDR rows (database)': 5,
      'CDR write failures (database)': 1,
      'CDR rows (CSV)': 4,
      'CDR write failures (CSV)': 0,
      'CDR rows dropped': 0,
      'HEP packets sent': 7,
      'HEP send errors': 2,
      'trace.db messages': 30,
      'trace.db write failures': 0,
    });
    const [zh] = await lab.engine.execute('DSP PERF MSG', 'tester', { lang: 'zh' });
    expect(zhShownRows(zh!.tables[2]!).map((cells) => cells[0])).toEqual(['接收', '发送']);
  });

  it('names a wrong TYPE', async () => {
    const lab = perfLab();
    traffic(lab);
    const r = await run(lab, 'DSP PERF TYPE=DISK');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe('Parameter TYPE: expected one of ALL, CPU, MEM, NET, MSG, LOOP, got "DISK"');
    expect((await run(lab, 'DSP PERF SAMPLES=301')).retcode).toBe(RETCODE.PARAMETER_ERROR);
  });

  it('says so before the first sample and without a sampler', async () => {
    const lab = perfLab();
    const early = await run(lab, 'DSP PERF');
    expect(early.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(early.message).toBe('No sample yet: the first is taken one second after start-up; try again');
    const none = await run(openLab(), 'DSP PERF');
    expect(none.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(none.message).toBe('Performance figures are not available: no sampler is running');
  });
});

describe('DSP SRVSTAT', () => {
  it('shows uptime, ports, address, registrations, calls, transactions and message totals', async () => {
    const lab = perfLab();
    const h = harness();
    const identity = new LocalIdentity({
      advertised: '192.0.2.1',
      bindHost: '0.0.0.0',
      port: 5060,
      domain: 'ims.lab',
      domains: [],
    });
    const calls = new CallTracker({
      layer: h.layer,
      timers: h.timers,
      identity: () => identity,
      maxCallMs: () => 0,
    });
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.10:5062'));
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.11:5062'));
    lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.20:5062'));
    traffic(lab);
    lab.counters.counter('sip_auth_failures_total', 'Failed digest authentications').inc();
    lab.ctx.status = () =>
      serverStatus({
        serverIp: '192.0.2.1',
        transport: { udpPort: 5060, tcpPort: 0 },
        location: lab.location,
        calls,
        transactions: h.layer,
        proxy: { contextCount: 0 },
        counters: lab.counters,
      });
    const r = await run(lab, 'DSP SRVSTAT');
    expect(r.retcode).toBe(RETCODE.OK);
    const s = row(r.tables[0]!);
    expect(s).toMatchObject({
      'Process ID': process.pid,
      'Server IP': '192.0.2.1',
      'UDP port': 5060,
      'TCP port': undefined,
      Registrations: 3,
      'Registered AORs': 2,
      'Live calls': 0,
      'Server transactions': 0,
      'Client transactions': 0,
      'Requests being forwarded': 0,
      'Requests in': 10,
      'Responses in': 6,
      'Messages out': 10,
      'Parse errors': 1,
      Retransmissions: 0,
      'Auth failures': 1,
    });
    expect(s.Uptime).toMatch(/^(\d+[dhm] )*\d+s$/);
    expect(s.Started).toBe(processStartedAt()); // recorded once (it moved with a wall-clock step)
    expect(s['CPU (%)']).toBeGreaterThanOrEqual(0);
    expect(s['Resident memory (MB)']).toBeGreaterThan(1);
    expect((await run(lab, 'DSP SRVSTAT ALL')).retcode).toBe(RETCODE.PARAMETER_ERROR);
  });

  it('says so when the server is not running here', async () => {
    const r = await run(openLab(), 'DSP SRVSTAT');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toBe('The server status is not available: the SIP server is not running here');
  });
});
