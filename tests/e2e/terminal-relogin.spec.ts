// A session that ends under an open console (logged out elsewhere, expired) returns to the login page; after
// logging in again in the same tab, the Terminal has its half-typed line (it was empty) and its scrollback,
// and the Users view its open Add user dialog with what was typed in it (it was gone), the password to type
// again (never kept). And the header's Change password: the other console returns to the login page, this
// one stays; after Log out the new password opens the console, the old one is refused (the dialog's
// screenshots in English and 中文 under test-results/change-password/). In Debian's Chromium against the
// built server.
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  logIn,
  PASSWORD,
  requireBuild,
  ROOT,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-relogin-'));
  server = await startLabServer(dataDir);
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

test('the Terminal line, its scrollback and an open Add user dialog outlive a session that ended', async ({
  page,
}) => {
  await logIn(page, server!.baseUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'MML Terminal' }).click();
  const input = page.getByRole('textbox', { name: 'MML command' });
  const output = page.getByRole('region', { name: 'MML output' });
  await input.fill('DSP SRVSTAT');
  await input.press('Enter');
  await expect(output).toContainText('Uptime');
  const typed = 'MOD USER USERNAME=1001 NAME=half typed';
  await input.fill(typed);

  // On to Users, an Add user dialog half filled.
  const nav = page.getByRole('navigation', { name: 'Views' });
  await nav.getByRole('button', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill('5556');
  await dialog.getByLabel('Password').fill('Half-typed-5556');
  await dialog.getByLabel('Display name').fill('Wall Display');

  // Logged out elsewhere: the tab's own token revoked through the HTTP API.
  const token = await page.evaluate(() => sessionStorage.getItem('ims.token'));
  const res = await fetch(`${server!.baseUrl}api/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBeLessThan(300);
  await expect(page.getByText('Your session has ended')).toBeVisible();

  // Logged in again in the same tab (no reload): back on the Terminal, the line and the scrollback there.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('connection')).toContainText('connected');
  // Back on Users, the dialog as it was, its password empty.
  await expect(dialog.getByLabel('Username')).toHaveValue('5556');
  await expect(dialog.getByLabel('Display name')).toHaveValue('Wall Display');
  await expect(dialog.getByLabel('Password')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  // The Terminal, through another view, with its line and its scrollback.
  await nav.getByRole('button', { name: 'MML Terminal' }).click();
  await expect(input).toHaveValue(typed);
  await expect(output).toContainText('DSP SRVSTAT');
  await expect(output).toContainText('Uptime');
  // A dialog closed is not opened again.
  await nav.getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('button', { name: 'Add user' })).toBeVisible();
  await expect(dialog).toHaveCount(0);
});

test('Change password ends the other sessions and keeps this one; after Log out only the new password opens', async ({
  browser,
}) => {
  const shots = path.join(ROOT, 'test-results/change-password');
  mkdirSync(shots, { recursive: true });
  const other = await browser.newPage();
  await logIn(other, server!.baseUrl);
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await logIn(page, server!.baseUrl);
  const dialog = page.getByRole('dialog');
  const current = dialog.getByLabel('Current password');
  const next = dialog.getByLabel('New password', { exact: true });
  const repeat = dialog.getByLabel('Repeat new password');
  // In 中文 first: the same accessible names, the words Chinese.
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(dialog).toHaveAccessibleName('修改管理员密码');
  await expect(current).toBeFocused();
  await page.screenshot({ path: path.join(shots, 'zh-dialog.png') });
  await dialog.getByRole('button', { name: '取消' }).click();
  await page.getByLabel('Language').selectOption('en');

  await page.getByRole('button', { name: 'Change password' }).click();
  await current.fill(PASSWORD);
  await next.fill('short');
  await repeat.fill('short');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The new password is too short: at least 8 characters.');
  await expect(next).toBeFocused();
  await expect(next).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: path.join(shots, 'en-dialog-short.png') });
  const newPassword = 'e2e-changed-secret';
  await next.fill(newPassword);
  await repeat.fill(newPassword);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  // The other console's, and the first test's when it ran (its page closed without Log out).
  await expect(dialog.getByRole('status')).toContainText(/Other sessions ended: [12]\./);
  // The lab server was started with IMS_ADMIN_PASSWORD: the dialog says it puts its own back at a start.
  await expect(dialog.getByRole('status')).toContainText('started with IMS_ADMIN_PASSWORD');
  await page.screenshot({ path: path.join(shots, 'en-dialog-done.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The other console is back on the login page; this one is still connected.
  await expect(other.getByText('Your session has ended')).toBeVisible();
  await expect(page.getByTestId('connection')).toContainText('connected');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong password.');
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('connection')).toContainText('connected');
  await other.close();
  await page.close();
});
