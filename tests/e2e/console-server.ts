// The built headless server for the browser tests (out/core/server.js on a data folder, free ports,
// SIP on 127.0.0.1), and the console's login. Shared by console.spec.ts and trace.spec.ts.
import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'out/core/server.js');

export interface ConsoleServer {
  process: ChildProcess;
  /** Its start-up output. */
  output: string;
  baseUrl: string;
  sip: { host: string; port: number };
}

/** Throws unless `npm run build` has made the server and the renderer. */
export function requireBuild(): void {
  if (!existsSync(path.join(ROOT, 'out/renderer/index.html')) || !existsSync(SERVER)) {
    throw new Error('out/ is missing: run `npm run build` first');
  }
}

/** Starts the built server on the data folder; resolves once it serves the console and SIP. */
export function startConsoleServer(
  dataDir: string,
  password: string,
  httpPort = '0',
): Promise<ConsoleServer> {
  const proc = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      IMS_DATA_DIR: dataDir,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: httpPort,
      LOG_LEVEL: 'INFO',
      IMS_ADMIN_PASSWORD: password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<ConsoleServer>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${text}`)), 15_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/Console on http/.test(text) && /SIP on \S+ UDP \d+/.test(text)) {
        clearTimeout(timer);
        resolve({
          process: proc,
          output: text,
          baseUrl: /Console on (http:\/\/[\d.]+:\d+\/)/.exec(text)![1]!,
          sip: { host: '127.0.0.1', port: Number(/SIP on \S+ UDP (\d+)/.exec(text)![1]) },
        });
      }
    });
    proc.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${text}`)));
  });
}

/** Stops a server started here (SIGTERM, by its PID) and waits for it to exit. */
export async function stopConsoleServer(proc: ChildProcess | undefined): Promise<void> {
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

/** Logs the page in with the password; resolves once the console is connected. */
export async function logIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await expect(page.getByTestId('connection')).toContainText('connected');
}
