import { describe, expect, it } from 'vitest';
import { translator as t } from '../../i18n/i18n';
import { registrationsCount } from './count';

describe("the Registrations view's count beside Remove all", () => {
  it('with a search says how many were found of all (it read "9 in all" beside a Remove all that removed 22)', () => {
    const c = { shown: 9, offset: 0, total: 9, all: 22, searching: true };
    expect(registrationsCount(t('en'), c)).toBe('9 found of 22');
    expect(registrationsCount(t('zh'), c)).toBe('找到 9 条，共 22 条');
    expect(registrationsCount(t('en'), { ...c, shown: 0, total: 0 })).toBe('0 found of 22');
  });

  it('without a search is as it was', () => {
    expect(registrationsCount(t('en'), { shown: 22, offset: 0, total: 22, all: 22, searching: false })).toBe(
      '22 in all',
    );
    expect(registrationsCount(t('en'), { shown: 2, offset: 0, total: 5, all: 5, searching: false })).toBe(
      'Showing 1–2 of 5',
    );
  });

  it("the question of Remove all names how many it removes, Overview's the same", () => {
    expect(t('en')('regs.removeAllConfirm', { n: 22 })).toMatch(/^Remove all 22 registrations\?/);
    expect(t('zh')('regs.removeAllConfirm', { n: 22 })).toContain('22');
    expect(t('en')('overview.clearRegsConfirm', { n: 22 })).toBe(t('en')('regs.removeAllConfirm', { n: 22 }));
  });
});
