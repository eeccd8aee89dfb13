// The console's language before and at login, in Debian's Chromium against the built headless server:
// the names README gives as the browser tests' contract stay English in 中文 (the Password field and the
// Log in button).
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PASSWORD, requireBuild, startLabServer, stopLabServer, type LabServer } from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-lang-'));
  server = await startLabServer(dataDir);
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

test('login in 中文: the Password field and the Log in button keep their English names', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server!.baseUrl);
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('heading', { level: 2 })).toContainText('登录');
  const button = page.getByRole('button', { name: 'Log in', exact: true });
  await expect(button).toHaveText('登录');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await button.click();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await context.close();
});
