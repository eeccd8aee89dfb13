// The log file replaced by a FIFO nobody reads (a log shipper down), and a console nobody reads (stdout
// a stalled pipe). Before, the file's append blocked for good in a thread of the pool: lines queued
// without bound behind it, /healthz said ok, close() never returned and process.exit() waited for that
// thread (SIGTERM never finished); stdout's unread lines grew the heap likewise. Now the FIFO is refused
// at once as a full disk is (lines counted, said once written again), and the console drops past a cap.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { createServer, createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_FILE_NAME, Logger, localStamp } from '../../../core/observe/logger';
import { startNode } from '../../support/processes';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp folder whose log file for today is a FIFO; its path. */
function fifoLog(): { dir: string; fifo: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ims-log-fifo-'));
  dirs.push(dir);
  const day = join(dir, 'logs', localStamp(Date.now()).day);
  mkdirSync(day, { recursive: true });
  const fifo = join(day, LOG_FILE_NAME);
  execFileSync('mkfifo', [fifo]);
  return { dir, fifo };
}

/** Lets a writer blocked on the FIFO go (its read side opened), and leaves a plain file in its place. */
function release(fifo: string): void {
  const fd = openSync(fifo, 'r+');
  unlinkSync(fifo);
  closeSync(fd);
}

describe('a log file nobody reads (a FIFO)', () => {
  it('counts its lines as lost and says so, close() returns, and they are named once it is read', async () => {
    const { dir, fifo } = fifoLog();
    let reader: number | undefined;
    const said: string[] = [];
    const stderr = { write: (s: string) => said.push(s) } as unknown as NodeJS.WritableStream;
    try {
      const logger = new Logger({ level: 'INFO', console: false, dataDir: dir, stderr: stderr as never });
      for (let i = 0; i < 100; i++) {
        logger.for('test').info(`line ${i}`);
        logger.flush();
      }
      await logger.close();
      expect(logger.problem()).toMatch(new RegExp(`^log lines cannot be written to ${fifo}: Error: ENXIO`));
      expect(said).toEqual([expect.stringMatching(/^logger: cannot write .*ENXIO/)]);
      // A reader comes (the shipper is back): the next lines are written, the gap named.
      reader = openSync(fifo, 'r+');
      logger.for('test').info('read again');
      await logger.close();
      await logger.close(); // the WARNING naming the gap, queued by the write that worked
      expect(logger.problem()).toBeUndefined();
      const buf = Buffer.alloc(65536);
      const text = buf.subarray(0, readSync(reader, buf)).toString();
      expect(text.split('\n').map((l) => l.slice(24))).toEqual([
        '[INFO    ] [test] read again',
        expect.stringMatching(
          /^\[WARNING \] \[logger\] 100 log line\(s\) from .* could not be written to this file \(Error: ENXIO/,
        ),
        '',
      ]);
    } finally {
      if (reader !== undefined) closeSync(reader);
      else release(fifo);
    }
  });

  it('does not hold the process at its exit', async () => {
    const { dir, fifo } = fifoLog();
    const child = startNode([
      '--import',
      'tsx',
      join(import.meta.dirname, 'child', 'log-to-fifo-then-exit.ts'),
      dir,
    ]);
    try {
      // A guard, not a measure: a child held by a blocked thread would never exit.
      const guard = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still running'), 20_000).unref(),
      );
      expect(await Promise.race([child.exited, guard])).toBe(0);
      expect(child.output()).toContain('closed');
    } finally {
      child.proc.kill('SIGKILL');
      release(fifo);
    }
  }, 30_000);
});

describe('a log file write that does not complete (the pool held, as by a hung mount)', () => {
  it('caps the lines waiting, is a problem() once pending STUCK_WRITE_MS, and close() returns', async () => {
    const { dir } = fifoLog();
    const blocker = join(dir, 'blocker');
    const cap = 20_000;
    execFileSync('mkfifo', [blocker]);
    rmSync(join(dir, 'logs'), { recursive: true }); // a plain log file: only the pool holds it
    const child = startNode(
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'child', 'log-with-pool-held.ts'),
        dir,
        blocker,
        String(cap),
      ],
      { UV_THREADPOOL_SIZE: '1' },
    );
    try {
      // The child's own error, if any, stays out of the failure (its stack is the child's, not the test's).
      const result = await child.waitFor(/\{"backlog".*\}/, 20_000).catch(() => 'no result');
      expect(result, 'what the child printed').toMatch(/^\{"backlog"/);
      const said = JSON.parse(result) as {
        backlog: number;
        before: string | null;
        stuck: string | null;
      };
      // 2,000 lines of ~160 characters waited, 320 KB: no more than the cap is held.
      expect(said.backlog).toBeGreaterThan(0);
      expect(said.backlog).toBeLessThanOrEqual(cap);
      expect(said.before).toBeNull();
      expect(said.stuck).toMatch(/^a write of log lines to .* has not completed for 5 s/);
    } finally {
      release(blocker);
      const guard = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still running'), 20_000).unref(),
      );
      await Promise.race([child.exited, guard]);
      child.proc.kill('SIGKILL');
    }
  }, 30_000);
});

