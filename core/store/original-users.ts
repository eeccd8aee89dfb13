// Reading the original server's data/users.json (reference §4.1): a JSON object keyed by username,
//   { "1001": { "username": "1001", "password": "1234", "display_name": "测试用户1001", "phone": "",
//               "email": "", "status": "ACTIVE", "service_type": "BASIC",
//               "create_time": "2025-10-27T14:23:45.123456", "update_time": "...",
//               "role": "USER", "mml_access": false }, ... }
// Every entry is checked here, before the store writes anything, and every bad entry is reported with
// its line in the file (not only the first). The original validated nothing (§4.2), so what it could
// hold is accepted and said so rather than refused: a service type it let through (GOLD) is kept as
// given; a status other than ACTIVE, INACTIVE or SUSPENDED becomes INACTIVE (the original let only
// ACTIVE register); fields it never had are ignored; a phone or e-mail it took as typed is kept.
import { localIsoTime, parseLocalTime } from './local-time';
import { StoreError } from './types';
import { SERVICE_TYPES, USER_STATUSES } from './types';
import type { ServiceType, User, UserStatus } from './types';
import {
  checkDisplayName,
  checkPassword,
  checkUsername,
  LONE_SURROGATE,
  LONE_SURROGATE_PROBLEM,
} from './user-fields';
import type { FieldCheck } from './user-fields';

/** One validated entry. Optional fields are undefined when the entry did not have them (or had null). */
export interface OriginalEntry {
  username: string;
  password: string;
  displayName?: string;
  phone?: string;
  email?: string;
  status?: UserStatus;
  /** One of SERVICE_TYPES, or the original's free text kept as given (e.g. GOLD). */
  serviceType?: ServiceType | string;
  /** Normalized to ISO 8601 with the local offset; the original's zone-less times are local time. */
  createTime?: string;
  updateTime?: string;
  /** Its position among the file's entries (OriginalUsersFile.lineOf gives its line). */
  index?: number;
}

/** Fields the original wrote but never used (reference §4.1); accepted and dropped. */
const IGNORED = new Set(['role', 'mml_access']);
const KNOWN = [
  'username',
  'password',
  'display_name',
  'phone',
  'email',
  'status',
  'service_type',
  'create_time',
  'update_time',
];

/** One bad entry (or the file itself, when entry is undefined): where, what and why. */
export interface ImportProblem {
  /** 1-based line of the entry in the file (of the file's first line for a file-level problem). */
  line: number;
  entry: string | undefined;
  field: string | undefined;
  problem: string;
}

export interface OriginalUsersFile {
  entries: OriginalEntry[];
  /** Every bad entry, in file order; nothing may be imported when there is one. */
  problems: ImportProblem[];
  /** What was accepted differently from how it was written (kept service types, mapped statuses...). */
  notes: string[];
  /** The line of the entry at an index (computed when first asked: only messages need it). */
  lineOf?: (index: number) => number;
}

