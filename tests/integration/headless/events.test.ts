// The console follows the SIP stack live: over the WebSocket, a call between two SIPp phones through the
// proxy produces registration and call events, SIP message traces on the log topic once the log is at
// DEBUG, and a CDR row that DSP CDR shows; /metrics counts the messages and the call.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { Console, login } from '../../support/console-client';
import { call, startCallee, stopStrayCallees, user, users } from '../proxy/parties';

const PASSWORD = 'events-test-secret';
let server: LabServer;
let base: string;

async function metric(line: RegExp): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = line.exec(text);
  return m === null ? 0 : Number(m[1]);
}

type Results = {
  results: { retcode: number; tables: { columns: { name: string }[]; rows: unknown[][] }[] }[];
};

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('console events: a call seen live over the WebSocket', () => {
  beforeAll(async () => {
    server = await startLabServer({ users: users(4701, 2), env: { IMS_ADMIN_PASSWORD: PASSWORD } });
    base = await consoleUrl(server);
  });
  afterEach(stopStrayCallees);
  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('registration, call and log events, a CDR row in DSP CDR, and counters that moved', async () => {
    const invitesBefore = await metric(/^sip_requests_in_total\{method="INVITE"\} (\d+)$/m);
    const c = await Console.open(base, await login(base, PASSWORD));
    try {
      expect(await c.request({ op: 'subscribe', topics: ['registration', 'call', 'log'] })).toMatchObject({
        ok: true,
      });
      const debug = (await c.request({ op: 'execute', mml: 'SET LOG LEVEL=DEBUG' })).result as Results;
      expect(debug.results[0]!.retcode).toBe(0);

      const callee = await startCallee(server, user(4702), 'proxy_uas_answer.xml', { pauseMs: 0 });
      const caller = await call(server, 'proxy_uac_call.xml', user(4701), '4702', { pauseMs: 0 });
      expect(caller.code, caller.describe()).toBe(0);
      expect((await callee.result).code).toBe(0);
      const callId = caller.requests[0]!.callId;

      // Events arrive as they happen: the callee's binding, then the call from start to end.
      await c.event('registration');
      const registration = c.events.find((e) => e.topic === 'registration')!.data;
      expect(registration).toMatchObject({
        type: 'bound',
        binding: { aor: expect.stringContaining('4702') },
      });
      const until = Date.now() + 3000;
      while (!c.events.some((e) => e.topic === 'call' && e.data.type === 'ended') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      const callEvents = c.events.filter((e) => e.topic === 'call');
      expect(callEvents.map((e) => e.data.type)).toEqual(['started', 'ringing', 'answered', 'ended']);
      expect(callEvents[3]!.data.call).toMatchObject({ callId, state: 'ended', hangupBy: 'caller' });

      // Batched events are numbered one by one per topic: no gaps, no doubles.
      for (const topic of ['registration', 'call', 'log']) {
        const seqs = c.events.filter((e) => e.topic === topic).map((e) => e.seq);
        expect(seqs, topic).toEqual(seqs.map((_, i) => seqs[0]! + i));
      }

      // At DEBUG the log topic carries every SIP message, whole.
      const traces = c.events.filter((e) => e.topic === 'log').map((e) => String(e.data.text));
      expect(
        traces.some((t) => /^received from UDP 127\.0\.0\.1:\d+ \(\d+ bytes\): INVITE sip:4702@/.test(t)),
      ).toBe(true);
      expect(traces.some((t) => /^sent to UDP 127\.0\.0\.1:\d+ \(\d+ bytes\): SIP\/2\.0 407 /.test(t))).toBe(
        true,
      );

      // The CDR row is visible through MML (committed within a flush interval).
      await new Promise((r) => setTimeout(r, 400));
      const cdr = (await c.request({ op: 'execute', mml: 'DSP CDR TYPE=CALL' })).result as Results;
      expect(cdr.results[0]!.retcode).toBe(0);
      const table = cdr.results[0]!.tables[0]!;
      const columns = table.columns.map((col) => col.name.toLowerCase().replace(/[^a-z]/g, ''));
      const row = table.rows.find((r) => r.some((v) => String(v).includes(callId)));
      expect(row, JSON.stringify(table)).toBeDefined();
      expect(row!.some((v) => v === 'ENDED')).toBe(true);
      expect(columns.length).toBeGreaterThan(3);
    } finally {
      c.ws.close();
    }
    expect(await metric(/^sip_requests_in_total\{method="INVITE"\} (\d+)$/m)).toBe(invitesBefore + 2);
    expect(await metric(/^ims_calls_total\{class="2xx"\} (\d+)$/m)).toBe(1);
  });
});
