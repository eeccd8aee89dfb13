// What a second probe of the console found (a server holding 1,200 log lines and users), checked in
// Debian's Chromium against the built headless server: every table is one Tab stop whose rows the arrow,
// Home/End and Page keys walk (WCAG 2.1.1, 2.4.3); Logs opens on its newest lines; typing in the MML
// terminal re-renders no result, and each result's RETCODE line is announced; the Performance view
// scrolls from the keyboard and says its charts in words; light-theme text passes 4.5:1; Configuration
// shows each setting's description; Escape closes the CDR record back to its row; the login lockout is
// announced once. Screenshots (English dark, 中文 light) under test-results/console-keyboard/.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  logIn,
  PASSWORD,
  requireBuild,
  ROOT,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/console-keyboard');
/** Users added through MML at the start: each adds a log line. */
const ADDED = 1200;

let server: LabServer | undefined;
let dataDir: string;
let page: Page;
const errors: string[] = [];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

/**
 * Counts, through React's DevTools hook (a stand-in installed before the page loads), the renders of the
 * terminal's result entries: a fiber whose first child is an <article class="entry">, counted when it
 * did work in a commit. A subtree React skipped keeps its children (child === alternate.child) and is
 * not walked.
 */
function installRenderCounter(): void {
  const w = globalThis as unknown as { __entryRenders: number; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
  w.__entryRenders = 0;
  interface Fiber {
    child: Fiber | null;
    sibling: Fiber | null;
    alternate: Fiber | null;
    flags: number;
    type: unknown;
    memoizedProps: { className?: string } | null;
  }
  const PERFORMED_WORK = 1;
  const walk = (fiber: Fiber): void => {
    const child = fiber.child;
    if (
      child !== null &&
      child.type === 'article' &&
      child.memoizedProps?.className === 'entry' &&
      (fiber.flags & PERFORMED_WORK) !== 0
    )
      w.__entryRenders++;
    if (fiber.alternate !== null && fiber.child === fiber.alternate.child) return;
    for (let c = fiber.child; c !== null; c = c.sibling) walk(c);
  };
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => undefined,
    onScheduleFiberRoot: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onCommitFiberRoot: (_id: number, root: { current: Fiber }) => walk(root.current),
  };
}

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-keyboard-'));
  server = await startLabServer(dataDir);
  // 1,200 users, one log line each (ADD USER is logged at INFO), before the console opens the log.
  let script = '';
  for (let i = 0; i < ADDED; i++) script += `ADD USER: USERNAME="u${5000 + i}", PASSWORD="pw${i}-secret";\n`;
  await mml(script);
  // An OPTIONS to the server: a CDR row.
  await options(server.sip.port);
  page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
  await page.addInitScript(installRenderCounter);
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await logIn(page, server.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs MML through the HTTP API (as `server.js mml` does). */
async function mml(text: string): Promise<void> {
  await mmlOverHttp(server!.baseUrl, text);
}

/** Sends one OPTIONS to the server over UDP and waits for its answer. */
function options(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.on('message', (msg) => {
      if (/^SIP\/2\.0 200/.test(msg.toString())) s.close(() => resolve());
    });
    s.bind(0, '127.0.0.1', () => {
      const local = s.address().port;
      const text =
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\n` +
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-kbd-${Date.now()};rport\r\n` +
        'Max-Forwards: 70\r\n' +
        `From: <sip:probe@127.0.0.1>;tag=kbd${local}\r\n` +
        `To: <sip:127.0.0.1:${port}>\r\n` +
        `Call-ID: kbd-${Date.now()}@127.0.0.1\r\n` +
        'CSeq: 1 OPTIONS\r\n' +
        'Content-Length: 0\r\n\r\n';
      s.send(text, port, '127.0.0.1');
    });
  });
}

const open = (name: string) => openView(page, name);
const setLang = (lang: 'en' | 'zh') => page.getByLabel('Language').selectOption(lang);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
/** The aria-rowindex of the focused row of `table` (0 when the focus is elsewhere). */
const focusedRow = (table: Locator) =>
  table.evaluate((t) => {
    const f = t.ownerDocument.activeElement;
    return f !== null && f.tagName === 'TR' && t.contains(f) ? Number(f.getAttribute('aria-rowindex')) : 0;
  });
const focusInside = (table: Locator) => table.evaluate((t) => t.contains(t.ownerDocument.activeElement));

test('once logged in, the focus is on the selected view in the navigation, not nowhere', async () => {
  const nav = page.getByRole('navigation', { name: 'Views' });
  await expect(nav.getByRole('button', { name: 'Overview', exact: true })).toBeFocused();
});

