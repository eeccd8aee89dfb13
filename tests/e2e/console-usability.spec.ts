// What a probe of the console found, checked in Debian's Chromium against the built headless server:
// the MML input lets the keyboard leave (WCAG 2.1.2), 中文 MML tables line up whatever the fonts, the
// CDR export holds the rows the filters show, configuration descriptions follow the language, outcome
// lines go with the context they describe, the Registrations search survives a visit elsewhere, narrow
// windows keep row actions, tooltips and empty messages in reach, a held call's State badge reads whole
// at 1400×900, and the CDR panel names each field once. Screenshots of the views touched (English dark, 中文 light; 1366×820 and 1024×700) are saved
// under test-results/console-usability/.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  logIn,
  requireBuild,
  ROOT,
  shootViews,
  startLabServer,
  stopLabServer,
  type LabServer,
  type ShotView,
  openView,
} from './lab-console';
import { freeUdpPort, HAS_SIPP, sipp, sippCall } from './sipp';

const SHOTS = path.join(ROOT, 'test-results/console-usability');

let server: LabServer | undefined;
let dataDir: string;
let page: Page;
const errors: string[] = [];
/** The SIPp port 1001 registered from. */
let port1001 = 0;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-probe-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await logIn(page, server.baseUrl);
  // Two registered users: bindings for Registrations, REGISTER rows for the CDR, dialogs for Trace.
  if (HAS_SIPP) {
    port1001 = await register('1001');
    await register('1002');
  }
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (name: string) => openView(page, name);
const setLang = (lang: 'en' | 'zh') => page.getByLabel('Language').selectOption(lang);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** Registers `user` (its password is its name) from a fresh SIPp port; resolves with the port. */
async function register(user: string): Promise<number> {
  const port = await freeUdpPort();
  const code = await sipp({
    scenario: 'register_auth.xml',
    target: server!.sip,
    port,
    user: { username: user, password: user },
    keys: { expires: 300 },
  });
  expect(code).toBe(0);
  return port;
}

