// The SIP trace in the control contract, over a real (not started) appliance whose transport tap is fed
// a known call flow: the 'trace' snapshot's filters and pages, a Call-ID's messages as plain views,
// the pcap as base64, the 'trace' topic coalesced per dialog, and requests that name their fault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import { snapshot } from './snapshot';
import { BATCH_INTERVAL_MS, validateRequest, type ControlEventBatch } from '../../../core/control/contract';
import { TRACE_FEED_MS } from '../../../core/trace/index';
import { CALL_ID, FLOW, play, registration } from '../trace/flow';

let dataDir: string;
let appliance: Appliance;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-control-trace-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
  vi.useFakeTimers();
});

afterEach(async () => {
  vi.useRealTimers();
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function session(): { s: ControlSession; batches: ControlEventBatch[] } {
  const batches: ControlEventBatch[] = [];
  return { s: new ControlSession(appliance, 'test', (b) => batches.push(b)), batches };
}

function feed(): void {
  play(appliance.transport.tap, [...registration(7001), ...registration(7002), ...FLOW]);
}

describe('trace in the control contract', () => {
  it("lists trace.db's dialogs after a restart, filtered and in pages (the console's Trace list)", async () => {
    const persist = new Settings([
      ['LOG.LEVEL', 'INFO'],
      ['TRACE.PERSIST', 'true'],
    ]);
    await appliance.stop();
    appliance = new Appliance({ dataDir, console: false, settings: persist });
    feed();
    await appliance.stop();
    appliance = new Appliance({ dataDir, console: false, settings: persist });
    const { s } = session();
    const all = await snapshot(s, 'trace');
    expect(all.total).toBe(3);
    expect(all.dialogs.find((d) => d.callId === CALL_ID)).toMatchObject({
      from: '4001',
      to: '4002',
      messages: FLOW.length,
      finalStatus: 200,
      firstLine: 'INVITE sip:4002@127.0.0.1 SIP/2.0',
    });
    expect((await snapshot(s, 'trace', { user: '7002' })).dialogs.map((d) => d.callId)).toEqual([
      'reg-7002@127.0.0.1',
    ]);
    const page2 = await snapshot(s, 'trace', { offset: 1, limit: 1 });
    expect(page2).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page2.dialogs[0]!.callId).toBe(all.dialogs[1]!.callId);
  });

  it('lists dialogs newest first, filtered by method, user, status class, address and time, in pages', async () => {
    feed();
    const { s } = session();
    const all = await snapshot(s, 'trace');
    expect(all.total).toBe(3);
    expect(all.dialogs.map((d) => d.kind).sort()).toEqual(['call', 'registration', 'registration']);
    const call = all.dialogs.find((d) => d.callId === CALL_ID)!;
    expect(call).toMatchObject({ from: '4001', to: '4002', messages: FLOW.length, finalStatus: 200 });
    expect(call.firstLine).toBe('INVITE sip:4002@127.0.0.1 SIP/2.0');
    expect((await snapshot(s, 'trace', { method: 'bye' })).dialogs.map((d) => d.callId)).toEqual([CALL_ID]);
    expect((await snapshot(s, 'trace', { user: '7002' })).dialogs.map((d) => d.callId)).toEqual([
      'reg-7002@127.0.0.1',
    ]);
    expect((await snapshot(s, 'trace', { statusClass: 1 })).total).toBe(1);
    expect((await snapshot(s, 'trace', { statusClass: 4 })).total).toBe(0);
    expect((await snapshot(s, 'trace', { address: '127.0.0.1' })).total).toBe(3);
    expect((await snapshot(s, 'trace', { address: '10.0.0.1' })).total).toBe(0);
    expect((await snapshot(s, 'trace', { kind: 'registration' })).total).toBe(2);
    expect((await snapshot(s, 'trace', { callId: CALL_ID })).dialogs).toHaveLength(1);
    const start = call.startUs;
    expect((await snapshot(s, 'trace', { fromUs: start + 60_000_000 })).total).toBe(0);
    expect((await snapshot(s, 'trace', { toUs: start + 1000 })).total).toBe(1); // the registrations came 7 s later
    const page2 = await snapshot(s, 'trace', { offset: 1, limit: 1 });
    expect(page2).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page2.dialogs[0]!.callId).toBe(all.dialogs[1]!.callId);
  });

  it("gives a Call-ID's messages as plain views with the whole text, retransmissions marked", async () => {
    feed();
    const { s } = session();
    const r = await snapshot(s, 'traceMessages', { callId: CALL_ID });
    expect(r.messages.map((m) => m.label)).toEqual([
      'INVITE (SDP)',
      '100 Trying',
      'INVITE (SDP)',
      '180 Ringing',
      '180 Ringing',
      '200 OK',
      '200 OK',
      '200 OK',
      '200 OK',
      'ACK',
      'ACK',
      'BYE',
      'BYE',
      '200 OK (BYE)',
      '200 OK (BYE)',
    ]);
    expect(r.messages.filter((m) => m.retransmission).map((m) => m.seq)).toHaveLength(2);
    // Numbered as DSP TRACE CALLID= numbers them (its No.), not by the capture sequence: the two
    // registrations' messages came first, so the call's INVITE is the trace's 5th message but its No. 1.
    expect(r.messages[0]!.seq).toBe(5);
    expect(r.messages.map((m) => m.no)).toEqual(FLOW.map((_, i) => i + 1));
    const [dsp] = await appliance.mml.execute(`DSP TRACE:CALLID="${CALL_ID}"`, 'test');
    const numbers = dsp!.tables.find((t) => t.title === 'Messages')?.rows.map((row) => row[0]);
    expect(numbers).toEqual(r.messages.map((m) => m.no));
    expect(r.messages[0]!.text).toContain('m=audio 4000 RTP/AVP 0');
    expect(r.messages[0]).toMatchObject({ direction: 'in', transport: 'UDP', src: { port: 5061 } });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain data
    expect((await snapshot(s, 'traceMessages', { callId: 'nobody' })).messages).toEqual([]);
  });

  it('exports a pcap as base64 (the desktop download)', async () => {
    feed();
    const { s } = session();
    const r = await snapshot(s, 'traceExport', { callId: CALL_ID });
    const pcap = Buffer.from(r.base64, 'base64');
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(r).toMatchObject({ format: 'PCAP', messages: FLOW.length, file: `trace_${CALL_ID}.pcap` });
    const text = await snapshot(s, 'traceExport', { callId: CALL_ID, format: 'TEXT' });
    expect(Buffer.from(text.base64, 'base64').toString()).toContain(`Call-ID ${CALL_ID}: 15 messages`);
    // A Call-ID with nothing held is an error, as EXP TRACE's RETCODE 5, not an empty file.
    expect(await s.handle({ op: 'snapshot', name: 'traceExport', query: { callId: 'nobody' } })).toEqual({
      ok: false,
      error: 'No message of Call-ID nobody is held',
    });
  });

  it('follows dialogs live, one event per dialog per interval however many messages it gets', async () => {
    const { s, batches } = session();
    expect(await s.handle({ op: 'subscribe', topics: ['trace'] })).toEqual({ ok: true, result: ['trace'] });
    const snap = await snapshot(s, 'trace');
    expect(snap).toMatchObject({ dialogs: [], total: 0, seq: 0 });
    feed();
    vi.advanceTimersByTime(TRACE_FEED_MS + BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1);
    const b = batches[0] as ControlEventBatch<'trace'>;
    expect(b.topic).toBe('trace');
    expect(b.first).toBe(1);
    // 19 messages in three dialogs: three events, each with its dialog's latest summary.
    expect(b.data.map((d) => d.callId).sort()).toEqual([CALL_ID, 'reg-7001@127.0.0.1', 'reg-7002@127.0.0.1']);
    expect(b.data.find((d) => d.callId === CALL_ID)).toMatchObject({
      messages: FLOW.length,
      finalStatus: 200,
    });
    s.close();
  });

  it('emits nothing while no console follows the trace', () => {
    feed();
    vi.advanceTimersByTime(TRACE_FEED_MS * 4);
    expect(appliance.events.seq('trace')).toBe(0);
  });

  it('names the fault of a bad trace request', () => {
    const err = (x: unknown) =>
      'error' in validateRequest(x) ? (validateRequest(x) as { error: string }).error : '';
    expect(err({ op: 'snapshot', name: 'trace', query: { statusClass: 7 } })).toBe(
      'query: statusClass: expected an integer 1..6',
    );
    expect(err({ op: 'snapshot', name: 'trace', query: { method: 'IN VITE' } })).toBe(
      'query: method: expected a SIP method name',
    );
    expect(err({ op: 'snapshot', name: 'trace', query: { kind: 'dialog' } })).toMatch(
      /^query: kind: expected one of/,
    );
    expect(err({ op: 'snapshot', name: 'trace', query: { caller: 'x' } })).toBe(
      'query: unknown field "caller"',
    );
    expect(err({ op: 'snapshot', name: 'traceMessages' })).toMatch(/query/);
    expect(err({ op: 'snapshot', name: 'traceMessages', query: { callId: 3 } })).toBe(
      'query: callId: expected the Call-ID as a string',
    );
    // The messages without a Call-ID are listed under '' (trace-malformed.test.ts).
    expect(err({ op: 'snapshot', name: 'traceMessages', query: { callId: '' } })).toBe('');
    expect(err({ op: 'snapshot', name: 'traceExport', query: { callId: 'x', format: 'PDF' } })).toBe(
      'query: format: expected one of PCAP, TEXT',
    );
    expect(err({ op: 'subscribe', topics: ['trace'] })).toBe('');
  });
});
