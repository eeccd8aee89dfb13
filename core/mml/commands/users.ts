// Subscriber commands (reference §1.2 用户管理): DSP USER, ADD USER, MOD USER, RMV USER, with the
// original's USR alias and NAME for the display name, plus IMP USER, the bulk import the original's
// README promised but never had (§1.3): its users.json, or a SIPp injection file.
import { readFileSync, statSync } from 'node:fs';
import { USER_NAME_MAX_LENGTH } from '../../config/setting-formats';
import { utf8Text } from '../../config/text-file';
import { extname } from 'node:path';
import { problemLines, UsersImportError } from '../../store/original-users';
import { MAX_PAGE_SIZE } from '../../store/user-listing';
import { SERVICE_TYPES, USER_STATUSES } from '../../store/types';
import type { ServiceType, User, UserChanges, UserStatus } from '../../store/types';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlColumn, MmlCommand, MmlContext, MmlParam, MmlTable } from '../command';
import { parseSippUsers, UsersCsvError } from '../users-csv';
import type { CsvUser } from '../users-csv';
import {
  dataFile,
  fileErrorText,
  fromStoreError,
  limitParam,
  nextPageStatement,
  OFFSET_PARAM,
  USERS_IMPORT_HINT,
} from './common';
import { exportBase, exportDir, writeNewFileInParts } from './export-file';
import { MAX_IMPORT_BYTES } from '../import-limit';
import { nextTurn } from '../../observe/next-turn';
import { answerTooLarge } from './answer-room';

const USERNAME: MmlParam = {
  name: 'USERNAME',
  type: 'string',
  min: 1,
  max: USER_NAME_MAX_LENGTH,
  help: 'User name (the SIP user part): A-Z a-z 0-9 . _ + -, e.g. 1001',
};
const PASSWORD: MmlParam = {
  name: 'PASSWORD',
  type: 'string',
  min: 1,
  max: 128,
  secret: true,
  help: 'Digest password, stored encrypted',
};
const DISPLAYNAME: MmlParam = {
  name: 'DISPLAYNAME',
  type: 'string',
  aliases: ['NAME'],
  max: 128, // the user store's limit (user-fields.ts), so HELP and the error say the same
  help: 'Display name (default 用户<username>)',
};
const PHONE: MmlParam = {
  name: 'PHONE',
  type: 'string',
  max: 32,
  help: 'Phone number: 0-9 + * # ( ) - and spaces',
};
const EMAIL: MmlParam = {
  name: 'EMAIL',
  type: 'string',
  max: 254,
  help: 'E-mail address, like name@example.com',
};
const STATUS: MmlParam = {
  name: 'STATUS',
  type: 'enum',
  values: USER_STATUSES,
  help: 'Account status; only ACTIVE users may register and call',
};
const SERVICE: MmlParam = { name: 'SERVICE', type: 'enum', values: SERVICE_TYPES, help: 'Service class' };
/** MOD USER's precondition (store/update-time.ts): the console's Edit dialog sends the Updated time it read. */
const IF_UPDATED: MmlParam = {
  name: 'IF_UPDATED',
  type: 'string',
  max: 64,
  help: "Only if the user's Updated time is still this (as DSP USER shows it): refused if changed since",
};

const COLUMNS: MmlColumn[] = [
  { name: 'Username', type: 'string' },
  { name: 'Display name', type: 'string' },
  { name: 'Phone', type: 'string' },
  { name: 'Email', type: 'string' },
  { name: 'Status', type: 'string' },
  { name: 'Service', type: 'string' },
  { name: 'Created', type: 'time' },
  // To the millisecond: the value MOD USER IF_UPDATED= takes back names one version of the user
  // (store/update-time.ts), not any change within its second.
  { name: 'Updated', type: 'time', ms: true },
];

const row = (u: User): unknown[] => [
  u.username,
  u.displayName,
  u.phone,
  u.email,
  u.status,
  u.serviceType,
  Date.parse(u.createTime),
  Date.parse(u.updateTime),
];

const userTable = (u: User): MmlTable => ({ title: 'User', columns: COLUMNS, rows: [row(u)] });

/** Runs a store operation, turning its StoreError into an MML failure naming the parameter. */
function store<T>(op: () => T): T {
  try {
    return op();
  } catch (err) {
    throw fromStoreError(err);
  }
}

function changes(args: MmlArgs): UserChanges {
  return {
    password: args.optStr('PASSWORD'),
    displayName: args.optStr('DISPLAYNAME'),
    phone: args.optStr('PHONE'),
    email: args.optStr('EMAIL'),
    status: args.optStr('STATUS') as UserStatus | undefined,
    serviceType: args.optStr('SERVICE') as ServiceType | undefined,
  };
}

