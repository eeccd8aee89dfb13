// The `mml` client reading its script from a pipe that a slower program writes (README: `generate-users |
// node core/server.js mml`): it read standard input with readFileSync(0) after process.stdin had made the
// pipe non-blocking, and exited 2 with EAGAIN, nothing run, whenever the pipe was empty before its end
// (a generator slower than node's start, or any script larger than the pipe's 64 KiB).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, ROOT, SERVER_BUNDLE } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'stdin-test-secret';
let server: LabServer;
let base: string;

interface MmlRun {
  proc: ChildProcessWithoutNullStreams;
  result: Promise<{ code: number | null; out: string; err: string }>;
}

function startMml(): MmlRun {
  const proc = spawn(process.execPath, [SERVER_BUNDLE, 'mml'], {
    cwd: ROOT,
    env: { ...process.env, IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD, IMS_LANG: '' },
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const result = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
  return { proc, result };
}

/**
 * Resolves once the client has put its standard input in non-blocking mode (O_NONBLOCK in
 * /proc/<pid>/fdinfo/0: it is about to read) or has ended: what the pipe holds then is all it could
 * have read at once, and what is written after comes "slowly". Bounded: 20 s.
 */
async function clientReading(run: MmlRun): Promise<void> {
  for (let i = 0; i < 1000 && run.proc.exitCode === null; i++) {
    let flags: number;
    try {
      const info = readFileSync(`/proc/${run.proc.pid}/fdinfo/0`, 'utf8');
      flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
    } catch {
      return; // no /proc, or the process is gone
    }
    if (flags & 0o4000) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Writes to the client's standard input once the pipe has room (or the client has gone). */
function write(run: MmlRun, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (run.proc.exitCode !== null || run.proc.stdin.write(text)) return resolve();
    run.proc.stdin.once('drain', resolve);
    run.proc.once('exit', resolve);
  });
}

describe.skipIf(!HAS_BUILD)('mml client with a script piped in slowly', () => {
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

  it('waits for a line written after it started reading, and runs the script', async () => {
    const run = startMml();
    run.proc.stdin.on('error', () => undefined); // a client that left early: its result says why
    await write(run, 'DSP USER USERNAME=1001\n');
    await clientReading(run);
    await write(run, 'DSP USER USERNAME=1002\n');
    run.proc.stdin.end();
    const r = await run.result;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/RETCODE = 0/g)).toHaveLength(2);
    expect(r.out).toContain('1002');
  });

  it('reads a 20,000-line script written in pieces, far more than a pipe holds', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 100 === 0 ? `ADD USER USERNAME=s${i} PASSWORD=pw${i}` : `// generated line ${i} ${'x'.repeat(30)}`,
    );
    const text = lines.join('\n') + '\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(10 * 65_536);
    const run = startMml();
    run.proc.stdin.on('error', () => undefined);
    await clientReading(run);
    const step = Math.ceil(text.length / 10);
    for (let at = 0; at < text.length; at += step) await write(run, text.slice(at, at + step));
    run.proc.stdin.end();
    const r = await run.result;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/User s\d+ added/g)).toHaveLength(200);
    expect(r.out).toContain('User s19900 added');
  });
});
