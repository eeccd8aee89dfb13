// The `mml` client as CI pipelines script it (an exploratory tester's findings, mmlauto): each run is a
// real client process against a real built server, its exit code and standard error as a pipeline sees
// them.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linesOf } from '../../../core/cli/cut-short';
import { scriptChunks } from '../../../core/cli/script-chunks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, ROOT, SERVER_BUNDLE } from '../../support/processes';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'automation-test-secret';
let server: LabServer;
let base: string;

/** Runs a shell command line; resolves with stdout, stderr and the exit status. */
function shell(
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, IMS_LANG: '', ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

const MML = `node ${SERVER_BUNDLE} mml`;

describe.skipIf(!HAS_BUILD)('mml client in CI pipelines', () => {
  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    base = await consoleUrl(server);
  });

  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('says nothing was run, exit 2, when an https:// IMS_URL meets the plain HTTP port (IMS_TOKEN)', async () => {
    const login = await shell(`${MML} --login`, { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD });
    const token = login.out.trim();
    const tls = base.replace(/^http:/, 'https:');
    const r = await shell(`${MML} "ADD USER USERNAME=5501 PASSWORD=pw5501"`, {
      IMS_URL: tls,
      IMS_TOKEN: token,
      IMS_ADMIN_PASSWORD: '',
    });
    // One line (not OpenSSL's two), naming IMS_URL; before: exit 4, "line 1 ... may or may not have run".
    expect(r.err).toBe(
      `mml: cannot reach ${tls}: no TLS there (ERR_SSL_WRONG_VERSION_NUMBER): is it the console's plain ` +
        'HTTP port? Then IMS_URL starts with http://\n',
    );
    expect(r.code).toBe(2);
    const users = await runMml(server, PASSWORD, 'DSP USER USERNAME=5501');
    expect(users.results[0]!.retcode).toBe(5);
  });

  it('runs the whole script when the reader of its output goes away (| head), and exits 3 saying so', async () => {
    // Three pieces: 60 HELP (about 260 KB of answer, more than a pipe holds), then 100 users, then 100.
    const pad = Array.from({ length: 1900 }, () => `// ${'x'.repeat(200)}`);
    const users = (from: number): string[] =>
      Array.from({ length: 100 }, (_, i) => `ADD USER USERNAME=head${from + i} PASSWORD=pw${i}`);
    const help = Array.from({ length: 60 }, () => 'HELP');
    const script = [...help, ...pad, ...users(0), ...pad, ...users(100)].join('\n') + '\n';
    const pieces = scriptChunks(script);
    expect(pieces.length).toBe(3);
    const file = join(server.dataDir, 'head.mml');
    writeFileSync(file, script);
    const r = await shell(`${MML} --file ${file} | head -c 1000 >/dev/null; exit \${PIPESTATUS[0]}`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect(r.err).toMatch(
      /^mml: output not fully written: write EPIPE; the script was run to its end, the answers from line 1 on not fully written\n$/,
    );
    expect(r.code).toBe(3);
    // Before: it stopped at the failed write, after the first piece; the users were never sent.
    const last = await runMml(server, PASSWORD, `DSP USER USERNAME=head199`);
    expect(last.results[0]!.retcode).toBe(0);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`says on ${signal} which lines were answered and which were not sent, and exits ${code}`, async () => {
      // Three pieces, the first with more answer than a pipe holds: the client is held writing it until
      // this test reads its output, after the signal.
      const pad = Array.from({ length: 1900 }, () => `// ${'x'.repeat(200)}`);
      const users = (from: number): string[] =>
        Array.from({ length: 100 }, (_, i) => `ADD USER USERNAME=${signal}${from + i} PASSWORD=pw${i}`);
      const help = Array.from({ length: 60 }, () => 'HELP');
      const script = [...help, ...pad, ...users(0), ...pad, ...users(100)].join('\n') + '\n';
      const pieces = scriptChunks(script);
      expect(pieces.length).toBe(3);
      const file = join(server.dataDir, `${signal}.mml`);
      writeFileSync(file, script);
      const [, answeredTo] = linesOf(pieces[0]!);
      const [, lastLine] = linesOf(pieces[2]!);

      const proc = spawn(process.execPath, [SERVER_BUNDLE, 'mml', '--file', file], {
        cwd: ROOT,
        env: { ...process.env, IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD, IMS_LANG: '' },
      });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
      let err = '';
      const out: Buffer[] = [];
      const said = new Promise<void>((resolve) =>
        proc.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          if (err.endsWith('\n')) resolve();
        }),
      );
      const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        proc.on('close', (c, s) => resolve([c, s])),
      );
      proc.stdout.once('readable', () => proc.kill(signal));
      // Before: no word on stderr, the process killed by the signal.
      await Promise.race([said, closed]);
      proc.stdout.on('data', (d: Buffer) => out.push(d));
      const [exit, killedBy] = await closed;
      clearTimeout(timer);
      expect(err).toBe(
        `mml: script cut short: stopped by ${signal}; lines 1-${answeredTo} answered (above); ` +
          `lines ${answeredTo + 1}-${lastLine} not sent\n`,
      );
      expect([exit, killedBy]).toEqual([code, null]);
      // The answer the client had is written whole; the next piece was never sent.
      expect(
        Buffer.concat(out)
          .toString('utf8')
          .match(/--- {4}END/g),
      ).toHaveLength(60);
      const next = await runMml(server, PASSWORD, `DSP USER USERNAME=${signal}0`);
      expect(next.results[0]!.retcode).toBe(5);
    });
  }

  it("escapes a peer's control characters in the one-line summary on stderr, as stdout does", async () => {
    const r = await shell(`${MML} "$CMD"`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
      CMD: 'DSP USER SEARCH=\x1b]0;pwned\x07x',
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('%%DSP USER SEARCH=\\x1B]0;pwned\\x07x;%%');
    expect(r.err).toMatch(
      /^mml: 1 of 1 command did not return RETCODE 0; the first, DSP USER SEARCH=\\x1B\]0;pwned\\x07x: RETCODE = 3 /,
    );
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(r.err).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('takes IMS_ADMIN_PASSWORD with the line break a secret file ends with (LF, CRLF)', async () => {
    for (const end of ['\n', '\r\n']) {
      const r = await shell(`${MML} DSP SYSINFO`, { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD + end });
      expect(r.err, JSON.stringify(end)).toBe('');
      expect(r.code).toBe(0);
    }
    // A wrong one with a line break says it was not sent.
    const wrong = await shell(`${MML} DSP SYSINFO`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: 'not-the-password\n',
    });
    expect(wrong.err).toMatch(
      / refused \(401\): .*\(IMS_ADMIN_PASSWORD ended with a line break, not sent\)\n$/,
    );
    expect(wrong.code).toBe(2);
  });

  it('takes -- as the end of options (POSIX), the command after it', async () => {
    const r = await shell(`${MML} --lang en -- DSP SYSINFO`, { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('%%DSP SYSINFO;%%');
  });

  it("--json writes each statement's answer as /api/mml's results, one JSON document a line", async () => {
    const file = join(server.dataDir, 'json.mml');
    writeFileSync(
      file,
      'DSP USER USERNAME=1001\nRMV USER USERNAME=nobody7 CONFIRM=YES\nDSP USER SEARCH=\u202Ex\n',
    );
    const r = await shell(`${MML} --json --file ${file}`, { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^mml: 1 of 3 commands did not return RETCODE 0; the first, line 2: RETCODE = 5 /);
    const lines = r.out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const results = lines.map(
      (l) =>
        JSON.parse(l) as { retcode: number; line: number; command: string; tables: { rows: unknown[][] }[] },
    );
    expect(results.map((x) => [x.retcode, x.line])).toEqual([
      [0, 1],
      [5, 2],
      [0, 3],
    ]);
    expect(results[0]!.tables[0]!.rows).toHaveLength(1);
    // A bidi override stays in the value, written \u202E: the output cannot reorder a terminal's text.
    expect(results[2]!.command).toBe('DSP USER SEARCH=\u202Ex');
    expect(r.out).not.toContain('\u202E');
    expect(r.out).toContain('\\u202E');
  });

  it('--stop-on-error sends nothing after the first command that fails, naming what was not sent, exit 1', async () => {
    const file = join(server.dataDir, 'stop-on-error.mml');
    writeFileSync(
      file,
      [
        'ADD USER USERNAME=soe1 PASSWORD=pw-soe1',
        '   RMV USER USERNAME=soe-nobody CONFIRM=YES   # fails: RETCODE 5',
        'MOD USER USERNAME=soe1 STATUS=INACTIVE',
        '// a comment',
        'DSP USER; ADD USER USERNAME=soe2 PASSWORD=pw-soe2',
      ].join('\n') + '\n',
    );
    const r = await shell(`${MML} --stop-on-error --file ${file}`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect(r.err).toMatch(
      /^mml: 1 of 2 commands did not return RETCODE 0; the first, line 2: RETCODE = 5 [^\n]*\n/,
    );
    expect(r.err).toMatch(
      /\nmml: stopped at the first command that did not return RETCODE 0 \(--stop-on-error\): 3 more commands not sent \(lines 3-5\)\n$/,
    );
    expect(r.code).toBe(1);
    expect(r.out.match(/RETCODE = /g)).toHaveLength(2);
    expect(r.out).toContain('(line 2)');
    // Before: "unknown option --stop-on-error", or without it line 3 ran after line 2 had failed.
    const soe1 = await runMml(server, PASSWORD, 'DSP USER USERNAME=soe1');
    expect(JSON.stringify(soe1.results[0]!.tables)).toContain('ACTIVE');
    expect(JSON.stringify(soe1.results[0]!.tables)).not.toContain('INACTIVE');
    expect((await runMml(server, PASSWORD, 'DSP USER USERNAME=soe2')).results[0]!.retcode).toBe(5);
  });

  it('--stop-on-error keeps the columns of a syntax error as in the file, and runs a script with no failure whole', async () => {
    const file = join(server.dataDir, 'columns.mml');
    writeFileSync(file, 'DSP SYSINFO\nDSP USER; DSP  USER USERNAME="x\n');
    const r = await shell(`${MML} --stop-on-error --file ${file}`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Syntax error at line 2, column 30: /);
    // As without the option, the script in one request.
    const whole = await shell(`${MML} --file ${file}`, { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD });
    expect(whole.out).toMatch(/Syntax error at line 2, column 30: /);
    const ok = await shell(`${MML} --stop-on-error "DSP SYSINFO; DSP USER"`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(ok.out.match(/RETCODE = 0/g)).toHaveLength(2);
  });
});
