import { describe, expect, it, vi } from 'vitest';
import { setServerClock } from '../../components/local-time';
import { cdrQuery, today, useCdr } from './store';

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
  it("today is the server's: a server a minute past midnight while the browser's clock says 23:59", () => {
    const browser = new Date(2026, 0, 5, 23, 59, 0).getTime();
    try {
      setServerClock(browser + 120_000, browser);
      vi.useFakeTimers({ toFake: ['Date'], now: browser });
      expect(today()).toBe('2026-01-06');
    } finally {
      vi.useRealTimers();
      setServerClock(Date.now());
    }
  });
});

describe('cdr day', () => {
  it("opens on the server's day, until the operator picks one", () => {
    const initial = useCdr.getState();
    try {
      useCdr.setState({ filters: { date: '2026-01-06', type: '', user: '' }, dayChosen: false });
      useCdr.getState().setFilters({ type: 'CALL' });
      useCdr.getState().setServerDay('2026-01-05'); // a server west of the console: still the 5th
      expect(useCdr.getState().filters).toEqual({ date: '2026-01-05', type: 'CALL', user: '' });
      useCdr.getState().setFilters({ date: '2026-01-04' });
      useCdr.getState().setServerDay('2026-01-05');
      expect(useCdr.getState().filters.date).toBe('2026-01-04');
    } finally {
      useCdr.setState(initial, true);
    }
  });
});