/** Thrown inside one entry's check: that entry is bad. */
class EntryProblem extends Error {
  constructor(
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function fail(field: string | undefined, problem: string): never {
  throw new EntryProblem(field, problem);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const CONTROL = /\p{Cc}/u;

/** Free text the original took as typed: a string (a number for a phone), short, no control characters. */
function freeText(max: number, numbers = false): FieldCheck {
  return (v) => {
    if (typeof v !== 'string' && !(numbers && typeof v === 'number')) return 'must be a string';
    const text = String(v);
    if ([...text].length > max) return `must be at most ${max} characters`;
    if (CONTROL.test(text)) return 'must not contain control characters';
    if (LONE_SURROGATE.test(text)) return LONE_SURROGATE_PROBLEM;
    return undefined;
  };
}

/**
 * A password as the original used it: a JSON number (`"password": 1234`, hand-edited) went into the digest
 * by string formatting, as its decimal text; so it is taken here, as a phone number is. Only a whole
 * number of up to 15 digits, which JavaScript holds exactly: the text of 20 digits would not be the file's.
 */
const MAX_NUMERIC_PASSWORD = 999_999_999_999_999;

function passwordText(v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (!Number.isInteger(v) || v < 0 || v > MAX_NUMERIC_PASSWORD) {
    fail(
      'password',
      'must be a string (a number is taken only as a whole number of up to 15 digits): quote it',
    );
  }
  return String(v);
}

function optional(raw: Record<string, unknown>, field: string, check: FieldCheck): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  const problem = check(value);
  if (problem !== undefined) fail(field, problem);
  return String(value);
}

function time(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'string' ? parseLocalTime(value) : undefined;
  if (date === undefined) {
    fail(field, `must be an ISO 8601 date-time like 2025-10-27T14:23:45, got ${JSON.stringify(value)}`);
  }
  return localIsoTime(date);
}

/** Counts of what was accepted differently, for the notes. */
interface Adjustments {
  services: Map<string, number>;
  /** Entries whose service_type was "" (the original checked nothing): taken as not given. */
  emptyServices: number;
  statuses: Map<string, number>;
  fields: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

function status(raw: Record<string, unknown>, adjust: Adjustments): UserStatus | undefined {
  const value = raw.status;
  if (value === undefined || value === null) return undefined;
  if (USER_STATUSES.includes(value as UserStatus)) return value as UserStatus;
  const problem = freeText(64)(value);
  if (problem !== undefined) fail('status', problem);
  bump(adjust.statuses, String(value));
  return 'INACTIVE';
}

function serviceType(raw: Record<string, unknown>, adjust: Adjustments): string | undefined {
  const value = raw.service_type;
  if (value === undefined || value === null) return undefined;
  // "" (or blanks): as a missing one, the default (an existing user's kept), said with a count; one
  // such entry among 20,000 refused them all.
  if (typeof value === 'string' && value.trim() === '') {
    adjust.emptyServices++;
    return undefined;
  }
  const problem = freeText(32)(value);
  if (problem !== undefined) fail('service_type', problem);
  if (!SERVICE_TYPES.includes(value as ServiceType)) bump(adjust.services, String(value));
  return String(value);
}

function entry(key: string, raw: unknown, adjust: Adjustments): OriginalEntry {
  // Its kind, not its value: the file may be another (config.json's DIALER.PASSWORD was quoted in clear).
  if (!isObject(raw)) fail(undefined, `must be an object of user fields, got ${kindOf(raw)}`);
  const usernameProblem = checkUsername(key);
  if (usernameProblem !== undefined) fail('username', usernameProblem);
  if (raw.username !== undefined && raw.username !== key) {
    fail(
      'username',
      `is ${JSON.stringify(raw.username)} but the entry's key is "${key}"; they must be equal`,
    );
  }
  for (const field of Object.keys(raw)) {
    if (!KNOWN.includes(field) && !IGNORED.has(field)) bump(adjust.fields, field);
  }
  if (raw.password === undefined || raw.password === null) fail('password', 'is missing');
  const password = passwordText(raw.password);
  const passwordProblem = checkPassword(password);
  if (passwordProblem !== undefined) fail('password', passwordProblem);
  return {
    username: key,
    password: password as string,
    displayName: optional(raw, 'display_name', checkDisplayName),
    phone: optional(raw, 'phone', freeText(64, true)),
    email: optional(raw, 'email', freeText(254)),
    status: status(raw, adjust),
    serviceType: serviceType(raw, adjust),
    createTime: time(raw, 'create_time'),
    updateTime: time(raw, 'update_time'),
  };
}

/**
 * Where each top-level member (object form) or element (list form) of a JSON text starts, in file
 * order: its 1-based line, and for a member its key. A small scanner: strings (with escapes) are
 * skipped, depth is counted.
 */
export function memberStarts(json: string): { lines: number[]; keys: string[] } {
  const lines: number[] = [];
  const keys: string[] = [];
  let line = 1;
  let depth = 0;
  let expectMember = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') continue;
    const starts = depth === 1 && expectMember && c !== ']' && c !== '}';
    if (starts) {
      lines.push(line);
      expectMember = false;
    }
    if (c === '"') {
      const from = i;
      for (i++; i < json.length && json[i] !== '"'; i++) {
        if (json[i] === '\\') i++;
        else if (json[i] === '\n') line++;
      }
      if (starts) keys.push(decodeKey(json.slice(from, i + 1)));
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectMember = true;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectMember = true;
  }
  return { lines, keys };
}

function decodeKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}

function notesOf(adjust: Adjustments): string[] {
  const list = (m: Map<string, number>): string =>
    [...m].map(([k, n]) => (n === 1 ? JSON.stringify(k) : `${JSON.stringify(k)} ×${n}`)).join(', ');
  const notes: string[] = [];
  if (adjust.services.size > 0) {
    notes.push(`service types IMS Lab does not define, kept as given: ${list(adjust.services)}`);
  }
  if (adjust.emptyServices > 0) {
    notes.push(
      `service_type empty, taken as not given (BASIC for a new user, an existing one's kept): ${adjust.emptyServices} ${adjust.emptyServices === 1 ? 'entry' : 'entries'}`,
    );
  }
  if (adjust.statuses.size > 0) {
    notes.push(
      `statuses other than ACTIVE, INACTIVE, SUSPENDED imported as INACTIVE (the original let only ACTIVE register): ${list(adjust.statuses)}`,
    );
  }
  if (adjust.fields.size > 0) notes.push(`fields ignored: ${list(adjust.fields)}`);
  return notes;
}

type Member = [key: string, raw: unknown, missing: string | undefined];

/** The file's members (or the problem that the file as a whole has) and their lines. */
function membersOf(json: string): { members: Member[]; text: string; list: boolean } | ImportProblem {
  const text = json.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const problem = `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    return { line: 1, entry: undefined, field: undefined, problem };
  }
  // A list of entries with their username, [{ "username": "1001", "password": ... }, ...], is accepted
  // too: the form load-test tools (the SIPp bench kit's users.json) write.
  let members: Member[];
  if (Array.isArray(data)) {
    members = data.map((raw, i): Member =>
      isObject(raw) && typeof raw.username === 'string'
        ? [raw.username, raw, undefined]
        : [`#${i + 1}`, raw, 'is missing (a list entry must carry its username)'],
    );
  } else if (isObject(data)) {
    members = Object.entries(data).map(([k, v]): Member => [k, v, undefined]);
  } else {
    const problem =
      'expected a JSON object keyed by username, like { "1001": { "password": ... } }, or a list of users';
    return { line: 1, entry: undefined, field: undefined, problem };
  }
  return { members, text, list: Array.isArray(data) };
}

