// Parameters several command areas declare alike (paging, user names), and the translation of store
// errors into MML results that name the MML parameter at fault.
import { resolve } from 'node:path';
import { pathInside } from '../../store/inside-folder';
import { StoreError } from '../../store/types';
import { MmlError, RETCODE } from '../command';
import { quoteValue } from '../grammar';
import type { MmlArgs, MmlParam } from '../command';

/** A figure to two decimals, as DSP PERF and DSP SYSINFO show measurements (142.85, not 142.84765625). */
export const twoDecimals = (n: number): number => Math.round(n * 100) / 100;

/** Bytes in MB, to two decimals. */
export const megabytes = (bytes: number): number => twoDecimals(bytes / (1024 * 1024));

export function limitParam(defaultLimit: number, max: number, aliases?: readonly string[]): MmlParam {
  return {
    name: 'LIMIT',
    type: 'integer',
    min: 1,
    max,
    default: String(defaultLimit),
    help: 'How many rows to show',
    ...(aliases === undefined ? {} : { aliases }),
  };
}

/**
 * How many rows a list shows: LIMIT, or every row for the word ALL without LIMIT (DSP REG ALL, DSP CALL
 * ALL), as the original's lists did (reference §1.2): a script reading them must not miss any.
 */
export function rowsToShow(args: MmlArgs): number {
  return args.words.includes('ALL') && !args.given('LIMIT') ? Infinity : args.int('LIMIT');
}

export const OFFSET_PARAM: MmlParam = {
  name: 'OFFSET',
  type: 'integer',
  min: 0,
  default: '0',
  help: 'How many rows to skip (paging: the next page starts at OFFSET+LIMIT)',
};

/**
 * The statement that shows the next page of a list paged by OFFSET, for MmlResult.next: the command, the
 * filter parameters given (in the order named), LIMIT and the next OFFSET. A script pages by following
 * `next` until it is absent, whatever the command and the answer's language.
 */
export function nextPageStatement(
  command: string,
  args: MmlArgs,
  filters: readonly string[],
  paging: Readonly<Record<string, string | number>>,
): string {
  const parts = [command];
  for (const name of filters) {
    const v = args.optStr(name);
    if (v !== undefined) parts.push(`${name}=${quoteValue(v)}`);
  }
  for (const [name, v] of Object.entries(paging)) parts.push(`${name}=${quoteValue(String(v))}`);
  return parts.join(' ');
}

// The user part of an AOR (the location service indexes its AORs by it).
export { userPartOf } from '../../sip/registrar/aor-user';

/** Store field names (StoreError.field) → the MML parameters that carry them. */
const PARAM_OF_FIELD: Readonly<Record<string, string>> = {
  username: 'USERNAME',
  password: 'PASSWORD',
  displayName: 'DISPLAYNAME',
  phone: 'PHONE',
  email: 'EMAIL',
  status: 'STATUS',
  serviceType: 'SERVICE',
  ifUpdated: 'IF_UPDATED',
  search: 'SEARCH',
  prefix: 'PREFIX',
  limit: 'LIMIT',
  offset: 'OFFSET',
  // The CDR's queries (core/cdr/query.ts).
  date: 'DATE',
  type: 'TYPE',
  caller: 'CALLER',
  callee: 'CALLEE',
  callId: 'CALLID',
  callIdPart: 'CALLID',
  state: 'STATE',
  campaign: 'CAMPAIGN',
  before: 'BEFORE',
};

/** Turns a StoreError into an MmlError naming the parameter; other errors pass through unchanged. */
export function fromStoreError(err: unknown): unknown {
  if (!(err instanceof StoreError)) return err;
  const param = err.field === undefined ? undefined : PARAM_OF_FIELD[err.field];
  const reason =
    err.field !== undefined && err.message.startsWith(`${err.field}: `)
      ? err.message.slice(err.field.length + 2)
      : err.message;
  switch (err.code) {
    case 'exists':
      return new MmlError(RETCODE.ALREADY_EXISTS, reason.charAt(0).toUpperCase() + reason.slice(1));
    case 'not-found':
      return new MmlError(RETCODE.NOT_FOUND, reason.charAt(0).toUpperCase() + reason.slice(1));
    case 'changed':
      return new MmlError(RETCODE.OPERATION_FAILED, err.message);
    case 'import':
      return new MmlError(RETCODE.INVALID_DATA, `Nothing imported: ${err.message}`);
    case 'invalid':
      return new MmlError(
        RETCODE.PARAMETER_ERROR,
        param === undefined ? reason : `Parameter ${param}: ${reason}`,
      );
  }
}

/** Why a file could not be read, in words (not Node's "ENOENT: no such file or directory, stat '...'"). */
export function fileErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return (err as Error).message;
}

/** The way around the data folder for a file of users (IMP USER): the server's own command line. */
export const USERS_IMPORT_HINT = 'node core/server.js users import reads any file, on the server itself';
/** For a numbers file (STR CALL BATCH): a relative FILE= is read from the data folder. */
export const NUMBERS_FILE_HINT = 'a relative FILE= is read from there: FILE=numbers.csv';

/**
 * A FILE= parameter: relative to the data folder, or absolute inside it. MML runs over the network with
 * the console's password; it must not read the host's other files (nor quote them in an error). `hint`:
 * what else the operator can do, for this kind of file (none: the desktop app has no CLI to name).
 */
export function dataFile(dataDir: string, given: string, param = 'FILE', hint?: string): string {
  const file = pathInside(dataDir, given);
  if (file !== undefined) return file;
  throw new MmlError(
    RETCODE.PARAMETER_ERROR,
    `Parameter ${param}: ${given} is outside the data folder ${resolve(dataDir)}: put the file there` +
      (hint === undefined ? '' : ` (${hint})`),
  );
}
