// DSP CALL, DSP CALL STAT, RMV CALL, CLR CALL on a REAL call tracker (core/sip/proxy/call-tracker.ts)
// over a real transaction layer whose transport records the bytes sent (the transaction test harness):
// calls are made by feeding the tracker a parsed INVITE and its responses as the proxy would, and
// ending one really sends BYE both ways (or cancels the INVITE). DSP CALL STAT's CDR part reads a real
// SQLite CDR store.
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../core/calls/call';
import { callRecord } from '../../../core/cdr/from-events';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { RETCODE } from '../../../core/mml/command';
import { parseMessage, SipRequest, SipResponse } from '../../../core/sip/message/index';
import { CallTracker } from '../../../core/sip/proxy/call-tracker';
import { LocalIdentity } from '../../../core/sip/proxy/local-identity';
import type { Branch, ContextListener } from '../../../core/sip/proxy/response-context';
import type { Peer } from '../../../core/sip/transport/peer';
import { call as callOf } from '../cdr/events';
import { harness } from '../sip/transaction/harness';
import { NOW, openLab, run, useLabs, zhShownRows } from './lab';
import type { Lab } from './lab';

useLabs();

const CALLER_HOP: Peer = { transport: 'UDP', address: '192.0.2.10', port: 5061 };
const CALLEE_HOP: Peer = { transport: 'UDP', address: '192.0.2.20', port: 5062 };

const SDP =
  'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n' +
  'm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n';

/** A token (tag, branch) made of a Call-ID. */
const tagOf = (callId: string): string => callId.replace(/\W/g, '');

function invite(callId: string, from: string, to: string): SipRequest {
  const text =
    `INVITE sip:${to}@ims.lab SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 192.0.2.10:5061;branch=z9hG4bK-${tagOf(callId)};rport\r\n` +
    `Max-Forwards: 70\r\n` +
    `From: <sip:${from}@ims.lab>;tag=f${tagOf(callId)}\r\n` +
    `To: <sip:${to}@ims.lab>\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: 1 INVITE\r\n` +
    `Contact: <sip:${from}@192.0.2.10:5061>\r\n` +
    `User-Agent: baresip 3.10\r\n` +
    `Content-Type: application/sdp\r\n` +
    `Content-Length: ${SDP.length}\r\n\r\n${SDP}`;
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (!(msg instanceof SipRequest)) throw new Error(`test INVITE does not parse: ${String(msg)}`);
  return msg;
}

/** `sdp`: the answer's SDP (a 2xx to the INVITE's offer carries one, RFC 3264 §5). */
function response(req: SipRequest, status: number, reason: string, to: string, sdp = ''): SipResponse {
  const text =
    `SIP/2.0 ${status} ${reason}\r\n` +
    `Via: ${req.header('via')!}\r\n` +
    `From: ${req.header('from')!}\r\n` +
    `To: ${req.header('to')!};tag=t${tagOf(req.callId)}\r\n` +
    `Call-ID: ${req.callId}\r\n` +
    `CSeq: 1 INVITE\r\n` +
    `Contact: <sip:${to}@192.0.2.20:5062>\r\n` +
    `Server: Linphone/5.2\r\n` +
    (sdp === ''
      ? `Content-Length: 0\r\n\r\n`
      : `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`);
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (!(msg instanceof SipResponse)) throw new Error(`test response does not parse: ${String(msg)}`);
  return msg;
}

/** Only the branch's next hop is read by the tracker. */
const branch = { hop: CALLEE_HOP } as unknown as Branch;

interface CallLab extends Lab {
  tracker: CallTracker;
  sent: ReturnType<typeof harness>['sent'];
  ended: CallEvent[];
  cancelled: string[];
  /** Starts a call from `from` to `to`; then ring() and answer() move it on. */
  place(callId: string, from: string, to: string): { ring(): void; answer(): void };
}

