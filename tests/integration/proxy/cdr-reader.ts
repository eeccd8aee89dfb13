// Reading the CDR a server wrote, the way an operator's script would: the SQLite file
// <dataDir>/ims-lab.db (table cdr, opened read-only beside the running server) and the daily CSV
// archive <dataDir>/CDR/<date>/cdr_<date>.csv. Rows are committed within about 200 ms of their event,
// so tests wait for the row they expect (bounded) and then compare it exactly.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CdrRecord } from '../../../core/cdr/record';
import { readCsv } from '../../support/csv';

export const DB_FILE = 'ims-lab.db';

/** Every row of the cdr table, oldest first; [] while the table does not exist yet. */
export function cdrRows(dataDir: string): CdrRecord[] {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'cdr'").get();
    if (table === undefined) return [];
    return db.prepare('SELECT * FROM cdr ORDER BY started_at, record_id').all() as CdrRecord[];
  } finally {
    db.close();
  }
}

/**
 * The rows of a database left behind by a killed server, read from a copy (database, -wal and -shm) so
 * that SQLite's WAL recovery touches nothing of the original. Also returns PRAGMA integrity_check.
 */
export function cdrRowsAfterCrash(dataDir: string): { rows: CdrRecord[]; integrity: string } {
  const copy = mkdtempSync(join(tmpdir(), 'ims-cdr-copy-'));
  try {
    for (const suffix of ['', '-wal', '-shm']) {
      const from = join(dataDir, DB_FILE + suffix);
      if (existsSync(from)) copyFileSync(from, join(copy, DB_FILE + suffix));
    }
    const db = new Database(join(copy, DB_FILE), { fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true }) as string;
      const rows = db.prepare('SELECT * FROM cdr ORDER BY started_at, record_id').all() as CdrRecord[];
      return { rows, integrity };
    } finally {
      db.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** CALL/MESSAGE rows of one SIP Call-ID. */
export function rowsOf(dataDir: string, callId: string, type?: CdrRecord['record_type']): CdrRecord[] {
  return cdrRows(dataDir).filter(
    (r) => r.sip_call_id === callId && (type === undefined || r.record_type === type),
  );
}

/**
 * Waits until `count` rows of this Call-ID (and type) are committed, then waits `settleMs` more and
 * returns them all, so that a row written twice would be seen too. Throws after `timeoutMs`.
 */
export async function waitForRows(
  dataDir: string,
  callId: string,
  type: CdrRecord['record_type'],
  { count = 1, timeoutMs = 2000, settleMs = 300 } = {},
): Promise<CdrRecord[]> {
  const deadline = Date.now() + timeoutMs;
  while (rowsOf(dataDir, callId, type).length < count) {
    if (Date.now() > deadline) {
      const all = cdrRows(dataDir).map((r) => `${r.record_type} ${r.call_state} ${r.sip_call_id}`);
      throw new Error(
        `no ${count} ${type} row(s) for Call-ID ${callId} within ${timeoutMs} ms; rows:\n${all.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, settleMs));
  return rowsOf(dataDir, callId, type);
}

/** The one row of a call or message (fails the test if there are more). */
export async function theRow(
  dataDir: string,
  callId: string,
  type: CdrRecord['record_type'] = 'CALL',
): Promise<CdrRecord> {
  const rows = await waitForRows(dataDir, callId, type);
  if (rows.length !== 1) throw new Error(`expected one ${type} row for ${callId}, got ${rows.length}`);
  return rows[0]!;
}

/** The CSV archive's lines for a day as field lists (RFC 4180, CRLF line ends), header first. */
export function csvDay(dataDir: string, date: string): string[][] {
  const file = join(dataDir, 'CDR', date, `cdr_${date}.csv`);
  if (!existsSync(file)) return [];
  return readCsv(readFileSync(file, 'utf8'));
}

/** Every day folder of the CSV archive. */
export function csvDays(dataDir: string): string[] {
  const root = join(dataDir, 'CDR');
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
}

/** HH:MM:SS.mmm (invite/ringing/answer/bye_time). */
export const TIME_MS = /^\d{2}:\d{2}:\d{2}\.\d{3}$/;
