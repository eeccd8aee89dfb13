// An error message quoted an over-long value whole: DSP USER STATUS=<100,000 characters> answered a
// 100,069-character message (and the history, the log and the mml client's summary line repeated it).
// Every piece of the statement an error quotes is cut to 100 characters and "… (N characters)".
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { ECHO_MAX } from '../../../core/mml/long-values';
import { openLab, run, useLabs } from './lab';

useLabs();

const LONG = 'Qx'.repeat(50_000);
const CUT = `${LONG.slice(0, ECHO_MAX)}… (100000 characters)`;

describe('an error quotes an over-long value cut', () => {
  it.each([
    [`DSP USER STATUS=${LONG}`, RETCODE.PARAMETER_ERROR, `got "${CUT}"`],
    [`DSP USER LIMIT=${LONG}`, RETCODE.PARAMETER_ERROR, `got "${CUT}"`],
    [`DSP CDR DATE=${LONG}`, RETCODE.PARAMETER_ERROR, `got "${CUT}"`],
    [`RMV LOCKOUT SOURCE=${LONG}`, RETCODE.PARAMETER_ERROR, `got "${CUT}"`],
    [`SET CFG KEY=${LONG} VALUE=1`, RETCODE.PARAMETER_ERROR, ''],
    [`DSP ${LONG}`, RETCODE.UNKNOWN_COMMAND, ''],
    [`HELP ${LONG}`, RETCODE.UNKNOWN_COMMAND, ''],
    [`DSP USER ${LONG}=1`, RETCODE.PARAMETER_ERROR, ''],
    [`DSP USER USERNAME=1 ${LONG}`, RETCODE.SYNTAX_ERROR, `"${CUT}"`],
  ])('statement %# of them: a short message', async (text, retcode, quoted) => {
    const lab = openLab();
    const r = await run(lab, text);
    expect(r.retcode).toBe(retcode);
    expect(r.message.length).toBeLessThan(600);
    expect(r.message).toMatch(/… \(100000 characters\)/);
    expect(r.message).toContain(quoted);
    const [history] = (await run(lab, 'DSP HISTORY LIMIT=2')).tables[0]!.rows;
    expect(String(history![5]).length).toBeLessThan(600);
  });

  it('says it in Chinese too, and leaves a short value whole', async () => {
    const lab = openLab();
    const [zh] = await lab.engine.execute(`DSP USER LIMIT=${LONG}`, 'tester', { lang: 'zh' });
    expect(zh!.message).toMatch(/^参数 LIMIT 错误: .*… \(100000 characters\)/);
    const short = 'Q'.repeat(ECHO_MAX);
    expect((await run(lab, `DSP USER LIMIT=${short}`)).message).toBe(
      `Parameter LIMIT: expected an integer 1..1000, got "${short}"`,
    );
  });
});
