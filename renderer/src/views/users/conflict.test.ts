import { describe, expect, it } from 'vitest';
import { translator as t } from '../../i18n/i18n';
import { changedRefusal, tableTime } from './conflict';

const EN =
  'Failed (RETCODE 7): User 2005 was changed since 2026-12-07T21:10:32.560+00:00 (Updated ' +
  '2026-12-07T21:19:17.908+00:00): nothing changed; read it again (DSP USER USERNAME=2005)';
const ZH =
  '失败（RETCODE 7）：用户 2005 在 2026-12-07T21:10:32.560+00:00 之后已被修改（更新时间 ' +
  '2026-12-07T21:19:17.908+00:00）：未作修改；请重新读取（DSP USER USERNAME=2005）';

describe("the Users dialog's words for a Save refused as changed since", () => {
  it('gives the times as the table does, to the millisecond, and points at Reload (it gave ISO times and DSP USER)', () => {
    const text = changedRefusal(t('en'), EN)!;
    expect(text).toContain('2026-12-07 21:19:17.908');
    expect(text).toContain('2026-12-07 21:10:32.560');
    expect(text).toContain('Reload');
    expect(text).not.toMatch(/DSP USER|T21:|\+00:00/);
    const zh = changedRefusal(t('zh'), ZH)!;
    expect(zh).toContain('2026-12-07 21:19:17.908');
    expect(zh).toContain('重新载入');
  });

  it("a time to the second stays to the second; other refusals are the server's own", () => {
    expect(tableTime('2026-12-07T21:10:32+08:00')).toBe('2026-12-07 21:10:32');
    expect(changedRefusal(t('en'), 'Failed (RETCODE 7): User 2005 does not exist')).toBeNull();
  });
});
