// CDR rows a stop could not commit to the database (a full disk, a read-only folder): kept in a file beside
// it, cdr-unwritten.json, which the next start writes to the database before anything else (the recorder's
// importSpilled), each row with its own end. Before, a stop on a full disk logged "stopping with N records
// not written" and the rows, acknowledged to SIP long before, were gone.
//
// A full disk has no room for that file either: its room is taken at start, a reserve file of
// RESERVE_BYTES (.cdr-unwritten.reserve, real blocks, not a sparse file) which the stop writes over in
// place (no new block needed up to its size) and then renames; the next start, once the rows are in the
// database, makes a new reserve. The file names the journal's calls its rows stand for: the start
// removes them from the journal of calls in progress (live-calls.ts) with the rows, so that they are not
// also recorded as cut by an unclean stop.
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { CDR_COLUMNS, type CdrRecord } from './record';

export const SPILL_FILE = 'cdr-unwritten.json';
export const RESERVE_FILE = '.cdr-unwritten.reserve';
/** About 3,000 rows (about 330 bytes each in the file). */
export const RESERVE_BYTES = 1024 * 1024;

/** What a stop kept. */
export interface SpilledRows {
  /** Numbered (record_id set): imported as numbered rows, so that importing twice adds nothing. */
  rows: CdrRecord[];
  /** Ids of the journal's calls these rows stand for (all the calls journaled when the stop began). */
  journal: string[];
}

interface SpillText {
  version: 1;
  columns: readonly string[];
  journal: string[];
  rows: unknown[][];
}

export class CdrSpill {
  readonly file: string;
  readonly #reserve: string;
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.file = join(dataDir, SPILL_FILE);
    this.#reserve = join(dataDir, RESERVE_FILE);
  }

  /** Makes the reserve file unless there; throws the file system's error (a full disk). */
  reserve(): void {
    if (existsSync(this.#reserve) && statSync(this.#reserve).size >= RESERVE_BYTES) return;
    const tmp = `${this.#reserve}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        const zeros = Buffer.alloc(64 * 1024);
        for (let at = 0; at < RESERVE_BYTES;) at += writeSync(fd, zeros, 0, zeros.length, at);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.#reserve);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** What a stop kept, undefined when nothing; throws when the file cannot be read or is not one. */
  read(): SpilledRows | undefined {
    if (!existsSync(this.file)) return undefined;
    const text = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SpillText>;
    if (text.version !== 1 || !Array.isArray(text.columns) || !Array.isArray(text.rows))
      throw new Error(`${this.file} is not a file of CDR rows IMS Lab wrote`);
    const columns = text.columns;
    const rows = text.rows.map((values) => {
      const row: Record<string, unknown> = {};
      columns.forEach((c, i) => (row[c] = values[i] ?? null));
      return row as unknown as CdrRecord;
    });
    return { rows, journal: Array.isArray(text.journal) ? text.journal.map(String) : [] };
  }

  /**
   * Keeps `spilled` (with what the file holds already, not imported yet): written over the reserve in
   * place, synced, then renamed to the file. Throws the file system's error; the file is then as it was.
   */
  write(spilled: SpilledRows): void {
    const before = this.read();
    const all: SpilledRows =
      before === undefined
        ? spilled
        : { rows: [...before.rows, ...spilled.rows], journal: [...before.journal, ...spilled.journal] };
    const text: SpillText = {
      version: 1,
      columns: CDR_COLUMNS,
      journal: all.journal,
      rows: all.rows.map((r) => CDR_COLUMNS.map((c) => r[c] ?? null)),
    };
    const data = Buffer.from(JSON.stringify(text));
    const into = existsSync(this.#reserve) ? this.#reserve : `${this.file}.${process.pid}.tmp`;
    try {
      const fd = openSync(into, into === this.#reserve ? 'r+' : 'w', 0o600);
      try {
        for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at, at);
        ftruncateSync(fd, data.length);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(into, this.file);
    } catch (err) {
      if (into !== this.#reserve) rmSync(into, { force: true });
      throw err;
    }
    syncFolder(this.#dir);
  }

  /** The rows are in the database now. */
  remove(): void {
    rmSync(this.file, { force: true });
  }
}

/** The folder's entry for a renamed file on disk too (a power cut after the stop keeps it). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system syncs a folder; the file's own content is synced already.
  }
}