/** `elapsed`: the tracker's steady clock, when a test steps the wall clock apart from it. */
function callLab(elapsed?: () => number): CallLab {
  const lab = openLab();
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
    now: () => lab.clock.now,
    ...(elapsed === undefined ? {} : { elapsed }),
  });
  const ended: CallEvent[] = [];
  tracker.on((e) => {
    if (e.type === 'ended') ended.push(e);
  });
  const cancelled: string[] = [];
  lab.ctx.calls = tracker;
  return {
    ...lab,
    tracker,
    sent: h.sent,
    ended,
    cancelled,
    place(callId, from, to) {
      const req = invite(callId, from, to);
      const listener: ContextListener = tracker.invite(req, CALLER_HOP, () => cancelled.push(callId));
      return {
        ring: () => listener.provisional!(response(req, 180, 'Ringing', to), branch),
        answer: () => listener.success!(response(req, 200, 'OK', to, SDP), branch),
      };
    },
  };
}

/** Three calls: c1 answered 1001→1002 (at NOW), c2 ringing 1003→1001, c3 calling 1001→1004. */
function busyLab(): CallLab {
  const lab = callLab();
  const c1 = lab.place('c1@lab', '1001', '1002');
  lab.clock.now = NOW + 500;
  c1.ring();
  lab.clock.now = NOW + 1000;
  c1.answer();
  lab.clock.now = NOW + 2000;
  lab.place('c2@lab', '1003', '1001').ring();
  lab.clock.now = NOW + 3000;
  lab.place('c3@lab', '1001', '1004');
  lab.clock.now = NOW + 61_000;
  return lab;
}