/**
 * A member's line, computed on first need (only a file with problems needs them): a list's element by
 * its position; an object's member by its key, since JSON.parse puts keys that look like integers first
 * (a duplicate key's value, and so its line, is the last one's).
 */
function lazyLines(text: string, members: readonly Member[], list: boolean): (i: number) => number {
  let byIndex: (i: number) => number | undefined;
  return (i) => {
    if (byIndex === undefined) {
      const { lines, keys } = memberStarts(text);
      if (list) byIndex = (n) => lines[n];
      else {
        const byKey = new Map(keys.map((k, n) => [k, lines[n]!]));
        byIndex = (n) => byKey.get(members[n]?.[0] ?? '');
      }
    }
    return byIndex(i) ?? 1;
  };
}

/** Checks members[from, to) into the file being read. */
function checkMembers(
  members: readonly Member[],
  lineOf: (i: number) => number,
  from: number,
  to: number,
  out: OriginalUsersFile,
  adjust: Adjustments,
  seen: Set<string>,
): void {
  for (let i = from; i < to && i < members.length; i++) {
    const [key, raw, missing] = members[i]!;
    if (missing !== undefined) {
      out.problems.push({ line: lineOf(i), entry: key, field: 'username', problem: missing });
      continue;
    }
    // A list may name a user twice (an object cannot: JSON.parse keeps the last); say so, not "exists".
    if (seen.has(key)) {
      out.problems.push({
        line: lineOf(i),
        entry: key,
        field: 'username',
        problem: 'is given twice in the file',
      });
      continue;
    }
    seen.add(key);
    try {
      out.entries.push({ ...entry(key, raw, adjust), index: i });
    } catch (err) {
      if (!(err instanceof EntryProblem)) throw err;
      out.problems.push({ line: lineOf(i), entry: key, field: err.field, problem: err.problem });
    }
  }
}

