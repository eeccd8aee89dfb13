// DTMF the dialer cannot send is said, never silently dropped: a far end whose answer takes no
// telephone-event (RFC 4733 §7.1.1) gets the call without digits, its result and the log saying so;
// digits that would not have gone before DURATION ends are refused at STR CALL.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_RTP_RECEIVED, NO_TELEPHONE_EVENT } from '../../../core/dialer/dialer-call';
import { encodeWav } from '../../../core/media/wav';
import { RETCODE } from '../../../core/mml/command';
import type { LogRecord } from '../../../core/observe/logger';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l), { started: true });

describe('DTMF the dialer cannot send', () => {
  it.skipIf(!HAS_SIPP)(
    'an answer without telephone-event: the call goes on, its result notes the DTMF not sent, the log warns',
    async () => {
      const logged: LogRecord[] = [];
      lab.a.logger.subscribe((r) => logged.push(r));
      // SIPp's answer: m=audio ... RTP/AVP 0, PCMU only, sendrecv; it sends no RTP (one-way audio, noted too).
      await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { timeoutSeconds: 30 });
      const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=1.5 DTMF=1'));
      await until('the call to end', () => lab.a.dialer.campaign(id)?.state === 'finished', 15_000);
      const r = lab.a.dialer.campaign(id)!.recent[0]!;
      expect(r).toMatchObject({
        answered: true,
        reason: 'Normal',
        note: `${NO_TELEPHONE_EVENT}; ${NO_RTP_RECEIVED}`,
      });
      const dsp = await lab.mml(`DSP DIALSVC CAMPAIGN=${id}`);
      const results = dsp.tables[2]!;
      const note = results.columns.findIndex((c) => c.name === 'Note');
      expect(results.rows[0]![note]).toBe(
        'DTMF not sent: the answer offers no telephone-event; no RTP received from the far end (one-way audio)',
      );
      const warnings = logged.filter((l) => l.level === 'WARNING' && l.text.includes('DTMF 1 not sent'));
      expect(warnings.length, logged.map((l) => l.text).join('\n')).toBe(1);
    },
    30_000,
  );

  it('digits that cannot end before DURATION are refused at STR CALL, naming DTMF and the DURATION needed', async () => {
    // 1 s before the first digit, 200 ms a digit: 123 ends at 1.54 s (its last pause is no part of it).
    const r = await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=1 DTMF=123');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe(
      'Parameter DTMF: the digits 123 need 1.54 s of media (from 1 s after the answer, 0.2 s a digit), ' +
        'more than DURATION=1: give DURATION=1.54 or more',
    );
    const [zh] = await lab.a.mml.execute('STR CALL SINGLE CALLEE=1002 DURATION=1 DTMF=123', 'test', {
      lang: 'zh',
    });
    expect(zh!.message).toBe(
      '参数 DTMF 错误: 号码 123 需要 1.54 秒媒体（应答后 1 秒开始，每位 0.2 秒），超过 DURATION=1: 请给出 DURATION=1.54 或更长',
    );
    // DURATION=0 plays the prompt once: a 0.5 s prompt has no room for them either.
    mkdirSync(join(lab.dir, 'media'), { recursive: true });
    writeFileSync(join(lab.dir, 'media', 'short.wav'), encodeWav(new Int16Array(4000)));
    const once = await lab.mml('STR CALL SINGLE CALLEE=1002 MEDIA_FILE=media/short.wav DTMF=1');
    expect(once.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(once.message).toMatch(
      /^Parameter DTMF: .* more than the prompt's 0\.5 s \(DURATION=0\): give DURATION=1\.14 or more$/,
    );
    expect(lab.a.dialer.snapshot().campaigns).toEqual([]); // nothing was placed
    // Just enough media: accepted.
    const fits = await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=1.54 DTMF=123');
    expect(fits.retcode, fits.message).toBe(0);
  }, 20_000);
});
