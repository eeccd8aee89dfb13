// The built headless server (out/core/server.js) as a test fixture: a temporary data folder with an
// optional config.json and imported users, SIP on 127.0.0.1 with free ports, stopped by its PID.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_BUNDLE, startNode, startProgram, type Child } from './processes';

export const LOOPBACK = '127.0.0.1';

export interface ImportedUser {
  username: string;
  password: string;
  status?: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
}

export interface LabServerOptions {
  /** Settings written to <dataDir>/config.json, by key (see core/config/settings.ts). */
  config?: Record<string, unknown>;
  /** Users imported with `server.js users import` before the server starts. */
  users?: ImportedUser[];
  /** Reuse a data folder (a restart); a fresh temporary one when omitted. */
  dataDir?: string;
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
  /** Started under `ulimit -n <fdLimit>` (through bash), so that its file descriptors run out early. */
  fdLimit?: number;
}

export interface LabServer {
  readonly child: Child;
  readonly pid: number;
  readonly dataDir: string;
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
  /** Bindings the start-up line says were loaded from the database. */
  readonly bindingsLoaded: number;
  /** SIGTERM by PID; resolves with the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | string>;
}

/** The environment of a built server on loopback, its ports picked free, with no start-up rehearsal. */
export function serverEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    IMS_DATA_DIR: dataDir,
    SIP_HOST: LOOPBACK,
    SIP_PORT: '0',
    HTTP_PORT: '0',
    LOG_LEVEL: 'INFO',
    // The start-up rehearsal has its own tests (tests/integration/proxy/rehearsal.test.ts); here it would
    // add seconds to every one of these starts.
    SIP_WARMUP_CALLS: '0',
    ...extra,
  };
}

/** Runs `server.js users import <file> --upsert` on the data folder; throws with its output on failure. */
export async function importUsers(dataDir: string, users: ImportedUser[]): Promise<void> {
  const file = join(dataDir, `users-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(users));
  const c = startNode([SERVER_BUNDLE, 'users', 'import', file, '--upsert'], serverEnv(dataDir));
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  const code = await c.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`users import exited ${code}:\n${c.output()}`);
}

export async function startLabServer(options: LabServerOptions = {}): Promise<LabServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ims-reg-'));
  if (options.config !== undefined)
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(options.config, null, 2));
  if (options.users !== undefined && options.users.length > 0) await importUsers(dataDir, options.users);
  const env = serverEnv(dataDir, options.env);
  const child =
    options.fdLimit === undefined
      ? startNode([SERVER_BUNDLE], env)
      : startProgram(
          'bash',
          ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$1"`, process.execPath, SERVER_BUNDLE],
          env,
        );
  const pid = child.proc.pid;
  if (pid === undefined) throw new Error('the server did not start (no PID)');
  let line: string;
  try {
    line = await child.waitFor(/SIP on \S+ UDP (\d+)(?: TCP (\d+))?[^\n]*?(\d+) bindings loaded/, 15_000);
  } catch (err) {
    child.proc.kill('SIGKILL');
    throw err;
  }
  const m = /UDP (\d+)(?: TCP (\d+))?[^\n]*?(\d+) bindings loaded/.exec(line)!;
  const stop = async (graceMs = 6000): Promise<number | string> => {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.exited;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.proc.exitCode === null && child.proc.signalCode === null) process.kill(pid, 'SIGKILL');
    }, graceMs);
    const code = await child.exited;
    clearTimeout(timer);
    return code;
  };
  return {
    child,
    pid,
    dataDir,
    host: LOOPBACK,
    udpPort: Number(m[1]),
    tcpPort: Number(m[2] ?? 0),
    bindingsLoaded: Number(m[3]),
    stop,
  };
}

/** Removes a temporary data folder (after the server stopped). */
export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** The web console's base URL, from the start-up line "Console on http://<host>:<port>/" (after SIP's). */
export async function consoleUrl(server: LabServer, timeoutMs = 10_000): Promise<string> {
  const line = await server.child.waitFor(/Console on (http:\/\/\S+?)\/? /, timeoutMs);
  return /Console on (http:\/\/\S+?)\/? /.exec(line)![1]!;
}

export interface MmlTableAnswer {
  key?: string;
  title?: string;
  columns: { key?: string; name: string; type: string }[];
  rows: unknown[][];
}

export interface MmlAnswer {
  results: { retcode: number; message: string; tables: MmlTableAnswer[] }[];
  text: string;
}

/**
 * Runs MML on a running server through its HTTP API as the admin, as `server.js mml` does: POST
 * /api/login with `password` (start the server with env IMS_ADMIN_PASSWORD to know it), POST /api/mml,
 * POST /api/logout. Throws with the server's answer unless both calls succeed.
 */
export async function runMml(server: LabServer, password: string, mml: string): Promise<MmlAnswer> {
  const base = await consoleUrl(server);
  const post = async (path: string, body: unknown, token?: string): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  const { token } = (await post('/api/login', { password })) as { token: string };
  try {
    return (await post('/api/mml', { mml }, token)) as MmlAnswer;
  } finally {
    await post('/api/logout', {}, token).catch(() => undefined);
  }
}
