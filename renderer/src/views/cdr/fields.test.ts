import { describe, expect, it } from 'vitest';
import { CDR_COLUMNS } from '../../../../core/cdr/record';
import { fieldLabel, fieldValue } from './fields';

describe('the CDR record panel', () => {
  it('labels every column of a record in both languages (a new column needs its label)', () => {
    const unlabelled = (lang: 'en' | 'zh') =>
      ['record_id', ...CDR_COLUMNS].filter((c) => fieldLabel(c, lang) === c);
    expect(unlabelled('en')).toEqual([]);
    expect(unlabelled('zh')).toEqual([]);
  });

  it('names no two columns alike in either language (setup_time and setup_ms were both "Setup time")', () => {
    for (const lang of ['en', 'zh'] as const) {
      const labels = [...new Set(['record_id', ...CDR_COLUMNS])].map((c) => fieldLabel(c, lang));
      expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);
    }
  });

  it('shows times in local time, units after numbers, a dash for nothing', () => {
    const at = new Date(2026, 11, 4, 9, 5, 7, 42).getTime();
    expect(fieldValue('started_at', at)).toBe('2026-12-04 09:05:07.042');
    expect(fieldValue('pdd_ms', 250)).toBe('250 ms');
    expect(fieldValue('duration', 10.01)).toBe('10.01 s');
    expect(fieldValue('setup_time', '0.50s')).toBe('0.50s');
    expect(fieldValue('answered_at', null)).toBe('—');
    expect(fieldValue('codec', '')).toBe('—');
  });
});
