// The CDR view's Callee, State and Call-ID filters, checked in Debian's Chromium against the built headless
// server with real calls from SIPp: one answered (1001 → 1002) and two failed (480: 1003 is not
// registered), each with a Call-ID of its own. "My failed calls to 1003" and "that Call-ID" (a part of
// it, in any case) each find their rows, and Export CSV writes exactly the rows the list shows. The
// filters' accessible names are English in both languages; screenshots of the view with its filters at
// 1280 and 1024 px, in English and 中文, under test-results/cdr-filters/.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCsv } from '../support/csv';
import { logIn, requireBuild, ROOT, startLabServer, stopLabServer, type LabServer } from './lab-console';
import { freeUdpPort, HAS_SIPP, sipp, sippCall } from './sipp';

const SHOTS = path.join(ROOT, 'test-results/cdr-filters');

let server: LabServer | undefined;
let dataDir: string;
let page: Page;
const cdrQueries: { callee?: string }[] = [];

test.describe.configure({ mode: 'serial' });

/** A call from `caller` to 1003, which no one registered: 480, a FAILED row; its Call-ID begins with `tag`. */
async function failedCall(caller: string, tag: string): Promise<void> {
  const code = await sipp({
    scenario: 'proxy_uac_rejected.xml',
    target: server!.sip,
    port: await freeUdpPort(),
    user: { username: caller, password: caller },
    keys: { callee: '1003' },
    args: ['-auth_uri', `1003@${server!.sip.host}:${server!.sip.port}`, '-cid_str', `${tag}-%u-%p@%s`],
  });
  expect(code).toBe(0);
}

test.beforeAll(async ({ browser }) => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-cdr-filters-'));
  server = await startLabServer(dataDir);
  // 1001 → 1002, answered and hung up; 1001 → 1003 and 1002 → 1003, 480 Temporarily Unavailable.
  const { caller, callee } = await sippCall(server.sip, 200);
  expect(await caller).toBe(0);
  expect(await callee).toBe(0);
  await failedCall('1001', 'CdrFilterFirst');
  await failedCall('1002', 'CdrFilterSecond');
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The cdr snapshots the console asks for, read off its WebSocket.
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const m = typeof payload === 'string' ? (JSON.parse(payload) as { name?: string; query?: object }) : {};
      if (m.name === 'cdr') cdrQueries.push(m.query ?? {});
    }),
  );
  await logIn(page, server.baseUrl);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'CDR', exact: true })
    .click();
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const table = (): Locator => page.getByRole('table', { name: 'CDR' });

/** The list's rows as "state caller>callee" (header left out). */
async function listed(): Promise<string[]> {
  const rows = table().locator('tbody tr');
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).getByRole('cell').allInnerTexts();
    out.push(`${cells[2]} ${cells[3]}>${cells[4]}`);
  }
  return out;
}

/** Waits until the list shows exactly `rows` (newest first), the count line agreeing. */
async function shows(rows: string[]): Promise<void> {
  await expect(page.getByText(`Showing 1–${rows.length} of ${rows.length}`)).toBeVisible();
  await expect.poll(listed).toEqual(rows);
}

/** Export CSV with the filters shown: the file's rows as "state caller>callee", newest first, and Call-IDs. */
async function exported(): Promise<{ rows: string[]; callIds: string[] }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readCsv(readFileSync(await (await download).path(), 'utf8'));
  const [header, ...records] = csv;
  const col = (name: string): number => header!.indexOf(name);
  const newestFirst = records.reverse(); // the file is oldest first, the list newest first
  return {
    rows: newestFirst.map(
      (r) => `${r[col('call_state')]} ${r[col('caller_number')]}>${r[col('callee_number')]}`,
    ),
    callIds: newestFirst.map((r) => r[col('sip_call_id')]!),
  };
}

