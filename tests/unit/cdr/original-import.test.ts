// The original's CDR day files in a data folder moved to IMS Lab (core/cdr/original-import.ts): their
// rows land in the store, the 34 columns as the original wrote them and IMS Lab's own derived (instants
// in local time, setup and talk in ms, the bare URIs, a MESSAGE's SIP Call-ID), so DSP CDR and the CDR
// browser list them. A file is read once, and again when it changed, without doubling a row; IMS Lab's
// own day files are not the original's; a row that is no record is named and left out.
import { appendFileSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { CDR_CSV_HEADER, cdrCsvLine, csvLine } from '../../../core/cdr/csv';
import { importOriginalCdr } from '../../../core/cdr/original-import';
import { settingsTable } from '../../../core/store/settings-table';
import { ORIGINAL_COLUMNS, originalRecord } from '../../../core/cdr/original-record';
import { makeDataDir, open, useDataDirs } from '../store/data-dir';
import { keptLog, ORIGINAL_ROWS, readCsv, useShanghaiTime } from './fixtures';
import { message } from './events';
import { messageRecord } from '../../../core/cdr/from-events';
import { cdrStamp } from '../../../core/cdr/clock-fields';

useShanghaiTime();
useDataDirs();

/** The turn of the event loop (counted by a test) in which each slice of a day file was parsed. */
const parsed = vi.hoisted(() => ({ turn: 0, turns: [] as number[] }));
vi.mock('../../../core/cdr/csv-read', async (original) => {
  const real = await original<typeof import('../../../core/cdr/csv-read')>();
  return {
    ...real,
    parseCsv: (...args: Parameters<typeof real.parseCsv>) => (
      parsed.turns.push(parsed.turn),
      real.parseCsv(...args)
    ),
  };
});

const HEADER = ORIGINAL_COLUMNS.join(',');
const KINDS = ['register', 'call', 'failed', 'cancelled', 'message', 'options', 'unregister'] as const;
/** The original's record_id: YYYYmmddHHMMSS and a 6-digit counter. */
const id = (i: number): string => `20261124003752${String(i + 1).padStart(6, '0')}`;
const originalDay = (rows: readonly string[], eol = '\r\n'): string =>
  [HEADER, ...rows].map((l) => l + eol).join('');

/** 2026-11-24 hh:mm:ss.mmm in UTC+8, ms since the epoch. */
const at = (h: number, m: number, s: number, ms = 0): number => Date.UTC(2026, 10, 23, 16 + h, m, s, ms);

function folder() {
  const dir = makeDataDir();
  const db = open(dir);
  const store = new SqliteCdrStore(db, dir);
  const day = (date: string): string => {
    mkdirSync(join(dir, 'CDR', date), { recursive: true });
    return join(dir, 'CDR', date);
  };
  return { dir, db, store, day };
}

describe("the original's CDR day files", () => {
  it('are imported: the 34 columns as written, IMS Lab’s derived, listed by date', async () => {
    const { db, store, day } = folder();
    const rows = KINDS.map((k, i) => `${id(i)},${ORIGINAL_ROWS[k]}`);
    writeFileSync(join(day('2026-11-24'), 'cdr_2026-11-24.csv'), originalDay(rows));
    const log = keptLog();
    // While a file is read, the store says which and how far (CDR answers meanwhile say they are partial).
    const during: unknown[] = [];
    const watched = {
      ...log,
      info: (text: string) => {
        during.push(store.importing);
        log.info(text);
      },
    };
    expect(await importOriginalCdr(store, settingsTable(db), watched)).toEqual({
      files: 1,
      added: 7,
      present: 0,
      refused: 0,
    });
    expect(during).toEqual([{ file: 'cdr_2026-11-24.csv', rows: 7 }, undefined]);
    expect(store.importing).toBeUndefined();
    expect(log.lines).toEqual([
      `INFO cdr: ${join(store.archive.root, '2026-11-24', 'cdr_2026-11-24.csv')}, the original's day file: 7 records added, 0 present already`,
      expect.stringMatching(
        /^INFO cdr: the original's day files imported: 1 file\(s\), 7 records added, 0 present already \(\d+\.\d s\)$/,
      ),
    ]);
    const page = await store.page({ date: '2026-11-24', limit: 50 });
    expect(page.total).toBe(7);
    // The 34 columns read back as the original wrote them (its CSV and the record's, field for field).
    const written = readCsv(originalDay(rows));
    for (const [i, fields] of written.slice(1).entries()) {
      const r = store.get(id(i))!;
      const cell = (c: string): unknown => (r as unknown as Record<string, unknown>)[c];
      expect(ORIGINAL_COLUMNS.map((c) => (cell(c) === null ? '' : String(cell(c))))).toEqual(
        fields.map((f) => (f === '3.0' ? '3' : f)),
      );
    }
    expect(store.get(id(1))).toMatchObject({
      started_at: at(0, 38, 5, 727),
      answered_at: at(0, 38, 6, 230),
      ended_at: at(0, 38, 9, 230),
      setup_ms: 500,
      talk_ms: 3000,
      from_uri: 'sip:1001@127.0.0.1:15060',
      to_uri: 'sip:1002@127.0.0.1:15060',
      sip_call_id: '223961@127.0.0.1',
      end_reason: 'Normal',
    });
    expect(store.get(id(2))).toMatchObject({ answered_at: null, talk_ms: 0, end_reason: '486 Busy Here' });
    expect(store.get(id(4))).toMatchObject({ sip_call_id: '595219@127.0.0.1', talk_ms: null });
    expect(store.get(id(0))).toMatchObject({ aor: 'sip:1001@127.0.0.1:15060', started_at: at(0, 37, 52) });
    expect(store.get(id(6))).toMatchObject({ call_state: 'UNREGISTERED', end_reason: 'Unregistered' });
    expect(await store.stats('2026-11-24')).toMatchObject({
      total: 7,
      registers: 1,
      unregisters: 1,
      calls: 3,
    });
  });

  it('are read once; a file that grew is read again without doubling a row', async () => {
    const { db, store, day } = folder();
    const file = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    writeFileSync(file, originalDay([`${id(0)},${ORIGINAL_ROWS.register}`]));
    expect((await importOriginalCdr(store, settingsTable(db), keptLog())).added).toBe(1);
    expect(await importOriginalCdr(store, settingsTable(db), keptLog())).toEqual({
      files: 0,
      added: 0,
      present: 0,
      refused: 0,
    });
    appendFileSync(file, `${id(1)},${ORIGINAL_ROWS.unregister}\r\n`);
    expect(await importOriginalCdr(store, settingsTable(db), keptLog())).toEqual({
      files: 1,
      added: 1,
      present: 1,
      refused: 0,
    });
    expect(store.count()).toBe(2);
  });

  it('take a file set aside (cdr_<date>_before.csv), with LF line ends and a byte order mark', async () => {
    const { db, store, day } = folder();
    const row = `${id(0)},${ORIGINAL_ROWS.options.replaceAll('2026-11-24', '2026-11-25')}`;
    writeFileSync(join(day('2026-11-25'), 'cdr_2026-11-25_before.csv'), `\uFEFF${originalDay([row], '\n')}`);
    expect((await importOriginalCdr(store, settingsTable(db), keptLog())).added).toBe(1);
    expect((await store.page({ date: '2026-11-25' })).records.map((r) => r.record_type)).toEqual(['OPTIONS']);
  });

  it('leave out a row that is no record, naming it, and leave IMS Lab’s own day files alone', async () => {
    const { db, store, day } = folder();
    writeFileSync(
      join(day('2026-11-24'), 'cdr_2026-11-24.csv'),
      originalDay([
        `${id(0)},${ORIGINAL_ROWS.register}`,
        `${id(1)},CALL_START,STARTED,2026-11-24,${',,'.repeat(15)}`,
      ]),
    );
    writeFileSync(join(day('2026-11-26'), 'cdr_2026-11-26.csv'), CDR_CSV_HEADER);
    const log = keptLog();
    expect(await importOriginalCdr(store, settingsTable(db), log)).toEqual({
      files: 1,
      added: 1,
      present: 0,
      refused: 1,
    });
    expect(log.lines[1]).toMatch(
      /^WARNING cdr: .*cdr_2026-11-24\.csv: 1 rows are no records and were left out \(line 3: (record_type "CALL_START" is none of CALL, REGISTER, MESSAGE, OPTIONS|\d+ fields, not the original's 34)\)$/,
    );
  });

  // A row cut mid-field (a power loss during the original's append) was named by its data row ("row 2"),
  // while the file's line 3 held it (the header is line 1), and IMP USER names lines.
  it('names a row that is no record by its line in the file, as an editor shows it', async () => {
    const { db, store, day } = folder();
    const body = readCsv(`${id(1)},${ORIGINAL_ROWS.message}\r\n`)[0]!;
    body[ORIGINAL_COLUMNS.indexOf('message_body')] = 'two\r\nlines';
    const cut = `${id(0)},${ORIGINAL_ROWS.register}`.split(',').slice(0, 26).join(',');
    writeFileSync(
      join(day('2026-11-24'), 'cdr_2026-11-24.csv'),
      originalDay([`${id(0)},${ORIGINAL_ROWS.register}`, cut, csvLine(body), '', cut]),
    );
    const log = keptLog();
    expect(await importOriginalCdr(store, settingsTable(db), log)).toMatchObject({ added: 2, refused: 2 });
    // Line 1 the header, 2 the good row, 3 the cut one, 4-5 the MESSAGE with its body's line break, 6
    // blank, 7 the cut one again.
    expect(log.lines[1]).toMatch(
      /: 2 rows are no records and were left out \(line 3: 26 fields, not the original's 34; line 7: 26 fields, not the original's 34\)$/,
    );
  });

  it("name IMS Lab's own day file put back with records the database lacks (not imported), once; not one it has", async () => {
    const { db, store, day } = folder();
    const [kept] = store.insert([messageRecord(message())], at(0, 37, 52));
    const line = (recordId: string): string => cdrCsvLine({ ...kept!, record_id: recordId });
    // The day's file as IMS Lab wrote it, its records in the database: nothing to say.
    writeFileSync(join(day(kept!.date), `cdr_${kept!.date}.csv`), CDR_CSV_HEADER + line(kept!.record_id));
    // Another day's, put back from an archive after the database was replaced: 2 of its 3 records lacking.
    const restored = join(day('2026-11-20'), 'cdr_2026-11-20.csv');
    writeFileSync(
      restored,
      CDR_CSV_HEADER + line(kept!.record_id) + line('20261120101010000001') + line('20261120101010000002'),
    );
    const log = keptLog();
    expect((await importOriginalCdr(store, settingsTable(db), log)).files).toBe(0);
    expect(log.lines).toEqual([
      `WARNING cdr: ${restored}: IMS Lab's own day file (not the original's), 2 of its 3 records not in the database (a file put back from an archive?): not imported; only the original's day files are (their 34 columns); the records stay in this file, readable with a spreadsheet`,
    ]);
    expect(store.count()).toBe(1);
    await importOriginalCdr(store, settingsTable(db), log);
    expect(log.lines).toHaveLength(1); // once, until the file changes
  });

  it('name a day file of another layout once, instead of passing it over in silence', async () => {
    const { db, store, day } = folder();
    // An older layout without call_type and codec (the original's export/*.csv had 32 columns).
    const older = ORIGINAL_COLUMNS.filter((c) => c !== 'call_type' && c !== 'codec').join(',');
    writeFileSync(join(day('2026-11-27'), 'cdr_2026-11-27.csv'), `${older}\r\n${id(0)},REGISTER\r\n`);
    writeFileSync(join(day('2026-11-28'), 'cdr_2026-11-28.csv'), '');
    const log = keptLog();
    expect((await importOriginalCdr(store, settingsTable(db), log)).files).toBe(0);
    expect(log.lines).toEqual([
      expect.stringMatching(
        /^WARNING cdr: .*cdr_2026-11-27\.csv: left out: its header is not the original's 34 columns \(32 columns: record_id,record_type,/,
      ),
    ]);
    await importOriginalCdr(store, settingsTable(db), log);
    expect(log.lines).toHaveLength(1);
  });

  it('read a large file a slice at a time, a quoted line break across two slices kept whole', async () => {
    const { db, store, day } = folder();
    // About 2.5 MB: three slices of 1 MB. Each MESSAGE body holds a line break inside its quotes.
    const n = 12_000;
    const rows = Array.from(
      { length: n },
      (_, i) =>
        `${id(i)},${ORIGINAL_ROWS.message.replace('Hello 1002', `"line ${i}\r\nof a message ${'x'.repeat(60)}"`)}`,
    );
    writeFileSync(join(day('2026-11-24'), 'cdr_2026-11-24.csv'), originalDay(rows));
    expect(await importOriginalCdr(store, settingsTable(db), keptLog())).toEqual({
      files: 1,
      added: n,
      present: 0,
      refused: 0,
    });
    for (const i of [0, 4000, 5678, n - 1])
      expect(store.get(id(i))!.message_body).toBe(`line ${i}\r\nof a message ${'x'.repeat(60)}`);
  });

  it('read a file Excel saved on Chinese Windows (GBK) as such, saying so', async () => {
    const { db, store, day } = folder();
    // 你好，1002 in GBK: C4E3 BAC3 A3AC, then ASCII.
    const [before, after] = `${id(0)},${ORIGINAL_ROWS.message}`.split('Hello ');
    const gbk = Buffer.concat([
      Buffer.from(`${HEADER}\r\n${before}`),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac]),
      Buffer.from(`${after}\r\n`),
    ]);
    writeFileSync(join(day('2026-11-24'), 'cdr_2026-11-24.csv'), gbk);
    const log = keptLog();
    expect((await importOriginalCdr(store, settingsTable(db), log)).added).toBe(1);
    expect(store.get(id(0))!.message_body).toBe('你好，1002');
    expect(log.lines[0]).toMatch(/^WARNING cdr: .*cdr_2026-11-24\.csv: not UTF-8: read as GB18030 \(GBK/);
  });

  it("name a file whose header adds a column to the original's (it passed for IMS Lab's own)", async () => {
    const { db, store, day } = folder();
    writeFileSync(
      join(day('2026-11-24'), 'cdr_2026-11-24.csv'),
      `${HEADER},note\r\n${id(0)},${ORIGINAL_ROWS.register},x\r\n`,
    );
    const log = keptLog();
    expect((await importOriginalCdr(store, settingsTable(db), log)).files).toBe(0);
    expect(log.lines).toEqual([
      expect.stringMatching(
        /cdr_2026-11-24\.csv: left out: its header is not the original's 34 columns \(35 columns/,
      ),
    ]);
  });

  it('give a row whose record_id IMS Lab gave another record a new one, once (no row is lost or doubled)', async () => {
    const { db, store, day } = folder();
    const file = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    // IMS Lab's own row, numbered as the original numbered its REGISTER at the same second.
    const [ours] = store.insert([messageRecord(message())], at(0, 37, 52));
    expect(ours!.record_id).toBe(id(0));
    writeFileSync(file, originalDay([`${id(0)},${ORIGINAL_ROWS.register}`]));
    const log = keptLog();
    expect((await importOriginalCdr(store, settingsTable(db), log)).added).toBe(1);
    expect(store.count()).toBe(2);
    expect(store.get(id(0))!.record_type).toBe('MESSAGE'); // IMS Lab's keeps its id
    // The original's gets the next one of its own second, not one of the import's time.
    expect(store.get(id(1))!.record_type).toBe('REGISTER');
    // Read again (the file written anew): present already, not a third row.
    writeFileSync(file, originalDay([`${id(0)},${ORIGINAL_ROWS.register}`]));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await importOriginalCdr(store, settingsTable(db), log);
    expect(store.count()).toBe(2);
    expect((await store.page({ date: '2026-11-24', type: 'REGISTER' })).total).toBe(1);
  });

  it('give two rows of the original sharing a record_id (it restarted within that second) ids of that second', async () => {
    const { db, store, day } = folder();
    const file = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    writeFileSync(
      file,
      originalDay([
        `${id(0)},${ORIGINAL_ROWS.register}`,
        `${id(1)},${ORIGINAL_ROWS.message}`,
        // After the restart: another MESSAGE, its counter at 1 again.
        `${id(0)},${ORIGINAL_ROWS.message.replace('Hello', 'Again').replaceAll('595219@', '600001@')}`,
      ]),
    );
    expect((await importOriginalCdr(store, settingsTable(db), keptLog())).added).toBe(3);
    expect(store.get(id(0))!.record_type).toBe('REGISTER');
    expect(store.get(id(1))!.message_body).toContain('Hello');
    expect(store.get(id(2))!.message_body).toContain('Again'); // 20261124003752000003, its own second
    // IMS Lab's next id comes after it.
    const [next] = store.insert([messageRecord(message())], at(0, 37, 52));
    expect(next!.record_id).toBe(id(3));
  });

  it("move IMS Lab's next ids past the imported ones (an original hours ahead: its batches failed on them)", async () => {
    const { db, store, day } = folder();
    const soon = Date.now() + 3_600_000;
    const ahead = `${cdrStamp(soon)}000007`;
    writeFileSync(
      join(day('2026-11-24'), 'cdr_2026-11-24.csv'),
      originalDay([`${ahead},${ORIGINAL_ROWS.register}`]),
    );
    await importOriginalCdr(store, settingsTable(db), keptLog());
    const [next] = store.insert([messageRecord(message())], Date.now());
    expect(next!.record_id > ahead).toBe(true);
  });

  /** Imports the original's day of `n` REGISTER rows, running `during` as its first chunk of 100 is written. */
  async function importWith(n: number, during: (store: SqliteCdrStore) => Promise<unknown>) {
    const { db, store, day } = folder();
    const file = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    const rows = Array.from({ length: n }, (_, i) => `${id(i)},${ORIGINAL_ROWS.register}`);
    writeFileSync(file, originalDay(rows));
    const write = store.importNumbered.bind(store);
    let asked: Promise<unknown> | undefined;
    store.importNumbered = (records) => {
      const added = write(records);
      asked ??= Promise.resolve().then(() => during(store)); // the operator's command, as it arrives
      return added;
    };
    const log = keptLog();
    const result = await importOriginalCdr(store, settingsTable(db), log);
    return { store, file, settings: settingsTable(db), log, result, answer: await asked };
  }

  it('stop reading a file CLR CDR deletes meanwhile: none of its rows comes back after the clear', async () => {
    const { store, file, settings, log, result, answer } = await importWith(2000, (s) =>
      s.clear({ all: true }),
    );
    // The clear took the rows written so far and the file; the rest of it was not added after it.
    expect(answer).toEqual({ rows: 100, days: ['2026-11-24'] });
    expect(store.count()).toBe(0);
    expect(result).toEqual({ files: 0, added: 0, present: 0, refused: 0 });
    expect(log.lines).toEqual([
      `INFO cdr: ${file}, the original's day file: CLR CDR deleted it while it was read; not imported`,
    ]);
    // Not marked read: put back, it is imported again.
    expect(settings.get('cdr.original_import:2026-11-24/cdr_2026-11-24.csv')).toBeUndefined();
  });

  it('read a file to its end when CLR CDR BEFORE= meanwhile keeps its day', async () => {
    const { store, log, result, answer } = await importWith(2000, (s) => s.clear({ before: '2026-11-20' }));
    expect(answer).toEqual({ rows: 0, days: [] });
    expect(store.count()).toBe(2000);
    expect(result).toEqual({ files: 1, added: 2000, present: 0, refused: 0 });
    expect(log.lines).toEqual([
      expect.stringMatching(/: 2000 records added, 0 present already$/),
      expect.stringMatching(/^INFO cdr: the original's day files imported: 1 file\(s\), 2000 records added/),
    ]);
  });

  it('write 100 rows a turn of the event loop, in the turn after their slice was parsed, then say all are done', async () => {
    // The probe at start-up with 60 day files of 20,000 rows: SIP waited up to 0.5 s (p99 359 ms) while a
    // megabyte's parse and 500 rows' inserts ran in one turn.
    const { db, store, day } = folder();
    const rows = (date: string, from: number): string[] =>
      Array.from(
        { length: 1500 },
        (_, i) => `${id(from + i)},${ORIGINAL_ROWS.register.replace('2026-11-24', date)}`,
      );
    writeFileSync(join(day('2026-11-24'), 'cdr_2026-11-24.csv'), originalDay(rows('2026-11-24', 0)));
    writeFileSync(join(day('2026-11-25'), 'cdr_2026-11-25.csv'), originalDay(rows('2026-11-25', 1500)));
    parsed.turn = 0;
    parsed.turns.length = 0;
    let spinning = true;
    const spin = (): void => {
      parsed.turn++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const writes: { turn: number; rows: number }[] = [];
    const write = store.importNumbered.bind(store);
    store.importNumbered = (records) => (
      writes.push({ turn: parsed.turn, rows: records.length }),
      write(records)
    );
    const log = keptLog();
    const result = await importOriginalCdr(store, settingsTable(db), log);
    spinning = false;
    expect(result).toEqual({ files: 2, added: 3000, present: 0, refused: 0 });
    // At most 100 rows a write (a slice's last chunk fewer), each write in a turn of its own, and none in
    // a turn that parsed a slice.
    expect(Math.max(...writes.map((w) => w.rows))).toBe(100);
    expect(writes.reduce((n, w) => n + w.rows, 0)).toBe(3000);
    const turns = new Set(writes.map((w) => w.turn));
    expect(turns.size).toBe(writes.length);
    expect(parsed.turns.length).toBeGreaterThanOrEqual(2);
    expect(parsed.turns.filter((t) => turns.has(t))).toEqual([]);
    expect(log.lines.at(-1)).toMatch(
      /^INFO cdr: the original's day files imported: 2 file\(s\), 3000 records added, 0 present already \(\d+\.\d s\)$/,
    );
    // Nothing new at the next start: no line.
    const again = keptLog();
    await importOriginalCdr(store, settingsTable(db), again);
    expect(again.lines).toEqual([]);
  });

  it('name an entry that cannot be read and import the day files after it all the same', async () => {
    const { db, store, day } = folder();
    // A folder by a day file's name (it threw EISDIR, and no later day file was imported, at every start).
    const notFile = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    mkdirSync(notFile);
    writeFileSync(
      join(day('2026-11-24'), 'cdr_2026-11-24_before.csv'),
      originalDay([`${id(0)},${ORIGINAL_ROWS.register}`]),
    );
    const row = `${id(1)},${ORIGINAL_ROWS.options.replaceAll('2026-11-24', '2026-11-25')}`;
    writeFileSync(join(day('2026-11-25'), 'cdr_2026-11-25.csv'), originalDay([row]));
    const log = keptLog();
    expect(await importOriginalCdr(store, settingsTable(db), log)).toEqual({
      files: 2,
      added: 2,
      present: 0,
      refused: 0,
    });
    expect(log.lines[0]).toMatch(
      /^WARNING cdr: .*cdr_2026-11-24\.csv: left out, it cannot be read: not a regular file/,
    );
    expect(log.lines.slice(1)).toEqual([
      expect.stringMatching(
        /^INFO cdr: .*cdr_2026-11-24_before\.csv, the original's day file: 1 records added/,
      ),
      expect.stringMatching(/^INFO cdr: .*cdr_2026-11-25\.csv, the original's day file: 1 records added/),
      expect.stringMatching(/^INFO cdr: the original's day files imported: 2 file\(s\), 2 records added/),
    ]);
    expect(store.count()).toBe(2);
  });

  it('leave out a row with an impossible number or time, naming row and field (DSP CDR STAT said Infinity)', async () => {
    const { db, store, day } = folder();
    /** The call row of the fixtures with `column` set to `value`. */
    const callWith = (i: number, column: string, value: string): string => {
      const fields = readCsv(`${id(i)},${ORIGINAL_ROWS.call}\r\n`)[0]!;
      fields[ORIGINAL_COLUMNS.indexOf(column)] = value;
      return csvLine(fields);
    };
    const bad: [string, string, string][] = [
      ['duration', '-5', 'duration "-5" is no number of seconds'],
      ['duration', '1e308', 'duration "1e308" is no number of seconds'],
      ['duration', 'NaN', 'duration "NaN" is no number of seconds'],
      ['start_time', '25:61:61', 'start_time "25:61:61" is no HH:MM:SS'],
      ['answer_time', 'xx', 'answer_time "xx" is no HH:MM:SS'],
      ['caller_port', '99999999999', 'caller_port "99999999999" is no port (0..65535)'],
      ['status_code', 'abc', 'status_code "abc" is no SIP status code (100..699)'],
      ['expires', '-1', 'expires "-1" is no number of seconds'],
      ['setup_time', 'soon', 'setup_time "soon" is no number of seconds like 0.50s'],
    ];
    const rows = [
      `${id(0)},${ORIGINAL_ROWS.call}`,
      ...bad.map(([column, value], i) => callWith(i + 1, column, value)),
    ];
    for (const [i, [, , why]] of bad.entries())
      expect(originalRecord(readCsv(`${rows[i + 1]!}\r\n`)[0]!)).toBe(why);
    writeFileSync(join(day('2026-11-24'), 'cdr_2026-11-24.csv'), originalDay(rows));
    const log = keptLog();
    expect(await importOriginalCdr(store, settingsTable(db), log)).toEqual({
      files: 1,
      added: 1,
      present: 0,
      refused: bad.length,
    });
    expect(log.lines[1]).toBe(
      `WARNING cdr: ${join(store.archive.root, '2026-11-24', 'cdr_2026-11-24.csv')}: ${bad.length} rows are no records and were left out (line 3: ${bad[0]![2]}; line 4: ${bad[1]![2]}; line 5: ${bad[2]![2]})`,
    );
    expect(await store.stats('2026-11-24')).toMatchObject({ total: 1, calls: 1 });
  });

  it('import again a day file put back after CLR CDR cleared its rows (its size and time unchanged)', async () => {
    const { db, store, day } = folder();
    const file = join(day('2026-11-24'), 'cdr_2026-11-24.csv');
    const text = originalDay([`${id(0)},${ORIGINAL_ROWS.register}`]);
    writeFileSync(file, text);
    const when = statSync(file).mtime;
    expect((await importOriginalCdr(store, settingsTable(db), keptLog())).added).toBe(1);
    await store.clear({ before: '2026-11-25' });
    expect(store.count()).toBe(0);
    mkdirSync(join(store.archive.root, '2026-11-24'), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, when, when); // as cp -a restores it
    expect((await importOriginalCdr(store, settingsTable(db), keptLog())).added).toBe(1);
  });
});
