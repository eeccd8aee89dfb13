// The auto dialer end to end, on an appliance in this process (real UDP sockets, a real SQLite file)
// with SIPp UASs registered as the callees and tshark on the loopback watching the RTP:
//  - STR DIALSVC, STR CALL SINGLE CALLEE=1002 DURATION=4: 200 ± 2 RTP packets of PT 0 at 20 ms, then a
//    BYE, then a CDR row marked DIALER with its RTP figures; STP DIALSVC unregisters and frees the ports;
//  - a batch over a range with one busy and one unregistered number: the right per-code statistics;
//  - STP CALL in the middle of a batch: the ringing calls are cancelled, nothing is left.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { dialerLabSettings } from './lab';
import type { MmlResult } from '../../../core/mml/command';
import { SipRequest } from '../../../core/sip/message/index';
import type { LabServer } from '../../support/lab-server';
import { freePort, HAS_SIPP } from '../../support/sipp';
import { captureRtp } from '../../support/rtp-capture';
import { HAS_TSHARK } from '../../support/tshark';
import { registerContact, startCallee, stopStrayCallees, user } from '../proxy/parties';

/** The checkout, as the installed app: its media/default.wav is the dialer's prompt. */
const CHECKOUT = join(__dirname, '..', '..', '..');

let a: Appliance;
let dir: string;
/** A test that stopped the appliance itself. */
let stopped = false;

async function mml(text: string): Promise<MmlResult> {
  const [r] = await a.mml.execute(text, 'test');
  return r!;
}

/** The appliance as the proxy test helpers know a server: host and UDP port. */
function server(): LabServer {
  return { host: '127.0.0.1', udpPort: a.transport.udpPort } as LabServer;
}

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function campaignId(r: MmlResult): string {
  const m = /campaign (C\d+)/.exec(r.message);
  if (m === null) throw new Error(`no campaign id in: ${r.message}`);
  return m[1]!;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ims-dialer-'));
  const s = dialerLabSettings(200);
  a = new Appliance({ dataDir: dir, settings: s, console: false, appDirs: [CHECKOUT] });
  await a.start();
  for (let n = 1002; n <= 1008; n++) {
    const creds = { username: String(n), password: `pw-${n}` };
    if (a.users.get(creds.username) === undefined) a.users.add(creds);
    else a.users.update(creds.username, { password: creds.password });
  }
});