test('logs: opens on its newest lines with over a thousand held and nothing new arriving', async () => {
  await open('Logs');
  const table = page.getByRole('table', { name: 'Logs' });
  const newest = table.getByRole('row', { name: new RegExp(`u${5000 + ADDED - 1}\\b`) });
  await expect(newest).toBeInViewport();
  await expect(table.getByRole('row', { name: /\bu5000\b/ })).toHaveCount(0); // the oldest are far above
  await expect(page.getByText('Not following')).toHaveCount(0);
  // Scrolled up to read, it stays there when a line arrives, and says so.
  await table.locator('xpath=..').evaluate((el) => (el.scrollTop = 0));
  await expect(page.getByText('Not following')).toBeVisible();
  await mml('ADD USER: USERNAME="late1", PASSWORD="late-secret-1"');
  await page.waitForTimeout(500);
  expect(await table.locator('xpath=..').evaluate((el) => el.scrollTop)).toBe(0);
  await page.getByRole('button', { name: 'Follow the newest lines' }).click();
  await expect(table.getByRole('row', { name: /\blate1\b/ })).toBeInViewport();
  await shot('en-dark-logs');
});

test('logs: the table is one Tab stop; arrows, Home/End and the Page keys move the focus', async () => {
  await open('Logs');
  const table = page.getByRole('table', { name: 'Logs' });
  await expect(table.locator('tbody tr[tabindex="0"]')).toHaveCount(1);
  // Into the table from the toolbar's last control, then one Tab leaves it.
  await page.getByRole('button', { name: "Download the day's log" }).focus();
  await page.keyboard.press('Tab');
  expect(await focusedRow(table)).toBeGreaterThan(1);
  await page.keyboard.press('Tab');
  expect(await focusInside(table)).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await focusedRow(table)).toBeGreaterThan(1);
  // Home: the first line (row 2, after the header row); then down one, a page, End: the last.
  const rows = Number(await table.getAttribute('aria-rowcount'));
  expect(rows).toBeGreaterThan(1000);
  await page.keyboard.press('Home');
  await expect.poll(() => focusedRow(table)).toBe(2);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => focusedRow(table)).toBe(3);
  await page.keyboard.press('PageDown');
  await expect.poll(() => focusedRow(table)).toBeGreaterThan(12);
  const afterPage = await focusedRow(table);
  await page.keyboard.press('PageUp');
  await expect.poll(() => focusedRow(table)).toBeLessThan(afterPage);
  await page.keyboard.press('End');
  await expect.poll(() => focusedRow(table)).toBe(rows);
  await expect(table.locator(`tbody tr[aria-rowindex="${rows}"]`)).toBeInViewport({ ratio: 1 });
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => focusedRow(table)).toBe(rows - 1);
  // Still one Tab stop, the row the focus is on; Enter opens it, Escape closes it.
  await expect(table.locator('tbody tr[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Text', { exact: true }).locator('xpath=self::pre')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('pre.log-full')).toHaveCount(0);
});

test('logs: a line opens its text right under its row, in view, the focus kept on the row', async () => {
  await open('Logs');
  const table = page.getByRole('table', { name: 'Logs' });
  const text = page.getByRole('region', { name: 'Text', exact: true });
  const search = page.getByRole('searchbox', { name: 'Search the log' });
  // One line found: its text opened under it, not at the foot of the view ~450 px below (a finding).
  await search.fill('u5100');
  const row = table.getByRole('row', { name: /\bu5100\b/ });
  await row.click();
  await expect(row.getByRole('button', { expanded: true })).toBeVisible();
  await expect(text).toBeInViewport({ ratio: 1 });
  /** From a row's foot to the top of the text opened. */
  const gap = (r: Locator) => async () => {
    const box = (await r.boundingBox())!;
    return (await text.boundingBox())!.y - (box.y + box.height);
  };
  await expect.poll(gap(row)).toBeGreaterThanOrEqual(0);
  await expect.poll(gap(row)).toBeLessThan(12);
  await shot('en-dark-logs-line-open');
  await row.click();
  await expect(text).toHaveCount(0);
  // In the whole list, the last line by the keyboard: its row and its text in view, the focus on the row.
  await search.fill('');
  await table.locator('tbody tr[tabindex="0"]').focus();
  await page.keyboard.press('End');
  const rows = Number(await table.getAttribute('aria-rowcount'));
  await expect.poll(() => focusedRow(table)).toBe(rows);
  await page.keyboard.press('Enter');
  const last = table.locator(`tbody tr[aria-rowindex="${rows}"]`);
  await expect(text).toBeInViewport({ ratio: 1 });
  await expect(last).toBeInViewport({ ratio: 1 });
  await expect(last).toBeFocused();
  await expect.poll(gap(last)).toBeGreaterThanOrEqual(0);
  await expect.poll(gap(last)).toBeLessThan(12);
  await page.keyboard.press('Escape');
  await expect(text).toHaveCount(0);
});