/**
 * Removes every binding of a user's AORs (in any domain); returns how many. The location service's index
 * by user part names them: no scan of every AOR (one per RMV USER, 12 ms with 20,000 bindings).
 */
export function removeRegistrationsOf(
  ctx: MmlContext,
  username: string,
  cause: 'user-deleted' | 'user-disabled' = 'user-deleted',
): number {
  return ctx.location.removeUser(username, cause);
}

/** Registered users whose status is read between two turns of the event loop (a point query each). */
const STATUS_STEP = 1000;

/**
 * Removes the bindings of every registered user that is not ACTIVE (IMP USER); returns how many. One
 * status read per registered user, STATUS_STEP of them a turn, the loop free between (with 20,000
 * bindings, a scan of every AOR per disabled user held SIP 20 s for 2,000 of them).
 */
async function removeRegistrationsOfDisabled(ctx: MmlContext): Promise<number> {
  const users = ctx.location.registeredUsers();
  let removed = 0;
  for (let i = 0; i < users.length; i++) {
    if (i > 0 && i % STATUS_STEP === 0) await nextTurn();
    const username = users[i]!;
    const status = ctx.users.get(username)?.status;
    if (status !== undefined && status !== 'ACTIVE')
      removed += removeRegistrationsOf(ctx, username, 'user-disabled');
  }
  return removed;
}

const dspUser: MmlCommand = {
  verb: 'DSP',
  object: 'USER',
  aliases: ['USR'],
  group: 'User',
  help: 'Shows one user (USERNAME) or lists users, filtered and paged (ALL: every user, unless LIMIT is given)',
  words: { ALL: {} },
  params: [
    { ...USERNAME, help: 'Show this user only (exact name; the other parameters are then ignored)' },
    { ...STATUS, help: 'Only users with this status' },
    {
      name: 'SEARCH',
      type: 'string',
      help: 'Only users whose name, display name, phone or e-mail contains this',
    },
    { name: 'PREFIX', type: 'string', help: 'Only usernames starting with this, e.g. 10' },
    limitParam(50, 1000),
    OFFSET_PARAM,
  ],
  handler: async (args, ctx) => {
    const username = args.optStr('USERNAME');
    if (username !== undefined) {
      const user = ctx.users.get(username);
      if (user === undefined) throw new MmlError(RETCODE.NOT_FOUND, `User ${username} does not exist`);
      return ok(undefined, [userTable(user)]);
    }
    const query = {
      status: args.optStr('STATUS') as UserStatus | undefined,
      search: args.optStr('SEARCH'),
      prefix: args.optStr('PREFIX'),
      limit: args.int('LIMIT'),
      offset: args.int('OFFSET'),
    };
    // DSP USER ALL without LIMIT lists every user, as the original's list did (reference §1.2 #4):
    // a script reading it must not miss any. Read a store page per turn of the event loop (20,000 users
    // at once held it 0.6 s, and SIP waited), each after the last user read: a user another operator adds
    // or removes meanwhile moves no other one to another page.
    const everyone = args.words.includes('ALL') && !args.given('LIMIT');
    const page = store(() => ctx.users.list(everyone ? { ...query, limit: MAX_PAGE_SIZE } : query));
    if (everyone && page.total > page.users.length) {
      // The first page's text, per user, times every user: refused before the rest is read.
      const perUser = JSON.stringify(page.users.map(row)).length / Math.max(1, page.users.length);
      const tooLarge = answerTooLarge(perUser * page.total, ctx.heap);
      if (tooLarge !== undefined)
        throw new MmlError(
          RETCODE.OPERATION_FAILED,
          `DSP USER ALL of ${page.total} users ${tooLarge}: list them in pages (LIMIT=${MAX_PAGE_SIZE} OFFSET=0, then OFFSET=${MAX_PAGE_SIZE}...) or export them (EXP USER)`,
        );
    }
    for (let last = page.users.length; everyone && last === MAX_PAGE_SIZE;) {
      await nextTurn();
      const after = page.users.at(-1)!.username;
      const next = store(() => ctx.users.list({ ...query, limit: MAX_PAGE_SIZE, offset: 0, after }));
      page.users.push(...next.users);
      last = next.users.length;
    }
    const shown = page.users.length;
    const message =
      shown < page.total
        ? shown === 0
          ? `No users from OFFSET=${page.offset}: ${page.total} match`
          : `Users ${page.offset + 1}-${page.offset + shown} of ${page.total}` +
            (page.offset + shown < page.total ? `; OFFSET=${page.offset + shown} shows the next` : '')
        : undefined;
    const result = ok(message, [
      { title: 'Users', columns: COLUMNS, rows: page.users.map(row), total: page.total },
    ]);
    const following = page.offset + shown;
    return shown > 0 && following < page.total
      ? {
          ...result,
          next: nextPageStatement('DSP USER', args, ['STATUS', 'SEARCH', 'PREFIX'], {
            LIMIT: query.limit,
            OFFSET: following,
          }),
        }
      : result;
  },
};

