// `node core/server.js users import <file> [--upsert]`: imports users (the original's data/users.json,
// or a list of { username, password, ... }) into IMS_DATA_DIR's database. It works beside a running
// server (SQLite WAL: one writer at a time, readers unaffected); all or nothing. A database of an older
// schema is refused, not upgraded: the server running beside may be the older IMS Lab that wrote it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_IMPORT_BYTES } from '../mml/import-limit';
import { utf8Text } from '../config/text-file';
import { loadSettings } from '../config/settings';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../store/database';
import { StoreError } from '../store/types';
import { SqliteUserStore } from '../store/users';
import { startupFault } from './startup-fault';

export const USERS_IMPORT_USAGE = 'usage: node core/server.js users import <users.json> [--upsert]';

/**
 * The file's text, checked first as IMP USER checks it: a regular file (a device or a FIFO reports no
 * size: /dev/zero was read until the host ran out of memory) of at most 64 MB, UTF-8.
 */
function readImportFile(file: string): string {
  const stat = statSync(file);
  if (!stat.isFile()) throw new Error('not a regular file');
  if (stat.size > MAX_IMPORT_BYTES) throw new Error(`${stat.size} bytes; at most 64 MB is read`);
  return utf8Text(readFileSync(file), (problem) => new Error(`${problem}: save it as UTF-8`));
}

/**
 * Runs the command; returns the process exit code (0 done, 1 refused: bad entries, 2 nothing could be
 * done: usage, a file that cannot be read or is not UTF-8, the configuration, an older database), as the
 * mml client says a file it cannot read (README).
 */
export function usersImport(args: string[], dataDir: string, out: NodeJS.WritableStream): number {
  const upsert = args.includes('--upsert');
  const files = args.filter((a) => a !== '--upsert');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    out.write(`${USERS_IMPORT_USAGE}\n`);
    return 2;
  }
  let json: string;
  try {
    json = readImportFile(files[0]!);
  } catch (err) {
    out.write(`users import: cannot read ${files[0]}: ${(err as Error).message}\n`);
    return 2;
  }
  // A SIPp injection file (SEQUENTIAL, RANDOM or USER first, as IMP USER takes) is no JSON: said so,
  // rather than "not valid JSON (Unexpected token 'S')".
  if (/^\s*(SEQUENTIAL|RANDOM|USER)\b/i.test(json)) {
    out.write(
      `users import: ${files[0]} is a SIPp CSV (its first line ${json.trimStart().split(/\r?\n/, 1)[0]!.slice(0, 40)}): ` +
        'this command reads JSON; import it with IMP USER FILE=<file> in the data folder\n',
    );
    return 2;
  }
  // A data folder is made by the server's first start, which says where (its first line, the default
  // users); an import into a folder that is not there is a mistyped IMS_DATA_DIR far more often than a new
  // installation, and made a database nobody would serve, saying only "1 added".
  if (!existsSync(dataDir)) {
    out.write(
      `users import: the data folder ${dataDir} does not exist (IMS_DATA_DIR): nothing was imported; ` +
        'start IMS Lab once on it (its first start makes it), or create the folder, to import into a new one\n',
    );
    return 2;
  }
  const isNew = !existsSync(join(dataDir, DATABASE_FILE));
  let realm: string;
  try {
    realm = loadSettings(dataDir).str('AUTH.REALM');
  } catch (err) {
    out.write(`users import: configuration error: ${(err as Error).message}\n`);
    return 2;
  }
  let db;
  try {
    db = openDatabase(dataDir, { upgrade: false });
  } catch (err) {
    const fault = startupFault(err, dataDir);
    if (fault === undefined) throw err;
    out.write(`users import: ${fault}\n`);
    return 2;
  }
  try {
    const users = new SqliteUserStore(db, dataDir, { realm });
    const started = Date.now();
    const r = users.importOriginal(json, upsert ? 'upsert' : 'add');
    out.write(
      (isNew ? `users import: note: ${dataDir} held no database: a new one was made\n` : '') +
        `users import: ${r.added} added, ${r.updated} updated in ${Date.now() - started} ms; ${users.count()} users\n` +
        (r.notes ?? []).map((n) => `users import: note: ${n}\n`).join(''),
    );
    return 0;
  } catch (err) {
    // What no entry caused (a secret.key missing or another folder's, which decrypts no password; a full
    // disk, a damaged database): nothing could be done (2), as at a start, not an entry refused (1).
    const fault = err instanceof StoreError ? undefined : startupFault(err, dataDir);
    if (fault !== undefined) {
      out.write(`users import: ${fault}; nothing was imported\n`);
      return 2;
    }
    // The store names the file as the original's users.json: here it is the file given.
    const message = (err as Error).message.replace(/^users\.json: /, `${files[0]}: `);
    out.write(`users import: ${message}; nothing was imported\n`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}
