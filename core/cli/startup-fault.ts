// What stops a start: the errors an operator can act on (a bad setting, a data folder the appliance
// cannot use, a database it cannot open), put in one line that names the setting, folder or file, for
// the headless server and the offline CLI to print before they exit 2. Anything else is a defect: its
// stack is printed (undefined here).
import { accessSync, closeSync, constants, openSync, statfsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { sizeText } from '../observe/amounts';
import { openFilesLimit } from '../observe/resource-watch';
import { SettingError } from '../config/settings';
import { DATABASE_FILE } from '../store/database';
import {
  damageAdviceFor,
  DatabaseDamagedError,
  damagedFile,
  isDatabaseDamage,
} from '../store/database-damage';
import { FolderLockedError } from '../store/folder-lock';
import { BlankInDataFolderError } from '../store/data-folder-name';
import { MigrationError } from '../store/migrations';
import { SecretError } from '../store/secret';
import { notWritable, NotWritableError } from '../store/writable';
import { SQLITE_BINDING_VARIABLE, sqliteBinding } from '../store/sqlite-binding';

/** File-system faults of the data folder, in words. */
const FOLDER_FAULTS: Readonly<Record<string, string>> = {
  EEXIST: 'it is a file, not a folder',
  ENOTDIR: 'a part of it is a file, not a folder',
  EACCES: "this user may not write there (check the folder's owner and permissions)",
  EPERM: "this user may not write there (check the folder's owner and permissions)",
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  // mkdir -p under a read-only mount answers ENOENT, not EROFS.
  ENOENT: 'it cannot be created there (a read-only mount, or a folder above it is missing)',
};

export function startupFault(err: unknown, dataDir: string): string | undefined {
  // No descriptor left (a low `ulimit -n`) is no setting's fault, also when a setting's check met it
  // (SIP_PORT's bind: "bind EMFILE"): the limit is named.
  const short = descriptorShortage(err);
  if (short !== undefined) return tooManyOpenFiles(short, (err as Error).message);
  if (err instanceof SettingError) return `configuration error: ${err.message}`;
  if (
    err instanceof MigrationError ||
    err instanceof FolderLockedError ||
    err instanceof BlankInDataFolderError ||
    err instanceof SecretError ||
    err instanceof DatabaseDamagedError ||
    err instanceof NotWritableError
  )
    return err.message;
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return undefined;
  // better-sqlite3's native module built for another runtime: rebuilt for Electron in place by
  // `npm run dist`, or for Node where Electron loads it (sqlite-binding.ts).
  if (e.code === 'ERR_DLOPEN_FAILED')
    return `SQLite's native module cannot be loaded: ${dlopenFault(e.message)}`;
  const binding = sqliteBinding();
  if (e.code === 'MODULE_NOT_FOUND' && binding !== undefined && e.message.includes(binding))
    return `${SQLITE_BINDING_VARIABLE}=${binding}: no such file (the launcher's build of better-sqlite3 for Electron)`;
  // better-sqlite3's SqliteError: its code is SQLite's (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_NOTADB...).
  const file = join(dataDir, DATABASE_FILE);
  if (isDatabaseDamage(e)) {
    const damaged = damagedFile(e, file);
    return `database ${damaged}: ${e.message} (${e.code}): ${damageAdviceFor(damaged, file)}`;
  }
  // SQLite says "unable to open database file" when no descriptor was left to open it with (ulimit -n 20).
  if (e.code === 'SQLITE_CANTOPEN' && noDescriptorLeft())
    return tooManyOpenFiles('EMFILE', `database ${file}: ${e.message} (${e.code})`);
  if (e.code.startsWith('SQLITE_')) {
    // SQLite's words say what failed, not why: a read-only mount answers "unable to open database file"
    // or "attempt to write a readonly database", a full disk "disk I/O error" (the WAL index cannot grow).
    const folder = folderFault(dataDir, e.code);
    if (folder !== undefined)
      return `data folder IMS_DATA_DIR=${dataDir} cannot be used: ${folder} (database ${file}: ${e.message}, ${e.code})`;
    const owner = fileOwnerFault(file, e.code);
    if (owner !== undefined) return `database ${file}: ${e.message} (${e.code}): ${owner}`;
    return `database ${file}: ${e.message} (${e.code})`;
  }
  const why = FOLDER_FAULTS[e.code];
  if (why !== undefined && typeof e.path === 'string') {
    return `data folder IMS_DATA_DIR=${dataDir} cannot be used: ${e.path}: ${why} (${e.code})`;
  }
  return undefined;
}

const SHORTAGE = new Set(['EMFILE', 'ENFILE']);
const errnos = osConstants.errno;

/**
 * The code when the fault, or the one it wraps (a listener's bind error), is a lack of file descriptors;
 * Node's SystemError (os.networkInterfaces: "uv_interface_addresses returned Unknown system error 24")
 * has only the number.
 */
function descriptorShortage(err: unknown): string | undefined {
  type Fault = NodeJS.ErrnoException & { cause?: unknown; info?: { errno?: number } };
  let e = err as Fault | undefined;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (typeof e.code === 'string' && SHORTAGE.has(e.code)) return e.code;
    const errno = Math.abs(e.info?.errno ?? 0);
    if (errno === errnos.EMFILE) return 'EMFILE';
    if (errno === errnos.ENFILE) return 'ENFILE';
    e = e.cause as Fault | undefined;
  }
  return undefined;
}