afterEach(async () => {
  await stopStrayCallees();
  if (!stopped) await a.stop();
  stopped = false;
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_SIPP)('auto dialer', () => {
  it.skipIf(!HAS_TSHARK)(
    'plays 4 s of RTP to a SIPp callee, hangs up with BYE and leaves a CDR row marked DIALER',
    async () => {
      const mediaPort = await freePort();
      const callee = await startCallee(server(), user(1002), 'proxy_uas_answer.xml', {
        pauseMs: 200,
        timeoutSeconds: 30,
        args: ['-mi', '127.0.0.1', '-mp', String(mediaPort), '-rtp_echo'],
      });
      const capture = await captureRtp(mediaPort);
      const started = await mml('STR DIALSVC');
      expect(started.retcode, started.message).toBe(0);
      const dialerAor = (): string[] =>
        [...a.location.entries()].filter(([aor]) => aor.includes('0000')).map(([aor]) => aor);
      expect(dialerAor()).toHaveLength(1); // STR DIALSVC registered the dialer's account
      const placed = await mml('STR CALL SINGLE CALLEE=1002 DURATION=4');
      expect(placed.retcode, placed.message).toBe(0);
      const id = campaignId(placed);
      const sipp = await callee.result;
      expect(sipp.code, sipp.describe()).toBe(0); // INVITE answered, ACK and BYE received
      await until('the campaign to finish', () => a.dialer.campaign(id)?.state === 'finished');
      const packets = (await capture.stop()).filter((p) => p.dstPort === mediaPort);

      // 4 s of 20 ms packets: 200 ± 2, PT 0 (the callee answered PCMU), one stream in order.
      expect(packets.length).toBeGreaterThanOrEqual(198);
      expect(packets.length).toBeLessThanOrEqual(202);
      expect(new Set(packets.map((p) => p.payloadType))).toEqual(new Set([0]));
      expect(packets[0]!.marker).toBe(true);
      for (let i = 1; i < packets.length; i++) {
        expect(packets[i]!.seq).toBe((packets[i - 1]!.seq + 1) & 0xffff);
        expect(packets[i]!.timestamp).toBe((packets[i - 1]!.timestamp + 160) % 2 ** 32);
      }
      // Timing: the stream spans (n - 1) × 20 ms and its median gap is 20 ms (no drift, no bursts).
      const span = (packets.at(-1)!.time - packets[0]!.time) * 1000;
      expect(Math.abs(span - (packets.length - 1) * 20)).toBeLessThan(60);
      const gaps = packets
        .slice(1)
        .map((p, i) => (p.time - packets[i]!.time) * 1000)
        .sort((x, y) => x - y);
      expect(Math.abs(gaps[Math.floor(gaps.length / 2)]! - 20)).toBeLessThan(2);

      // The BYE came from the dialer after the media (SIPp received it; the call ended on our side).
      const byes = sipp.messages.filter(
        (m) => m.direction === 'received' && m.message instanceof SipRequest && m.message.method === 'BYE',
      );
      expect(byes.length).toBe(1);
      const c = a.dialer.campaign(id)!;
      expect(c.recent[0]).toMatchObject({ number: '1002', status: 200, answered: true, end: 'local' });
      expect(c.recent[0]!.rtpSent).toBe(200);
      expect(c.recent[0]!.rtpReceived).toBeGreaterThan(150); // SIPp echoed the stream back
      expect(c.figures).toMatchObject({ placed: 1, answered: 1, failed: 0, asr: 100 });
      expect(c.figures.acdSeconds).toBeGreaterThan(3.9);

      // The CDR row: the proxy's call row, marked as the dialer's, with the RTP figures.
      a.cdrRecorder.flush();
      const rows = (await a.cdr.page({})).records.filter((r) => r.record_type === 'CALL');
      expect(rows.length).toBe(1);
      expect(rows[0]).toMatchObject({
        call_state: 'ENDED',
        call_type: 'AUDIO',
        caller_number: '0000',
        callee_number: '1002',
        status_code: 200,
        hangup_by: 'caller',
      });
      expect(rows[0]!.extra_info).toMatch(
        /^dialer campaign=C\d+ rtp_sent=200 rtp_received=\d+ rtp_lost=\d+ jitter_ms=/,
      );
      expect(rows[0]!.duration).toBeGreaterThan(3.9);

      // DSP DIALSVC shows it; STP DIALSVC unregisters and leaves no port.
      const dsp = await mml('DSP DIALSVC');
      expect(dsp.tables[1]!.rows[0]!.slice(0, 9)).toEqual([id, 'finished', 1, 1, 0, 1, 0, '', 100]);
      const stopped = await mml('STP DIALSVC');
      expect(stopped.retcode, stopped.message).toBe(0);
      expect(dialerAor()).toEqual([]);
      await until('RTP ports released', () => a.dialer.snapshot().rtpPortsInUse === 0, 2000);
    },
    60_000,
  );

  it('counts a batch over a range with a busy and an unregistered number by SIP code', async () => {
    await startCallee(server(), user(1002), 'proxy_uas_answer.xml', { pauseMs: 100, timeoutSeconds: 20 });
    await startCallee(server(), user(1003), 'proxy_uas_busy.xml', { timeoutSeconds: 20 });
    // 1004 exists but has no binding: the proxy answers 480.
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    // A missing prompt is refused before any call is placed.
    const bad = await mml('STR CALL BATCH NUMBERS=1002-1004 MEDIA_FILE=nope.wav');
    expect(bad.retcode).toBe(7);
    expect(bad.message).toMatch(/^Parameter MEDIA_FILE: nope\.wav: no such file in .*; prompts belong in /);
    // Nor a file outside the data folder and the app's folders (MML must not open the host's files).
    for (const outside of ['/etc/hostname', '../../../../../../etc/hostname']) {
      const refused = await mml(`STR CALL BATCH NUMBERS=1002 MEDIA_FILE="${outside}"`);
      expect(refused.message).toBe(
        `Parameter MEDIA_FILE: ${outside}: outside the data folder and the app's folders: put the prompt in media/`,
      );
      // A wrong parameter, as IMP USER's FILE outside the data folder (not 8, bad content).
      expect(refused.retcode).toBe(3);
    }
    // Started twice: said in a sentence, and in Chinese without the English state word.
    expect((await mml('STR DIALSVC')).message).toBe('The auto dialer is already running');
    const [again] = await a.mml.execute('STR DIALSVC', 'tester', { lang: 'zh' });
    expect(again!.message).toBe('外呼服务已在运行');
    // A bad number is named under the parameter it came in ("99 99" is 9999 written with a visual separator).
    const callee = await mml('STR CALL SINGLE CALLEE="99x 99"');
    expect(callee.message).toBe('Parameter CALLEE: "99x 99" is not a number that can be dialled');
    expect(a.dialer.snapshot().campaigns).toEqual([]);
    const placed = await mml(
      'STR CALL BATCH NUMBERS=1004-1002 DURATION=1.5 CONCURRENCY=3 RATE=10 RECORD=YES',
    );
    expect(placed.retcode, placed.message).toBe(0);
    const id = campaignId(placed);
    await until('the batch to finish', () => a.dialer.campaign(id)?.state === 'finished');
    const c = a.dialer.campaign(id)!;
    expect(c.total).toBe(3);
    expect(c.figures).toMatchObject({
      placed: 3,
      completed: 3,
      answered: 1,
      failed: 2,
      byCode: { '480': 1, '486': 1 },
      asr: 33.33, // DSP DIALSVC prints two decimals: 33.33, not 33.30
    });
    expect(c.figures.pddP50Ms).not.toBeNull();
    const byNumber = Object.fromEntries(c.recent.map((r) => [r.number, r.status]));
    expect(byNumber).toEqual({ '1002': 200, '1003': 486, '1004': 480 });
    const answered = c.recent.find((r) => r.number === '1002')!;
    expect(answered.rtpSent).toBe(75); // 1.5 s
    // The answered call is recorded; the busy and unavailable ones had no talk: no empty WAV for them.
    expect(answered.recording).toMatch(/\.wav$/);
    expect(c.recent.filter((r) => r.recording !== undefined).map((r) => r.number)).toEqual(['1002']);
    expect(readdirSync(dirname(answered.recording!))).toEqual([basename(answered.recording!)]);
    const dsp = await mml(`DSP DIALSVC CAMPAIGN=${id}`);
    expect(dsp.tables[0]!.rows[0]![7]).toBe('480:1 486:1');
  }, 60_000);

  it('places no more calls at once than RTP port pairs: a narrow range queues the batch, nothing fails', async () => {
    for (const n of [1002, 1003, 1005, 1006, 1007])
      await startCallee(server(), user(n), 'proxy_uas_answer.xml', { pauseMs: 100, timeoutSeconds: 20 });
    const base = a.settings.int('DIALER.RTP_PORT_MIN');
    expect((await mml(`SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=${base + 3}`)).retcode).toBe(0); // 2 pairs
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const placed = await mml('STR CALL BATCH NUMBERS=1002,1003,1005 DURATION=0.5 CONCURRENCY=3 RATE=50');
    expect(placed.retcode, placed.message).toBe(0);
    // A second campaign at once: its calls wait for the pairs the first one's hold (they failed, "no
    // free RTP port pair", without an INVITE).
    const second = await mml('STR CALL BATCH NUMBERS=1006,1007 DURATION=0.5 CONCURRENCY=2 RATE=50');
    expect(second.retcode, second.message).toBe(0);
    for (const id of [campaignId(placed), campaignId(second)])
      await until(`${id} to finish`, () => a.dialer.campaign(id)?.state === 'finished');
    expect(a.dialer.campaign(campaignId(placed))!.figures).toMatchObject({
      placed: 3,
      answered: 3,
      failed: 0,
    });
    expect(a.dialer.campaign(campaignId(second))!.figures).toMatchObject({
      placed: 2,
      answered: 2,
      failed: 0,
    });
  }, 60_000);

  it('gives up on a callee that rings past DIALER.RING_TIMEOUT, saying "No answer" beside the 487 it got, as its CDR row does', async () => {
    await startCallee(server(), user(1002), 'proxy_uas_ring_cancel.xml', { timeoutSeconds: 20 });
    expect((await mml('SET CFG KEY=DIALER.RING_TIMEOUT VALUE=1')).retcode).toBe(0);
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await mml('STR CALL SINGLE CALLEE=1002 DURATION=1'));
    await until('the call to end', () => a.dialer.campaign(id)?.state === 'finished');
    expect(a.dialer.campaign(id)!.recent[0]).toMatchObject({
      answered: false,
      status: 487,
      reason: 'No answer',
    });
    // The CDR row says the same: 487, and its CANCEL's Reason (Q.850 19) as end_reason, no other SIP
    // code beside it ("No answer (SIP 480)" read as a 480 where the panel said 487; dialer F2).
    await until('the CDR row', () => a.calls.size === 0, 5000);
    a.cdrRecorder.flush();
    const row = (await a.cdr.page({})).records.find((r) => r.record_type === 'CALL')!;
    expect(row).toMatchObject({
      call_state: 'CANCELLED',
      status_code: 487,
      termination_reason: 'User Cancelled',
      end_reason: 'No answer (Q.850 19)',
    });
  }, 30_000);

  it('stops a batch in the middle with STP CALL: ringing calls cancelled, nothing left behind', async () => {
    // One SIPp UAS that rings until cancelled, registered as 1002..1006.
    const ringer = await startCallee(server(), user(1002), 'proxy_uas_ring_cancel.xml', {
      calls: 2,
      timeoutSeconds: 30,
    });
    for (let n = 1003; n <= 1006; n++) await registerContact(server(), user(n), ringer.localPort);
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const placed = await mml('STR CALL BATCH NUMBERS=1002-1006 CONCURRENCY=2 RATE=50 DURATION=5');
    const id = campaignId(placed);
    await until(
      'two calls ringing',
      () => a.dialer.campaign(id)!.live.filter((l) => l.state === 'ringing').length === 2,
    );
    const stop = await mml('STP CALL');
    expect(stop.retcode, stop.message).toBe(0);
    expect(stop.message).toBe('Stopped 1 campaign: calls ended');
    const c = a.dialer.campaign(id)!;
    expect(c.state).toBe('stopped');
    // Cleared by the operator: counted apart, not as 487 failures (nor in ASR).
    expect(c.figures).toMatchObject({
      placed: 2,
      completed: 2,
      answered: 0,
      failed: 0,
      cancelled: 2,
      byCode: {},
    });
    expect(c.inProgress).toBe(0);
    const sipp = await ringer.result;
    expect(sipp.code, sipp.describe()).toBe(0); // both INVITEs were CANCELled
    await until('the proxy to forget the calls', () => a.calls.size === 0, 5000);
    await until('RTP ports released', () => a.dialer.snapshot().rtpPortsInUse === 0, 2000);
    const second = await mml('STP CALL');
    expect(second.message).toBe('No campaign was running');
  }, 60_000);

  it('registers again at once when CLR REG removes its binding, and says so meanwhile', async () => {
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const service: { registered: boolean; message?: string }[] = [];
    a.dialer.on((e) => {
      if (e.type === 'service') service.push({ registered: e.registered, message: e.message });
    });
    const dialerBindings = (): number =>
      [...a.location.entries()].filter(([aor]) => aor.startsWith('sip:0000@')).length;
    expect(dialerBindings()).toBe(1);
    expect((await mml('CLR REG CONFIRM=YES')).retcode).toBe(0);
    expect(service[0]).toEqual({ registered: false, message: 'removed by the operator' });
    await until('the dialer to register again', () => dialerBindings() === 1 && a.dialer.registered);
    expect(service.at(-1)).toMatchObject({ registered: true });
    expect((await mml('DSP DIALSVC')).tables[0]!.rows[0]!.slice(0, 2)).toEqual(['running', true]);
  });

  it('its account takes a changed DIALER.PASSWORD at the next start', async () => {
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    expect((await mml('STP DIALSVC')).retcode).toBe(0);
    expect((await mml('SET CFG KEY=DIALER.PASSWORD VALUE=another-secret')).retcode).toBe(0);
    const again = await mml('STR DIALSVC');
    expect(again.retcode, again.message).toBe(0);
    expect(a.dialer.registered).toBe(true);
  });

  it('keeps trying after a failed refresh: its account removed and added back, it registers again', async () => {
    // Registrations granted for 2 s: refreshed every second, retried as often.
    for (const [key, value] of [
      ['REG.MIN_EXPIRES', 1],
      ['REG.DEFAULT_EXPIRES', 2],
      ['REG.MAX_EXPIRES', 2],
    ] as const)
      expect((await mml(`SET CFG KEY=${key} VALUE=${value}`)).retcode).toBe(0);
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    expect((await mml('RMV USER USERNAME=0000 CONFIRM=YES')).retcode).toBe(0);
    await until('the refresh to fail', () => !a.dialer.registered, 10_000);
    await new Promise((r) => setTimeout(r, 2500)); // a refresh or two fail meanwhile
    expect(a.dialer.registered).toBe(false);
    expect((await mml('ADD USER USERNAME=0000 PASSWORD=0000')).retcode).toBe(0);
    await until('the dialer to register again', () => a.dialer.registered, 10_000);
  }, 30_000);

  it('ends a call in progress with BYE and unregisters when the appliance stops', async () => {
    const callee = await startCallee(server(), user(1002), 'proxy_uas_answer.xml', { timeoutSeconds: 30 });
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await mml('STR CALL SINGLE CALLEE=1002 DURATION=60'));
    await until('the call to be answered', () => a.dialer.campaign(id)!.live[0]?.state === 'answered');
    // DSP DIALSVC CAMPAIGN= lists it while it is up.
    const shown = await mml(`DSP DIALSVC CAMPAIGN=${id}`);
    expect(shown.tables[1]!.title).toBe(`Calls of ${id} in progress`);
    expect(shown.tables[1]!.rows[0]!.slice(0, 2)).toEqual(['1002', 'answered']);
    stopped = true;
    await a.stop();
    const sipp = await callee.result;
    expect(sipp.code, sipp.describe()).toBe(0); // it got its BYE
    expect(a.dialer.state).toBe('stopped');
    expect(a.dialer.snapshot().rtpPortsInUse).toBe(0);
    expect([...a.location.entries()].filter(([aor]) => aor.includes('0000'))).toEqual([]);
    expect(a.dialer.campaign(id)!.recent[0]).toMatchObject({
      answered: true,
      end: 'local',
      reason: 'System shutdown',
    });
  }, 60_000);

  it('ends when the far end hangs up: its BYE is answered, the media stops, the row says callee', async () => {
    const callee = await startCallee(server(), user(1002), 'proxy_uas_answer_then_bye.xml', {
      pauseMs: 1000,
      timeoutSeconds: 20,
    });
    expect((await mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await mml('STR CALL SINGLE CALLEE=1002 DURATION=30'));
    const sipp = await callee.result;
    expect(sipp.code, sipp.describe()).toBe(0); // its BYE got our 200
    await until('the campaign to finish', () => a.dialer.campaign(id)?.state === 'finished');
    const r = a.dialer.campaign(id)!.recent[0]!;
    // Its reason is the hangup's, not the 200's reason phrase.
    expect(r).toMatchObject({ number: '1002', status: 200, answered: true, end: 'remote', reason: 'Normal' });
    expect(r.rtpSent).toBeGreaterThan(20);
    expect(r.rtpSent).toBeLessThan(500); // stopped at the BYE, long before 30 s
    await until('RTP ports released', () => a.dialer.snapshot().rtpPortsInUse === 0, 2000);
    a.cdrRecorder.flush();
    const row = (await a.cdr.page({})).records.find((x) => x.record_type === 'CALL')!;
    expect(row).toMatchObject({ call_type: 'AUDIO', hangup_by: 'callee', call_state: 'ENDED' });
    expect(row.extra_info).toMatch(/^dialer campaign=C\d+ rtp_sent=\d+ /);
  }, 60_000);
});
