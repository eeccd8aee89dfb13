// Running SIPp (Debian's sip-tester 3.6, /usr/bin/sipp) from tests: one bounded run of a scenario in
// tests/sipp/ against a target on 127.0.0.1, with its own temporary folder for the injection file and
// the traces. A run always ends: -m and -timeout bound SIPp itself, and its PID is killed if it
// overstays. The result carries the exit code, the final statistics, the unexpected-message log and
// every message SIPp sent or received (parsed), so tests can check the actual answers.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SipParseError,
  SipRequest,
  SipResponse,
  parseMessage,
  type SipMessage,
} from '../../core/sip/message/index';

export const SIPP = process.env.SIPP ?? '/usr/bin/sipp';
export const HAS_SIPP = existsSync(SIPP);
export const SCENARIO_DIR = fileURLToPath(new URL('../sipp/', import.meta.url));

if (!HAS_SIPP)
  process.stderr.write(`[sipp] ${SIPP} not found (apt-get install sip-tester): SIPp tests are skipped\n`);

/** A port free for both UDP and TCP on `host` right now (SIPp listens on both with -t t1). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve(udp.address().port));
    });
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (ok) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
  throw new Error('no free port found');
}

export interface SippUser {
  username: string;
  /** Omitted: the injection line carries no [authentication] for this user. */
  password?: string;
  /** Fields after field1 (field2, field3...): e.g. the user this line calls. */
  fields?: string[];
}

export interface SippRun {
  /** File name in tests/sipp/ (or an absolute path); ignored when `builtIn` is given. */
  scenario: string;
  /** One of SIPp's built-in scenarios (-sn), as a lab engineer would first try them. */
  builtIn?: 'uac' | 'uas';
  target: { host: string; port: number };
  transport?: 'UDP' | 'TCP';
  /**
   * Injection file (-inf, SEQUENTIAL), one line per call: field0 = username,
   * field1 = [authentication username=... password=...], then the user's `fields`.
   */
  users?: SippUser[];
  /** -key name value: the [name] keywords the scenario uses. */
  keys?: Record<string, string | number>;
  /** -m: calls to make; the number of users by default, else 1. */
  calls?: number;
  /** -timeout in seconds (default 10); SIPp is killed by PID 5 s later if it is still running. */
  timeoutSeconds?: number;
  /** -d: duration of <pause/> without milliseconds, in ms. */
  pauseMs?: number;
  /** -p: local SIP port (a free one by default). */
  localPort?: number;
  /** -i: local address (default 127.0.0.1; ::1 for IPv6, the target then written [::1]:port). */
  localHost?: string;
  args?: string[];
}

export interface SippMessage {
  direction: 'sent' | 'received';
  transport: string;
  /** Timestamp as SIPp wrote it. */
  at: string;
  bytes: Buffer;
  message: SipMessage | SipParseError;
}

export interface SippResult {
  /** SIPp's exit code: 0 all calls succeeded, 1 some failed, 97/99 other ends, null if killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the outer bound. */
  killed: boolean;
  durationMs: number;
  localPort: number;
  /** The last line of SIPp's statistics dump, by column name (e.g. "SuccessfulCall(C)"). */
  stats: Record<string, string>;
  successful: number;
  failed: number;
  /** SIPp's error log (unexpected messages, failed regular expressions...), '' when none. */
  errors: string;
  messages: SippMessage[];
  /** Responses SIPp received, in order. */
  responses: SipResponse[];
  /** Requests SIPp sent, in order. */
  requests: SipRequest[];
  /** A multi-line account of the run, for assertion messages. */
  describe(): string;
}

const MESSAGE_HEAD =
  /^-{10,} (\S+ \S+)\n(\w+) message (sent|received) (?:\((\d+) bytes\)|\[(\d+)\] bytes) ?:\n\n/gm;

/** Reads a -trace_msg log: each entry's header line gives the byte count of the message after it. */
export function parseMessageLog(text: string): SippMessage[] {
  const out: SippMessage[] = [];
  MESSAGE_HEAD.lastIndex = 0;
  for (let m = MESSAGE_HEAD.exec(text); m !== null; m = MESSAGE_HEAD.exec(text)) {
    const length = Number(m[4] ?? m[5]);
    const start = m.index + m[0].length;
    const bytes = Buffer.from(text.slice(start, start + length), 'latin1');
    out.push({
      direction: m[3] as 'sent' | 'received',
      transport: m[2]!,
      at: m[1]!,
      bytes,
      message: parseMessage(bytes),
    });
  }
  return out;
}

function parseStats(text: string): Record<string, string> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return {};
  const names = lines[0]!.split(';');
  const values = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

const readIf = (file: string): string => (existsSync(file) ? readFileSync(file, 'latin1') : '');

function injectionFile(users: SippUser[]): string {
  const lines = users.map(
    (u) =>
      (u.password === undefined
        ? `${u.username};`
        : `${u.username};[authentication username=${u.username} password=${u.password}]`) +
      (u.fields ?? []).map((f) => `;${f}`).join(''),
  );
  return `SEQUENTIAL\n${lines.join('\n')}\n`;
}

/** A SIPp run in progress (startSipp): its PID and port now, its result when it ends. */
export interface SippProcess {
  readonly pid: number | undefined;
  readonly localPort: number;
  /**
   * Resolves once SIPp's SIP socket is bound (read from /proc/net/udp or /proc/net/tcp, so nothing is
   * probed on the port itself); rejects if SIPp exits first or `timeoutMs` passes.
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves when SIPp has ended (its traces read, its folder removed). */
  readonly result: Promise<SippResult>;
  /** SIGKILL by PID if it still runs (the result then says killed). */
  kill(): void;
}

