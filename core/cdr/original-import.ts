// The original's CDR day files (CDR/<date>/cdr_<date>.csv, its 34 columns; one set aside as
// cdr_<date>_before.csv when IMS Lab took over that day) in IMS Lab's store, so that DSP CDR, DSP CDR
// STAT, EXP CDR and the CDR browser find the calls made before the move (original-server.md §3.1-3.2).
// Run at every start, in the background, a slice of rows at a time (day-file-rows.ts): a file is read
// once (its size and time are kept in the settings table; a file that changed is read again), its rows
// inserted by their own record_id, so a row already there is not doubled (cdr-store.ts importNumbered:
// an id IMS Lab gave another record meanwhile gets the row a new one). A file with another header (an
// older layout, one edited by hand, a column added) is named in the log once and left out. IMS Lab's own
// day files (its 54 columns) are not imported: they are the database's copy; one whose records the
// database lacks (put back from an archive after the database was lost) is named in a warning, so that
// a CDR view left empty is explained. The files themselves stay as they are.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { SettingsTable } from '../store/settings-table';
import { IMPORTED, type SqliteCdrStore } from './cdr-store';
import { dayFileEncoding, dayFileRows } from './day-file-rows';
import type { CsvLines } from './csv-read';
import { ORIGINAL_COLUMNS, originalRecord } from './original-record';
import { CDR_COLUMNS, type CdrRecord } from './record';
import { nextTurn } from '../observe/next-turn';

const DAY_FILE = /^cdr_(\d{4}-\d{2}-\d{2})(?:_before(?:-\d+)?)?\.csv$/;
/**
 * Rows per transaction; the loop runs other work between two. 100: a few ms to make into records and
 * insert (500 took 25-45 ms in one turn on a loaded machine, SIP waiting meanwhile).
 */
const CHUNK = 100;
/** Problems named per file in the log, at most. */
const NAMED_PROBLEMS = 3;

export interface OriginalImportLog {
  info(text: string): void;
  warning(text: string): void;
}

export interface OriginalImportResult {
  files: number;
  /** Rows added to the store. */
  added: number;
  /** Rows the store had already (same record_id). */
  present: number;
  /** Rows that could not be records. */
  refused: number;
}

/** IMS Lab's own columns after the original's (any version's: a newer one has more). */
const OURS: ReadonlySet<string> = new Set(CDR_COLUMNS.slice(ORIGINAL_COLUMNS.length));

/**
 * What a day file is by its header: the original's (its 34 names), IMS Lab's own (those 34 and some of
 * its own after them; its rows are in the store), or something else (an older layout, a file edited by
 * hand, a column added), which is named in the log rather than passed over in silence.
 */
function headerKind(header: readonly string[]): 'original' | 'ours' | 'other' {
  const n = ORIGINAL_COLUMNS.length;
  if (header.length < n || ORIGINAL_COLUMNS.some((name, i) => header[i] !== name)) return 'other';
  if (header.length === n) return 'original';
  return header.slice(n).every((name) => OURS.has(name)) ? 'ours' : 'other';
}

/**
 * Whether `file` is still the one `stat` described: CLR CDR may have deleted it (its folder) while it
 * was read, and the recorder written a new day file of that name since.
 */
function stillThere(file: string, stat: Stats): boolean {
  const now = statSync(file, { throwIfNoEntry: false });
  return now !== undefined && now.ino === stat.ino && now.dev === stat.dev;
}

/**
 * Imports every original day file not imported yet (or changed since), until `signal` aborts. Each
 * chunk is written, and a file marked read, as the store's maintenance (cdr-store.ts maintain): never
 * during a clear; and a clear that deleted the file being read ends its reading, lest its remaining rows
 * come back after the clear said it deleted them all.
 */