const newAdjustments = (): Adjustments => ({
  services: new Map(),
  emptyServices: 0,
  statuses: new Map(),
  fields: new Map(),
});

/** Parses and checks a whole users.json; never throws. */
export function readOriginalUsers(json: string): OriginalUsersFile {
  const read = membersOf(json);
  if (!('members' in read)) return { entries: [], problems: [read], notes: [] };
  const out: OriginalUsersFile = { entries: [], problems: [], notes: [] };
  const adjust = newAdjustments();
  out.lineOf = lazyLines(read.text, read.members, read.list);
  checkMembers(read.members, out.lineOf, 0, read.members.length, out, adjust, new Set());
  out.notes = notesOf(adjust);
  return out;
}

/**
 * The same, checking `chunk` entries per turn and awaiting pause() between turns, so that a large file
 * does not hold the event loop (only JSON.parse runs in one piece: a few ms for 10,000 users).
 */
export async function readOriginalUsersAsync(
  json: string,
  pause: () => Promise<void>,
  chunk = 500,
): Promise<OriginalUsersFile> {
  const read = membersOf(json);
  if (!('members' in read)) return { entries: [], problems: [read], notes: [] };
  await pause();
  const out: OriginalUsersFile = { entries: [], problems: [], notes: [] };
  const adjust = newAdjustments();
  out.lineOf = lazyLines(read.text, read.members, read.list);
  const seen = new Set<string>();
  for (let i = 0; i < read.members.length; i += chunk) {
    if (i > 0) await pause();
    checkMembers(read.members, out.lineOf, i, i + chunk, out, adjust, seen);
  }
  out.notes = notesOf(adjust);
  return out;
}

/** How many problems an error message lists before "... and N more". */
const LISTED = 50;

/** "line 12, entry "1005", status: ..." */
export function problemText(p: ImportProblem): string {
  const where =
    p.entry === undefined
      ? ''
      : p.field === undefined
        ? `entry "${p.entry}": `
        : `entry "${p.entry}", ${p.field}: `;
  return `line ${p.line}, ${where}${p.problem}`;
}

/** A refused import: every problem, the first also as the StoreError's entry and field. */
export class UsersImportError extends StoreError {
  constructor(
    message: string,
    readonly problems: readonly ImportProblem[],
  ) {
    super('import', message, problems[0]?.field, problems[0]?.entry);
  }
}

/** Problems as lines of a message: every one (up to 50), with its line. */
export function problemLines(problems: readonly ImportProblem[], text = problemText): string {
  const shown = problems.slice(0, LISTED).map(text);
  if (problems.length > LISTED) shown.push(`... and ${problems.length - LISTED} more`);
  return shown.join('\n');
}

/** The StoreError for a file with problems. */
export function importError(problems: readonly ImportProblem[]): UsersImportError {
  const first = problems[0]!;
  const head = problems.length === 1 ? '1 bad entry' : `${problems.length} bad entries`;
  return new UsersImportError(
    first.entry === undefined
      ? `users.json: ${first.problem}`
      : `users.json: ${head}:\n${problemLines(problems)}`,
    problems,
  );
}

/** Parses and validates a whole users.json. Throws StoreError('import') listing every bad entry. */
export function parseOriginalUsers(json: string): OriginalEntry[] {
  const file = readOriginalUsers(json);
  if (file.problems.length > 0) throw importError(file.problems);
  return file.entries;
}

/**
 * One user as the original's data/users.json holds it (reference §4.1), for EXP USER: its fields in the
 * original's order, the password in clear as the original kept it, times in local time as the original
 * wrote them, with the UTC offset after (ISO 8601, which IMP USER reads; the original only shows them): the
 * original's form had no zone, so a file imported on a host in another time zone shifted every time.
 */
export function originalEntry(user: User, password: string): Record<string, string> {
  return {
    username: user.username,
    password,
    display_name: user.displayName,
    phone: user.phone,
    email: user.email,
    status: user.status,
    service_type: user.serviceType,
    create_time: user.createTime,
    update_time: user.updateTime,
  };
}

/** What a JSON value is, without what it holds: text, a number, a list... */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text (${[...value].length} characters)`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return typeof value;
}
