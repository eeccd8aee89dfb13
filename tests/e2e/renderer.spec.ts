// The built renderer (out/renderer, from `npm run build`) in Debian's Chromium, served by the built
// headless server (out/core/server.js on free ports, a temporary data folder): it must render the
// shell, report the headless transport and the server's version, switch views, and log no errors.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'out/core/server.js');
const SCREENSHOT = path.join(ROOT, 'test-results/renderer-shell.png');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

const VIEW_LABELS = [
  'MML Terminal',
  'Users',
  'Registrations',
  'Calls',
  'CDR',
  'Dialer',
  'Performance',
  'Logs',
];

let server: ChildProcess;
let dataDir: string;
let baseUrl: string;

test.beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'out/renderer/index.html')) || !existsSync(SERVER)) {
    throw new Error('out/ is missing: run `npm run build` first');
  }
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-'));
  server = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      IMS_DATA_DIR: dataDir,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      IMS_ADMIN_PASSWORD: 'e2e-test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 15_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Console on (http:\/\/[\d.]+:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
});

test.afterAll(async () => {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test.use({ viewport: { width: 1280, height: 800 } });

test('renderer shell renders headless with the server version, switches views, and logs no errors', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto(baseUrl);

  await expect(page.getByRole('heading', { level: 1, name: 'IMS Lab' })).toBeVisible();
  await expect(page.getByTestId('transport')).toHaveText('headless');
  await expect(page.getByTestId('version')).toContainText(VERSION);

  const nav = page.getByRole('navigation', { name: 'Views' });
  const items = nav.getByRole('button');
  await expect(items).toHaveCount(VIEW_LABELS.length);
  for (const [i, label] of VIEW_LABELS.entries()) {
    await expect(items.nth(i)).toHaveAccessibleName(label);
  }

  const panelTitle = page.getByRole('main').getByRole('heading', { level: 2 });
  await expect(panelTitle).toHaveText('MML Terminal');

  await nav.getByRole('button', { name: 'Calls', exact: true }).click();
  await expect(panelTitle).toHaveText('Calls');
  await expect(page.getByTestId('selected-view')).toHaveText('Selected view: Calls');
  await expect(nav.getByRole('button', { name: 'Calls', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);

  await page.screenshot({ path: SCREENSHOT });
  expect(errors).toEqual([]);
});
