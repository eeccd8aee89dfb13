// Moving the dialer's RTP range across DIALER.LOCAL_PORT (findings F3): one key at a time, MIN above MAX
// was refused ("set MAX first") and MAX first put LOCAL_PORT inside the range ("move LOCAL_PORT first"),
// round in a circle. The refusal now names one SET CFG that sets the dialer's ports together, checked as
// the combination they make (MIN below MAX, an RTP/RTCP pair, LOCAL_PORT outside the range).
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

const ports = (lab: Lab): number[] =>
  ['DIALER.RTP_PORT_MIN', 'DIALER.RTP_PORT_MAX', 'DIALER.LOCAL_PORT'].map((k) => lab.settings.int(k));

describe("SET CFG of the dialer's ports together", () => {
  it('following the refusals moves the range next to LOCAL_PORT', async () => {
    const lab = openLab();
    expect((await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=44470')).retcode).toBe(0);
    const min = await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=44472');
    expect(min.message).toMatch(/set DIALER\.RTP_PORT_MAX first$/);
    const max = await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479');
    expect(max.retcode).toBe(RETCODE.PARAMETER_ERROR);
    const hint = /in one command, checked together: (SET CFG .+)$/.exec(max.message)![1]!;
    expect(hint).toBe('SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479 RTP_PORT_MIN=<min> LOCAL_PORT=<port>');
    const both = await run(lab, hint.replace('<min>', '44472').replace('<port>', '44470'));
    expect(both.retcode, both.message).toBe(0);
    expect(both.message).toMatch(
      /^DIALER\.RTP_PORT_MAX = 44479 \(was 30000\); DIALER\.RTP_PORT_MIN = 44472 \(was 20000\)/,
    );
    expect(both.tables[0]!.rows.map((r) => r[0])).toEqual([
      'DIALER.RTP_PORT_MAX',
      'DIALER.RTP_PORT_MIN',
      'DIALER.LOCAL_PORT',
    ]);
    expect(ports(lab)).toEqual([44472, 44479, 44470]);
  });

  it('swaps the port and the range where no order of single changes can', async () => {
    const lab = openLab();
    await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=44470');
    // LOCAL_PORT 25000 is inside 20000..30000, and 44460..44480 holds 44470: both single steps refused.
    const r = await run(
      lab,
      'SET CFG KEY=DIALER.LOCAL_PORT VALUE=25000 RTP_PORT_MIN=44460 RTP_PORT_MAX=44480',
    );
    expect(r.retcode, r.message).toBe(0);
    expect(ports(lab)).toEqual([44460, 44480, 25000]);
  });

  it('refuses a combination that breaks a rule, changing none, and the extra keys with another KEY', async () => {
    const lab = openLab();
    await run(lab, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=44470');
    expect(await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=44480 RTP_PORT_MAX=44479')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter VALUE: DIALER.RTP_PORT_MIN must be below DIALER.RTP_PORT_MAX (44479), got 44480',
    });
    const inside = await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479 RTP_PORT_MIN=44460');
    // The hint names what was given, and what to add.
    expect(inside.message).toMatch(
      /^Parameter VALUE: DIALER\.RTP_PORT_MAX puts DIALER\.LOCAL_PORT \(44470\), .*: SET CFG KEY=DIALER\.RTP_PORT_MAX VALUE=44479 RTP_PORT_MIN=44460 LOCAL_PORT=<port>$/,
    );
    expect(
      (await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479 RTP_PORT_MIN=44472 LOCAL_PORT=44475'))
        .message,
    ).toMatch(
      /^Parameter VALUE: DIALER\.RTP_PORT_MAX puts DIALER\.LOCAL_PORT \(44475\), .*: keep the range clear of it$/,
    );
    expect(
      (await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=44472 RTP_PORT_MAX=44473 LOCAL_PORT=x')).message,
    ).toMatch(/^Parameter LOCAL_PORT: DIALER\.LOCAL_PORT /);
    const [clash] = await lab.engine.execute(
      'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479 RTP_PORT_MIN=44472 LOCAL_PORT=44475',
      'tester',
      { lang: 'zh' },
    );
    expect(clash!.message).toMatch(/包含外呼的 SIP 端口 DIALER\.LOCAL_PORT（44475）：请让范围避开它$/);
    expect(ports(lab)).toEqual([20000, 30000, 44470]);
    expect((await run(lab, 'SET CFG KEY=LOG.LEVEL VALUE=INFO RTP_PORT_MAX=44479')).message).toBe(
      "Parameter RTP_PORT_MAX: goes with KEY=DIALER.RTP_PORT_MIN, KEY=DIALER.RTP_PORT_MAX, KEY=DIALER.LOCAL_PORT only (the dialer's ports set in one command)",
    );
    expect((await run(lab, 'SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=44479 RTP_PORT_MAX=44478')).retcode).toBe(
      RETCODE.PARAMETER_ERROR,
    );
    const [zh] = await lab.engine.execute('SET CFG KEY=LOG.LEVEL VALUE=INFO LOCAL_PORT=1', 'tester', {
      lang: 'zh',
    });
    expect(zh!.message).toBe(
      '参数 LOCAL_PORT 错误: 只能与 KEY=DIALER.RTP_PORT_MIN, KEY=DIALER.RTP_PORT_MAX, KEY=DIALER.LOCAL_PORT 一起使用（在一条命令中设置外呼的各端口）',
    );
    expect(ports(lab)).toEqual([20000, 30000, 44470]);
  });
});
