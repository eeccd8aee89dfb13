// `nohup node out/core/server.js &` from an SSH session: the session's end (SIGHUP) stopped the server,
// its own handler having replaced nohup's "ignore" (Node resets it anyway). Now nohup's mark, standard
// input /dev/null opened write-only, or SIGHUP ignored at start, keeps it running (core/cli/hangup.ts).
import { describe, expect, it } from 'vitest';
import { hangupIgnored, type ProcFiles } from '../../../core/cli/hangup';

function proc(sigIgn: string, stdin: string, flags: string): ProcFiles {
  return {
    read: (path) =>
      path === '/proc/self/status'
        ? `Name:\tnode\nSigBlk:\t0000000000000000\nSigIgn:\t${sigIgn}\nSigCgt:\t0000000100004602\n`
        : `pos:\t0\nflags:\t${flags}\nmnt_id:\t25\n`,
    link: () => stdin,
  };
}

describe('SIGHUP ignored', () => {
  it('when nohup gave /dev/null write-only as standard input (started from a terminal)', () => {
    expect(hangupIgnored('linux', proc('0000000001001000', '/dev/null', '02100001'))).toBe(
      'started by nohup',
    );
  });

  it('when SIGHUP was ignored at start (bit 0 of SigIgn)', () => {
    expect(hangupIgnored('linux', proc('0000000001001001', '/dev/pts/0', '02'))).toBe(
      'SIGHUP ignored at start',
    );
  });

  it('not otherwise: /dev/null for reading (a script, `< /dev/null`), a terminal, a pipe, another system', () => {
    expect(hangupIgnored('linux', proc('0000000001001000', '/dev/null', '02100000'))).toBeUndefined();
    expect(hangupIgnored('linux', proc('0000000001001000', '/dev/pts/3', '02100002'))).toBeUndefined();
    expect(hangupIgnored('linux', proc('0000000001001000', 'pipe:[123]', '02000000'))).toBeUndefined();
    expect(hangupIgnored('darwin', proc('0000000001001001', '/dev/null', '01'))).toBeUndefined();
    const broken: ProcFiles = {
      read: () => {
        throw new Error('ENOENT');
      },
      link: () => '/dev/null',
    };
    expect(hangupIgnored('linux', broken)).toBeUndefined();
  });
});
