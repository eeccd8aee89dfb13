import { describe, expect, it } from 'vitest';
import type { TraceDialogData } from '../../../../core/control/contract';
import {
  LIST_LIMIT,
  NO_FILTERS,
  admits,
  applyTraceEvents,
  newDialogs,
  pageWithin,
  traceQuery,
  useTrace,
} from './store';
import { setClockZone } from '../../components/local-time';

const dialog = (callId: string, startUs: number, extra: Partial<TraceDialogData> = {}): TraceDialogData => ({
  callId,
  kind: 'call',
  firstLine: 'INVITE sip:1002@lab SIP/2.0',
  from: '1001',
  to: '1002',
  messages: 1,
  startUs,
  lastUs: startUs,
  finalStatus: 0,
  ...extra,
});

describe('trace store', () => {
  it('builds the snapshot query from the filters, leaving out the empty ones', () => {
    expect(traceQuery(NO_FILTERS)).toEqual({ limit: LIST_LIMIT });
    expect(
      traceQuery(
        {
          callId: ' a@b ',
          user: '1001',
          method: 'invite',
          statusClass: '4',
          address: '127.0.0.1',
          finalClass: '4',
          kind: 'call',
          from: '',
          to: '',
          text: ' Yealink ',
        },
        50,
      ),
    ).toEqual({
      text: 'Yealink',
      limit: 50,
      callId: 'a@b',
      user: '1001',
      method: 'INVITE',
      statusClass: 4,
      address: '127.0.0.1',
      finalClass: 4,
      kind: 'call',
    });
  });

  it("a time range is read on the console's clock (the server's zone); To takes its whole minute", () => {
    setClockZone('Asia/Shanghai');
    try {
      const f = { ...NO_FILTERS, from: '2026-12-07T14:32', to: '2026-12-07T14:33' };
      const from = Date.UTC(2026, 11, 7, 6, 32) * 1000;
      const to = Date.UTC(2026, 11, 7, 6, 34) * 1000 - 1;
      expect(traceQuery(f)).toEqual({ limit: LIST_LIMIT, fromUs: from, toUs: to });
      expect(traceQuery({ ...f, to: '2026-12-07T14:33:20' }).toUs).toBe(to - 39_000_000);
      // A live dialog joins when it has messages within the range; a text only the server can search.
      expect(admits(f, dialog('at 14:32:40', from + 40_000_000))).toBe(true);
      expect(admits(f, dialog('at 14:31', from - 60_000_000))).toBe(false);
      expect(admits(f, dialog('at 14:34', to + 1))).toBe(false);
      expect(admits({ ...NO_FILTERS, text: 'Yealink' }, dialog('any', from))).toBe(false);
      expect(traceQuery({ ...f, from: 'yesterday' })).toEqual({ limit: LIST_LIMIT, toUs: to });
      // Typed as the list shows times (a space, not DSP TRACE's T): the same range.
      expect(traceQuery({ ...f, from: '2026-12-07 14:32', to: '2026-12-07 14:33' })).toEqual(traceQuery(f));
      // A text field takes any text: one naming no time (a 13th month, 30 February, 24:00) filters nothing.
      for (const bad of ['2026-13-01 10:00', '2026-02-30 10:00', '2026-12-07 24:00', '2026-12-07 10:60'])
        expect(traceQuery({ ...f, from: bad })).toEqual({ limit: LIST_LIMIT, toUs: to });
    } finally {
      setClockZone('');
    }
  });

  it('a live dialog joins under a Final status or Kind filter once its summary matches', () => {
    const f = { ...NO_FILTERS, finalClass: '4', kind: 'call' };
    expect(admits(f, dialog('ringing', 1))).toBe(false); // no final answer yet
    expect(admits(f, dialog('failed', 1, { finalStatus: 486 }))).toBe(true);
    expect(admits(f, dialog('answered', 1, { finalStatus: 200 }))).toBe(false);
    expect(admits(f, dialog('reg', 1, { finalStatus: 401, kind: 'registration' }))).toBe(false);
  });

  it('updates listed dialogs in place and adds new ones newest first', () => {
    let list = applyTraceEvents([], [dialog('a', 1), dialog('b', 2)], NO_FILTERS);
    expect(list.map((d) => d.callId)).toEqual(['b', 'a']);
    list = applyTraceEvents(list, [dialog('a', 1, { messages: 7, finalStatus: 200 })], NO_FILTERS);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ callId: 'a', messages: 7, finalStatus: 200 });
  });

  it('lets a new dialog in only when the filters its summary can answer allow it', () => {
    expect(admits({ ...NO_FILTERS, user: '1001' }, dialog('a', 1))).toBe(true);
    expect(admits({ ...NO_FILTERS, user: '2001' }, dialog('a', 1))).toBe(false);
    // Escaped or not, as the server's filter (the server lists *21# for sip:*21%23@...).
    const star = { ...dialog('s', 1), to: '*21#' };
    expect(admits({ ...NO_FILTERS, user: '*21%23' }, star)).toBe(true);
    expect(admits({ ...NO_FILTERS, user: '*21#' }, star)).toBe(true);
    expect(admits({ ...NO_FILTERS, callId: 'b' }, dialog('a', 1))).toBe(false);
    expect(admits({ ...NO_FILTERS, callId: 'A' }, dialog('a', 1))).toBe(true); // a part, in any case
    expect(admits({ ...NO_FILTERS, method: 'BYE' }, dialog('a', 1))).toBe(false); // the server decides
    const listed = [dialog('a', 1)];
    const f = { ...NO_FILTERS, method: 'BYE' };
    expect(applyTraceEvents(listed, [dialog('a', 1, { messages: 5 }), dialog('z', 9)], f)).toEqual([
      dialog('a', 1, { messages: 5 }),
    ]);
  });

  it('keeps at most LIST_LIMIT dialogs, the newest', () => {
    const many = Array.from({ length: LIST_LIMIT + 20 }, (_, i) => dialog(`c${i}`, i));
    const list = applyTraceEvents([], many, NO_FILTERS);
    expect(list).toHaveLength(LIST_LIMIT);
    expect(list[0]!.callId).toBe(`c${LIST_LIMIT + 19}`);
    expect(list.at(-1)!.callId).toBe('c20');
    // The total still counts every new dialog (the list shows the newest of them).
    expect(newDialogs(list, [...many, dialog('new', 1e9), dialog('new', 1e9)], NO_FILTERS)).toBe(21);
  });

  it('pages past the newest LIST_LIMIT: the query asks from an offset, and other filters go back to the newest', () => {
    expect(traceQuery(NO_FILTERS, LIST_LIMIT, 500)).toEqual({ limit: LIST_LIMIT, offset: 500 });
    expect(traceQuery(NO_FILTERS, LIST_LIMIT, 0)).toEqual({ limit: LIST_LIMIT });
    useTrace.getState().setOffset(1000);
    expect(useTrace.getState().offset).toBe(1000);
    useTrace.getState().setFilters({ kind: 'call' });
    expect(useTrace.getState().offset).toBe(0);
    useTrace.getState().setFilters(NO_FILTERS);
  });

  it('an older page past the end (the ring let its dialogs go) turns into the last page', () => {
    expect(pageWithin(1000, 1100)).toBe(1000);
    expect(pageWithin(1000, 1000)).toBe(500);
    expect(pageWithin(1000, 300)).toBe(0);
    expect(pageWithin(500, 0)).toBe(0);
    useTrace.getState().setOffset(1000);
    useTrace.getState().reset({ dialogs: [], total: 700, state: null } as never);
    expect(useTrace.getState().offset).toBe(500);
    useTrace.getState().setOffset(0);
  });

  it("on an older page a new dialog does not join (it is the newest page's); listed ones update", () => {
    const older = [dialog('b', 2), dialog('a', 1)];
    const list = applyTraceEvents(
      older,
      [dialog('new', 1e9), dialog('a', 1, { messages: 3 })],
      NO_FILTERS,
      500,
    );
    expect(list.map((d) => [d.callId, d.messages])).toEqual([
      ['b', 1],
      ['a', 3],
    ]);
    // The total counts it all the same.
    expect(newDialogs(older, [dialog('new', 1e9)], NO_FILTERS)).toBe(1);
  });

  it('drops a dialog the trace let go (its ring full, trace.db off), and counts it out of the total', () => {
    useTrace.getState().setFilters({ method: '' });
    useTrace.getState().reset({ dialogs: [dialog('b', 2), dialog('a', 1)], total: 5, state: null } as never);
    // a was listed; x was beyond the list's newest LIST_LIMIT but counted; b gets a message.
    useTrace
      .getState()
      .apply([
        dialog('a', 1, { gone: true }),
        dialog('x', 0, { gone: true }),
        dialog('b', 2, { messages: 4 }),
      ]);
    expect(useTrace.getState().dialogs.map((d) => [d.callId, d.messages])).toEqual([['b', 4]]);
    expect(useTrace.getState().total).toBe(3);
    // Gone, then a new dialog of the same Call-ID in the same batch: listed again.
    useTrace.getState().apply([dialog('b', 2, { gone: true }), dialog('b', 9)]);
    expect(useTrace.getState().dialogs.map((d) => [d.callId, d.startUs])).toEqual([['b', 9]]);
    expect(useTrace.getState().total).toBe(3);
  });
});

describe('the trace list under a filter only the server can check', () => {
  it('counts the new dialogs it could not judge, for the view to ask the server again', () => {
    useTrace.getState().reset({ dialogs: [dialog('a', 1)], total: 1, state: null } as never);
    useTrace.getState().setFilters({ method: 'BYE' });
    useTrace.getState().apply([dialog('a', 1, { messages: 3 }), dialog('b', 2), dialog('c', 3)]);
    expect(useTrace.getState().unchecked).toBe(2); // b and c; a is listed and updated in place
    expect(useTrace.getState().dialogs.map((d) => d.callId)).toEqual(['a']);
    useTrace.getState().reset({ dialogs: [dialog('c', 3)], total: 1, state: null } as never);
    expect(useTrace.getState().unchecked).toBe(0);
    useTrace.getState().setFilters({ method: '' });
    useTrace.getState().apply([dialog('d', 4)]);
    expect(useTrace.getState().unchecked).toBe(0); // no such filter: the list judges them itself
  });
});
