// The built renderer (out/renderer, from `npm run build`) in Debian's Chromium, with no backend:
// it must render the shell, report the headless transport, switch views, and log no errors.
// The page is served over HTTP because Chromium refuses module scripts from file:// origins.
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startStaticServer } from './static-server';

const ROOT = path.resolve(__dirname, '../..');
const RENDERER_DIR = path.join(ROOT, 'out/renderer');
const SCREENSHOT = path.join(ROOT, 'test-results/renderer-shell.png');

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

let server: Server;
let baseUrl: string;

test.beforeAll(async () => {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npm run build\` first`);
  }
  server = await startStaticServer(RENDERER_DIR);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test.use({ viewport: { width: 1280, height: 800 } });

test('renderer shell renders headless, switches views, and logs no errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto(baseUrl);

  await expect(page.getByRole('heading', { level: 1, name: 'IMS Lab' })).toBeVisible();
  await expect(page.getByTestId('transport')).toHaveText('headless');
  await expect(page.getByTestId('version')).toContainText('unknown');

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
