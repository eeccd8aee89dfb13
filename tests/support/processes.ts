// Starting the built server as a child process in tests, and stopping it by its PID.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SERVER_BUNDLE = `${ROOT}out/core/server.js`;
export const HAS_BUILD = existsSync(SERVER_BUNDLE);

if (!HAS_BUILD)
  process.stderr.write(
    '[build] out/core/server.js not found: run `npm run build`; server tests are skipped\n',
  );

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the exit code (or the signal name) once the process ends. */
  exited: Promise<number | string>;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
}

export function startNode(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return startProgram(process.execPath, args, env);
}

/** Any program (a shell running a command, as npm does for a script), in the project's root. */
export function startProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(file, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = (): void => {
        const m = pattern.exec(out);
        if (m) return resolve(m[0]);
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        setTimeout(tick, 20);
      };
      tick();
    });
  return { proc, output: () => out, exited, waitFor };
}
