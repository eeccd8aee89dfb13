// The campaigns the dialer keeps, listed in the Dialer view (Chromium against the built headless server).
// README says DSP DIALSVC and the Dialer view list the last 100 campaigns, also after a restart; the view
// showed only the running ones and the newest, so a finished campaign was gone from the console as soon as
// another one started (findings F10). Now a "Campaigns" table lists them, newest first, and "Show
// campaign <id>" opens one's summary in the progress card: here three campaigns, then a restart.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
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

let lab: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-dialer-history-'));
  lab = await startLabServer(dataDir);
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs MML through the HTTP API; the answers' text. */
const mmlText = (script: string): Promise<string> => mmlOverHttp(lab!.baseUrl, script);

test('past campaigns are listed, newest first, and each summary opens; also after a restart', async () => {
  test.setTimeout(60_000);
  // Three campaigns to a number nobody registered: each call fails at once (404), each campaign ends.
  await mmlText('SET CFG KEY=DIALER.LOCAL_PORT VALUE=0;');
  expect(await mmlText('STR DIALSVC;')).toContain('RETCODE = 0');
  for (const n of ['4401', '4402', '4403']) {
    expect(await mmlText(`STR CALL SINGLE CALLEE=${n} DURATION=1;`)).toContain('RETCODE = 0');
    for (let i = 0; i < 100 && !(await mmlText('DSP DIALSVC;')).includes('finished'); i++)
      await new Promise((r) => setTimeout(r, 100));
  }

  const check = async (): Promise<void> => {
    await openView(page, 'Dialer');
    const list = page.getByRole('table', { name: 'Campaigns' });
    await expect(list.getByRole('row')).toHaveCount(4); // the header and three campaigns
    await expect(list.getByRole('row').nth(1)).toContainText('C0003');
    await expect(list.getByRole('row').nth(3)).toContainText('C0001');
    await expect(list.getByRole('row').nth(3)).toContainText('1 / 1');
    await list.getByRole('button', { name: 'Show campaign C0001' }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    await expect(progress.getByRole('heading', { level: 3 })).toContainText('Campaign C0001: finished');
    await expect(progress.getByRole('group', { name: 'Failed', exact: true })).toContainText('1');
    await expect(progress).toContainText('404');
  };
  await logIn(page, lab!.baseUrl);
  await check();

  // After a restart: the summaries kept in the database.
  await stopLabServer(lab);
  lab = await startLabServer(dataDir);
  await logIn(page, lab.baseUrl);
  await check();
  // 中文: the list and its buttons have their names too.
  await page.getByLabel('Language').selectOption('zh');
  await expect(
    page.getByRole('table', { name: '任务列表' }).getByRole('button', { name: '显示任务 C0002' }),
  ).toBeVisible();
  await page.getByLabel('Language').selectOption('en');
});
