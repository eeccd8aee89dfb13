import { describe, expect, it } from 'vitest';
import { cdrQuery, today } from './store';

describe('cdr query', () => {
  it('leaves out empty filters and adds the page cursor', () => {
    expect(cdrQuery({ date: '2026-01-02', type: '', user: ' 1001 ' }, undefined, 100)).toEqual({
      limit: 100,
      date: '2026-01-02',
      caller: '1001',
    });
    expect(cdrQuery({ date: '', type: 'CALL', user: '' }, '20260102000000000001', 50)).toEqual({
      limit: 50,
      type: 'CALL',
      before: '20260102000000000001',
    });
  });
  it('today is local YYYY-MM-DD', () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