const addUser: MmlCommand = {
  verb: 'ADD',
  object: 'USER',
  stores: true,
  aliases: ['USR'],
  group: 'User',
  help: 'Adds a user',
  params: [
    { ...USERNAME, required: true },
    { ...PASSWORD, required: true },
    DISPLAYNAME,
    PHONE,
    EMAIL,
    { ...STATUS, default: 'ACTIVE' },
    { ...SERVICE, default: 'BASIC' },
  ],
  handler: (args, ctx) => {
    const user = store(() =>
      ctx.users.add({ ...changes(args), username: args.str('USERNAME'), password: args.str('PASSWORD') }),
    );
    return ok(`User ${user.username} added`, [userTable(user)]);
  },
};

const modUser: MmlCommand = {
  verb: 'MOD',
  object: 'USER',
  stores: true,
  aliases: ['USR'],
  group: 'User',
  help: 'Changes a user; fields not given are kept',
  params: [{ ...USERNAME, required: true }, PASSWORD, DISPLAYNAME, PHONE, EMAIL, STATUS, SERVICE, IF_UPDATED],
  atLeastOne: ['PASSWORD', 'DISPLAYNAME', 'PHONE', 'EMAIL', 'STATUS', 'SERVICE'],
  handler: (args, ctx) => {
    const user = store(() =>
      ctx.users.update(args.str('USERNAME'), changes(args), args.optStr('IF_UPDATED')),
    );
    // Only ACTIVE users may register: a user made INACTIVE or SUSPENDED is no longer reached at the
    // bindings it had (and could not remove them itself, its REGISTER now being refused).
    const removed = user.status === 'ACTIVE' ? 0 : removeRegistrationsOf(ctx, user.username, 'user-disabled');
    const note = removed > 0 ? `; its ${removed} registration(s) removed (${user.status})` : '';
    return ok(`User ${user.username} modified${note}`, [userTable(user)]);
  },
};

const rmvUser: MmlCommand = {
  verb: 'RMV',
  object: 'USER',
  stores: true,
  aliases: ['USR'],
  group: 'User',
  help: 'Removes a user and its registrations',
  destructive: true,
  params: [{ ...USERNAME, required: true }],
  handler: (args, ctx) => {
    const username = args.str('USERNAME');
    if (!ctx.users.remove(username)) throw new MmlError(RETCODE.NOT_FOUND, `User ${username} does not exist`);
    const removed = removeRegistrationsOf(ctx, username);
    return ok(`User ${username} removed` + (removed > 0 ? `, with its ${removed} registration(s)` : ''));
  },
};

function readImport(file: string): string {
  try {
    const stat = statSync(file);
    // A device or a FIFO reports no size (/dev/zero): reading it would never end.
    if (!stat.isFile()) throw new MmlError(RETCODE.OPERATION_FAILED, `FILE ${file} is not a regular file`);
    const size = stat.size;
    if (size > MAX_IMPORT_BYTES) {
      throw new MmlError(RETCODE.OPERATION_FAILED, `FILE ${file} is ${size} bytes; at most 64 MB is read`);
    }
    return utf8Text(
      readFileSync(file),
      (problem) => new MmlError(RETCODE.INVALID_DATA, `FILE ${file} ${problem}: save it as UTF-8`),
    );
  } catch (err) {
    if (err instanceof MmlError) throw err;
    throw new MmlError(RETCODE.OPERATION_FAILED, `Cannot read FILE ${file}: ${fileErrorText(err)}`);
  }
}

async function importCsv(ctx: MmlContext, file: string, text: string, mode: 'add' | 'upsert') {
  let entries: CsvUser[];
  try {
    entries = parseSippUsers(text);
  } catch (err) {
    if (err instanceof UsersCsvError)
      throw new MmlError(RETCODE.INVALID_DATA, `Nothing imported: ${file} ${err.message}`);
    throw err;
  }
  const list = entries.map((e) => ({ username: e.username, password: e.password }));
  try {
    return await ctx.users.importOriginalAsync(JSON.stringify(list), mode);
  } catch (err) {
    if (err instanceof UsersImportError && err.entry !== undefined) {
      const lineOf = new Map(entries.map((e) => [e.username, e.line]));
      const problems = err.problems.map((p) => ({ ...p, line: lineOf.get(p.entry ?? '') ?? p.line }));
      const detail = problemLines(
        problems,
        (p) =>
          `line ${p.line} (user ${p.entry ?? '?'})${p.field === undefined ? '' : `, ${p.field}`}: ${p.problem}`,
      );
      throw new MmlError(
        RETCODE.INVALID_DATA,
        `Nothing imported: ${file}: ${problems.length === 1 ? '1 bad entry' : `${problems.length} bad entries`}:\n${detail}`,
      );
    }
    throw fromStoreError(err);
  }
}

