// The original's CDR day files (CDR/<date>/cdr_<date>.csv, its 34 columns; one set aside as
// cdr_<date>_before.csv when IMS Lab took over that day) in IMS Lab's store, so that DSP CDR, DSP CDR
// STAT, EXP CDR and the CDR browser find the calls made before the move (original-server.md §3.1-3.2).
// Run at every start, in the background: a file is read once (its size and time are kept in the settings
// table; a file that changed is read again), its rows inserted by their own record_id, so a row already
// there is not doubled. A file with another header (an older layout, one edited by hand) is named in the
// log once and left out. The files themselves stay as they are: they are the original's archive.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsTable } from '../store/settings-table';
import type { SqliteCdrStore } from './cdr-store';
import { parseCsv } from './csv-read';
import { ORIGINAL_COLUMNS, originalRecord } from './original-record';
import type { CdrRecord } from './record';

const DAY_FILE = /^cdr_(\d{4}-\d{2}-\d{2})(?:_before(?:-\d+)?)?\.csv$/;
const SETTING_PREFIX = 'cdr.original_import:';
/** Rows per transaction; the loop runs other work between two. */
const CHUNK = 500;
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

const letOthersRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The first line of a day file, without a byte order mark. */
function headerLine(text: string): string {
  const end = text.search(/\r|\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
}

/**
 * What a day file is by its header: the original's (its 34 names), IMS Lab's own (those 34 and its
 * own after them, whatever its version; its rows are in the store), empty, or something else (an
 * older layout, a file edited by hand), which is named in the log rather than passed over in silence.
 */
function dayFileKind(text: string): 'original' | 'ours' | 'empty' | 'other' {
  const header = headerLine(text);
  const original = ORIGINAL_COLUMNS.join(',');
  if (header === original) return 'original';
  if (header.startsWith(`${original},`)) return 'ours';
  return text.trim() === '' ? 'empty' : 'other';
}

/** Imports every original day file not imported yet (or changed since), until `signal` aborts. */
export async function importOriginalCdr(
  store: SqliteCdrStore,
  settings: SettingsTable,
  log: OriginalImportLog,
  signal?: AbortSignal,
): Promise<OriginalImportResult> {
  const result: OriginalImportResult = { files: 0, added: 0, present: 0, refused: 0 };
  const archive = store.archive;
  for (const day of archive.days()) {
    const folder = join(archive.root, day);
    for (const name of readdirSync(folder).sort()) {
      if (DAY_FILE.exec(name)?.[1] !== day) continue;
      const file = join(folder, name);
      const stat = statSync(file);
      const key = `${SETTING_PREFIX}${day}/${name}`;
      const seen = `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
      if (settings.get(key) === seen) continue;
      const text = readFileSync(file, 'utf8');
      const kind = dayFileKind(text);
      if (kind === 'other') {
        const header = headerLine(text);
        log.warning(
          `cdr: ${file}: left out: its header is not the original's ${ORIGINAL_COLUMNS.length} columns (${header.split(',').length} columns: ${header.slice(0, 120)})`,
        );
        settings.put(key, seen); // named once; again when the file changes
      }
      if (kind !== 'original') continue;
      const rows = parseCsv(text).slice(1);
      const problems: string[] = [];
      let added = 0;
      let refused = 0;
      for (let from = 0; from < rows.length; from += CHUNK) {
        const records: CdrRecord[] = [];
        rows.slice(from, from + CHUNK).forEach((fields, i) => {
          const r = originalRecord(fields);
          if (typeof r !== 'string') records.push(r);
          else if (refused++ < NAMED_PROBLEMS) problems.push(`row ${from + i + 1}: ${r}`);
        });
        added += store.importNumbered(records);
        await letOthersRun();
        // Stopping: the file is read again at the next start (its rows added so far are not doubled).
        if (signal?.aborted === true) return result;
      }
      settings.put(key, seen);
      result.files++;
      result.added += added;
      result.present += rows.length - refused - added;
      result.refused += refused;
      log.info(
        `cdr: ${file}, the original's day file: ${added} records added, ${rows.length - refused - added} present already`,
      );
      if (refused > 0)
        log.warning(
          `cdr: ${file}: ${refused} rows are no records and were left out (${problems.join('; ')})`,
        );
    }
  }
  return result;
}
