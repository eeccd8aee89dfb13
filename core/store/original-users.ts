// Reading the original server's data/users.json (reference §4.1): a JSON object keyed by username,
//   { "1001": { "username": "1001", "password": "1234", "display_name": "测试用户1001", "phone": "",
//               "email": "", "status": "ACTIVE", "service_type": "BASIC",
//               "create_time": "2025-10-27T14:23:45.123456", "update_time": "...",
//               "role": "USER", "mml_access": false }, ... }
// Every entry is checked here, before the store writes anything. The original validated nothing (§4.2),
// so old files may hold values IMS Lab refuses (STATUS=banana, SERVICE=GOLD); those are reported with
// the entry and the field, and nothing is imported.
import { localIsoTime, parseLocalTime } from './local-time';
import { StoreError } from './types';
import type { ServiceType, UserStatus } from './types';
import {
  checkDisplayName,
  checkEmail,
  checkPassword,
  checkPhone,
  checkServiceType,
  checkStatus,
  checkUsername,
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
  serviceType?: ServiceType;
  /** Normalized to ISO 8601 with the local offset; the original's zone-less times are local time. */
  createTime?: string;
  updateTime?: string;
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

function fail(entry: string | undefined, field: string | undefined, problem: string): never {
  const where =
    entry === undefined ? '' : field === undefined ? `entry "${entry}": ` : `entry "${entry}", ${field}: `;
  throw new StoreError('import', `users.json: ${where}${problem}`, field, entry);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optional<T>(
  key: string,
  raw: Record<string, unknown>,
  field: string,
  check: FieldCheck,
): T | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  const problem = check(value);
  if (problem !== undefined) fail(key, field, problem);
  return value as T;
}

function time(key: string, raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'string' ? parseLocalTime(value) : undefined;
  if (date === undefined) {
    fail(key, field, `must be an ISO 8601 date-time like 2025-10-27T14:23:45, got ${JSON.stringify(value)}`);
  }
  return localIsoTime(date);
}

function entry(key: string, raw: unknown): OriginalEntry {
  if (!isObject(raw)) fail(key, undefined, `must be an object of user fields, got ${JSON.stringify(raw)}`);
  const usernameProblem = checkUsername(key);
  if (usernameProblem !== undefined) fail(key, 'username', usernameProblem);
  if (raw.username !== undefined && raw.username !== key) {
    fail(
      key,
      'username',
      `is ${JSON.stringify(raw.username)} but the entry's key is "${key}"; they must be equal`,
    );
  }
  for (const field of Object.keys(raw)) {
    if (!KNOWN.includes(field) && !IGNORED.has(field)) {
      fail(
        key,
        field,
        `unknown field (the original's fields are ${KNOWN.join(', ')}; role and mml_access are ignored)`,
      );
    }
  }
  if (raw.password === undefined || raw.password === null) fail(key, 'password', 'is missing');
  const passwordProblem = checkPassword(raw.password);
  if (passwordProblem !== undefined) fail(key, 'password', passwordProblem);
  return {
    username: key,
    password: raw.password as string,
    displayName: optional(key, raw, 'display_name', checkDisplayName),
    phone: optional(key, raw, 'phone', checkPhone),
    email: optional(key, raw, 'email', checkEmail),
    status: optional(key, raw, 'status', checkStatus),
    serviceType: optional(key, raw, 'service_type', checkServiceType),
    createTime: time(key, raw, 'create_time'),
    updateTime: time(key, raw, 'update_time'),
  };
}

/** The key of a list entry: its username, or `#<index>` when it has none (entry() then reports it). */
function listKey(raw: unknown, index: number): string {
  if (isObject(raw) && typeof raw.username === 'string') return raw.username;
  fail(`#${index + 1}`, 'username', 'is missing (a list entry must carry its username)');
}

/** Parses and validates a whole users.json. Throws StoreError('import') at the first problem. */
export function parseOriginalUsers(json: string): OriginalEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (err) {
    fail(undefined, undefined, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  // A list of entries with their username, [{ "username": "1001", "password": ... }, ...], is accepted
  // too: the form load-test tools (the SIPp bench kit's users.json) write.
  if (Array.isArray(data)) return data.map((raw, i) => entry(listKey(raw, i), raw));
  if (!isObject(data)) {
    fail(
      undefined,
      undefined,
      'expected a JSON object keyed by username, like { "1001": { "password": ... } }, or a list of users',
    );
  }
  return Object.entries(data).map(([key, raw]) => entry(key, raw));
}
