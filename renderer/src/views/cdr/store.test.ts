import { describe, expect, it, vi } from 'vitest';
import { setServerClock } from '../../components/local-time';
import { useShell } from '../../store/shell';
import type { CdrRecordData } from '../../../../core/control/contract';
import {
  cdrExportParams,
  cdrQuery,
  cdrRead,
  isCurrentRead,
  newRecordDelay,
  NO_FILTERS,
  showCdr,
  showCdrPage,
  today,
  useCdr,
} from './store';

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

describe('cdr answers out of order', () => {
  const rows = (n: number, tag: string): CdrRecordData[] =>
    Array.from({ length: n }, (_, i) => ({ record_id: `${tag}${i}` }) as CdrRecordData);

  it('shows the answer to the latest read: a slower, older query answered last is dropped', () => {
    const initial = useCdr.getState();
    try {
      const day = { ...NO_FILTERS, date: '2026-11-15' };
      useCdr.setState({
        filters: { ...day, type: 'CALL', state: 'FAILED', callId: 'abc1' },
        cursors: [undefined],
      });
      const s = useCdr.getState();
      // The Call-ID part scans the day: its answer is slow.
      const partRead = cdrRead(s.filters, undefined, 200);
      // The operator clears Call-ID, then State, then Type, each read sent at once.
      s.setFilters({ callId: '' });
      const noCallId = cdrRead(useCdr.getState().filters, undefined, 200);
      s.setFilters({ state: '' });
      const noState = cdrRead(useCdr.getState().filters, undefined, 200);
      s.setFilters({ type: '' });
      const cleared = cdrRead(useCdr.getState().filters, undefined, 200);
      expect(cleared.query).toEqual({ limit: 200, date: '2026-11-15' });

      // The latest read is answered first: the day's 20,000 rows.
      expect(showCdrPage(cleared, { records: rows(200, 'all'), total: 20_000, next: 'all199' })).toBe(true);
      // Then the older ones: none of them is shown, nor an error of theirs.
      expect(showCdrPage(noState, { records: rows(9, 'call'), total: 9 })).toBe(false);
      expect(isCurrentRead(noCallId)).toBe(false);
      expect(showCdrPage(partRead, { records: rows(4, 'abc'), total: 4 })).toBe(false);
      expect(useCdr.getState()).toMatchObject({ total: 20_000, next: 'all199' });
      expect(useCdr.getState().records[0]!.record_id).toBe('all0');
    } finally {
      useCdr.setState(initial, true);
    }
  });

  it('of two reads of the same page, an older answer does not replace a newer one shown', () => {
    const initial = useCdr.getState();
    try {
      useCdr.setState({ filters: { ...NO_FILTERS, date: '2026-11-16' }, cursors: [undefined, 'c200'] });
      const f = useCdr.getState().filters;
      const first = cdrRead(f, 'c200', 200);
      const second = cdrRead(f, 'c200', 200);
      expect(showCdrPage(second, { records: rows(2, 'new'), total: 402 })).toBe(true);
      expect(showCdrPage(first, { records: rows(1, 'old'), total: 401 })).toBe(false);
      expect(useCdr.getState().total).toBe(402);
      // Another page's read, answered after the view went back to the newest page: dropped.
      const older = cdrRead(f, 'c400', 200);
      expect(showCdrPage(older, { records: rows(1, 'p3'), total: 402 })).toBe(false);
    } finally {
      useCdr.setState(initial, true);
    }
  });

  it("a call's ladder opens its record: every day's rows of its Call-ID, the record open once read", () => {
    const initial = useCdr.getState();
    try {
      useCdr.setState({ filters: { ...NO_FILTERS, date: '2026-11-17', type: 'REGISTER' }, selected: null });
      showCdr('a84b@pc33');
      expect(useShell.getState().view).toBe('cdr');
      const s = useCdr.getState();
      expect(s.filters).toEqual({ ...NO_FILTERS, date: '', callId: 'a84b@pc33' });
      const read = cdrRead(s.filters, undefined, 200);
      expect(read.query).toEqual({ limit: 200, callId: 'a84b@pc33' });
      const call = { record_id: 'r7', started_at: 0, sip_call_id: 'a84b@pc33' } as CdrRecordData;
      expect(showCdrPage(read, { records: [call], total: 1 })).toBe(true);
      expect(useCdr.getState()).toMatchObject({ selected: call, reveal: null, focusRecord: true });
    } finally {
      useCdr.setState(initial, true);
    }
  });
});
