// The `mml` client when the server hangs (SIGSTOP) in the middle of a script: it exited 2, "cannot reach",
// which README calls "nothing could be run", after thousands of lines had run, and said nowhere which. Now:
// exit 4, the lines answered, the piece in flight (which may or may not have run) and the lines not sent
// are named, and the time limit is --timeout / IMS_TIMEOUT. A logout that hangs after the whole answer was
// written no longer holds the client for the request's 60 s.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf } from '../../../core/cli/cut-short';
import { scriptChunks } from '../../../core/cli/script-chunks';
import { HAS_BUILD, ROOT, SERVER_BUNDLE } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'cut-short-test-secret';
/** About 260 KB of answer: more than a pipe holds, so the client waits on its write for the reader. */
const HELP_60 = Array.from({ length: 60 }, () => 'HELP');
let server: LabServer;
let base: string;

interface Outcome {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the client, its standard output unread until the server has answered (the first bytes of an
 * answer larger than a pipe holds are there): `then` runs at that moment, with the client held on its
 * write, before it sends anything more.
 */
function mmlHeldAtFirstAnswer(
  args: string[],
  env: NodeJS.ProcessEnv,
  then: () => void,
): { proc: ChildProcessWithoutNullStreams; result: Promise<Outcome> } {
  const proc = spawn(process.execPath, [SERVER_BUNDLE, 'mml', ...args], {
    cwd: ROOT,
    env: { ...process.env, IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD, IMS_LANG: '', ...env },
  });
  const out: Buffer[] = [];
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout.once('readable', () => {
    then();
    proc.stdout.on('data', (d: Buffer) => out.push(d));
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 90_000);
  const result = new Promise<Outcome>((resolve) =>
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(out).toString('utf8'), err });
    }),
  );
  return { proc, result };
}

describe.skipIf(!HAS_BUILD)('mml client when the server hangs', () => {
  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    base = await consoleUrl(server);
  });

  afterAll(async () => {
    if (server) {
      process.kill(server.pid, 'SIGCONT');
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('exits 4 naming the lines answered, the lines in doubt and the lines not sent', async () => {
    // Three pieces: 60 HELP (about 260 KB of answer, more than a pipe holds), then 100 users, then 100.
    const pad = Array.from({ length: 1900 }, () => `// ${'x'.repeat(200)}`);
    const users = (from: number): string[] =>
      Array.from({ length: 100 }, (_, i) => `ADD USER USERNAME=cut${from + i} PASSWORD=pw${i}`);
    const script = [...HELP_60, ...pad, ...users(0), ...pad, ...users(100)].join('\n') + '\n';
    const pieces = scriptChunks(script);
    expect(pieces.length).toBe(3);
    const file = join(server.dataDir, 'cut.mml');
    writeFileSync(file, script);
    const [, answeredTo] = linesOf(pieces[0]!);
    const [doubtFrom, doubtTo] = linesOf(pieces[1]!);
    const [, lastLine] = linesOf(pieces[2]!);

    const run = mmlHeldAtFirstAnswer(['--file', file], { IMS_TIMEOUT: '1' }, () =>
      process.kill(server.pid, 'SIGSTOP'),
    );
    const r = await run.result;
    process.kill(server.pid, 'SIGCONT');
    expect(r.err).toBe(
      `mml: script cut short: no answer within 1 s (--timeout, IMS_TIMEOUT) from ${base}; ` +
        `lines 1-${answeredTo} answered (above); lines ${doubtFrom}-${doubtTo} sent but not answered: ` +
        `they may or may not have run; lines ${doubtTo + 1}-${lastLine} not sent\n`,
    );
    expect(r.code).toBe(4);
    expect(r.out.match(/--- {4}END/g)).toHaveLength(60);
    expect(r.out).not.toContain('added');
  });

  it('does not wait 60 s for a logout the hung server never answers, the answer written', async () => {
    const file = join(server.dataDir, 'help.mml');
    writeFileSync(file, HELP_60.join('\n'));
    const run = mmlHeldAtFirstAnswer(['--file', file], {}, () => process.kill(server.pid, 'SIGSTOP'));
    const r = await run.result;
    process.kill(server.pid, 'SIGCONT');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/--- {4}END/g)).toHaveLength(60);
  });
});
