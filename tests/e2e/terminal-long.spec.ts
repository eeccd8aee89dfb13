// A long result in the MML terminal: DSP USER ALL of 30,000 users shows its first 2,000 lines and its
// last few (the count, END) with how many are left out, "Show 2,000 more lines" and "Download"; Copy and
// the downloaded file hold it whole. Every line as elements, 98,000 users were 196,000 DOM nodes and held
// the tab 23 s. Checked in Debian's Chromium against the built server, on the DOM's size and what is
// shown (not on time). Screenshots in English and 中文 under test-results/terminal-long/.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  logIn,
  requireBuild,
  ROOT,
  SERVER,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/terminal-long');
const USERS = 30_000;

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-terminal-long-'));
  // 30,000 users imported beside the server before it starts (README: `server.js users import`).
  const users: Record<string, { username: string; password: string; status: string }> = {};
  for (let i = 0; i < USERS; i++) {
    const username = String(500_000 + i);
    users[username] = { username, password: `pw${username}`, status: 'ACTIVE' };
  }
  const file = path.join(dataDir, 'many-users.json');
  writeFileSync(file, JSON.stringify(users));
  execFileSync(process.execPath, [SERVER, 'users', 'import', file], {
    env: { ...process.env, IMS_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  server = await startLabServer(dataDir);
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  page = await context.newPage();
  await logIn(page, server.baseUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'MML Terminal' }).click();
});

test.afterAll(async () => {
  await page?.context().close();
  await stopLabServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const output = () => page.getByRole('region', { name: 'MML output' });
const entry = () => output().getByRole('article', { name: 'DSP USER ALL' });
/** Elements in the output region. */
const nodes = () => output().evaluate((el) => el.querySelectorAll('*').length);
/** Users' rows shown (a line beginning with a username of the import). */
const rowsShown = () => entry().evaluate((el) => (el.textContent ?? '').match(/^\s*5\d{5}\s/gm)?.length ?? 0);

test('DSP USER ALL of 30,000 users shows its first lines and its last; the rest on request, whole in Copy and Download', async () => {
  test.setTimeout(90_000);
  const input = page.getByRole('textbox', { name: 'MML command' });
  await input.fill('DSP USER ALL');
  await input.press('Enter');
  await expect(entry()).toContainText(`(Number of results = ${USERS})`, { timeout: 30_000 });
  await expect(entry()).toContainText('RETCODE = 0');
  // The first 2,000 lines and the last 5: a few thousand elements, not every line's.
  const shown = await rowsShown();
  expect(shown).toBeGreaterThan(1900);
  expect(shown).toBeLessThan(2000);
  expect(await nodes()).toBeLessThan(12_000);
  await expect(entry()).toContainText(/… [\d,]+ lines not shown …/);
  await expect(entry()).toContainText(/lines in all/);
  await page.screenshot({ path: path.join(SHOTS, 'en-dark-terminal-long.png') });

  // Show more: 2,000 lines more.
  await page.getByRole('button', { name: 'Show 2,000 more lines of DSP USER ALL result' }).click();
  await expect.poll(rowsShown).toBe(shown + 2000);

  // Copy: the whole result.
  await page.getByRole('button', { name: 'Copy DSP USER ALL result' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await output().evaluate((el) =>
    el.ownerDocument.defaultView!.navigator.clipboard.readText(),
  );
  expect(copied.match(/^\s*5\d{5}\s/gm)).toHaveLength(USERS);

  // Download: the same text, as a file.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download DSP USER ALL result' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^mml_DSP_USER_ALL_\d{8}T\d{6}\.txt$/);
  const text = readFileSync(await file.path(), 'utf8');
  expect(text).toBe(copied);
  expect(text.startsWith('MML> DSP USER ALL\n')).toBe(true);

  // In 中文: the same controls, labelled in Chinese.
  await page.getByLabel('Language').selectOption('zh');
  try {
    await expect(page.getByRole('button', { name: '下载 DSP USER ALL 的结果' })).toBeVisible();
    await expect(entry()).toContainText(/未显示 [\d,]+ 行/);
    await page.screenshot({ path: path.join(SHOTS, 'zh-dark-terminal-long.png') });
  } finally {
    await page.getByLabel('Language').selectOption('en');
  }
});
