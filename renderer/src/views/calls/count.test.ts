import { describe, expect, it } from 'vitest';
import { translator as t } from '../../i18n/i18n';
import { callCount } from './count';

describe("the Calls view's count", () => {
  it('in Chinese says what each number counts, with one measure word (共 0 条 · 1 个刚结束 above a row read as none)', () => {
    expect(callCount(t('zh'), 0, 1)).toBe('活跃 0 个 · 刚结束 1 个');
    expect(callCount(t('zh'), 2, 2)).toBe('活跃 2 个');
  });

  it('in English is as it was', () => {
    expect(callCount(t('en'), 0, 1)).toBe('0 in all · 1 just ended');
    expect(callCount(t('en'), 2, 2)).toBe('2 in all');
  });
});
