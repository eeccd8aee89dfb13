// A fresh server's empty lists say why they are empty, in both languages: Registrations said only "Nothing
// to show." (a new user's first step is registering a phone: it now says where to), and the CDR on a
// fresh day with no filter blamed "these filters" (it now says the day has no record; with a filter
// set, the filters are still named).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, requireBuild, startLabServer, stopLabServer, type LabServer } from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-empty-'));
  server = await startLabServer(dataDir, '0', { SIP_WARMUP_CALLS: '0' });
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();

test('Registrations and CDR, empty, say why and what to do, in English and 中文', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server!.baseUrl);
  const sip = `${server!.sip.host}:${server!.sip.port}`;

  await open(page, 'Registrations');
  const regs = page.getByRole('table', { name: 'Registrations' });
  await expect(regs).toContainText(
    `No phone registered yet. A phone registers to ${sip} (SIP over UDP or TCP) as a user of the Users view, with its password.`,
  );
  await page.getByLabel('Search registrations').fill('no-such-aor');
  await expect(regs).toContainText('No registration matches this search.');
  await page.getByLabel('Search registrations').fill('');

  await open(page, 'CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(cdr).toContainText(/Nothing recorded on \d{4}-\d\d-\d\d: no call, registration or message\./);
  await page.getByLabel('State', { exact: true }).selectOption('FAILED');
  await expect(cdr).toContainText('No record matches these filters.');
  await page.getByLabel('State', { exact: true }).selectOption('');

  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('table', { name: '话单' })).toContainText(
    /\d{4}-\d\d-\d\d 没有记录：没有呼叫、注册或消息。/,
  );
  await open(page, '注册');
  await expect(page.getByRole('table', { name: '注册' })).toContainText(
    `还没有终端注册。终端用“用户”页中的用户名和密码注册到 ${sip}（SIP，UDP 或 TCP）。`,
  );
  await page.getByLabel('Language').selectOption('en');
  await context.close();
});
