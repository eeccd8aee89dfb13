// Ending dialer calls whose far end is dead (registered, but nothing answers on its port): STP CALL,
// the ring timeout and STP DIALSVC record the call at once as ended by us, and free its slot and
// ports, while the CANCEL or BYE transaction runs out in the background (Timer B / F: 32 s).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { renderText } from '../../../core/mml/text';
import { parseMessage, SipRequest } from '../../../core/sip/message/index';
import { answer } from '../proxy/raw-ua';
import { HAS_SIPP } from '../../support/sipp';
import { registerContact, startCallee, stopStrayCallees, user } from '../proxy/parties';
import { campaignId, timed, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
let dead: Socket;
/** The Reason headers of the CANCELs the proxy received (the dialer's). */
let cancelReasons: string[];

useDialerLab((l) => (lab = l));
beforeEach(async () => {
  cancelReasons = [];
  lab.a.transport.tap.on((m) => {
    const r = m.message;
    if (m.direction === 'in' && r instanceof SipRequest && r.method === 'CANCEL')
      cancelReasons.push(r.header('reason') ?? '(none)');
  });
  // A phone that died: its binding stays, whatever reaches its port goes unanswered.
  dead = createSocket('udp4');
  await new Promise<void>((r) => dead.bind(0, '127.0.0.1', r));
  await registerContact(lab.server(), user(1007), dead.address().port);
  expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
});

afterEach(() => {
  dead.close();
});

/** Waits until the proxy has forwarded the dialer's (authenticated) INVITE. */
async function dialing(id: string): Promise<void> {
  await until('the INVITE to reach the proxy', () => lab.a.calls.size === 1);
  expect(lab.a.dialer.campaign(id)!.live[0]!.state).toBe('dialing');
}

describe('ending calls to a dead far end', () => {
  it('STP CALL answers at once and records a call that got no answer as ended by the operator', async () => {
    const id = campaignId(await lab.mml('STR CALL BATCH NUMBERS=1007 DURATION=30'));
    await dialing(id);
    let answer = '';
    const took = await timed(
      lab.mml('STP CALL CAMPAIGN=' + id).then((r) => (answer = r.message)),
      5000,
    );
    expect(answer).toBe('Stopped 1 campaign: calls ended');
    expect(took).toBeLessThan(2000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.state).toBe('stopped');
    expect(c.recent[0]).toMatchObject({
      status: 487,
      reason: 'Ended by operator',
      answered: false,
      cancelledByOperator: true,
    });
    // Cleared by the operator: counted apart, no failure, not in ASR (ITU-T E.411), not under 487.
    expect(c.figures).toMatchObject({ completed: 1, failed: 0, cancelled: 1, byCode: {}, asr: null });
    const dsp = await lab.mml(`DSP DIALSVC CAMPAIGN=${id}`);
    const t = dsp.tables[0]!;
    const col = (name: string) => t.rows[0]![t.columns.findIndex((x) => x.name === name)];
    expect([col('Failed'), col('Failed by code'), col('Cancelled by operator (not in ASR)')]).toEqual([
      0,
      '',
      1,
    ]);
    expect(c.recent[0]!.pddMs).toBeUndefined(); // no answer came: no post-dial delay
    expect(lab.a.dialer.snapshot().rtpPortsInUse).toBe(0);
    // RFC 3326 §2: the CANCEL says why, as the BYE of an answered call does (text, its reason).
    await until('the CANCEL', () => cancelReasons.length > 0, 2000);
    expect(cancelReasons).toEqual(['SIP;cause=487;text="Ended by operator"']);
  }, 20_000);

  it('gives up at DIALER.RING_TIMEOUT on a callee that sends nothing: No answer, its ports freed', async () => {
    expect((await lab.mml('SET CFG KEY=DIALER.RING_TIMEOUT VALUE=1')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=30'));
    await until('the ring timeout', () => lab.a.dialer.campaign(id)!.state === 'finished', 4000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0]).toMatchObject({ status: 487, reason: 'No answer', answered: false });
    expect(c.recent[0]!.cancelledByOperator).toBeUndefined(); // nobody answered: a failure
    expect(c.figures).toMatchObject({ failed: 1, cancelled: 0, byCode: { '487': 1 }, asr: 0 });
    expect(c.recent[0]!.endedAt - c.recent[0]!.startedAt).toBeLessThan(2000);
    expect(c.figures.pddP50Ms).toBeNull();
    expect(lab.a.dialer.snapshot().rtpPortsInUse).toBe(0);
    // RFC 3326 §2: Q.850 19, "No answer from user (user alerted)": no SIP code beside the 487 (F2).
    expect(cancelReasons).toEqual(['Q.850;cause=19;text="No answer"']);
    // In 中文 the dialer's own words read in Chinese (the calls table: reason, who ended it).
    const [zh] = await lab.a.mml.execute(`DSP DIALSVC CAMPAIGN=${id}`, 'test', { lang: 'zh' });
    const calls = zh!.tables[2]!; // campaign, calls in progress, calls (most recent), times and settings
    const cell = (key: string) => calls.rows[0]![calls.columns.findIndex((x) => x.key === key)];
    // The rows are the same in every language (for scripts); the text writes the words in Chinese.
    expect(calls.columns.map((x) => x.name)).toEqual(expect.arrayContaining(['原因', '挂断方']));
    expect([cell('Reason'), cell('Ended by')]).toEqual(['No answer', 'cancelled']);
    const text = renderText(zh!);
    expect(text).toContain('无应答');
    expect(text).toContain('已取消');
  }, 20_000);

  it('STP DIALSVC records a call waiting past its 407 as ended by the dialer stopping, not 407', async () => {
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=30'));
    await dialing(id);
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0]).toMatchObject({ status: 487, reason: 'Dialer stopped', answered: false });
    expect(c.figures.byCode).not.toHaveProperty('407');
    expect(c.figures).toMatchObject({ failed: 0, cancelled: 1, byCode: {} });
  }, 20_000);

  it('STP DIALSVC before the 407 reaches the dialer: not a 407 failure, cancelled by the operator (not in ASR)', async () => {
    // The dialer stops as the proxy's 407 leaves it: the INVITE is never sent again with credentials,
    // nothing was seized; the call is one the operator cleared, as every other call of a stop.
    let stopped: Promise<void> | undefined;
    lab.a.transport.tap.on((m) => {
      if (
        stopped === undefined &&
        m.direction === 'out' &&
        m.data.toString('latin1').startsWith('SIP/2.0 407')
      )
        stopped = lab.a.dialer.stop();
    });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=30'));
    await until('the stop', () => stopped !== undefined);
    await stopped;
    await until('the call to end', () => lab.a.dialer.campaign(id)!.state !== 'running', 5000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0]).toMatchObject({
      status: 487,
      reason: 'Dialer stopped',
      answered: false,
      cancelledByOperator: true,
    });
    expect(c.figures).toMatchObject({ failed: 0, cancelled: 1, byCode: {}, asr: null });
  }, 20_000);

  it('a callee that never answers at all: 408 after the timers, failed, with no post-dial delay', async () => {
    // 64*T1 is 3.2 s: the proxy's branch times out and it answers 408 (the dialer, past its 100 Trying,
    // waits for it); the 3.2 s are the timer's, not a post-dial delay, and skewed the campaign's p95.
    expect((await lab.mml('SET CFG KEY=TIMER.T1 VALUE=50')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'));
    await until('the 408', () => lab.a.dialer.campaign(id)!.state === 'finished', 10_000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0]).toMatchObject({ status: 408, answered: false });
    expect(c.recent[0]!.pddMs).toBeUndefined();
    expect(c.figures).toMatchObject({ failed: 1, byCode: { '408': 1 }, pddP50Ms: null, pddP95Ms: null });
  }, 20_000);

  it('a callee that answers our CANCEL 200 but never 487: its CDR row is still the dialer’s, with its figures', async () => {
    // 64*T1 is 3.2 s: the dialer gives the CANCEL up first, the proxy's INVITE branch a little later.
    expect((await lab.mml('SET CFG KEY=TIMER.T1 VALUE=50')).retcode).toBe(0);
    expect((await lab.mml('SET CFG KEY=DIALER.RING_TIMEOUT VALUE=1')).retcode).toBe(0);
    dead.on('message', (data) => {
      const req = parseMessage(data);
      if (!(req instanceof SipRequest)) return;
      const rinfo = req.topVia;
      const reply = (status: number, reason: string): void =>
        void dead.send(answer(req, status, reason), rinfo.port ?? 5060, rinfo.host);
      if (req.method === 'INVITE') reply(180, 'Ringing');
      if (req.method === 'CANCEL') reply(200, 'OK'); // and no 487: SIPp's default on a CANCEL
    });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=30'));
    await until('the ring timeout', () => lab.a.dialer.campaign(id)!.state === 'finished', 6000);
    // No final answer came before the dialer gave the call up: none is made up (it read 487, though
    // the INVITE's final answer after a CANCEL may be any, a 302 too, RFC 3261 §9.1; dialer F2).
    expect(lab.a.dialer.campaign(id)!.recent[0]).toMatchObject({
      status: 0,
      reason: 'No answer; no final answer to the INVITE',
      answered: false,
    });
    // DSP DIALSVC counts the call, its CDR row comes at the INVITE's final answer (64*T1): the Note
    // says one call still waits for it (in 中文 too), and clears once the answer (the row) came.
    expect(lab.a.calls.size).toBe(1);
    const waiting = '1 call still waiting for its final answer: its CDR row comes with it';
    expect(lab.a.dialer.campaign(id)!.note).toBe(waiting);
    expect(zhDialerReason(waiting)).toBe('1 个呼叫仍在等待最终应答：其 CDR 记录随之写入');
    const notes: Array<string | undefined> = [];
    lab.a.dialer.on((e) => {
      if (e.type === 'progress' && e.campaign.id === id) notes.push(e.campaign.note);
    });
    await until('the proxy ending the call', () => lab.a.calls.size === 0, 10_000);
    await until('the note to clear', () => lab.a.dialer.campaign(id)!.note === undefined, 2000);
    expect(notes.length).toBeGreaterThan(0); // the console is told too
    expect(notes.at(-1)).toBeUndefined();
    lab.a.cdrRecorder.flush();
    const row = (await lab.a.cdr.page({})).records.find((r) => r.record_type === 'CALL')!;
    expect(row).toMatchObject({
      call_type: 'AUDIO',
      extra_info: `dialer campaign=${id}`,
      callee_number: '1007',
    });
  }, 20_000);

  it('a 200 that crosses our CANCEL (RFC 3261 §9.1): the call was answered, ACKed and ended with BYE, and counted so', async () => {
    expect((await lab.mml('SET CFG KEY=DIALER.RING_TIMEOUT VALUE=1')).retcode).toBe(0);
    let invite: SipRequest | undefined;
    const port = dead.address().port;
    dead.on('message', (data) => {
      const req = parseMessage(data);
      if (!(req instanceof SipRequest)) return;
      const via = req.topVia;
      const send = (bytes: Buffer): void => void dead.send(bytes, via.port ?? 5060, via.host);
      const tagged = (status: number, reason: string, r: SipRequest): Buffer => {
        const lines = answer(r, status, reason).toString('latin1').split('\r\n');
        const to = lines.findIndex((l) => l.startsWith('To:'));
        lines[to] = `To: ${r.header('to')!.replace(/;tag=.*$/, '')};tag=crossing`;
        const contact = `Contact: <sip:1007@127.0.0.1:${port}>`;
        const rr = r.headerValues('record-route').map((v) => `Record-Route: ${v}`);
        return Buffer.from([lines[0], ...rr, ...lines.slice(1, -2), contact, '', ''].join('\r\n'), 'latin1');
      };
      if (req.method === 'INVITE') {
        invite = req;
        send(tagged(180, 'Ringing', req));
      } else if (req.method === 'CANCEL') {
        send(answer(req, 200, 'OK'));
        send(tagged(200, 'OK', invite!)); // answered as the CANCEL came: no 487
      } else if (req.method === 'BYE') send(answer(req, 200, 'OK'));
    });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=30'));
    await until('the ring timeout', () => lab.a.dialer.campaign(id)!.state === 'finished', 6000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.recent[0]).toMatchObject({ status: 200, answered: true });
    expect(c.recent[0]!.reason).toMatch(/^No answer \(the answer crossed our CANCEL/);
    expect(c.figures).toMatchObject({ answered: 1, failed: 0, byCode: {} });
  }, 20_000);

  it.skipIf(!HAS_SIPP)(
    'STP CALL answers at once when the far end died after answering',
    async () => {
      await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { timeoutSeconds: 30 });
      const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=30'));
      await until('the answer', () => lab.a.dialer.campaign(id)!.live[0]?.state === 'answered');
      await stopStrayCallees(); // SIPp killed: our BYE goes unanswered
      const took = await timed(lab.mml('STP CALL'), 5000);
      expect(took).toBeLessThan(2000);
      const r = lab.a.dialer.campaign(id)!.recent[0]!;
      expect(r).toMatchObject({ status: 200, answered: true, end: 'local', reason: 'Ended by operator' });
      expect(r.talkMs).toBeGreaterThan(0);
    },
    20_000,
  );
});
