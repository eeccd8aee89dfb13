// Users from a SIPp injection file (the CSV that SIPp's -inf reads), so that the accounts a load test
// registers with can be provisioned from the very same file:
//
//   SEQUENTIAL
//   1001;1234
//   1002;[authentication username=1002 password=1234]
//
// The first line is SEQUENTIAL, RANDOM or USER (SIPp's reading orders; PRINTF files, which generate
// their lines, are refused). Every other line is user;password, fields separated by ';'. The password
// field may also be SIPp's [authentication username=... password=...] keyword, whose username must be
// the line's user. Further fields (a domain, a port a scenario uses) are ignored; blank lines and lines
// starting with # are skipped. Every line is checked before anything is imported; the first problem is
// reported with its line number.
import { checkPassword, checkUsername } from '../store/user-fields';

export interface CsvUser {
  /** 1-based line in the file. */
  line: number;
  username: string;
  password: string;
}

export class UsersCsvError extends Error {
  constructor(
    /** 1-based line at fault (0: the file as a whole). */
    readonly line: number,
    readonly reason: string,
  ) {
    super(line === 0 ? reason : `line ${line}: ${reason}`);
    this.name = 'UsersCsvError';
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
      `expected SEQUENTIAL, RANDOM or USER (a SIPp injection file), got "${lines[first]!.trim().slice(0, 40)}"`,
    );
  }
  if (/PRINTF/i.test(header[2] ?? '')) {
    throw new UsersCsvError(first + 1, 'PRINTF injection files are not supported: list one user per line');
  }

  const users: CsvUser[] = [];
  const seen = new Map<string, number>();
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const line = i + 1;
    const fields = raw.split(';').map((f) => f.trim());
    const username = fields[0] ?? '';
    let password = fields[1];
    if (password === undefined || password === '') {
      throw new UsersCsvError(line, `expected user;password, got "${raw.slice(0, 60)}"`);
    }
    const auth = AUTH.exec(password);
    if (auth !== null) {
      if (auth[1] !== username) {
        throw new UsersCsvError(
          line,
          `the authentication username "${auth[1]}" differs from the user "${username}"; ` +
            'IMS Lab lets a user register only its own address',
        );
      }
      password = auth[2]!;
    } else if (password.startsWith('[')) {
      throw new UsersCsvError(
        line,
        'expected [authentication username=... password=...] or a plain password',
      );
    }
    const userProblem = checkUsername(username);
    if (userProblem !== undefined) throw new UsersCsvError(line, `user: ${userProblem}`);
    const passwordProblem = checkPassword(password);
    if (passwordProblem !== undefined) throw new UsersCsvError(line, `password: ${passwordProblem}`);
    const earlier = seen.get(username);
    if (earlier !== undefined) {
      throw new UsersCsvError(line, `user ${username} is on line ${earlier} already`);
    }
    seen.set(username, line);
    users.push({ line, username, password });
  }
  if (users.length === 0) {
    throw new UsersCsvError(
      0,
      `no users: after the ${header[1]!.toUpperCase()} line, write one user;password per line`,
    );
  }
  return users;
}
