// A session that ends under an open console (logged out elsewhere, expired) returns to the login page; after
// logging in again in the same tab, the Terminal has its half-typed line (it was empty) and its scrollback,
// and the Users view its open Add user dialog with what was typed in it (it was gone), the password to type
// again (never kept). In Debian's Chromium against the built server.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, PASSWORD, requireBuild, startLabServer, stopLabServer, type LabServer } from './lab-console';

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