describe('a console nobody reads (stdout a stalled pipe)', () => {
  it('drops lines past the cap, counted, and says so once its reader takes them again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-pipe-'));
    dirs.push(dir);
    const path = join(dir, 'out.sock');
    let peer: Socket | undefined;
    const server = createServer((s) => {
      peer = s;
      s.pause(); // reads nothing
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const out = createConnection(path);
    await new Promise<void>((resolve) => out.on('connect', resolve));
    try {
      const logger = new Logger({ level: 'INFO', backlogChars: 200_000, stdout: out, stderr: out });
      const filler = 'x'.repeat(1000);
      for (let i = 0; i < 2000; i++) {
        logger.for('test').info(`${i} ${filler}`);
        if (i % 10 === 9) logger.flush();
      }
      // The kernel's buffers take some; beyond them and the cap nothing more waits in the heap.
      expect(out.writableLength).toBeLessThan(200_000 + 20 * 1100);
      let got = '';
      peer!.on('data', (d: Buffer) => (got += d.toString()));
      peer!.resume();
      await vi.waitFor(() => expect(out.writableLength).toBe(0));
      logger.for('test').info('taken again');
      logger.flush();
      await vi.waitFor(() => expect(got).toMatch(/taken again\n$/));
      const note =
        /\[logger\] (\d+) log line\(s\) were not written to the standard output: its reader did not keep up/.exec(
          got,
        );
      expect(note).not.toBeNull();
      const written = got.split('\n').filter((l) => l.includes('[test]')).length;
      expect(written - 1 + Number(note![1])).toBe(2000);
      await logger.close();
    } finally {
      out.destroy();
      peer?.destroy();
      server.close();
    }
  });
});

/** Runs child/log-to-terminal.ts on the pty of `script`; `read`: whether `script`'s output is read. */
function onTerminal(n: number, cap: number, read: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'ims-log-tty-'));
  dirs.push(dir);
  const result = join(dir, 'result.json');
  const child = [
    process.execPath,
    '--import',
    'tsx',
    join(import.meta.dirname, 'child', 'log-to-terminal.ts'),
  ];
  const proc = spawn('script', ['-qfec', [...child, result, String(n), String(cap)].join(' '), '/dev/null'], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  // Unread, `script`'s output pipe fills, then the terminal's buffer: the terminal is not read.
  if (read) proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const said = async () => {
    await vi.waitFor(() => expect(existsSync(result)).toBe(true), { timeout: 15_000, interval: 50 });
    return JSON.parse(readFileSync(result, 'utf8')) as {
      tty: boolean;
      written: number;
      ticks: number;
      held: number;
    };
  };
  return { said, output: () => out, exited: new Promise((r) => proc.on('exit', r)), proc };
}

// Node writes a terminal synchronously: one nobody read held the process at its next line, timers and
// all (SIP with them), for good. Now it is written without waiting, as a pipe is, lines past the cap
// dropped and counted; one that is read gets every line, the last ones before the exit included.
describe('a terminal nobody reads', () => {
  it('does not hold the process: lines past the cap are dropped, the loop goes on, close() returns', async () => {
    const t = onTerminal(1500, 200_000, false);
    try {
      const said = await t.said();
      expect(said).toMatchObject({ tty: true, written: 1500 });
      expect(said.ticks).toBeGreaterThan(0);
      expect(said.held).toBeLessThanOrEqual(200_000 + 100 * 1100);
    } finally {
      t.proc.kill('SIGKILL');
    }
  }, 30_000);

  it('that is read gets every line, up to the exit', async () => {
    const t = onTerminal(1500, 8 * 1024 * 1024, true);
    try {
      expect(await t.said()).toMatchObject({ tty: true, written: 1500, held: 0 });
      await t.exited;
      const lines = t
        .output()
        .split(/\r?\n/)
        .filter((l) => / \[tty\] line \d+ x+$/.test(l));
      expect(lines).toHaveLength(1500);
      expect(t.output()).not.toContain('were not written');
    } finally {
      t.proc.kill('SIGKILL');
    }
  }, 30_000);
});