describe('DSP CALL', () => {
  it('counts Duration on the steady clock: a wall clock stepped a day made a 3 s call 86404 s', async () => {
    const steady = { ms: 0 };
    const lab = callLab(() => steady.ms);
    const c = lab.place('step@lab', '1001', '1002');
    steady.ms = 1000;
    c.answer();
    lab.clock.now += 86_400_000; // the wall clock stepped a day forward
    steady.ms = 4200;
    const r = await run(lab, 'DSP CALL CALLID=step@lab');
    const t = r.tables[0]!;
    expect(t.rows[0]![t.columns.findIndex((x) => x.name === 'Duration (s)')]).toBe(3);
    const list = (await run(lab, 'DSP CALL')).tables[0]!;
    expect(list.rows[0]![list.columns.findIndex((x) => x.name === 'Duration (s)')]).toBe(3);
  });

  it('lists the live calls, oldest first, with parties, state, times, talk time and codecs', async () => {
    const lab = busyLab();
    const r = await run(lab, 'DSP CALL ACTIVE');
    expect(r.retcode).toBe(RETCODE.OK);
    const table = r.tables[0]!;
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'ID:string',
      'Caller:string',
      'Caller address:string',
      'Callee:string',
      'Callee address:string',
      'State:string',
      'Start:time',
      'Answer:time',
      'Duration (s):integer',
      'Codecs:string',
    ]);
    expect(table.rows).toEqual([
      [
        'c1@lab',
        'sip:1001@ims.lab',
        '192.0.2.10:5061',
        'sip:1002@ims.lab',
        '192.0.2.20:5062',
        'ANSWERED',
        NOW,
        NOW + 1000,
        60,
        'PCMU, PCMA',
      ],
      [
        'c2@lab',
        'sip:1003@ims.lab',
        '192.0.2.10:5061',
        'sip:1001@ims.lab',
        '192.0.2.20:5062',
        'RINGING',
        NOW + 2000,
        undefined,
        undefined,
        'PCMU, PCMA',
      ],
      [
        'c3@lab',
        'sip:1001@ims.lab',
        '192.0.2.10:5061',
        'sip:1004@ims.lab',
        '',
        'CALLING',
        NOW + 3000,
        undefined,
        undefined,
        'PCMU, PCMA',
      ],
    ]);
    expect(table.total).toBe(3);
  });

  it('filters by caller, callee (number or URI) and state, and pages', async () => {
    const lab = busyLab();
    const ids = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map((row) => row[0]);
    expect(await ids('DSP CALL CALLER=1001')).toEqual(['c1@lab', 'c3@lab']);
    expect(await ids('DSP CALL CALLEE="sip:1001@ims.lab"')).toEqual(['c2@lab']);
    expect(await ids('DSP CALL STATE=ringing')).toEqual(['c2@lab']);
    expect(await ids('DSP CALL CALLER=1001 STATE=CALLING')).toEqual(['c3@lab']);
    const page = await run(lab, 'DSP CALL LIMIT=1 OFFSET=1');
    expect(page.message).toBe('Calls 2-2 of 3');
    expect(page.tables[0]!.rows.map((row) => row[0])).toEqual(['c2@lab']);
    // `next`: the statement of the next page, for scripts (it was set by DSP CDR only).
    expect(page.next).toBe('DSP CALL LIMIT=1 OFFSET=2');
    const last = await run(lab, page.next!);
    expect(last.tables[0]!.rows.map((row) => row[0])).toEqual(['c3@lab']);
    expect(last.next).toBeUndefined();
    const mine = await run(lab, 'DSP CALL CALLER=1001 LIMIT=1');
    expect(mine.next).toBe('DSP CALL CALLER=1001 LIMIT=1 OFFSET=1');
    expect((await run(lab, mine.next!)).tables[0]!.rows.map((row) => row[0])).toEqual(['c3@lab']);
    expect((await run(lab, 'DSP CALL')).next).toBeUndefined();
    expect((await run(lab, 'DSP CALL CALLER=9999')).message).toBe('No live call');
  });

  it('shows one call in full by its ID or Call-ID', async () => {
    const lab = busyLab();
    const r = await run(lab, 'DSP CALL CALLID=c1@lab');
    expect(r.retcode).toBe(RETCODE.OK);
    const t = r.tables[0]!;
    const detail = Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));
    expect(detail).toMatchObject({
      ID: 'c1@lab',
      'Call-ID': 'c1@lab',
      State: 'ANSWERED',
      'Caller user agent': 'baresip 3.10',
      'Caller contact': 'sip:1001@192.0.2.10:5061',
      'Callee user agent': 'Linphone/5.2',
      'Callee contact': 'sip:1002@192.0.2.20:5062',
      Media: 'AUDIO',
      Codecs: 'PCMU, PCMA',
      Direction: 'sendrecv',
      'On hold by': '',
      'Post-dial delay (ms)': 500,
      'Setup (ms)': 1000,
      'Duration (s)': 60,
    });
  });

  it('says who holds a call on hold, as the Calls view does (in Chinese too)', async () => {
    const lab = busyLab();
    // The caller's re-INVITE with a=sendonly (RFC 3264 §8.4), answered 200.
    const text = invite('c1@lab', '1001', '1002')
      .toBuffer()
      .toString('latin1')
      .replace(/\r\nTo: ([^\r]*)/, `\r\nTo: $1;tag=t${tagOf('c1@lab')}`)
      .replace('CSeq: 1 INVITE', 'CSeq: 2 INVITE')
      .replace('a=sendrecv', 'a=sendonly');
    const reInvite = parseMessage(Buffer.from(text, 'latin1')) as SipRequest;
    lab.tracker.inDialog(reInvite)!.success!(response(reInvite, 200, 'OK', '1002'), branch);
    const t = (await run(lab, 'DSP CALL CALLID=c1@lab')).tables[0]!;
    expect(t.rows[0]![t.columns.findIndex((c) => c.name === 'On hold by')]).toBe('caller');
    const [zh] = await lab.engine.execute('DSP CALL CALLID=c1@lab', 'tester', { lang: 'zh' });
    const zt = zh!.tables[0]!;
    const held = zt.columns.findIndex((c) => c.name === '保持方');
    // The row is the same in every language (for scripts); the text says it in Chinese.
    expect(zt.columns[held]!.key).toBe('On hold by');
    expect(zt.rows[0]![held]).toBe('caller');
    expect(zhShownRows(zt)[0]![held]).toBe('主叫');
  });

  it("finds calls by a part of their Call-ID in any case, as the original's DSP CALL CALLID=", async () => {
    const lab = busyLab();
    const one = await run(lab, 'DSP CALL CALLID=C1@');
    expect(one.tables[0]!.rows[0]![0]).toBe('c1@lab');
    expect(one.tables[0]!.columns[0]!.name).toBe('ID');
    const all = await run(lab, 'DSP CALL CALLID=lab');
    expect(all.tables[0]!.rows.map((row) => row[0])).toEqual(['c1@lab', 'c2@lab', 'c3@lab']);
  });

  it('answers NOT_FOUND for an unknown call and names a bad parameter', async () => {
    const lab = busyLab();
    const missing = await run(lab, 'DSP CALL CALLID=nope');
    expect(missing.retcode).toBe(RETCODE.NOT_FOUND);
    expect(missing.message).toBe('No live call nope');
    const bad = await run(lab, 'DSP CALL STATE=ENDED');
    expect(bad.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(bad.message).toBe('Parameter STATE: expected one of CALLING, RINGING, ANSWERED, got "ENDED"');
  });

  it('says so when no call tracker runs', async () => {
    const lab = openLab();
    for (const text of [
      'DSP CALL',
      'DSP CALL STAT',
      'RMV CALL CALLID=x CONFIRM=YES',
      'CLR CALL CONFIRM=YES',
    ]) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message, text).toBe('Live calls are not available: no call tracker is running');
    }
  });
});