test('users: a table of 1,203 users is one Tab stop; Tab goes through the focused row’s actions and out', async () => {
  await open('Users');
  const table = page.getByRole('table', { name: 'Users' });
  await expect(table.getByRole('row', { name: /\bu5000\b/ })).toBeVisible();
  const stop = table.locator('tbody tr[tabindex="0"]');
  await expect(stop).toHaveCount(1);
  // The actions of every other row are out of the Tab order.
  const tabbable = await table.evaluate(
    (t) => [...t.querySelectorAll('button')].filter((b) => b.tabIndex >= 0).length,
  );
  expect(tabbable).toBe(2);
  await stop.focus();
  await page.keyboard.press('ArrowDown');
  const row = await focusedRow(table);
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveAccessibleName(/^Edit /);
  expect(
    await page.locator(':focus').evaluate((b) => Number(b.closest('tr')!.getAttribute('aria-rowindex'))),
  ).toBe(row);
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveAccessibleName(/^Delete /);
  await page.keyboard.press('Tab');
  expect(await focusInside(table)).toBe(false);
  await shot('en-dark-users');
});

test('CDR: Enter opens a record, Escape closes it and the focus goes back to its row', async () => {
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(cdr.getByRole('row', { name: /OPTIONS/ }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  const row = cdr.getByRole('row', { name: /OPTIONS/ }).first();
  await row.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary', { name: /^Record / });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).focus();
  await shot('en-dark-cdr-record');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(row).toBeFocused();
  // The Close button does the same.
  await page.keyboard.press('Enter');
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await expect(row).toBeFocused();
});

test('terminal: typing re-renders none of the results; each result’s RETCODE line is announced', async () => {
  await open('MML Terminal');
  const input = page.getByLabel('MML command');
  const status = page.getByRole('status', { name: 'Outcome of the last command' });
  // Three lists of every user (1,204 lines each).
  for (let i = 0; i < 3; i++) {
    await input.fill('DSP USER ALL');
    await input.press('Enter');
    await expect(page.getByRole('article', { name: 'DSP USER ALL' }).nth(i)).toContainText('RETCODE = 0');
    await expect(status).toHaveText(/^DSP USER ALL: RETCODE = 0 {2}\S/);
  }
  await input.fill('');
  await page.waitForTimeout(300);
  await page.evaluate(() => ((globalThis as unknown as { __entryRenders: number }).__entryRenders = 0));
  await input.pressSequentially('DSP SYSINFO');
  await expect(input).toHaveValue('DSP SYSINFO');
  expect(
    await page.evaluate(() => (globalThis as unknown as { __entryRenders: number }).__entryRenders),
  ).toBe(0);
  // A failure is announced with its code, whatever the output's length.
  await input.fill('RMV USER: USERNAME=nobody');
  await input.press('Enter');
  await expect(status).toContainText('RMV USER: USERNAME=nobody: RETCODE = 4');
  // The output keeps its name (the tests' and README's contract).
  await expect(page.getByRole('region', { name: 'MML output' })).toBeVisible();
  await shot('en-dark-terminal');
});

test('performance: the view scrolls from the keyboard; each chart says its figures in words', async () => {
  await page.setViewportSize({ width: 1366, height: 724 });
  await open('Performance');
  const view = page.getByRole('region', { name: 'Performance' });
  await expect(page.locator('.chart-summary').first()).toContainText(
    /CPU % now [\d.]+ %, min [\d.]+ %, max [\d.]+ %/,
  );
  await expect(page.locator('.chart-summary')).toHaveCount(6);
  // Each chart (an image) is described by its figures.
  const chart = page.getByRole('img', { name: 'Memory (MB)' });
  await expect(chart).toHaveAccessibleDescription(/RSS now \d+ MB, min \d+ MB, max \d+ MB; Heap now \d+ MB/);
  // Its legend writes a value as its Now does, with the unit (it read "RSS: 203.223" beside "Now: 203 MB").
  const memory = page.getByRole('region', { name: 'Memory (MB)' });
  const now = (await memory.locator('.chart-now').innerText()).replace(/^Now: /, '');
  await expect(memory.locator('.u-legend .u-series').nth(1).locator('.u-value')).toHaveText(now);
  // Focusable by its own tabindex (what axe's scrollable-region-focusable asks; Chromium alone would
  // focus a scroller without one), named by its title.
  await expect(view).toHaveAttribute('tabindex', '0');
  await view.focus();
  await expect(view).toBeFocused();
  await page.keyboard.press('End');
  await expect.poll(() => view.evaluate((v) => v.scrollTop)).toBeGreaterThan(0);
  await shot('en-dark-performance');
  await page.setViewportSize({ width: 1366, height: 820 });
});

/** The contrast ratio (WCAG 2.x) of an element's text on the first opaque background behind it. */
const contrastOf = (locator: Locator): Promise<number> =>
  locator.evaluate((el) => {
    const style = (e: typeof el) => e.ownerDocument.defaultView!.getComputedStyle(e);
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const fg = rgb(style(el).color);
    let bg: number[] = [255, 255, 255];
    for (let e: typeof el | null = el; e !== null; e = e.parentElement) {
      const c = rgb(style(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
        bg = c;
        break;
      }
    }
    const [a, b] = [lum(fg), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });

test('light theme: the ok tag and the current view’s code have 4.5:1 at least', async () => {
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await open('Users');
  const ok = page.getByRole('table', { name: 'Users' }).locator('.tag.tag-ok').first();
  await expect(ok).toBeVisible();
  expect(await contrastOf(ok)).toBeGreaterThanOrEqual(4.5);
  const code = page.locator(".nav-item[aria-current='page'] .nav-code");
  expect(await contrastOf(code)).toBeGreaterThanOrEqual(4.5);
  // A warning tag too (Configuration's source "MML", "restart needed").
  await page.locator('.view').evaluate((v) => {
    const probe = v.ownerDocument.createElement('span');
    probe.className = 'tag tag-warn probe';
    probe.textContent = 'MML';
    v.append(probe);
  });
  expect(await contrastOf(page.locator('.tag.probe'))).toBeGreaterThanOrEqual(4.5);
  await page.locator('.tag.probe').evaluate((p) => p.remove());
  await page.getByRole('button', { name: 'Theme' }).click();
});

test('configuration: each setting’s description is shown under its key, in the console’s language', async () => {
  await open('Configuration');
  const table = page.getByRole('table', { name: 'Configuration' });
  await page.getByLabel('Search settings').fill('LOG.LEVEL');
  const row = table.getByRole('row', { name: /LOG\.LEVEL/ });
  await expect(row.getByText('Log level', { exact: true })).toBeVisible();
  await page.getByLabel('Search settings').fill('SIP.WARMUP_CALLS');
  // A long one wraps, whole, in the row (not cut with an ellipsis).
  const long = table
    .getByRole('row', { name: /SIP\.WARMUP_CALLS/ })
    .getByText(/^Calls rehearsed at start-up/);
  await expect(long).toBeVisible();
  expect(
    await long.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height > 20),
  ).toBe(true);
  await page.getByLabel('Search settings').fill('');
  await shot('en-dark-configuration');
  await setLang('zh');
  await page.getByLabel('搜索配置').fill('LOG.LEVEL');
  await expect(
    page
      .getByRole('table', { name: '配置' })
      .getByRole('row', { name: /LOG\.LEVEL/ })
      .getByText('日志级别', { exact: true }),
  ).toBeVisible();
  await page.getByLabel('搜索配置').fill('');
  await setLang('en');
});

test('screenshots of the views changed: English dark and 中文 light', async () => {
  test.setTimeout(60_000);
  const views: [string, string, string][] = [
    ['Logs', '日志', 'logs'],
    ['Users', '用户', 'users'],
    ['CDR', '话单', 'cdr'],
    ['MML Terminal', 'MML 终端', 'terminal'],
    ['Performance', '性能', 'performance'],
    ['Configuration', '配置', 'configuration'],
  ];
  for (const [en, , slug] of views) {
    await open(en);
    await page.waitForTimeout(300);
    await shot(`en-dark-${slug}`);
  }
  await setLang('zh');
  await page.getByRole('button', { name: 'Theme' }).click();
  for (const [, zh, slug] of views) {
    await open(zh);
    await page.waitForTimeout(300);
    await shot(`zh-light-${slug}`);
  }
  await page.getByRole('button', { name: 'Theme' }).click();
  await setLang('en');
  expect(errors.filter((e) => !/WebSocket|401|Failed to load resource/.test(e))).toEqual([]);
});

test('login lockout: announced once, the number counting down on screen only', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Password').fill(`wrong ${i}`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/^Too many failed logins: try again in \d+ s\.$/);
  const said = await alert.textContent();
  const shown = page.locator('.login-box .banner-error');
  const first = await shown.textContent();
  await expect(shown).not.toHaveText(first!, { timeout: 3000 });
  // The screen shows the countdown; what the alert says has not changed.
  await expect(alert).toHaveText(said!);
  await shot('en-dark-login-locked');
  await setLang('zh');
  await shot('zh-dark-login-locked');
  await page.getByRole('button', { name: 'Theme' }).click();
  await shot('zh-light-login-locked');
  await page.getByRole('button', { name: 'Theme' }).click();
  await setLang('en');
});
