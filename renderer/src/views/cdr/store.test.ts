import { describe, expect, it, vi } from 'vitest';
import { setServerClock } from '../../components/local-time';
import { cdrExportParams, cdrQuery, newRecordDelay, NO_FILTERS, today, useCdr } from './store';

describe('cdr query', () => {
  it('leaves out empty filters and adds the page cursor', () => {
    expect(cdrQuery({ ...NO_FILTERS, date: '2026-01-02', user: ' 1001 ' }, undefined, 100)).toEqual({
      limit: 100,
      date: '2026-01-02',
      caller: '1001',
    });
    expect(cdrQuery({ ...NO_FILTERS, date: '', type: 'CALL' }, '20260102000000000001', 50)).toEqual({
      limit: 50,
      type: 'CALL',
      before: '20260102000000000001',
    });
  });
  it('asks for the callee, the Call-ID (trimmed) and the state; the export takes the same filters', () => {
    const f = {
      date: '2026-01-02',
      type: 'CALL',
      user: '1001',
      callee: ' 1002',
      callId: ' a84B@pc33 ',
      state: 'FAILED',
    };
    expect(cdrQuery(f, undefined, 200)).toEqual({
      limit: 200,
      date: '2026-01-02',
      type: 'CALL',
      caller: '1001',
      callee: '1002',
      callId: 'a84B@pc33',
      state: 'FAILED',
    });
    expect(cdrExportParams(f)).toEqual({
      DATE: '2026-01-02',
      TYPE: 'CALL',
      CALLER: '1001',
      CALLEE: '1002',
      CALLID: 'a84B@pc33',
      STATE: 'FAILED',
    });
    expect(cdrExportParams({ ...NO_FILTERS, date: '2026-01-02', callee: '  ' })).toEqual({
      DATE: '2026-01-02',
      TYPE: undefined,
      CALLER: undefined,
      CALLEE: undefined,
      CALLID: undefined,
      STATE: undefined,
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
      useCdr.setState({ filters: { ...NO_FILTERS, date: '2026-01-06' }, dayChosen: false });
      useCdr.getState().setFilters({ type: 'CALL' });
      useCdr.getState().setServerDay('2026-01-05'); // a server west of the console: still the 5th
      expect(useCdr.getState().filters).toEqual({ ...NO_FILTERS, date: '2026-01-05', type: 'CALL' });
      useCdr.getState().setFilters({ date: '2026-01-04' });
      useCdr.getState().setServerDay('2026-01-05');
      expect(useCdr.getState().filters.date).toBe('2026-01-04');
    } finally {
      useCdr.setState(initial, true);
    }
  });
});

describe('cdr live reload', () => {
  it('reads the newest page again a second after a new record, later when reading it took long', () => {
    expect(newRecordDelay(0)).toBe(1000);
    expect(newRecordDelay(12)).toBe(1000);
    expect(newRecordDelay(50)).toBe(1000);
    // A day's scan (a Call-ID part, a state) of 250 ms: the server's loop busy with it 5% of the time.
    expect(newRecordDelay(250)).toBe(5000);
  });
});
