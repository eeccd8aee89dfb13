// Two dialer campaigns running at once in the Dialer view (Chromium against the built headless server):
// the progress card showed only the newest, so the older one's figures and its own Stop button were
// out of reach (only "Stop all calls"). Now a "Campaign shown" picker lists every running campaign; the
// card of the one picked has its figures and "Stop campaign <id>", which stops that one alone.
import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, ROOT, SERVER, startLabServer, stopLabServer, type LabServer } from './lab-console';
import { freeUdpPort, HAS_SIPP, sipp } from './sipp';

let lab: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  if (!existsSync(path.join(ROOT, 'out/renderer/index.html')) || !existsSync(SERVER)) {
    throw new Error('out/ is missing: run `npm run build` first');
  }
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-dialer-campaigns-'));
  lab = await startLabServer(dataDir);
  page = await browser.newPage();
  await logIn(page, lab.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

test('two campaigns ringing: each can be shown and stopped alone from its card', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  const sip = lab!.sip;
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Dialer', exact: true })
    .click();
  await page.getByRole('button', { name: 'Start service' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('registered as');

  // 1003 rings until cancelled (both campaigns' calls).
  const port = await freeUdpPort();
  const user = { username: '1003', password: '1003' };
  expect(await sipp({ scenario: 'register_auth.xml', target: sip, port, user, keys: { expires: 300 } })).toBe(
    0,
  );
  const ringer = sipp({ scenario: 'proxy_uas_ring_cancel.xml', target: sip, port, pauseMs: 0, calls: 2 });
  await new Promise((r) => setTimeout(r, 300)); // SIPp binds its port

  const form = page.getByRole('form', { name: 'New calls' });
  const progress = page.getByRole('region', { name: 'Progress' });
  await form.getByRole('textbox', { name: 'Callee' }).fill('1003');
  await form.getByRole('textbox', { name: 'Duration (s)' }).fill('2');
  await page.getByRole('button', { name: 'Place call' }).click();
  await expect(progress).toContainText('Campaign C0001: running');
  await page.getByRole('button', { name: 'Place call' }).click();
  await expect(progress).toContainText('Campaign C0002: running');

  const shown = progress.getByRole('combobox', { name: 'Campaign shown' });
  await expect(shown.getByRole('option')).toHaveText(['Campaign C0001: running', 'Campaign C0002: running']);
  // 中文: the picker has its label too.
  await page.getByLabel('Language').selectOption('zh');
  await expect(
    page.getByRole('region', { name: '进度' }).getByRole('combobox', { name: '显示的任务' }),
  ).toBeVisible();
  await page.getByLabel('Language').selectOption('en');
  await shown.selectOption('C0001');
  await expect(progress.getByRole('heading', { level: 3 })).toContainText('Campaign C0001: running');
  await progress.getByRole('button', { name: 'Stop campaign C0001' }).click();
  await expect(progress.getByRole('heading', { level: 3 })).toContainText('Campaign C0001: stopped', {
    timeout: 10_000,
  });
  // The other one runs on, and is still there to pick and stop.
  await shown.selectOption('C0002');
  await expect(progress.getByRole('heading', { level: 3 })).toContainText('Campaign C0002: running');
  await progress.getByRole('button', { name: 'Stop campaign C0002' }).click();
  await expect(progress.getByRole('heading', { level: 3 })).toContainText('Campaign C0002: stopped', {
    timeout: 10_000,
  });

  expect(await ringer).toBe(0);
});
