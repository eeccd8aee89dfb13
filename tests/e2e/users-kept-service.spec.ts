// A user imported from the original's users.json keeps a service type the original let through (GOLD,
// README "IMP USER"); the Edit dialog's Service list has BASIC/PREMIUM/VIP/ENTERPRISE only, so it showed
// BASIC for that user while the table beside it said GOLD. It now shows the user's own value, and a Save
// of another field keeps it.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  logIn,
  openView,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-kept-service-'));
  // The original's data/users.json (reference §4.1), imported at the first start.
  writeFileSync(
    path.join(dataDir, 'users.json'),
    JSON.stringify({
      '2001': {
        password: '1234',
        name: 'Gold User',
        phone: '',
        email: '',
        service_type: 'GOLD',
        status: 'ACTIVE',
      },
      '2002': { password: '1234', name: 'Plain User', service_type: 'VIP', status: 'ACTIVE' },
    }),
  );
  server = await startLabServer(dataDir, '0', { SIP_WARMUP_CALLS: '0' });
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The user's service type as the server has it (DSP USER through the HTTP API). */
async function storedService(username: string): Promise<string> {
  const text = await mmlOverHttp(server!.baseUrl, `DSP USER USERNAME=${username}`);
  return /GOLD|BASIC|PREMIUM|VIP|ENTERPRISE/.exec(text)?.[0] ?? text;
}

test("Edit shows an imported user's own service type (GOLD), and Save keeps it", async ({ page }) => {
  await logIn(page, server!.baseUrl);
  await openView(page, 'Users');
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('GOLD');

  await page.getByRole('button', { name: 'Edit 2001' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit user 2001' });
  const service = dialog.getByRole('combobox', { name: 'Service' });
  await expect(service).toHaveValue('GOLD');
  await expect(service.getByRole('option', { name: 'GOLD (as stored: not one of the list)' })).toHaveCount(1);
  // Another one can be picked, and the user's own value picked back.
  await service.selectOption('PREMIUM');
  await service.selectOption('GOLD');
  await dialog.getByRole('textbox', { name: 'Phone' }).fill('555');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await storedService('2001')).toBe('GOLD');

  // A user whose type is in the list: the four, nothing added.
  await page.getByRole('button', { name: 'Edit 2002' }).click();
  const plain = page
    .getByRole('dialog', { name: 'Edit user 2002' })
    .getByRole('combobox', { name: 'Service' });
  await expect(plain).toHaveValue('VIP');
  await expect(plain.getByRole('option')).toHaveText(['BASIC', 'PREMIUM', 'VIP', 'ENTERPRISE']);

  // 中文: the same option, in Chinese.
  await page.getByRole('dialog', { name: 'Edit user 2002' }).getByRole('button', { name: 'Cancel' }).click();
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '修改 2001' }).click();
  const zh = page.getByRole('dialog', { name: '修改用户 2001' }).getByRole('combobox', { name: '服务类型' });
  await expect(zh).toHaveValue('GOLD');
  await expect(zh.getByRole('option', { name: 'GOLD（已存储的值，不在列表中）' })).toHaveCount(1);
});
