import { describe, expect, it } from 'vitest';
import { parseSippUsers, UsersCsvError } from '../../../core/mml/users-csv';
import { zhText } from '../../../core/mml/zh';

function refusal(text: string): UsersCsvError {
  try {
    parseSippUsers(text);
  } catch (err) {
    expect(err).toBeInstanceOf(UsersCsvError);
    return err as UsersCsvError;
  }
  throw new Error('expected a UsersCsvError');
}

describe('parseSippUsers', () => {
  it('reads user;password lines after the SEQUENTIAL line, with line numbers', () => {
    const text =
      '\uFEFF\r\nSEQUENTIAL\r\n1001;1234\r\n\r\n# comment\r\n1002;[authentication username=1002 password=p]\r\n1003;pw;ims.lab;5060\r\n1004 ; spaced ;\r\n';
    expect(parseSippUsers(text)).toEqual([
      { line: 3, username: '1001', password: '1234' },
      { line: 6, username: '1002', password: 'p' },
      { line: 7, username: '1003', password: 'pw' },
      { line: 8, username: '1004', password: 'spaced' },
    ]);
  });

  it('names every bad line, not the first only (the first 20, then how many more)', () => {
    const err = refusal('SEQUENTIAL\n1001;a\nbad user!;x\n300011\n1001;b\n');
    expect(err.line).toBe(3);
    expect(err.message.split('\n')).toEqual([
      expect.stringMatching(/^line 3: user: /),
      'line 4: expected user;password, got "300011"',
      'line 5: user 1001 is on line 2 already',
    ]);
    const many = refusal(`SEQUENTIAL\n${Array.from({ length: 25 }, (_, i) => `u${i}`).join('\n')}\n`);
    expect(many.message.split('\n')).toHaveLength(21);
    expect(many.message).toMatch(/\nand 5 more bad line\(s\)$/);
  });

  it('reads SIPp authentication fields whole', () => {
    expect(parseSippUsers('RANDOM\n2001;[authentication username=2001 password=s3cr3t]\n')).toEqual([
      { line: 2, username: '2001', password: 's3cr3t' },
    ]);
    expect(parseSippUsers('user\n2001;x')).toHaveLength(1);
  });

  it("takes the password of SIPp's authentication keyword in a later field (user;callee;[authentication])", () => {
    const text =
      'SEQUENTIAL\n900001;900002;[authentication username=900001 password=secret1]\n' +
      '900003;127.0.0.1;[authentication username=900003 password=secret3];5060\n' +
      '900005;pw5\n900007;ims.lab;;[authentication username=900007 password=secret7]\n';
    expect(parseSippUsers(text)).toEqual([
      { line: 2, username: '900001', password: 'secret1' },
      { line: 3, username: '900003', password: 'secret3' },
      { line: 4, username: '900005', password: 'pw5' },
      { line: 5, username: '900007', password: 'secret7' },
    ]);
    const other = refusal('SEQUENTIAL\n900001;900002;[authentication username=900002 password=x]\n');
    expect(other.reason).toMatch(/^the authentication username "900002" differs from the user "900001"/);
    const broken = refusal('SEQUENTIAL\n900001;900002;[authentication user=900001]\n');
    expect(broken.reason).toBe('expected [authentication username=... password=...] or a plain password');
  });

  it.each([
    ['', 0, 'the file is empty'],
    ['1001;1234\n', 1, 'expected SEQUENTIAL, RANDOM or USER (a SIPp injection file), got "1001…"'],
    // A password on a line that is wrong is never echoed: the message reaches the log and the history.
    ['SEQUENTIAL\n5005,CsvSecret2\n', 2, 'expected user;password, got "5005…"'],
    ['5005,CsvSecret2\n', 1, 'expected SEQUENTIAL, RANDOM or USER (a SIPp injection file), got "5005…"'],
    ['SEQUENTIAL,PRINTF=10\n', 1, 'PRINTF injection files are not supported: list one user per line'],
    ['SEQUENTIAL\n', 0, 'no users: after the SEQUENTIAL line, write one user;password per line'],
    ['SEQUENTIAL\n1001\n', 2, 'expected user;password, got "1001"'],
    [
      'SEQUENTIAL\n1001;a\n\nbad user;b\n',
      4,
      'user: must be 1..64 characters of A-Z a-z 0-9 . _ + -, got "bad user"',
    ],
    ['SEQUENTIAL\n1001;a\n1002;b\n1001;c\n', 4, 'user 1001 is on line 2 already'],
    [
      'SEQUENTIAL\n1001;[authentication username=1002 password=x]\n',
      2,
      'the authentication username "1002" differs from the user "1001"; IMS Lab lets a user register only its own address',
    ],
    [
      'SEQUENTIAL\n1001;[auth x]\n',
      2,
      'expected [authentication username=... password=...] or a plain password',
    ],
    [`SEQUENTIAL\n1001;${'x'.repeat(129)}\n`, 2, 'password: must be 1..128 characters'],
  ])('refuses %j at line %i', (text, line, reason) => {
    const e = refusal(text);
    expect(e.line).toBe(line);
    expect(e.reason).toBe(reason);
    // In Chinese, with nothing left in English but the file's own syntax.
    if (reason.startsWith('expected ['))
      expect(zhText(reason)).toBe('应为 [authentication username=... password=...] 或直接写密码');
    expect(e.message).toBe(line === 0 ? reason : `line ${line}: ${reason}`);
  });
});