/** The rows of a CSV text (RFC 4180 quoting), header first. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      cell += c;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, cell]);
      row = [];
      cell = '';
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

test('terminal: Shift+Tab always leaves the MML input; Tab leaves it when there is nothing to complete', async () => {
  await open('MML Terminal');
  const input = page.getByLabel('MML command');
  await input.focus();
  // Backwards: to the control before it (the output region, as nothing has run yet).
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('region', { name: 'MML output' })).toBeFocused();
  // Forwards from an empty line: on to the Run (Execute) button.
  await input.focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
  // With something to complete Tab completes and stays; Escape hands Tab back to the page.
  await input.focus();
  await input.fill('DSP RE');
  await page.keyboard.press('Tab');
  await expect(input).toHaveValue(/^DSP REG/);
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
  // Shift+Tab with text in the line leaves too.
  await input.focus();
  await page.keyboard.press('Shift+Tab');
  await expect(input).not.toBeFocused();
  await input.fill('');
});

test('terminal: a command-tree entry puts the caret at its first value to type', async () => {
  await open('MML Terminal');
  const tree = page.getByRole('complementary', { name: 'Commands' });
  await tree.getByText('Users', { exact: true }).click();
  await tree.getByRole('button', { name: /^Add user/ }).click();
  const input = page.getByLabel('MML command');
  await expect(input).toBeFocused();
  await page.keyboard.type('4005');
  await expect(input).toHaveValue('ADD USER:USERNAME=4005,PASSWORD=');
  await input.fill('');
  // With the reader's own text spacing (WCAG 1.4.12) every entry's command is shown whole (it wraps),
  // none cut with an ellipsis.
  const spacing = await page.addStyleTag({
    content:
      '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
  });
  await tree.locator('details').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
  const cut = await tree
    .locator('.tree-item code')
    .evaluateAll((codes) => codes.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));
  expect(cut).toEqual([]);
  expect(await tree.locator('.tree-item code').count()).toBeGreaterThan(20);
  await spacing.evaluate((style) => style.remove());
});

test('terminal in 中文: the columns of a table line up, CJK characters taking two cells exactly', async () => {
  await setLang('zh');
  await open('MML 终端');
  const input = page.getByLabel('MML command');
  await input.fill('DSP SYSINFO');
  await input.press('Enter');
  const entry = page.getByRole('article', { name: 'DSP SYSINFO' }).last();
  await expect(entry).toContainText('RETCODE = 0');
  // The x of each line's "=" (the server pads the names before it by display width).
  const xs = await entry.locator('pre').evaluate((pre) => {
    const out: { line: string; x: number }[] = [];
    for (const line of pre.children) {
      const text = line.textContent ?? '';
      const at = text.indexOf('  =  ');
      if (at < 0) continue;
      // Walk the line's text nodes to the "=" and measure it.
      let left = at + 2;
      const walker = pre.ownerDocument.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        const len = n.textContent!.length;
        if (left < len) {
          const range = pre.ownerDocument.createRange();
          range.setStart(n, left);
          range.setEnd(n, left + 1);
          out.push({ line: text, x: range.getBoundingClientRect().left });
          break;
        }
        left -= len;
      }
    }
    return out;
  });
  expect(xs.length).toBeGreaterThan(3);
  expect(xs.some((l) => /[\u4e00-\u9fff]/.test(l.line))).toBe(true);
  const spread = Math.max(...xs.map((l) => l.x)) - Math.min(...xs.map((l) => l.x));
  expect(spread, JSON.stringify(xs)).toBeLessThan(1);
  await shot('zh-light-1366-terminal-table');
  await setLang('en');
});

test('terminal in 中文: a Chinese name is one word, found by the browser’s find and read whole', async () => {
  await setLang('zh');
  await open('MML 终端');
  const input = page.getByLabel('MML command');
  await input.fill('ADD USER: USERNAME="wxm", PASSWORD="wxm-secret-1", DISPLAYNAME="王小明"');
  await input.press('Enter');
  await input.fill('DSP USER: USERNAME="wxm"');
  await input.press('Enter');
  const entry = page.getByRole('article', { name: 'DSP USER: USERNAME="wxm"' }).last();
  await expect(entry).toContainText('RETCODE = 0');
  // Ctrl+F's find reaches the name in the output (it found it in the echoed command only, each
  // character of the output in a box of its own). Each find goes on from the last match.
  const inOutput = await page.evaluate(() => {
    const w = globalThis as unknown as {
      document: { activeElement: { blur(): void } };
      find(text: string): boolean;
      getSelection(): {
        removeAllRanges(): void;
        anchorNode: { parentElement: { closest(s: string): unknown } | null } | null;
      };
    };
    w.document.activeElement.blur();
    w.getSelection().removeAllRanges();
    for (let i = 0; i < 5 && w.find('王小明'); i++)
      if (w.getSelection().anchorNode?.parentElement?.closest('pre.entry-text') != null) return true;
    return false;
  });
  expect(inOutput).toBe(true);
  // A screen reader reads its words, not one character at a time.
  expect(await entry.ariaSnapshot()).toMatch(/王小明/);
  await expect(entry.locator('.cjk', { hasText: '王小明' })).toHaveCount(1);
  await shot('zh-dark-1366-terminal-cjk');
  await setLang('en');
});

test('terminal: a RETCODE line wraps within the output, a table line keeps its columns and scrolls', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await open('MML Terminal');
  const input = page.getByLabel('MML command');
  const out = page.getByRole('region', { name: 'MML output' });
  await input.fill('HELP ALL');
  await input.press('Enter');
  await expect(page.getByRole('article', { name: 'HELP ALL' }).last()).toContainText('RETCODE = 0');
  await input.fill('ADD USER USERNAME=1001');
  await input.press('Enter');
  const entry = page.getByRole('article', { name: 'ADD USER USERNAME=1001' }).last();
  const retcode = entry.locator('span.bad', { hasText: 'RETCODE = 3' });
  await expect(retcode).toContainText('required by ADD USER');
  await out.evaluate((el) => el.scrollTo({ left: 0 }));
  const [outBox, lineBox] = [await out.boundingBox(), await retcode.boundingBox()];
  // Wrapped: its right edge inside the output's, on more than one line of text.
  expect(lineBox!.x + lineBox!.width).toBeLessThanOrEqual(outBox!.x + outBox!.width);
  const lineHeight = await retcode.evaluate(
    (el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).lineHeight) || 16,
  );
  expect(lineBox!.height).toBeGreaterThan(lineHeight * 1.5);
  // HELP ALL's table is wider than the output: its lines do not wrap, the output scrolls sideways.
  expect(await out.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const row = page
    .getByRole('article', { name: 'HELP ALL' })
    .last()
    .locator('pre > span', { hasText: /^DSP USER\s/ });
  const rowBox = await row.first().boundingBox();
  expect(rowBox!.height).toBeLessThan(lineHeight * 1.5);
  await shot('en-dark-1024-terminal-wrap');
  await page.setViewportSize({ width: 1366, height: 820 });
});

test('terminal: a password is echoed masked; recalled from the history after a reload, it is not run as "*****"', async () => {
  await open('MML Terminal');
  let input = page.getByLabel('MML command');
  await input.fill('ADD USER USERNAME=4001 PASSWORD=secret4001');
  await input.press('Enter');
  const added = page.getByRole('article', { name: 'ADD USER USERNAME=4001 PASSWORD=*****' });
  await expect(added.last()).toContainText('RETCODE = 0');
  await expect(page.getByRole('region', { name: 'MML output' })).not.toContainText('secret4001');
  // After a reload ↑ brings the appliance's history, the password masked; run again for another user,
  // the mask is refused as a password (it was set as one).
  await page.reload();
  await open('MML Terminal');
  input = page.getByLabel('MML command');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('ADD USER USERNAME=4001 PASSWORD=*****');
  await input.fill('ADD USER USERNAME=4003 PASSWORD=*****');
  await input.press('Enter');
  const again = page.getByRole('article', { name: 'ADD USER USERNAME=4003 PASSWORD=*****' }).last();
  await expect(again).toContainText('RETCODE = 3');
  await expect(again).toContainText('Parameter PASSWORD: ***** is how the history hides a secret');
});

test('configuration in 中文: the descriptions are the server’s Chinese ones', async () => {
  await setLang('zh');
  await open('配置');
  await page.getByLabel('搜索配置').fill('LOG.LEVEL');
  const table = page.getByRole('table', { name: '配置' });
  await expect(table.getByTitle('LOG.LEVEL — 日志级别', { exact: true })).toBeVisible();
  // Its Restart column in words (a bare ✓ or nothing was read as "check" or not at all).
  await expect(
    table.getByRole('row', { name: /LOG\.LEVEL/ }).getByRole('cell', { name: '否', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: '修改 LOG.LEVEL' }).click();
  const dialog = page.getByRole('dialog', { name: '设置 LOG.LEVEL' });
  await expect(dialog).toContainText('日志级别');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // A Chinese word finds the setting too.
  await page.getByLabel('搜索配置').fill('日志级别');
  await expect(table.getByRole('row', { name: /LOG\.LEVEL/ })).toBeVisible();
  // What a setting allows is the server's text (DSP CFG's), in the console's language.
  await page.getByLabel('搜索配置').fill('SIP.DOMAINS');
  await expect(table.getByRole('row', { name: /SIP\.DOMAINS/ })).toContainText(
    '主机名（如 ims.lab）或 IPv4 地址',
  );
  await page.getByLabel('搜索配置').fill('SIP.TCP');
  const restart = table
    .getByRole('row', { name: /^SIP\.TCP\s/ })
    .getByRole('cell', { name: '是', exact: true });
  await expect(restart).toHaveText('✓ 是');
  await page.getByLabel('搜索配置').fill('');
  await setLang('en');
  await page.getByLabel('Search settings').fill('SIP.TCP');
  await expect(
    page
      .getByRole('table', { name: 'Configuration' })
      .getByRole('row', { name: /^SIP\.TCP\s/ })
      .getByRole('cell', { name: 'Yes', exact: true }),
  ).toBeVisible();
  await page.getByLabel('Search settings').fill('LOG.LEVEL');
  await expect(
    page.getByRole('table', { name: 'Configuration' }).getByTitle('LOG.LEVEL — Log level', { exact: true }),
  ).toBeVisible();
  await page.getByLabel('Search settings').fill('SIP.DOMAINS');
  await expect(
    page.getByRole('table', { name: 'Configuration' }).getByRole('row', { name: /SIP\.DOMAINS/ }),
  ).toContainText('host names like ims.lab, or IPv4 addresses');
  await page.getByLabel('Search settings').fill('');
});

test('registrations: the search is kept while another view is open; a cut source address has its tooltip', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('Registrations');
  const table = page.getByRole('table', { name: 'Registrations' });
  await page.getByLabel('Search registrations').fill('sip:1001@');
  await expect(table.getByRole('row', { name: /sip:1001@/ })).toHaveCount(1);
  await open('Overview');
  await open('Registrations');
  await expect(page.getByLabel('Search registrations')).toHaveValue('sip:1001@');
  await expect(table.getByRole('row', { name: /sip:1002@/ })).toHaveCount(0);
  // At 1024×700 the whole source address is a tooltip away, and Remove stays in view.
  await page.setViewportSize({ width: 1024, height: 700 });
  const row = table.getByRole('row', { name: /sip:1001@/ });
  await expect(row.getByTitle(`127.0.0.1:${port1001}`, { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: /^Remove / })).toBeInViewport({ ratio: 1 });
  await shot('en-dark-1024-registrations');
  await page.setViewportSize({ width: 1366, height: 820 });
  await page.getByLabel('Search registrations').fill('');
});

test("registrations: a browser whose clock is ten minutes off counts the expiry on the server's clock", async ({
  browser,
}) => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  for (const skew of [600_000, -600_000]) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
    const other = await context.newPage();
    await other.clock.install({ time: Date.now() + skew });
    await logIn(other, server!.baseUrl);
    await other
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Registrations', exact: true })
      .click();
    const row = other.getByRole('table', { name: 'Registrations' }).getByRole('row', { name: /sip:1001@/ });
    // Registered for 300 s a moment ago: between 04:00 and 05:00 left, not "expired" nor 14:5x.
    await expect(row).toContainText(/0[45]:\d\d/);
    await context.close();
  }
});

test('CDR: Export CSV holds only the rows of the user filter; its line goes when the filters or the language change', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await page.getByLabel('Caller (number)').fill('1001');
  await expect(cdr.getByRole('row', { name: /REGISTER/ }).first()).toBeVisible();
  await expect(cdr.getByRole('row', { name: /1002/ })).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = parseCsv(readFileSync(await (await download).path(), 'utf8'));
  const caller = csv[0]!.indexOf('caller_number');
  expect(caller).toBeGreaterThanOrEqual(0);
  const rows = csv.slice(1).filter((r) => r.length > 1);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.map((r) => r[caller])).toEqual(rows.map(() => '1001'));
  // The outcome line speaks of this export, in English: 中文 hides it, as do other filters.
  const done = page.getByRole('status').filter({ hasText: /^Done: Exported/ });
  await expect(done).toBeVisible();
  await setLang('zh');
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toHaveCount(0);
  await setLang('en');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(done).toBeVisible();
  await page.getByLabel('Type', { exact: true }).selectOption('REGISTER');
  await expect(done).toHaveCount(0);
  await page.getByLabel('Type', { exact: true }).selectOption('');
  // All days listed: EXP CDR writes one day, so the export waits for a day and says why.
  await page.getByLabel('Day').fill('');
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toHaveAttribute('title', /one day/);
  await page.getByLabel('Day').fill(new Date().toLocaleDateString('sv'));
  await page.getByLabel('Caller (number)').fill('');
});

test('CDR: Export CSV waits while it runs, and a file that cannot be fetched is an error, not "Done"', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('CDR');
  const button = page.getByRole('button', { name: 'Export CSV' });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/export/**', async (route) => {
    await held;
    await route.fulfill({ status: 404, body: 'gone' });
  });
  try {
    await button.click();
    await expect(button).toBeDisabled();
    const line = page.getByRole('main').getByRole('status');
    await expect(line).toHaveText('Exporting the CSV…');
    release();
    await expect(line).toHaveText(/^Error: cdr_export_\S+\.csv: 404/);
    await expect(button).toBeEnabled();
  } finally {
    release();
    await page.unroute('**/api/export/**');
  }
});

test("CDR: a console in another time zone opens on the server's day, where its records are, and names the server's zone", async ({
  browser,
}) => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  // The server 14 h east of UTC, the browser 12 h west: their calendar days always differ.
  const dir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-probe-tz-'));
  const east = await startLabServer(dir, '0', { TZ: 'Etc/GMT-14' });
  const context = await browser.newContext({
    timezoneId: 'Etc/GMT+12',
    viewport: { width: 1366, height: 820 },
  });
  try {
    const code = await sipp({
      scenario: 'register_auth.xml',
      target: east.sip,
      port: await freeUdpPort(),
      user: { username: '1001', password: '1001' },
      keys: { expires: 300 },
    });
    expect(code).toBe(0);
    const tab = await context.newPage();
    await logIn(tab, east.baseUrl);
    await tab
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'CDR', exact: true })
      .click();
    const serverDay = new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10);
    await expect(tab.getByLabel('Day', { exact: true })).toHaveValue(serverDay);
    const cdr = tab.getByRole('table', { name: 'CDR' });
    await expect(cdr.getByRole('row', { name: /REGISTER/ })).toBeVisible();
    // The header names the clock every view shows, the server's zone and its offset now; the record
    // panel's moments carry the offset (a fall-back night's two 01:30s read apart).
    await expect(tab.getByTestId('clock-zone')).toHaveText('Times: Etc/GMT-14, UTC+14:00');
    await cdr
      .getByRole('row', { name: /REGISTER/ })
      .first()
      .click();
    const panel = tab.getByRole('complementary', { name: /^Record / });
    await expect(panel.locator('dt[title="started_at"] + dd')).toHaveText(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC\+14:00$/,
    );
    await expect(panel.locator('dt[title="ended_at"] + dd')).toContainText('UTC+14:00');
    await panel.getByRole('button', { name: 'Close' }).click();
    // The trace shows the same clock as the CDR, the server's: the browser's would be 2 hours off (26 h).
    const hourOf = (text: string | null) => /(\d{2}):\d{2}:\d{2}/.exec(text ?? '')?.[1];
    const cdrHour = hourOf(
      await cdr
        .getByRole('row', { name: /REGISTER/ })
        .first()
        .textContent(),
    );
    expect(cdrHour).toBeDefined();
    await tab
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Trace', exact: true })
      .click();
    const dialogs = tab.getByRole('table', { name: 'SIP dialogs' });
    const traced = dialogs.getByRole('row', { name: /REGISTER/ }).first();
    await expect(traced).toBeVisible();
    expect(hourOf(await traced.textContent())).toBe(cdrHour);
    await tab
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'CDR', exact: true })
      .click();
    // A day the operator picks is kept, over a visit to another view.
    const browserDay = new Date(Date.now() - 12 * 3600_000).toISOString().slice(0, 10);
    await tab.getByLabel('Day', { exact: true }).fill(browserDay);
    await tab
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Users', exact: true })
      .click();
    await tab
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'CDR', exact: true })
      .click();
    await expect(tab.getByLabel('Day', { exact: true })).toHaveValue(browserDay);
    await expect(cdr.getByRole('row', { name: /REGISTER/ })).toHaveCount(0);
  } finally {
    await context.close();
    await stopLabServer(east);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CDR: the record panel names setup_time and setup_ms apart', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await cdr
    .getByRole('row', { name: /REGISTER/ })
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: /^(Record|记录) / });
  const setupMs = panel.locator('dt[title="setup_ms"]');
  await expect(setupMs).toContainText('Setup time (ms)');
  await expect(panel.locator('dt[title="setup_time"]')).not.toContainText('(ms)');
  const labels = await panel
    .locator('dt')
    .evaluateAll((dts) => dts.map((dt) => dt.firstChild?.textContent ?? ''));
  expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);
  await setLang('zh');
  await expect(setupMs).toContainText('建立时长（毫秒）');
  await setLang('en');
  await panel.getByRole('button', { name: 'Close' }).click();
});

test('CDR: the longest state, UNREGISTERED, shows whole', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const port = await freeUdpPort();
  const code = await sipp({
    scenario: 'unregister.xml',
    target: server!.sip,
    port,
    user: { username: '1003', password: '1003' },
  });
  expect(code).toBe(0);
  await open('CDR');
  const cell = page
    .getByRole('table', { name: 'CDR' })
    .getByRole('cell', { name: 'UNREGISTERED', exact: true })
    .first();
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(cell).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  // The text's own width (a range over it) within the cell's, less its padding.
  const fits = await cell.evaluate((td) => {
    const range = td.ownerDocument.createRange();
    range.selectNodeContents(td);
    const style = td.ownerDocument.defaultView!.getComputedStyle(td);
    const room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { text: range.getBoundingClientRect().width, room };
  });
  expect(fits.text, JSON.stringify(fits)).toBeLessThanOrEqual(fits.room);
});

test('trace: the "Downloaded" line of one dialog goes when another dialog is opened', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('Trace');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  const registers = list.getByRole('row', { name: /REGISTER sip:/ });
  await expect(registers.nth(1)).toBeVisible();
  await registers.nth(0).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download pcap' }).click();
  await download;
  const line = page.getByRole('status').filter({ hasText: /^Downloaded trace_/ });
  await expect(line).toBeVisible();
  await registers.nth(1).click();
  await expect(line).toHaveCount(0);
  await page.getByRole('button', { name: 'Close' }).click();
});

test("narrow windows: Calls keeps room for the user agents and Call-ID and its End call button in view; the CDR shows the call's duration in one format", async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await open('Calls');
  const table = page.getByRole('table', { name: 'Calls' });
  const { caller, callee } = await sippCall(server!.sip, 6000);
  const row = table.getByRole('row', { name: /1001/ });
  await expect(row).toContainText('answered', { timeout: 10_000 });
  for (const name of ['User agents', 'Call-ID']) {
    const box = await table.getByRole('columnheader', { name }).boundingBox();
    expect(box!.width, name).toBeGreaterThan(120);
  }
  const end = row.getByRole('button', { name: /^End call / });
  await expect(end).toBeInViewport({ ratio: 1 });
  // The cut cells carry their whole text.
  await expect(row.getByTitle(/ → /)).toHaveCount(1);
  await shot('en-dark-1024-calls');
  await page.setViewportSize({ width: 800, height: 600 });
  await expect(end).toBeInViewport({ ratio: 1 });
  await setLang('zh');
  const zhRow = page.getByRole('table', { name: '呼叫' }).getByRole('row', { name: /1001/ });
  await expect(zhRow.getByRole('button', { name: /^挂断 / })).toBeInViewport({ ratio: 1 });
  await shot('zh-dark-800-calls');
  await setLang('en');
  expect(await caller).toBe(0);
  expect(await callee).toBe(0);
  await page.setViewportSize({ width: 1366, height: 820 });
  // Its CDR row: the duration in the list's one format (a whole 6 s was "6" beside others' "5.01").
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(cdr.getByRole('row', { name: /CALL/ }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  const durations = await cdr.locator('tbody tr[aria-rowindex] td:nth-child(6)').allTextContents();
  expect(durations.filter((d) => d !== '').length).toBeGreaterThan(0);
  for (const d of durations) expect(d).toMatch(/^(\d+\.\d\d)?$/);
});

test("Calls at 1400×900: a held call's State badge reads whole, not clipped, its text also its tooltip", async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await open('Calls');
  const table = page.getByRole('table', { name: 'Calls' });
  // 1002 answers, then takes the caller's hold (sendonly offered, recvonly answered) twice: held by
  // the caller until the BYE 6 s later.
  const target = server!.sip;
  const port = await register('1002');
  const callee = sipp({
    scenario: 'proxy_uas_hold_resume.xml',
    target,
    port,
    keys: { hold: 'recvonly', final: 'recvonly' },
  });
  await new Promise((r) => setTimeout(r, 300)); // SIPp binds its port
  const caller = sipp({
    scenario: 'proxy_uac_hold_resume.xml',
    target,
    port: await freeUdpPort(),
    user: { username: '1001', password: '1001' },
    keys: { callee: '1002', hold: 'sendonly', final: 'sendonly' },
    pauseMs: 6000,
    args: ['-auth_uri', `1002@${target.host}:${target.port}`],
  });
  const badge = table.getByTitle('on hold (caller)');
  await expect(badge).toHaveText('on hold (caller)', { timeout: 10_000 });
  const fits = await badge.evaluate((el) => {
    const td = el.closest('td')!;
    const style = el.ownerDocument.defaultView!.getComputedStyle(td);
    return {
      // Its whole text inside the badge (no ellipsis), and the badge inside its cell (not clipped).
      ellipsis: el.scrollWidth > el.clientWidth,
      clipped:
        el.getBoundingClientRect().right > td.getBoundingClientRect().right - parseFloat(style.paddingRight),
    };
  });
  expect(fits).toEqual({ ellipsis: false, clipped: false });
  await shot('en-dark-1400-calls-held');
  expect(await caller).toBe(0);
  expect(await callee).toBe(0);
  await page.setViewportSize({ width: 1366, height: 820 });
});

test('narrow windows: the Dialer’s empty table says so within the window', async () => {
  await page.setViewportSize({ width: 800, height: 600 });
  await open('Dialer');
  const table = page.getByRole('table', { name: 'Dialer calls' });
  const message = table.getByText('No dialer calls yet.');
  await expect(message).toBeAttached();
  // Scrolled down to it as a person would (the view scrolls), never sideways.
  await page.locator('.view').evaluate((v) => (v.scrollTop = v.scrollHeight));
  const inside = await message.evaluate((el) => {
    const scroller = el.closest('.table-scroll')!;
    const view = el.ownerDocument.defaultView!;
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    const box = scroller.getBoundingClientRect();
    return {
      scrollLeft: scroller.scrollLeft,
      fits: text.left >= box.left && text.right <= box.right && text.bottom <= box.bottom,
      inWindow: text.right <= view.innerWidth && text.bottom <= view.innerHeight,
    };
  });
  expect(inside).toEqual({ scrollLeft: 0, fits: true, inWindow: true });
  await page.setViewportSize({ width: 1366, height: 820 });
});

test('the page connects only to its own server: a WebSocket elsewhere is refused by its CSP', async () => {
  const violated = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        // The page's window (this file is compiled without the DOM's types).
        const w = globalThis as unknown as {
          addEventListener(type: string, listener: (e: { effectiveDirective: string }) => void): void;
          WebSocket: new (url: string) => unknown;
        };
        w.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
        try {
          new w.WebSocket('ws://127.0.0.2:9/');
        } catch {
          resolve('thrown');
        }
        setTimeout(() => resolve('none'), 2000);
      }),
  );
  expect(['connect-src', 'thrown']).toContain(violated);
  // Chromium logs the refusal; the console's own errors are checked at the end without it.
  const refused = errors.findIndex((e) => e.includes('ws://127.0.0.2:9/'));
  if (refused >= 0) errors.splice(refused, 1);
});

test('screenshots of the views touched: English dark and 中文 light, 1366×820 and 1024×700', async () => {
  test.setTimeout(90_000);
  const views: ShotView[] = [
    ['MML Terminal', 'MML 终端', 'terminal'],
    ['Registrations', '注册', 'registrations'],
    ['Calls', '呼叫', 'calls'],
    ['CDR', '话单', 'cdr'],
    ['Dialer', '外呼', 'dialer'],
    ['Trace', '信令跟踪', 'trace'],
    ['Configuration', '配置', 'configuration'],
  ];
  await shootViews(page, views, SHOTS);
  expect(errors.filter((e) => !/WebSocket|401|Failed to load resource/.test(e))).toEqual([]);
});
