// A day's log file read back across a change of the server's clock (core/observe/log-stamp.ts): its lines
// keep the original's zoneless local stamps, so a fall-back night's repeated hour is told apart by the
// lines' order in the file, also when a read starts inside it (DSP LOG BEFORE= pages, the read-back at
// start); the spring-forward gap reads on as the hour after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  logFileOf,
  readLogFileTail,
  readLogFileTailAsync,
  rememberToday,
} from '../../../core/observe/log-file';
import { Logger } from '../../../core/observe/logger';
import { useTimeZone } from '../cdr/fixtures';

useTimeZone('Europe/Berlin');

const dir = mkdtempSync(join(tmpdir(), 'ims-log-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utc = (iso: string): number => Date.parse(iso);

/** The logger writes a record at each instant (the Date faked to it), its text `<i>`; the day's file. */
async function written(dataDir: string, instants: number[]): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    const logger = new Logger({ level: 'DEBUG', console: false, dataDir, recentCapacity: 0 });
    instants.forEach((t, i) => {
      vi.setSystemTime(t);
      // Some records span lines (a SIP message at DEBUG): their further lines carry no stamp.
      if (i % 5 === 2) logger.for('sip').debug(`${i}\nVia: SIP/2.0/UDP 10.0.0.5\nCSeq: ${i} INVITE`);
      else logger.for('t').info(String(i));
    });
    await logger.close();
  } finally {
    vi.useRealTimers();
  }
  return logFileOf(dataDir, new Date(instants[0]!).toLocaleDateString('sv'));
}

/** Every record of a file, paged back from its end as DSP LOG DATE= BEFORE= pages it: [text, time]. */
async function paged(file: string, maxBytes: number, limit = 1000): Promise<[string, number][]> {
  const all: [string, number][] = [];
  let before: number | undefined;
  do {
    const tail = readLogFileTail(file, limit, {}, maxBytes, before);
    expect(await readLogFileTailAsync(file, limit, {}, maxBytes, 97, before)).toEqual(tail);
    all.unshift(...tail.records.map((r): [string, number] => [r.text.split('\n')[0]!, r.time]));
    before = tail.next;
  } while (before !== undefined);
  return all;
}

describe('Europe/Berlin, fall-back night (2026-10-25: 03:00 CEST → 02:00 CET)', () => {
  // 01:00 to 03:40 local, one record every 7 minutes: 02:00-02:59 twice, first at +02:00, then at +01:00.
  const instants = Array.from({ length: 28 }, (_, i) => utc('2026-10-24T23:00:00.250Z') + i * 7 * 60_000);

  it('reads the repeated hour second pass at +01:00, the whole file and a page at a time', async () => {
    const file = await written(join(dir, 'fall'), instants);
    const want = instants.map((t, i): [string, number] => [String(i), t]);
    // Read whole, and from windows of a few records each: a window that starts in the second pass
    // looks back past the step of the clock; one starting on a record's further lines too.
    expect(await paged(file, 64 * 1024)).toEqual(want);
    for (const maxBytes of [130, 200, 333]) expect(await paged(file, maxBytes, 2)).toEqual(want);
    // The read-back at start (the Logs view and DSP LOG after a restart).
    const after = new Logger({ level: 'INFO', console: false });
    expect(rememberToday(after, join(dir, 'fall'), instants.at(-1))).toBeUndefined();
    expect(after.recent(100).map((r) => r.time)).toEqual(instants);
  });
});

describe('Europe/Berlin, spring-forward night (2026-03-29: 02:00 CET → 03:00 CEST)', () => {
  it('reads every record at its instant, on either side of the gap', async () => {
    const instants = Array.from({ length: 12 }, (_, i) => utc('2026-03-29T00:20:00.500Z') + i * 7 * 60_000);
    const file = await written(join(dir, 'spring'), instants);
    const want = instants.map((t, i): [string, number] => [String(i), t]);
    expect(await paged(file, 64 * 1024)).toEqual(want);
    expect(await paged(file, 130, 2)).toEqual(want);
  });
});

describe('Europe/Berlin, files the logger did not write so', () => {
  const file = join(dir, 'hand.log');
  const line = (stamp: string, text: string): string => `${stamp} [INFO    ] [t] ${text}`;
  const times = (maxBytes?: number): number[] =>
    readLogFileTail(file, 100, {}, maxBytes).records.map((r) => r.time);

  it('a file starting in the repeated hour: its first pass until the clock steps back', () => {
    const text = [
      line('2026-10-25 02:40:00.000', 'a'),
      line('2026-10-25 02:50:00.000', 'b'),
      line('2026-10-25 02:10:00.000', 'c'),
      line('2026-10-25 02:20:00.000', 'd'),
      line('2026-10-25 03:00:00.000', 'e'),
    ].join('\n');
    writeFileSync(file, text);
    const want = ['00:40', '00:50', '01:10', '01:20', '02:00'].map((t) => utc(`2026-10-25T${t}:00Z`));
    expect(times()).toEqual(want);
    // Windows whose first record is c, then d: each read looks back at the records before it (for d,
    // back past the step between b and c).
    const from = (text: string, at: string): number => Buffer.byteLength(text) - text.indexOf(at) + 1;
    expect(times(from(text, '2026-10-25 02:10'))).toEqual(want.slice(2));
    expect(times(from(text, '2026-10-25 02:20'))).toEqual(want.slice(3));
  });

  it('a stamp in the spring-forward gap (2026-03-29 02:00-02:59, never read here) reads as the hour after', () => {
    writeFileSync(
      file,
      [
        line('2026-03-29 01:59:59.999', 'a'),
        // Written by a clock in another zone: as Date reads it.
        line('2026-03-29 02:30:00.000', 'b'),
        line('2026-03-29 03:45:00.000', 'c'),
      ].join('\n'),
    );
    expect(times()).toEqual(['00:59:59.999', '01:30:00', '01:45:00'].map((t) => utc(`2026-03-29T${t}Z`)));
  });
});
