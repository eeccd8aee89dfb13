// The Dialer view's two tables (Campaigns and the calls) in a 1024×700 and a 1366×820 window, in English
// and 中文 (Chromium against the built headless server): neither scrolls sideways and no column header is
// cut with an ellipsis. At 1,024 px both scrolled sideways (the calls' fixed columns alone were 1,228 px)
// and at 1,366 px "Placed / total" read "Placed / to…". Now their headers wrap and the columns are sized
// for what they hold (as the Trace and Users views were fitted). Needs no SIPp: campaigns to a number
// nobody registered fail at once (404), leaving finished campaigns and calls. Screenshots under
// test-results/dialer-narrow/.
import { expect, test, type Page } from '@playwright/test';
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

const SHOTS = path.join(ROOT, 'test-results/dialer-narrow');

let lab: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-dialer-narrow-'));
  lab = await startLabServer(dataDir);
  page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

/** What overflows in the table named `name`: its scroller's extra width, and each header cut. */
async function overflowOf(name: string): Promise<{ sideways: number; cut: string[] }> {
  const table = page.getByRole('table', { name, exact: true });
  await expect(table).toBeVisible();
  return table.evaluate((el) => {
    const scroller = el.closest('.table-scroll')!;
    const cut = [...el.querySelectorAll('th')]
      .filter((th) => th.scrollWidth > th.clientWidth)
      .map((th) => `${th.textContent} (${th.scrollWidth} > ${th.clientWidth})`);
    return { sideways: scroller.scrollWidth - scroller.clientWidth, cut };
  });
}

test('at 1,024 and 1,366 px the Campaigns and calls tables fit, their headers whole, in English and 中文', async () => {
  test.setTimeout(60_000);
  await mmlOverHttp(lab!.baseUrl, 'SET CFG KEY=DIALER.LOCAL_PORT VALUE=0;');
  expect(await mmlOverHttp(lab!.baseUrl, 'STR DIALSVC;')).toContain('RETCODE = 0');
  for (const n of ['4401', '4402']) {
    expect(await mmlOverHttp(lab!.baseUrl, `STR CALL SINGLE CALLEE=${n} DURATION=1;`)).toContain(
      'RETCODE = 0',
    );
    for (let i = 0; i < 100 && !(await mmlOverHttp(lab!.baseUrl, 'DSP DIALSVC;')).includes('finished'); i++)
      await new Promise((r) => setTimeout(r, 100));
  }
  await logIn(page, lab!.baseUrl);
  await openView(page, 'Dialer');
  await expect(page.getByRole('table', { name: 'Dialer calls' }).getByRole('row')).toHaveCount(3);

  const found: string[] = [];
  for (const [w, h] of [
    [1024, 700],
    [1366, 820],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const [lang, tables] of [
      ['en', ['Campaigns', 'Dialer calls']],
      ['zh', ['任务列表', '外呼记录']],
    ] as const) {
      await page.getByLabel('Language').selectOption(lang);
      for (const name of tables) {
        const { sideways, cut } = await overflowOf(name);
        if (sideways > 0) found.push(`${w} px ${name}: scrolls sideways by ${sideways} px`);
        for (const header of cut) found.push(`${w} px ${name}: header cut ${header}`);
      }
      // The view scrolls: the tables brought into sight for the screenshot.
      await page
        .getByRole('table', { name: tables[1], exact: true })
        .evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await page.screenshot({ path: path.join(SHOTS, `${lang}-${w}-dialer.png`) });
    }
    await page.getByLabel('Language').selectOption('en');
  }
  expect(found).toEqual([]);
});