/**
 * Whether this process is (nearly) out of descriptors: SQLite does not say why it could not open the
 * database, and a failed open gives back what it took, so fewer than the database's three (the file, its
 * -wal and -shm) left counts as out.
 */
function noDescriptorLeft(): boolean {
  const fds: number[] = [];
  try {
    for (let i = 0; i < 3; i++) fds.push(openSync('/dev/null', 'r'));
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EMFILE';
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

function tooManyOpenFiles(code: string, message: string): string {
  const limit = openFilesLimit();
  const now = limit === undefined ? '' : `, now ${limit}`;
  return code === 'ENFILE'
    ? `the host's table of open files is full (ENFILE): ${message}: close some programs, or raise fs.file-max`
    : `too many open files (EMFILE): ${message}: raise the limit of open files for IMS Lab (ulimit -n${now}; LimitNOFILE= under systemd)`;
}

/**
 * A database (or its -wal, -shm) this user may not write in a folder it may (a folder moved to another
 * user, `chown` without -R): the file and its owner named, where SQLite says only "readonly database".
 */
function fileOwnerFault(file: string, code: string): string | undefined {
  if (!code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_CANTOPEN') return undefined;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      accessSync(f, constants.R_OK | constants.W_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return notWritable(f);
    }
  }
  return undefined;
}

/** Below this much room, a database that cannot be opened or written is put down to a full disk. */
const NEARLY_FULL_BYTES = 4 * 1024 * 1024;

/** Why the data folder cannot hold the database, in words, when its file system says (SQLite does not). */
function folderFault(dataDir: string, code: string): string | undefined {
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    const why = FOLDER_FAULTS[(err as NodeJS.ErrnoException).code ?? ''];
    if (why !== undefined) return why;
  }
  if (code !== 'SQLITE_FULL' && !code.startsWith('SQLITE_IOERR') && code !== 'SQLITE_CANTOPEN')
    return undefined;
  try {
    const fs = statfsSync(dataDir);
    const free = fs.bavail * fs.bsize;
    if (free < NEARLY_FULL_BYTES) return `the disk is full (${sizeText(free)} free)`;
  } catch {
    // no statfs there: SQLite's words alone
  }
  return undefined;
}

/** The loader's words on one line (Node breaks them over several), and what to do about it. */
function dlopenFault(message: string): string {
  const first = message.replace(/\s+/g, ' ').replace(/ Please try re-compiling.*$/, '');
  const binding = sqliteBinding();
  return binding !== undefined
    ? `${first} (${SQLITE_BINDING_VARIABLE}=${binding}: start the desktop app with npm start, which builds it for Electron)`
    : `${first} (it was built for another Node.js or for Electron, as npm run dist does: run npm rebuild better-sqlite3)`;
}
