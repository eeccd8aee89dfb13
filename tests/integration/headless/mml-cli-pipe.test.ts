// The `mml` command-line client in a pipe (issue 11 point 1): a large answer reaches `| cat` whole, byte
// for byte what the server answered, and a reader that goes away early (`| head -c`) makes the client
// exit non-zero instead of 0 with a truncated answer.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, ROOT, SERVER_BUNDLE } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'pipe-test-secret';
let server: LabServer;
let base: string;
let script: string;

/** Runs a shell pipeline; resolves with stdout (bytes) and each stage's exit status. */
function shell(command: string, env: NodeJS.ProcessEnv): Promise<{ out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, ...env } });
    const chunks: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => chunks.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.on('exit', () => {
      clearTimeout(timer);
      resolve({ out: Buffer.concat(chunks), err });
    });
  });
}

describe.skipIf(!HAS_BUILD)('mml client in a pipe', () => {
  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    base = await consoleUrl(server);
    // About 260 KB of answer: far more than a pipe holds (64 KiB), as DSP CDR LIMIT=1000 was.
    script = join(server.dataDir, 'big.mml');
    writeFileSync(script, Array.from({ length: 60 }, () => 'HELP').join('\n') + '\n');
  });

  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  async function serverText(): Promise<Buffer> {
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${base}/api/mml`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ mml: Array.from({ length: 60 }, () => 'HELP').join('\n') }),
    });
    const { text } = (await res.json()) as { text: string };
    return Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  }

  it('writes every byte through | cat, ending with ---    END, and exits 0', async () => {
    const expected = await serverText();
    expect(expected.length).toBeGreaterThan(3 * 65_536);
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD };
    const r = await shell(
      `node ${SERVER_BUNDLE} mml --file ${script} | cat; echo "exit=\${PIPESTATUS[0]}" >&2`,
      env,
    );
    expect(r.err).toContain('exit=0');
    expect(r.out.length).toBe(expected.length);
    expect(r.out.equals(expected)).toBe(true);
    expect(r.out.toString('utf8').trimEnd().endsWith('---    END')).toBe(true);
  });

  it('exits 3 when the reader stops early (| head -c), never 0 with a cut answer', async () => {
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD };
    const r = await shell(
      `node ${SERVER_BUNDLE} mml --file ${script} | head -c 1000; echo "exit=\${PIPESTATUS[0]}" >&2`,
      env,
    );
    expect(r.out.length).toBe(1000);
    // 3: the output could not be written (README), said on stderr; not a crash's 1 and stack trace.
    expect(Number(/exit=(\d+)/.exec(r.err)![1])).toBe(3);
    expect(r.err).toContain('mml: output not fully written');
    expect(r.err).not.toContain('Unhandled');
  });

  it('exits 3 when the output cannot be written at all (a full disk: /dev/full)', async () => {
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD };
    const r = await shell(`node ${SERVER_BUNDLE} mml "DSP SYSINFO" > /dev/full; echo "exit=$?" >&2`, env);
    expect(Number(/exit=(\d+)/.exec(r.err)![1])).toBe(3);
    expect(r.err).toContain('mml: output not fully written');
  });

  it('runs what is piped in (no command given, or --file -) and exits 0', async () => {
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD };
    for (const command of [
      `printf 'DSP SYSINFO\\nDSP USER\\n' | node ${SERVER_BUNDLE} mml; echo "exit=$?" >&2`,
      `node ${SERVER_BUNDLE} mml --file - < ${script}; echo "exit=$?" >&2`,
    ]) {
      const r = await shell(command, env);
      expect(r.err, command).toContain('exit=0');
      expect(r.out.toString('utf8'), command).toMatch(/RETCODE = 0/);
    }
  });

  it('logs in once with --login for many runs given IMS_TOKEN, which stays valid after them', async () => {
    const login = await shell(`node ${SERVER_BUNDLE} mml --login`, {
      IMS_URL: base,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    const token = login.out.toString('utf8').trim();
    expect(login.err).toBe('');
    expect(token).toMatch(/^\S{20,}$/);
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: '', IMS_TOKEN: token };
    for (let i = 0; i < 2; i++) {
      const r = await shell(`node ${SERVER_BUNDLE} mml DSP USER USERNAME=1001; echo "exit=$?" >&2`, env);
      expect(r.err).toBe('exit=0\n');
      expect(r.out.toString('utf8')).toMatch(/RETCODE = 0/);
    }
    const session = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(session.status).toBe(200);
    const bad = await shell(`node ${SERVER_BUNDLE} mml DSP USER; echo "exit=$?" >&2`, {
      ...env,
      IMS_TOKEN: 'x',
    });
    expect(bad.err).toMatch(/^mml: [^\n]+ \(IMS_TOKEN: get another with mml --login\)\nexit=2\n$/);
  });

  it('sums up the commands that failed in one line on stderr, stdout as it was', async () => {
    const env = { IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD };
    const script = join(server.dataDir, 'failing.mml');
    writeFileSync(
      script,
      'DSP USER USERNAME=1001\nRMV USER USERNAME=nobody9 CONFIRM=YES\nADD USER USERNAME=7\n',
    );
    const r = await shell(`node ${SERVER_BUNDLE} mml --file ${script}; echo "exit=$?" >&2`, env);
    expect(r.out.toString('utf8').match(/RETCODE = /g)).toHaveLength(3);
    expect(r.err).toMatch(
      /^mml: 2 of 3 commands did not return RETCODE 0; the first, line 2: RETCODE = 5 \S[^\n]*\nexit=1\n$/,
    );
    const one = await shell(
      `node ${SERVER_BUNDLE} mml RMV USER USERNAME=nobody9 CONFIRM=YES; echo "exit=$?" >&2`,
      env,
    );
    expect(one.out.toString('utf8')).toMatch(/RETCODE = 5/);
    expect(one.err).toMatch(
      /^mml: 1 of 1 command did not return RETCODE 0; the first, RMV USER USERNAME=nobody9 CONFIRM=YES: RETCODE = 5 \S[^\n]*\nexit=1\n$/,
    );
  });
});

describe.skipIf(!HAS_BUILD)('mml client locked out', () => {
  let locked: LabServer;
  afterAll(async () => {
    if (locked) {
      expect(await locked.stop()).toBe(0);
      removeDataDir(locked.dataDir);
    }
  });

  it("says how long the server's lockout lasts (its Retry-After)", async () => {
    locked = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    const url = await consoleUrl(locked);
    for (let i = 0; i < 5; i++)
      await fetch(`${url}/api/login`, { method: 'POST', body: JSON.stringify({ password: 'wrong' }) });
    const r = await shell(`node ${SERVER_BUNDLE} mml DSP USER; echo "exit=$?" >&2`, {
      IMS_URL: url,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect(r.err).toMatch(/^mml: login to \S+ refused \(429\): [^\n]*\(retry after \d+ s\)\nexit=2\n$/);
  });
});

describe.skipIf(!HAS_BUILD)('mml --file with a script larger than a request body', () => {
  let big: LabServer;
  afterAll(async () => {
    if (big) {
      expect(await big.stop()).toBe(0);
      removeDataDir(big.dataDir);
    }
  });

  it('runs every line of a 660 KB script, in pieces, numbering its lines as the file does', async () => {
    big = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    const url = await consoleUrl(big);
    // 300 users among 3,000 long comment lines (the body limit is 512 KB), then a syntax error.
    const lines = Array.from({ length: 3300 }, (_, i) =>
      i % 11 === 0 ? `ADD USER USERNAME=u${i} PASSWORD=pw${i}` : `// ${'x'.repeat(200)}`,
    );
    lines.push('ADD USER USERNAME="unterminated');
    const file = join(big.dataDir, 'provisioning.mml');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await shell(`node ${SERVER_BUNDLE} mml --file ${file}; echo "exit=$?" >&2`, {
      IMS_URL: url,
      IMS_ADMIN_PASSWORD: PASSWORD,
    });
    expect(r.err).toContain('exit=1');
    const out = r.out.toString('utf8');
    expect(out.match(/User u\d+ added/g)).toHaveLength(300);
    expect(out).toContain('User u3289 added');
    expect(out).toMatch(/Syntax error at line 3301, column \d+/);
  });
});
