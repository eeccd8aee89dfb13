// Users from a SIPp injection file (the CSV that SIPp's -inf reads), so that the accounts a load test
// registers with can be provisioned from the very same file:
//
//   SEQUENTIAL
//   1001;1234
//   1002;[authentication username=1002 password=1234]
//   1003;ims.lab;[authentication username=1003 password=5678]
//
// The first line is SEQUENTIAL, RANDOM or USER (SIPp's reading orders; PRINTF files, which generate
// their lines, are refused). Every other line is a user first, fields separated by ';' (SIPp's field0,
// field1...). The password is that of SIPp's [authentication username=... password=...] keyword when a
// field after the user holds one (its username must be the line's user): the usual UAC file puts the
// callee or the domain second and the keyword third. Without a keyword the second field is the password.
// Other fields (a domain, a port a scenario uses) are ignored; blank lines and lines starting with # are
// skipped. Every line is checked before anything is imported; every bad line is
// reported with its line number (the first 20 of them, and how many more).
import { checkPassword, checkUsername } from '../store/user-fields';

export interface CsvUser {
  /** 1-based line in the file. */
  line: number;
  username: string;
  password: string;
}

export class UsersCsvError extends Error {
  constructor(
    /** 1-based line at fault (0: the file as a whole); the first of them when several are. */
    readonly line: number,
    readonly reason: string,
    /** Further bad lines, after the first. */
    readonly more: readonly { line: number; reason: string }[] = [],
  ) {
    super(
      [{ line, reason }, ...more.slice(0, SHOWN - 1)]
        .map((p) => (p.line === 0 ? p.reason : `line ${p.line}: ${p.reason}`))
        .join('\n') + (more.length >= SHOWN ? `\nand ${more.length - SHOWN + 1} more bad line(s)` : ''),
    );
    this.name = 'UsersCsvError';
  }
}

/** Bad lines listed at most. */
const SHOWN = 20;

/** Collects a file's bad lines: every one is reported, not the first only. */
class LineProblems {
  readonly list: { line: number; reason: string }[] = [];
  add(line: number, reason: string): void {
    this.list.push({ line, reason });
  }
  throwAny(): void {
    const [first, ...more] = this.list;
    if (first !== undefined) throw new UsersCsvError(first.line, first.reason, more);
  }
}

const HEADER = /^(SEQUENTIAL|RANDOM|USER)\s*(,.*)?$/i;
const AUTH = /^\[authentication\s+username=(\S+)\s+password=(\S+?)\s*\]$/i;

/** Parses and checks a SIPp injection file of users. Throws UsersCsvError naming the line. */
export function parseSippUsers(text: string): CsvUser[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new UsersCsvError(0, 'the file is empty');
  const header = HEADER.exec(lines[first]!.trim());
  if (header === null) {
    throw new UsersCsvError(
      first + 1,
      `expected SEQUENTIAL, RANDOM or USER (a SIPp injection file), got "${firstField(lines[first]!.trim())}"`,
    );
  }
  if (/PRINTF/i.test(header[2] ?? '')) {
    throw new UsersCsvError(first + 1, 'PRINTF injection files are not supported: list one user per line');
  }

  const users: CsvUser[] = [];
  const problems = new LineProblems();
  const seen = new Map<string, number>();
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const line = i + 1;
    const user = userOf(raw, line, seen);
    if (typeof user === 'string') problems.add(line, user);
    else users.push(user);
  }
  problems.throwAny();
  if (users.length === 0) {
    throw new UsersCsvError(
      0,
      `no users: after the ${header[1]!.toUpperCase()} line, write one user;password per line`,
    );
  }
  return users;
}

/**
 * A line as an error message shows it: its first field, then … when there is more. A line that is not
 * what it should be may still hold a password (5005,secret: a comma for the semicolon), and messages
 * reach the log and the MML history.
 */
function firstField(line: string): string {
  const first = /^[^,;\s]*/.exec(line)![0].slice(0, 40);
  return first.length < line.length ? `${first}…` : first;
}

/** One line's user, or what is wrong with it. `seen`: the users of the lines above, by their line. */
function userOf(raw: string, line: number, seen: Map<string, number>): CsvUser | string {
  const fields = raw.split(';').map((f) => f.trim());
  const username = fields[0] ?? '';
  // SIPp's keyword counts wherever it is after the user: its usual UAC file is user;callee-or-domain;
  // [authentication ...], the scenario sending [field2]; the field after the user is then no password.
  const keyword = fields.slice(1).find((f) => /^\[authentication\b/i.test(f));
  let password: string;
  if (keyword !== undefined) {
    const auth = AUTH.exec(keyword);
    if (auth === null) return 'expected [authentication username=... password=...] or a plain password';
    if (auth[1] !== username) {
      return (
        `the authentication username "${auth[1]}" differs from the user "${username}"; ` +
        'IMS Lab lets a user register only its own address'
      );
    }
    password = auth[2]!;
  } else {
    const plain = fields[1];
    if (plain === undefined || plain === '') return `expected user;password, got "${firstField(raw.trim())}"`;
    if (plain.startsWith('['))
      return 'expected [authentication username=... password=...] or a plain password';
    password = plain;
  }
  const userProblem = checkUsername(username);
  if (userProblem !== undefined) return `user: ${userProblem}`;
  const passwordProblem = checkPassword(password);
  if (passwordProblem !== undefined) return `password: ${passwordProblem}`;
  const earlier = seen.get(username);
  if (earlier !== undefined) return `user ${username} is on line ${earlier} already`;
  seen.set(username, line);
  return { line, username, password };
}
