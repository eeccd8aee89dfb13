// The built headless server (out/core/server.js) for the browser tests: started on a data folder with
// free ports, its console URL and SIP port read from its start-up output; stopped by its PID; and the
// console's login. (Playwright loads specs as CommonJS, so the ESM helpers of tests/support/ are not
// used here.)
import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'out/core/server.js');
export const PASSWORD = 'e2e-console-secret';

export interface LabServer {
  process: ChildProcess;
  /** What it printed until it was up. */
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

/**
 * Starts the built server on the data folder (with `env` added to its environment, e.g. its TZ);
 * resolves once its console and SIP are up.
 */
export function startLabServer(
  dataDir: string,
  httpPort = '0',
  env: Record<string, string> = {},
): Promise<LabServer> {
  const proc = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      ...env,
      IMS_DATA_DIR: dataDir,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: httpPort,
      LOG_LEVEL: 'INFO',
      IMS_ADMIN_PASSWORD: PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<LabServer>((resolve, reject) => {
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

/** Stops the server (SIGTERM to its PID) and waits for it to exit. */
export async function stopLabServer(s: LabServer | undefined): Promise<void> {
  const proc = s?.process;
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

/** Opens the console and logs in with the test password. */
export async function logIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await expect(page.getByTestId('connection')).toContainText('connected');
}

/** A session token for the admin, from the HTTP API (for WebSocket and API calls beside the page). */
export async function apiToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * Runs MML through the HTTP API (as `server.js mml` does), answers in English: their text. Throws
 * unless the API answered 200 (whatever the commands' RETCODEs).
 */
export async function mmlOverHttp(baseUrl: string, script: string): Promise<string> {
  const res = await fetch(`${baseUrl}api/mml`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiToken(baseUrl)}` },
    body: JSON.stringify({ mml: script, lang: 'en' }),
  });
  if (res.status !== 200) throw new Error(`POST api/mml answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { text: string }).text;
}

/** The views in the navigation's order: their names in English and in 中文. */
export const VIEWS_EN = [
  'Overview',
  'MML Terminal',
  'Users',
  'Registrations',
  'Calls',
  'CDR',
  'Dialer',
  'Trace',
  'Performance',
  'Configuration',
  'Logs',
];
export const VIEWS_ZH = [
  '概览',
  'MML 终端',
  '用户',
  '注册',
  '呼叫',
  '话单',
  '外呼',
  '信令跟踪',
  '性能',
  '配置',
  '日志',
];

/** Opens a view by its button in the Views navigation (its accessible name, in the console's language). */
export function openView(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

/** A view: its English and Chinese names in the navigation, and the screenshot's name for it. */
export type ShotView = [en: string, zh: string, slug: string];

/**
 * Screenshots of `views` under `dir`, at 1366×820 and 1024×700, in English dark (en-dark-<w>-<slug>) and
 * 中文 light (zh-light-<w>-<slug>); the page is left in English dark at 1366×820.
 */
export async function shootViews(page: Page, views: readonly ShotView[], dir: string): Promise<void> {
  const open = (name: string) => openView(page, name);
  const shoot = async (view: string, name: string) => {
    await open(view);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  };
  for (const [w, h] of [
    [1366, 820],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const [en, , slug] of views) await shoot(en, `en-dark-${w}-${slug}`);
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('button', { name: 'Theme' }).click();
    for (const [, zh, slug] of views) await shoot(zh, `zh-light-${w}-${slug}`);
    await page.getByRole('button', { name: 'Theme' }).click();
    await page.getByLabel('Language').selectOption('en');
  }
  await page.setViewportSize({ width: 1366, height: 820 });
}
