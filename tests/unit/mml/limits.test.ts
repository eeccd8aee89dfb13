// Input limits are checked before the store (issue 11): a 100 KB SEARCH= is refused with RETCODE 3
// naming the parameter and the limit (it once reached SQLite and came back as RETCODE 99), without
// echoing the value; DURATION takes decimal seconds, as the original's float did.
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { coerceParam, MAX_TEXT_LENGTH } from '../../../core/mml/params';
import { openLab, run, useLabs } from './lab';

useLabs();

describe('input limits', () => {
  it('refuses a 100 KB text value with RETCODE 3 naming the parameter and the limit, not echoing it', async () => {
    const lab = openLab();
    const huge = 'x'.repeat(100 * 1024);
    for (const text of [`DSP USER SEARCH=${huge}`, `DSP REG URI=${huge}`, `DSP LOG KEYWORD=${huge}`]) {
      const r = await run(lab, text);
      expect(r.retcode, text.slice(0, 20)).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message).toMatch(
        /^Parameter \w+: expected text of at most \d+ characters, got 102400 characters \(the limit is \d+\)$/,
      );
      expect(r.message.length).toBeLessThan(200);
    }
    // At the limit it is taken.
    expect((await run(lab, `DSP USER SEARCH=${'x'.repeat(MAX_TEXT_LENGTH)}`)).retcode).toBe(0);
  });

  it('DURATION is a decimal number of seconds', () => {
    const p = { name: 'DURATION', type: 'number', min: 0, max: 86_400, help: '' } as const;
    expect(coerceParam(p, '2.5', 0)).toEqual({ ok: true, value: 2.5 });
    expect(coerceParam(p, '.5', 0)).toEqual({ ok: true, value: 0.5 });
    expect(coerceParam(p, '10', 0)).toEqual({ ok: true, value: 10 });
    expect(coerceParam(p, '1e3', 0).ok).toBe(false);
    expect(coerceParam(p, '-0.1', 0).ok).toBe(false);
    expect(coerceParam(p, 'NaN', 0).ok).toBe(false);
  });

  it('STR CALL SINGLE accepts DURATION=2.5 (the parameters check out)', async () => {
    const lab = openLab();
    const r = await run(lab, 'STR CALL SINGLE CALLEE=1002 DURATION=2.5');
    expect(r.retcode).not.toBe(RETCODE.PARAMETER_ERROR);
    expect((await run(lab, 'STR CALL SINGLE CALLEE=1002 DURATION=2,5')).message).toBe(
      'Parameter DURATION: expected a number 0..86400 (e.g. 2.5), got "2,5"',
    );
  });
});
