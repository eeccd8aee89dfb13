// Two operators on one user (two browser contexts against the built headless server): the Users view's
// Edit dialog said nothing when another operator changed or removed the user while it was open, and its
// Save overwrote the other's change unseen. Now the dialog says so ("Changed by another operator…" with
// Reload; "This user was removed…", Save off), and Save's MOD USER carries IF_UPDATED= the Updated time
// the form read: the server refuses a save based on an older one, changing nothing. The Configuration
// view's Edit dialog likewise (SET CFG ... IF_VALUE=). Screenshots under test-results/users-edit-conflict/.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT,
  logIn,
  mmlOverHttp,
  openView,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/users-edit-conflict');

let server: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-users-edit-conflict-'));
  server = await startLabServer(dataDir, '0', { SIP_WARMUP_CALLS: '0' });
  const added = await mmlOverHttp(
    server.baseUrl,
    'ADD USER USERNAME=3001 PASSWORD=pw3001; ADD USER USERNAME=3002 PASSWORD=pw3002;',
  );
  expect(added.match(/RETCODE = 0/g)).toHaveLength(2);
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** An operator: a console of its own (a browser context) in the Users view. */
async function operator(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
  await logIn(page, server!.baseUrl);
  await openView(page, 'Users');
  return page;
}

/** Opens the Edit dialog of `username`, sets its Phone, and saves (or leaves it open with `save` false). */
async function editPhone(page: Page, username: string, phone: string, save = true) {
  await page.getByRole('button', { name: `Edit ${username}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit user ${username}` });
  await dialog.getByRole('textbox', { name: 'Phone' }).fill(phone);
  if (save) {
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }
  return dialog;
}

const storedPhone = async (username: string): Promise<string> =>
  /Phone\s+=\s+(\S*)/.exec(await mmlOverHttp(server!.baseUrl, `DSP USER USERNAME=${username}`))?.[1] ?? '';

test("another operator's change while the dialog is open: said, Save refused, Reload edits it as it is", async ({
  browser,
}) => {
  const a = await operator(browser);
  const b = await operator(browser);
  const dialog = await editPhone(a, '3001', '111', false);

  // B changes the same user meanwhile.
  await editPhone(b, '3001', '222');
  expect(await storedPhone('3001')).toBe('222');

  // A's dialog says so, and A's save does not overwrite B's change.
  await expect(dialog.getByRole('alert').first()).toHaveText(
    /^Changed by another operator since you opened this: Save would be refused\./,
  );
  // Save is off until reloaded: it would be refused (it stayed on, and its refusal gave ISO times and an MML
  // command to type).
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await expect(dialog.getByRole('textbox', { name: 'Username' })).not.toHaveAttribute('aria-invalid', 'true');
  await a.screenshot({ path: path.join(SHOTS, 'en-changed.png') });
  await expect(dialog).toBeVisible();
  expect(await storedPhone('3001')).toBe('222');

  // Reload: the form as the user is now; a save based on it goes through.
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Phone' })).toHaveValue('222');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Phone' }).fill('333');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await storedPhone('3001')).toBe('333');

  // 中文.
  await a.getByLabel('Language').selectOption('zh');
  await a.getByRole('button', { name: '修改 3001' }).click();
  const zh = a.getByRole('dialog', { name: '修改用户 3001' });
  await zh.getByRole('textbox', { name: '显示名称' }).fill('Operator A');
  await mmlOverHttp(server!.baseUrl, 'MOD USER USERNAME=3001 EMAIL=x@example.com;'); // by MML this time
  await expect(zh.getByRole('alert')).toHaveText(/^打开后此用户已被其他操作员修改：保存将被拒绝。/);
  await expect(zh.getByRole('button', { name: '重新载入' })).toBeVisible();
  await a.screenshot({ path: path.join(SHOTS, 'zh-changed.png') });
  await a.getByLabel('Language').selectOption('en');
  await a.getByRole('dialog', { name: 'Edit user 3001' }).getByRole('button', { name: 'Cancel' }).click();

  // A dialog nothing was typed in yet just shows the user as it is now: no notice, nothing lost.
  await a.getByRole('button', { name: 'Edit 3001' }).click();
  const fresh = a.getByRole('dialog', { name: 'Edit user 3001' });
  await expect(fresh.getByRole('textbox', { name: 'E-mail' })).toHaveValue('x@example.com');
  await mmlOverHttp(server!.baseUrl, 'MOD USER USERNAME=3001 PHONE=555;');
  await expect(fresh.getByRole('textbox', { name: 'Phone' })).toHaveValue('555');
  await expect(fresh.getByRole('alert')).toHaveCount(0);
  await fresh.getByRole('textbox', { name: 'Phone' }).fill('556');
  await fresh.getByRole('button', { name: 'Save' }).click();
  await expect(fresh).toBeHidden();
  expect(await storedPhone('3001')).toBe('556');
  await a.context().close();
  await b.context().close();
});