export async function importOriginalCdr(
  store: SqliteCdrStore,
  settings: SettingsTable,
  log: OriginalImportLog,
  signal?: AbortSignal,
): Promise<OriginalImportResult> {
  const started = performance.now();
  let result: OriginalImportResult;
  try {
    result = await importAll(store, settings, log, signal);
  } finally {
    store.importing = undefined;
  }
  // README and DSP CDR's partial note tell the operator to wait for the log to say it is done.
  if (result.files > 0 && signal?.aborted !== true)
    log.info(
      `cdr: the original's day files imported: ${result.files} file(s), ${result.added} records added, ` +
        `${result.present} present already` +
        (result.refused > 0 ? `, ${result.refused} rows left out` : '') +
        ` (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  return result;
}

async function importAll(
  store: SqliteCdrStore,
  settings: SettingsTable,
  log: OriginalImportLog,
  signal?: AbortSignal,
): Promise<OriginalImportResult> {
  const result: OriginalImportResult = { files: 0, added: 0, present: 0, refused: 0 };
  const archive = store.archive;
  for (const day of archive.days()) {
    const folder = join(archive.root, day);
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // cleared since listed
      log.warning(`cdr: ${folder}: left out, it cannot be read: ${(err as Error).message}`);
      continue;
    }
    for (const name of names) {
      if (DAY_FILE.exec(name)?.[1] !== day) continue;
      const file = join(folder, name);
      // One entry that cannot be read (a folder or a FIFO by a day file's name, a file without read
      // permission) is named and passed over: the day files after it are imported all the same.
      try {
        if (await importDayFile(store, settings, log, signal, day, name, result)) return result;
      } catch (err) {
        log.warning(
          `cdr: ${file}: left out, it cannot be read: ${(err as Error).message} (the other day files are imported)`,
        );
      }
    }
  }
  return result;
}

/**
 * Imports one day file into `result` (counted once read to its end); true when `signal` stopped it.
 * Throws when the file cannot be read.
 */
async function importDayFile(
  store: SqliteCdrStore,
  settings: SettingsTable,
  log: OriginalImportLog,
  signal: AbortSignal | undefined,
  day: string,
  name: string,
  result: OriginalImportResult,
): Promise<boolean> {
  const file = join(store.archive.root, day, name);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return false; // cleared since listed
  // A FIFO by a day file's name blocked the open below, and with it the whole server (SIP, console,
  // SIGTERM); a folder threw EISDIR. Not read: named, as IMP USER names such a FILE.
  if (!stat.isFile()) throw new Error('not a regular file');
  const key = `${IMPORTED}${day}/${name}`;
  const seen = `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
  if (settings.get(key) === seen) return false;
  const encoding = await dayFileEncoding(file);
  // Opened again below, in this same turn: still there, or cleared while its encoding was read.
  if (!stillThere(file, stat)) return false;
  const problems: string[] = [];
  let kind: ReturnType<typeof headerKind> | undefined; // known with the first row
  let rowCount = 0;
  let added = 0;
  let refused = 0;
  let missing = 0;
  let cleared = false;
  // Each row's line in the file, to name a bad one as an editor shows it (IMP USER names lines too).
  const lines: CsvLines = { next: 1, rows: [] };
  reading: for await (const slice of dayFileRows(file, encoding, lines)) {
    let rows = slice;
    let rowLines = lines.rows;
    if (kind === undefined) {
      if (rows.length === 0) continue;
      const header = rows[0]!;
      kind = headerKind(header);
      if (kind === 'other')
        log.warning(
          `cdr: ${file}: left out: its header is not the original's ${ORIGINAL_COLUMNS.length} columns (${header.length} columns: ${header.join(',').slice(0, 120)})`,
        );
      if (kind === 'other') break;
      if (kind === 'original' && encoding !== 'utf-8')
        log.warning(`cdr: ${file}: not UTF-8: read as GB18030 (GBK, as Excel saves CSV on Chinese Windows)`);
      rows = rows.slice(1);
      rowLines = rowLines.slice(1);
    }
    if (kind === 'ours') {
      // IMS Lab's own day file: its rows are the database's copy, not read into it. One put back
      // from an archive (a database lost or replaced) holds rows the database lacks: said below.
      for (const fields of rows) if (store.get(fields[0] ?? '') === undefined) missing++;
      rowCount += rows.length;
      await nextTurn();
      if (signal?.aborted === true) return true;
      continue;
    }
    for (let from = 0; from < rows.length; from += CHUNK) {
      const records: CdrRecord[] = [];
      rows.slice(from, from + CHUNK).forEach((fields, i) => {
        const r = originalRecord(fields);
        if (typeof r !== 'string') records.push(r);
        else if (refused++ < NAMED_PROBLEMS) problems.push(`line ${rowLines[from + i]}: ${r}`);
      });
      cleared = await store.maintain(() => {
        if (!stillThere(file, stat)) return true;
        added += store.importNumbered(records);
        store.importing = { file: name, rows: added };
        return false;
      });
      if (cleared) break reading;
      await nextTurn();
      // Stopping: the file is read again at the next start (its rows added so far are not doubled).
      if (signal?.aborted === true) return true;
    }
    rowCount += rows.length;
  }
  // Named once (a header not the original's), or read: again when the file changes. Empty: nothing.
  if (kind === undefined) return false;
  cleared ||= await store.maintain(() => {
    if (!stillThere(file, stat)) return true;
    settings.put(key, seen);
    return false;
  });
  if (kind === 'ours' && missing > 0 && !cleared)
    log.warning(
      `cdr: ${file}: IMS Lab's own day file (not the original's), ${missing} of its ${rowCount} records ` +
        `not in the database (a file put back from an archive?): not imported; only the original's day ` +
        `files are (their 34 columns); the records stay in this file, readable with a spreadsheet`,
    );
  if (kind !== 'original') return false;
  if (cleared) {
    log.info(`cdr: ${file}, the original's day file: CLR CDR deleted it while it was read; not imported`);
    return false;
  }
  result.files++;
  result.added += added;
  result.present += rowCount - refused - added;
  result.refused += refused;
  log.info(
    `cdr: ${file}, the original's day file: ${added} records added, ${rowCount - refused - added} present already`,
  );
  if (refused > 0)
    log.warning(`cdr: ${file}: ${refused} rows are no records and were left out (${problems.join('; ')})`);
  return false;
}