describe('DSP CALL STAT', () => {
  it("counts the live calls by state and sums up today's CDR calls", async () => {
    const lab = busyLab();
    const cdr = new SqliteCdrStore(lab.db, lab.dir);
    lab.ctx.cdr = cdr;
    const today = callOf({ startedAt: NOW - 60_000, ringingAt: NOW - 59_800, answeredAt: NOW - 59_000 });
    cdr.insert([
      callRecord({ ...today, endedAt: NOW - 49_000 }), // 10 s talk, 1000 ms setup
      callRecord({ ...today, answeredAt: NOW - 59_500, endedAt: NOW - 29_500 }), // 30 s, 500 ms
      callRecord({
        ...today,
        state: 'failed',
        answeredAt: undefined,
        endedAt: NOW - 59_000,
        statusCode: 486,
      }),
      callRecord({ ...today, state: 'cancelled', answeredAt: undefined, endedAt: NOW - 59_000 }),
      callRecord({ ...today, startedAt: NOW - 86_400_000, answeredAt: undefined, endedAt: NOW - 86_000_000 }),
    ]);
    const r = await run(lab, 'DSP CALL STAT');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.tables[0]!.rows).toEqual([[1, 1, 1, 3]]);
    const t = r.tables[1]!;
    const stats = Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));
    expect(stats).toEqual({
      Date: '2025-11-01',
      Calls: 4,
      Answered: 2,
      Failed: 1,
      Cancelled: 1,
      'Answer ratio (%)': 50,
      'Average setup (ms)': 750,
      'Average talk (s)': 20,
      'Total talk (s)': 40,
    });
  });

  it('shows the live part and says so without a CDR store', async () => {
    const lab = busyLab();
    const r = await run(lab, 'DSP CALL STAT');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe("Today's call statistics are not available: no CDR store");
    expect(r.tables).toHaveLength(1);
  });

  it('titles its counters 活跃呼叫统计 in Chinese, DSP CALL its list 活跃呼叫列表 (both Live calls in English)', async () => {
    const lab = busyLab();
    const [stat] = await lab.engine.execute('DSP CALL STAT', 'tester', { lang: 'zh' });
    expect(stat!.tables[0]!.title).toBe('活跃呼叫统计');
    const [list] = await lab.engine.execute('DSP CALL', 'tester', { lang: 'zh' });
    expect(list!.tables[0]!.title).toBe('活跃呼叫列表');
    expect((await run(lab, 'DSP CALL STAT')).tables[0]!.title).toBe('Live calls');
  });
});