test('the user removed while the dialog is open: said, nothing to save', async ({ browser }) => {
  const a = await operator(browser);
  const b = await operator(browser);
  const dialog = await editPhone(a, '3002', '444', false);

  await b.getByRole('button', { name: 'Delete 3002' }).click();
  await b.getByRole('dialog', { name: 'Delete user 3002' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(b.getByRole('button', { name: 'Edit 3002' })).toHaveCount(0);

  await expect(dialog.getByRole('alert')).toHaveText(
    'This user was removed by another operator since you opened this: there is nothing to save.',
  );
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await a.screenshot({ path: path.join(SHOTS, 'en-removed.png') });
  await a.context().close();
  await b.context().close();
});

test('a setting another operator changes while its Edit dialog is open: said with the new value, Save refused (IF_VALUE=)', async ({
  browser,
}) => {
  const a = await operator(browser);
  await openView(a, 'Configuration');
  await a.getByLabel('Search settings').fill('PROXY.TIMER_C');
  await a.getByRole('button', { name: 'Edit PROXY.TIMER_C' }).click();
  const dialog = a.getByRole('dialog', { name: 'Set PROXY.TIMER_C' });
  await dialog.getByRole('textbox', { name: 'Value' }).fill('240');
  await mmlOverHttp(server!.baseUrl, 'SET CFG KEY=PROXY.TIMER_C VALUE=90;'); // the other operator
  await expect(dialog.getByRole('alert')).toHaveText(
    /^Changed by another operator to 90 since you opened this/,
  );
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('PROXY.TIMER_C was changed since it was 180 (now 90): nothing changed');
  expect(await mmlOverHttp(server!.baseUrl, 'DSP CFG KEY=PROXY.TIMER_C')).toMatch(/Value {2}= {2}90\n/);
  await a.screenshot({ path: path.join(SHOTS, 'en-setting-changed.png') });
  // Reload: the value as it is now; a save based on it goes through, its outcome on the view's line.
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Value' })).toHaveValue('90');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Value' }).fill('240');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(a.locator('.outcome[role="status"]')).toContainText('PROXY.TIMER_C = 240 (was 90)');
  await a.context().close();
});

test('the TLS certificate and key another operator sets while their dialog is open: said, Save refused (IF_VALUE=, IF_TLS_KEY=)', async ({
  browser,
}) => {
  const a = await operator(browser);
  await openView(a, 'Configuration');
  await a.getByLabel('Search settings').fill('SIP.TLS_');
  await a.getByRole('button', { name: 'Edit SIP.TLS_KEY' }).click();
  const dialog = a.getByRole('dialog', { name: 'Set the TLS certificate and key' });
  await dialog.getByRole('textbox', { name: 'Certificate file (SIP.TLS_CERT)' }).fill('/etc/ims/mine.crt');
  await dialog.getByRole('textbox', { name: 'Private key file (SIP.TLS_KEY)' }).fill('/etc/ims/mine.key');
  // The other operator puts the data folder's pair in force by name.
  const tls = path.join(dataDir, 'tls');
  await mmlOverHttp(
    server!.baseUrl,
    `SET CFG KEY=SIP.TLS_CERT VALUE="${tls}/cert.pem" TLS_KEY="${tls}/key.pem";`,
  );
  await expect(dialog.getByRole('alert')).toHaveText(
    /^Changed by another operator to SIP\.TLS_CERT = \S*cert\.pem, SIP\.TLS_KEY = \S*key\.pem since you opened this/,
  );
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('SIP.TLS_CERT was changed since it was "" (now');
  expect(await mmlOverHttp(server!.baseUrl, 'DSP CFG KEY=SIP.TLS_KEY')).toMatch(
    /Value {2}= {2}\S*key\.pem\n/,
  );
  await a.screenshot({ path: path.join(SHOTS, 'en-tls-pair-changed.png') });
  // Reload: the pair as it is now, the line gone.
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Private key file (SIP.TLS_KEY)' })).toHaveValue(
    /key\.pem$/,
  );
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await a.context().close();
});
