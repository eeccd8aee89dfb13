// A row of the original's day file whose times cross a change of the server's clock (core/cdr/
// original-record.ts): the original wrote naive local times (original-server.md §3.2), so a later time
// of the row is the next time the local clock read it after the start, by the calendar of the server's
// zone: in a fall-back night's repeated hour the first or the second reading (the row's duration
// tells which), past midnight the next calendar day (23 or 25 h later when the clock changes at
// midnight), never a flat 24 h.
import { describe, expect, it } from 'vitest';
import { ORIGINAL_COLUMNS, originalRecord } from '../../../core/cdr/original-record';
import type { CdrRecord } from '../../../core/cdr/record';
import { ORIGINAL_ROWS, readCsv, useTimeZone } from './fixtures';

/** The original's answered CALL row (fixtures) with some of its columns changed. */
function callRow(changes: Record<string, string>): CdrRecord {
  const fields = readCsv(`20251102015930000001,${ORIGINAL_ROWS['call']}\r\n`)[0]!;
  for (const [name, value] of Object.entries(changes)) fields[ORIGINAL_COLUMNS.indexOf(name)] = value;
  const r = originalRecord(fields);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** A call that rings 0.5 s, answered at `start`, talks until `end` (the original's columns). */
function call(date: string, start: string, end: string, duration: string): CdrRecord {
  const [h, m, s] = start.split(':').map(Number) as [number, number, number];
  const invite = new Date(Date.UTC(2000, 0, 1, h, m, s) - 500).toISOString().slice(11, 23);
  return callRow({
    date,
    start_time: start,
    end_time: end,
    duration,
    invite_time: invite,
    answer_time: `${start}.000`,
    bye_time: `${end}.000`,
  });
}

const utc = (iso: string): number => Date.parse(iso);

describe('America/New_York, fall-back night (2025-11-02: 02:00 EDT → 01:00 EST)', () => {
  useTimeZone('America/New_York');

  it('a 60 s call across the change ends 60 s after its answer, in the repeated hour (not 23 h later)', () => {
    const r = call('2025-11-02', '01:59:30', '01:00:30', '60.0');
    expect(r.started_at).toBe(utc('2025-11-02T05:59:29.500Z')); // 01:59:29.500 EDT
    expect(r.answered_at).toBe(utc('2025-11-02T05:59:30.000Z'));
    expect(r.ended_at).toBe(utc('2025-11-02T06:00:30.000Z')); // 01:00:30 EST
    expect(r.talk_ms).toBe(60_000);
  });

  it('an end in the repeated hour is its first or its second reading as the duration says', () => {
    const short = call('2025-11-02', '01:10:00', '01:20:00', '600.0'); // 01:10 → 01:20 EDT
    expect(short.ended_at - short.answered_at!).toBe(600_000);
    const long = call('2025-11-02', '01:10:00', '01:20:00', '4200.0'); // 01:10 EDT → 01:20 EST
    expect(long.ended_at - long.answered_at!).toBe(4_200_000);
    expect(long.ended_at).toBe(utc('2025-11-02T06:20:00.000Z'));
  });

  it('without a duration (an unanswered call) the end is the next reading after the start', () => {
    const failed = callRow({
      date: '2025-11-02',
      call_state: 'FAILED',
      start_time: '01:59:50',
      end_time: '01:00:10',
      duration: '',
      invite_time: '01:59:50.000',
      answer_time: '',
      bye_time: '',
    });
    expect(failed.answered_at).toBeNull();
    expect(failed.ended_at).toBe(utc('2025-11-02T06:00:10.000Z')); // 01:00:10 EST, 20 s later
  });

  it('a call past midnight into the fall-back day ends the next calendar day', () => {
    const r = call('2025-11-01', '23:59:30', '00:00:30', '60.0');
    expect(r.ended_at - r.answered_at!).toBe(60_000);
    expect(r.ended_at).toBe(utc('2025-11-02T04:00:30.000Z'));
  });
});

describe('America/New_York, spring-forward night (2026-03-08: 02:00 EST → 03:00 EDT)', () => {
  useTimeZone('America/New_York');

  it('a 90 s call across the change ends 90 s after its answer', () => {
    const r = call('2026-03-08', '01:58:44', '03:00:14', '90.0');
    expect(r.answered_at).toBe(utc('2026-03-08T06:58:44.000Z')); // 01:58:44 EST
    expect(r.ended_at).toBe(utc('2026-03-08T07:00:14.000Z')); // 03:00:14 EDT
    expect(r.talk_ms).toBe(90_000);
  });

  it('a call past midnight into the spring-forward day ends the next calendar day', () => {
    const r = call('2026-03-07', '23:59:30', '00:00:30', '60.0');
    expect(r.ended_at).toBe(utc('2026-03-08T05:00:30.000Z'));
  });
});

describe('America/Santiago, a clock change at midnight (2026-09-06: 00:00 −04 → 01:00 −03)', () => {
  useTimeZone('America/Santiago');

  it('a 60 s call across that midnight ends on the next calendar day 60 s later (a 23 h day, not 24 h)', () => {
    const r = call('2026-09-05', '23:59:30', '01:00:30', '60.0');
    expect(r.answered_at).toBe(utc('2026-09-06T03:59:30.000Z'));
    expect(r.ended_at).toBe(utc('2026-09-06T04:00:30.000Z'));
  });
});