test('Callee, State and a part of a Call-ID find the rows, and Export CSV holds exactly them', async () => {
  await expect(
    table()
      .getByRole('row', { name: /CdrFilter|1003/ })
      .first(),
  ).toBeVisible();
  // "The failed calls to 1003": the callee's number exactly, then the state. Typed key by key, the list
  // is asked once typing pauses, not for 1, 10 and 100.
  cdrQueries.length = 0;
  await page.getByLabel('Callee', { exact: true }).pressSequentially('1003');
  await shows(['FAILED 1002>1003', 'FAILED 1001>1003']);
  expect(cdrQueries.map((q) => q.callee).filter((c) => c !== undefined)).toEqual(['1003']);
  await page.getByLabel('State', { exact: true }).selectOption('FAILED');
  await shows(['FAILED 1002>1003', 'FAILED 1001>1003']);
  let file = await exported();
  expect(file.rows).toEqual(await listed());
  await page.getByLabel('Callee', { exact: true }).fill('1002');
  await expect(page.getByText('No record matches these filters.')).toBeVisible();
  await page.getByLabel('State', { exact: true }).selectOption('ENDED');
  await shows(['ENDED 1001>1002']);
  await page.getByLabel('Callee', { exact: true }).fill('');
  await page.getByLabel('State', { exact: true }).selectOption('FAILED');
  await shows(['FAILED 1002>1003', 'FAILED 1001>1003']);

  // "That Call-ID": a part of it, in another case.
  await page.getByLabel('Call-ID', { exact: true }).fill('cdrfilterfirst-1-');
  await shows(['FAILED 1001>1003']);
  await expect(page.getByRole('button', { name: 'Newest' })).toBeDisabled();
  file = await exported();
  expect(file.rows).toEqual(['FAILED 1001>1003']);
  expect(file.callIds).toEqual([expect.stringMatching(/^CdrFilterFirst-1-\d+@127\.0\.0\.1$/)]);
  // The whole Call-ID, exactly, finds it too; with the other state, nothing.
  await page.getByLabel('Call-ID', { exact: true }).fill(file.callIds[0]!);
  await shows(['FAILED 1001>1003']);
  await page.getByLabel('State', { exact: true }).selectOption('ENDED');
  await expect(page.getByText('No record matches these filters.')).toBeVisible();
  await page.getByLabel('State', { exact: true }).selectOption('');
  await page.getByLabel('Call-ID', { exact: true }).fill('CDRFILTER');
  await shows(['FAILED 1002>1003', 'FAILED 1001>1003']);
  // With the caller's filter (its name unchanged) beside them.
  await page.getByLabel('Caller (number)').fill('1002');
  await shows(['FAILED 1002>1003']);
  file = await exported();
  expect(file.rows).toEqual(['FAILED 1002>1003']);
  expect(file.callIds).toEqual([expect.stringMatching(/^CdrFilterSecond-1-/)]);

  // The view with its filters: tidy at 1280 and 1024 px; the filters in one toolbar, none cut off.
  await page.getByLabel('Caller (number)').fill('');
  await page.getByLabel('State', { exact: true }).selectOption('FAILED');
  await page.getByLabel('Callee', { exact: true }).fill('1003');
  await shows(['FAILED 1002>1003', 'FAILED 1001>1003']);
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 720 });
    for (const name of ['Day', 'Type', 'State', 'Caller (number)', 'Callee', 'Call-ID']) {
      await expect(page.getByLabel(name, { exact: true })).toBeInViewport({ ratio: 1 });
    }
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: path.join(SHOTS, `en-dark-${width}-cdr-filters.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('in 中文 the filters show Chinese and keep their English names', async () => {
  await page.getByLabel('Language').selectOption('zh');
  try {
    // Labelled in Chinese, named in English.
    const filters = page.getByRole('group', { name: '筛选条件' });
    for (const [zh, name] of [
      ['主叫', '主叫号码'],
      ['被叫', 'Callee'],
      ['状态', 'State'],
      ['Call-ID', 'Call-ID'],
    ] as const) {
      await expect(filters.locator('label', { hasText: zh }).getByLabel(name, { exact: true })).toBeVisible();
    }
    await expect(page.getByLabel('Callee', { exact: true })).toHaveAttribute('placeholder', '号码');
    await expect(page.getByLabel('Call-ID', { exact: true })).toHaveAttribute('placeholder', '或其一部分');
    const state = page.getByLabel('State', { exact: true });
    await expect(state.locator('option').first()).toHaveText('任意状态');
    await expect(state.locator('option:checked')).toHaveText('失败');
    await expect(state).toHaveValue('FAILED');
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 720 });
      await expect(page.getByRole('button', { name: '导出 CSV' })).toBeInViewport({ ratio: 1 });
      await page.screenshot({ path: path.join(SHOTS, `zh-dark-${width}-cdr-filters.png`) });
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('Language').selectOption('en');
  }
});