async function importJson(ctx: MmlContext, file: string, text: string, mode: 'add' | 'upsert') {
  try {
    return await ctx.users.importOriginalAsync(text, mode);
  } catch (err) {
    const e = fromStoreError(err);
    if (e instanceof MmlError && err instanceof UsersImportError) {
      throw new MmlError(
        e.retcode,
        e.message.replace(/^Nothing imported: users\.json: /, `Nothing imported: ${file}: `),
      );
    }
    throw e;
  }
}

const impUser: MmlCommand = {
  verb: 'IMP',
  object: 'USER',
  stores: true,
  aliases: ['USR'],
  group: 'User',
  help: "Imports users from the original's users.json or a SIPp injection file (user;password); all or nothing",
  params: [
    {
      name: 'FILE',
      type: 'string',
      required: true,
      min: 1,
      help: 'The file to import, in the data folder (relative to it, or absolute inside it)',
    },
    {
      name: 'FORMAT',
      type: 'enum',
      values: ['AUTO', 'JSON', 'CSV'],
      default: 'AUTO',
      help: 'AUTO: by the extension (.json, .csv), else by the content',
    },
    {
      name: 'MODE',
      type: 'enum',
      values: ['ADD', 'UPSERT'],
      default: 'ADD',
      help: 'ADD refuses users that exist; UPSERT updates them (password included)',
    },
  ],
  handler: async (args, ctx) => {
    const file = dataFile(
      ctx.dataDir,
      args.str('FILE'),
      'FILE',
      ctx.settings.servesHttp ? USERS_IMPORT_HINT : undefined,
    );
    const text = readImport(file);
    let format = args.str('FORMAT');
    if (format === 'AUTO') {
      const ext = extname(file).toLowerCase();
      format =
        ext === '.json' ? 'JSON' : ext === '.csv' ? 'CSV' : /^\uFEFF?\s*[[{]/.test(text) ? 'JSON' : 'CSV';
    }
    const mode = args.str('MODE') === 'UPSERT' ? 'upsert' : 'add';
    const result =
      format === 'CSV' ? await importCsv(ctx, file, text, mode) : await importJson(ctx, file, text, mode);
    // As MOD USER STATUS=: a user the import left INACTIVE or SUSPENDED is no longer reached where it
    // was registered (nor could it remove those bindings itself, its REGISTER now refused).
    const removed = result.updated > 0 ? await removeRegistrationsOfDisabled(ctx) : 0;
    const notes = [
      ...(result.notes ?? []),
      ...(removed > 0 ? [`${removed} registration(s) of users now INACTIVE or SUSPENDED removed`] : []),
    ]
      .map((n) => `\nNote: ${n}`)
      .join('');
    return ok(`Imported ${result.added + result.updated} users from ${file}${notes}`, [
      {
        title: 'Import',
        columns: [
          { name: 'File', type: 'string' },
          { name: 'Format', type: 'string' },
          { name: 'Added', type: 'integer' },
          { name: 'Updated', type: 'integer' },
          { name: 'Users now', type: 'integer' },
        ],
        rows: [[file, format, result.added, result.updated, ctx.users.count()]],
      },
    ]);
  },
};

const expUser: MmlCommand = {
  verb: 'EXP',
  object: 'USER',
  aliases: ['USR'],
  group: 'User',
  help: "Exports every user to <data dir>/exports/users_export_<time>.json in the original's users.json form, passwords in clear (IMP USER reads it back)",
  params: [],
  handler: async (_args, ctx) => {
    let exported;
    try {
      // Passwords in clear, as the original's users.json: only the appliance's own user may read it.
      // Made and written a part at a time, SIP served between (148,000 users held it 0.4-1.1 s at once).
      const base = exportBase('users', ctx.now());
      exported = await ctx.users.exportOriginalAsync((parts) =>
        writeNewFileInParts(exportDir(ctx.dataDir), base, parts, 0o600),
      );
    } catch (err) {
      throw fromStoreError(err);
    }
    const { result: file, count } = exported;
    return ok(`Exported ${count} users to ${file}`, [
      {
        title: 'Export',
        columns: [
          { name: 'File', type: 'string' },
          { name: 'Users', type: 'integer' },
        ],
        rows: [[file, count]],
      },
    ]);
  },
};

export function userCommands(): MmlCommand[] {
  return [dspUser, addUser, modUser, rmvUser, impUser, expUser];
}