/** runSipp is `(await startSipp(run)).result`. */
export async function runSipp(run: SippRun): Promise<SippResult> {
  return (await startSipp(run)).result;
}

/** Is a socket bound to 127.0.0.1:port (or any address) in this /proc/net table? */
function boundIn(table: string, port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readIf(table)
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex) === true);
}

/**
 * Starts one bounded SIPp run and returns at once: for a UAS that must listen while the test does
 * something else. The run is bounded exactly as runSipp's.
 */
export async function startSipp(run: SippRun): Promise<SippProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-sipp-'));
  let started = false;
  try {
    const localHost = run.localHost ?? '127.0.0.1';
    const localPort = run.localPort ?? (await freePort(localHost));
    const controlPort = await freePort(localHost);
    const timeoutSeconds = run.timeoutSeconds ?? 10;
    const scenario = run.scenario.startsWith('/') ? run.scenario : join(SCENARIO_DIR, run.scenario);
    const files = {
      messages: join(dir, 'messages.log'),
      errors: join(dir, 'errors.log'),
      stats: join(dir, 'stats.csv'),
      screen: join(dir, 'screen.log'),
    };
    const args = [
      `${run.target.host.includes(':') ? `[${run.target.host}]` : run.target.host}:${run.target.port}`,
      ...(run.builtIn === undefined ? ['-sf', scenario] : ['-sn', run.builtIn]),
      '-i',
      localHost,
      '-p',
      String(localPort),
      '-cp',
      String(controlPort),
      '-t',
      run.transport === 'TCP' ? 't1' : 'u1',
      '-m',
      String(run.calls ?? (run.users?.length || 1)),
      '-timeout',
      String(timeoutSeconds),
      '-timeout_error',
      '-nostdin',
      '-trace_msg',
      '-message_file',
      files.messages,
      '-trace_err',
      '-error_file',
      files.errors,
      '-trace_stat',
      '-stf',
      files.stats,
      '-trace_screen',
      '-screen_file',
      files.screen,
    ];
    if (run.users !== undefined) {
      const inf = join(dir, 'users.csv');
      writeFileSync(inf, injectionFile(run.users));
      args.push('-inf', inf);
    }
    for (const [k, v] of Object.entries(run.keys ?? {})) args.push('-key', k, String(v));
    if (run.pauseMs !== undefined) args.push('-d', String(run.pauseMs));
    args.push(...(run.args ?? []));

    const startedAt = Date.now();
    const proc = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    started = true;
    let stdout = '';
    let stderr = '';
    // SIPp redraws its screen on stdout: keep only the tail.
    proc.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('latin1')).slice(-8000)));
    proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('latin1')).slice(-8000)));
    let killed = false;
    const guard = setTimeout(
      () => {
        if (proc.pid !== undefined && proc.exitCode === null) {
          killed = true;
          process.kill(proc.pid, 'SIGKILL');
        }
      },
      (timeoutSeconds + 5) * 1000,
    );
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      proc.on('error', (err) => {
        stderr += String(err);
        resolve([null, null]);
      });
      proc.on('close', (c, s) => resolve([c, s]));
    });
    let exited = false;
    void ended.then(() => (exited = true));

    const finish = async (): Promise<SippResult> => {
      const [code, signal] = await ended;
      clearTimeout(guard);
      const durationMs = Date.now() - startedAt;

      const stats = parseStats(readIf(files.stats));
      const errors = readIf(files.errors);
      const messageLog = readIf(files.messages);
      const screen = readIf(files.screen);
      const messages = parseMessageLog(messageLog);
      const responses = messages.flatMap((m) =>
        m.direction === 'received' && m.message instanceof SipResponse ? [m.message] : [],
      );
      const requests = messages.flatMap((m) =>
        m.direction === 'sent' && m.message instanceof SipRequest ? [m.message] : [],
      );
      const describe = (): string =>
        [
          `sipp ${args.join(' ')}`,
          `exit ${code ?? signal}${killed ? ' (killed by the outer bound)' : ''} after ${durationMs} ms`,
          `successful ${stats['SuccessfulCall(C)'] ?? '?'}, failed ${stats['FailedCall(C)'] ?? '?'}`,
          errors && `--- errors:\n${errors.slice(-4000)}`,
          stderr && `--- stderr:\n${stderr.slice(-2000)}`,
          !errors && screen && `--- last screen:\n${screen.slice(-3000)}`,
          `--- messages:\n${messageLog.slice(-6000)}`,
        ]
          .filter(Boolean)
          .join('\n');
      return {
        code,
        signal,
        killed,
        durationMs,
        localPort,
        stats,
        successful: Number(stats['SuccessfulCall(C)'] ?? NaN),
        failed: Number(stats['FailedCall(C)'] ?? NaN),
        errors,
        messages,
        responses,
        requests,
        describe,
      };
    };
    const result = finish().finally(() => rmSync(dir, { recursive: true, force: true }));
    const table = `/proc/net/${run.transport === 'TCP' ? 'tcp' : 'udp'}${localHost.includes(':') ? '6' : ''}`;
    const ready = async (timeoutMs = 5000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited) throw new Error(`SIPp ended before listening:\n${(await result).describe()}`);
        if (boundIn(table, localPort)) return;
        if (Date.now() > deadline)
          throw new Error(`SIPp is not listening on ${localPort} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const kill = (): void => {
      if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
        killed = true;
        process.kill(proc.pid, 'SIGKILL');
      }
    };
    return { pid: proc.pid, localPort, ready, result, kill };
  } finally {
    if (!started) rmSync(dir, { recursive: true, force: true });
  }
}