describe('RMV CALL', () => {
  it('needs CONFIRM=YES and a CALLID', async () => {
    const lab = busyLab();
    const unconfirmed = await run(lab, 'RMV CALL CALLID=c1@lab');
    expect(unconfirmed.retcode).toBe(RETCODE.CONFIRM_REQUIRED);
    expect(unconfirmed.message).toBe('RMV CALL cannot be undone: add CONFIRM=YES to carry it out');
    const missing = await run(lab, 'RMV CALL CONFIRM=YES');
    expect(missing.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(missing.message).toMatch(/^Missing parameter CALLID /);
    expect(lab.tracker.size).toBe(3);
    expect(lab.sent).toHaveLength(0);
  });

  it('ends an answered call with a BYE to each party, recorded as ended by the operator', async () => {
    const lab = busyLab();
    const r = await run(lab, 'RMV CALL CALLID=c1@lab CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe(
      'Call c1@lab (sip:1001@ims.lab → sip:1002@ims.lab) ended: BYE sent to both parties',
    );
    expect(lab.tracker.get('c1@lab')).toBeUndefined();
    const byes = lab.sent.filter((s) => s.kind === 'BYE');
    expect(byes.map((s) => `${s.to.address}:${s.to.port}`).sort()).toEqual([
      '192.0.2.10:5061',
      '192.0.2.20:5062',
    ]);
    for (const bye of byes) {
      expect(bye.message.header('call-id')).toBe('c1@lab');
      expect(bye.message.header('reason')).toBe('SIP;cause=200;text="Ended by operator"');
    }
    expect(lab.ended).toHaveLength(1);
    expect(lab.ended[0]!.call).toMatchObject({
      id: 'c1@lab',
      state: 'ended',
      hangupBy: 'operator',
      endReason: 'Ended by operator',
    });
  });

  it('cancels a call not answered yet', async () => {
    const lab = busyLab();
    const r = await run(lab, 'RMV CALL CALLID=c2@lab CONFIRM=YES');
    expect(r.message).toBe(
      'Call c2@lab (sip:1003@ims.lab → sip:1001@ims.lab) ended: not answered yet: INVITE cancelled',
    );
    expect(lab.cancelled).toEqual(['c2@lab']);
    expect(lab.ended[0]!.call).toMatchObject({ state: 'cancelled', statusCode: 487, hangupBy: 'operator' });
    expect(lab.tracker.size).toBe(2);
  });

  it('answers NOT_FOUND for a call that is not live', async () => {
    const lab = busyLab();
    const r = await run(lab, 'RMV CALL CALLID=c9 CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.NOT_FOUND);
    expect(r.message).toBe('No live call c9');
    expect(lab.tracker.size).toBe(3);
  });

  it("takes a part of a Call-ID in any case, as the original's, when it names one call only", async () => {
    const lab = busyLab();
    const many = await run(lab, 'RMV CALL CALLID=@LAB CONFIRM=YES');
    expect(many.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(many.message).toBe('Parameter CALLID: @LAB names 3 calls (c1@lab, c2@lab, c3@lab); give one ID');
    expect(lab.tracker.size).toBe(3);
    const r = await run(lab, 'RMV CALL CALLID=C2 CONFIRM=YES');
    expect(r.message).toMatch(/^Call c2@lab .* ended: not answered yet/);
    expect(lab.cancelled).toEqual(['c2@lab']);
  });
});

describe('CLR CALL', () => {
  it('needs CONFIRM=YES', async () => {
    const lab = busyLab();
    const r = await run(lab, 'CLR CALL ALL');
    expect(r.retcode).toBe(RETCODE.CONFIRM_REQUIRED);
    expect(lab.tracker.size).toBe(3);
  });

  it('ends every live call: BYE for the answered one, CANCEL for the others', async () => {
    const lab = busyLab();
    const r = await run(lab, 'CLR CALL ALL CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe(
      'Ended 3 call(s): 1 answered (BYE sent to both parties), 2 not answered (cancelled)',
    );
    expect(lab.tracker.size).toBe(0);
    expect(lab.sent.filter((s) => s.kind === 'BYE')).toHaveLength(2);
    expect(lab.cancelled.sort()).toEqual(['c2@lab', 'c3@lab']);
    expect(lab.ended.map((e) => e.call.hangupBy)).toEqual(['operator', 'operator', 'operator']);
    expect((await run(lab, 'CLR CALL CONFIRM=YES')).message).toBe('No live call to end');
  });
});
