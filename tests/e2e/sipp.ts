// SIPp for the browser tests: a bounded run of a scenario of tests/sipp/ against the server under test.
// (Playwright loads specs as CommonJS, so the ESM helpers of tests/support/ are not used here.)
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SIPP = process.env.SIPP ?? '/usr/bin/sipp';
export const HAS_SIPP = existsSync(SIPP);
const SCENARIOS = path.resolve(__dirname, '../sipp');

/** A UDP port free right now on 127.0.0.1. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export interface SippRun {
  scenario: string;
  target: { host: string; port: number };
  port: number;
  /** One injection line: field0 = username, field1 = its credentials. */
  user?: { username: string; password: string };
  /** Injection lines, one per call (instead of `user`). */
  users?: { username: string; password: string }[];
  /** -m (default 1) and -r (calls per second). */
  calls?: number;
  rate?: number;
  keys?: Record<string, string | number>;
  pauseMs?: number;
  args?: string[];
}

/** Runs SIPp (-m calls, default 1; -timeout 15 s; killed by PID after 20 s); resolves with its exit code. */
export function sipp(run: SippRun): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-sipp-'));
  const args = [
    `${run.target.host}:${run.target.port}`,
    '-sf',
    path.join(SCENARIOS, run.scenario),
    '-i',
    '127.0.0.1',
    '-p',
    String(run.port),
    '-t',
    'u1',
    '-m',
    String(run.calls ?? 1),
    '-timeout',
    '15',
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file',
    path.join(dir, 'errors.log'),
  ];
  const users = run.users ?? (run.user ? [run.user] : []);
  if (users.length > 0) {
    const inf = path.join(dir, 'users.csv');
    const lines = users.map(
      (u) => `${u.username};[authentication username=${u.username} password=${u.password}]`,
    );
    writeFileSync(inf, `SEQUENTIAL\n${lines.join('\n')}\n`);
    args.push('-inf', inf);
  }
  if (run.rate !== undefined) args.push('-r', String(run.rate));
  for (const [k, v] of Object.entries(run.keys ?? {})) args.push('-key', k, String(v));
  if (run.pauseMs !== undefined) args.push('-d', String(run.pauseMs));
  args.push(...(run.args ?? []));
  const proc = spawn(SIPP, args, { cwd: dir, stdio: 'ignore' });
  const killer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    proc.once('exit', (code) => {
      clearTimeout(killer);
      const errors = path.join(dir, 'errors.log');
      if (code !== 0 && existsSync(errors)) process.stderr.write(readFileSync(errors, 'utf8').slice(0, 3000));
      rmSync(dir, { recursive: true, force: true });
      resolve(code ?? -1);
    });
  });
}

/**
 * A call through the server from 1001 to 1002: 1002 registered from a port where a SIPp UAS then
 * answers, and a SIPp UAC (answering the 407) that hangs up after `talkMs`. Resolves once both run;
 * each promise gives its SIPp's exit code.
 */
export async function sippCall(
  target: { host: string; port: number },
  talkMs: number,
): Promise<{ caller: Promise<number>; callee: Promise<number> }> {
  const port = await freeUdpPort();
  const user = { username: '1002', password: '1002' };
  const registered = await sipp({
    scenario: 'register_auth.xml',
    target,
    port,
    user,
    keys: { expires: 300 },
  });
  if (registered !== 0) throw new Error(`SIPp could not register 1002 (exit ${registered})`);
  const callee = sipp({ scenario: 'proxy_uas_answer.xml', target, port, pauseMs: 0 });
  await new Promise((r) => setTimeout(r, 300)); // SIPp binds its port
  const caller = sipp({
    scenario: 'proxy_uac_call.xml',
    target,
    port: await freeUdpPort(),
    user: { username: '1001', password: '1001' },
    keys: { callee: '1002' },
    pauseMs: talkMs,
    args: ['-auth_uri', `1002@${target.host}:${target.port}`],
  });
  return { caller, callee };
}
