// What a keyboard, screen-reader and zoom pass of the console found, checked in Debian's Chromium
// against the built headless server: a ladder wider than its pane scrolls sideways from the keyboard,
// and at 200 % zoom (640 px) its buttons stay clear of the message. Screenshots under
// test-results/console-a11y-review/.
import { expect, test, type Page } from '@playwright/test';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  ROOT,
  logIn,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/console-a11y-review');

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-a11y-review-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await logIn(page, server.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (name: string) => openView(page, name);
/** Runs MML through the HTTP API (as `server.js mml` does). */
async function mml(text: string): Promise<void> {
  await mmlOverHttp(server!.baseUrl, text);
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** A REGISTER over UDP from a socket of its own with this Call-ID; resolves with the server's answer. */
async function register(callId: string, branch: string): Promise<string> {
  const socket = createSocket('udp4');
  const port = await new Promise<number>((r) => socket.bind(0, '127.0.0.1', () => r(socket.address().port)));
  const text =
    `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${branch}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:1001@ims.lab>;tag=${branch}\r\nTo: <sip:1001@ims.lab>\r\n` +
    `Call-ID: ${callId}\r\nCSeq: 1 REGISTER\r\nContact: <sip:1001@127.0.0.1:${port}>\r\n` +
    `Expires: 60\r\nContent-Length: 0\r\n\r\n`;
  const answer = new Promise<string>((r) => socket.once('message', (d) => r(d.toString('utf8'))));
  socket.send(Buffer.from(text, 'utf8'), server!.sip.port, '127.0.0.1');
  try {
    return await answer;
  } finally {
    socket.close();
  }
}

test('trace: a ladder wider than its pane scrolls sideways from the keyboard (1,024 px)', async () => {
  // Two senders with one Call-ID: three lanes, wider than the pane beside the message at 1,024 px.
  const callId = 'wide-1@127.0.0.1';
  expect(await register(callId, 'wide1')).toMatch(/^SIP\/2.0 401 /);
  expect(await register(callId, 'wide2')).toMatch(/^SIP\/2.0 401 /);
  await open('Trace');
  await page
    .getByRole('table', { name: 'SIP dialogs' })
    .getByRole('row', { name: /wide-1@/ })
    .click();
  const ladder = page.getByRole('region', { name: `Ladder of ${callId}` });
  const arrows = ladder.getByRole('button', { name: /^#\d+ / });
  await expect(arrows).toHaveCount(4);
  const pane = ladder.locator('.ladder-scroll');
  const scroll = () =>
    pane.evaluate((el) => ({ left: el.scrollLeft, width: el.clientWidth, full: el.scrollWidth }));
  const before = await scroll();
  expect(before.full).toBeGreaterThan(before.width);
  expect(before.left).toBe(0);
  // End: the last arrow, the answer to the second sender on the third lane, is brought into view whole.
  await arrows.first().focus();
  await page.keyboard.press('End');
  await expect(arrows.last()).toBeFocused();
  const paneBox = (await pane.boundingBox())!;
  const head = (await arrows.last().locator('.ladder-head-arrow').boundingBox())!;
  expect(head.x).toBeGreaterThanOrEqual(paneBox.x);
  expect(head.x + head.width).toBeLessThanOrEqual(paneBox.x + paneBox.width);
  const after = await scroll();
  expect(after.left).toBeGreaterThan(0);
  await shot('en-dark-1024-ladder-end');
  // Left and Right scroll the pane as a table's arrow keys do; the focus stays on the arrow.
  await page.keyboard.press('ArrowLeft');
  expect((await scroll()).left).toBe(Math.max(0, after.left - 40));
  await page.keyboard.press('ArrowRight');
  expect((await scroll()).left).toBe(after.left);
  await expect(arrows.last()).toBeFocused();
  // Home: back to the first arrow, between the first two lanes, scrolled back to it.
  await page.keyboard.press('Home');
  await expect(arrows.first()).toBeFocused();
  const first = (await arrows.first().locator('.ladder-arrow').boundingBox())!;
  expect(first.x).toBeGreaterThanOrEqual((await pane.boundingBox())!.x);
});

test('trace: at 640 px (200 % zoom) the message goes under the ladder, its Close clear of it', async () => {
  await page.setViewportSize({ width: 640, height: 400 });
  const ladder = page.getByRole('region', { name: /^Ladder of wide-1@/ });
  await ladder
    .getByRole('button', { name: /^#\d+ REGISTER/ })
    .first()
    .click();
  const message = page.getByRole('region', { name: /^Message #\d+$/ });
  await expect(message).toContainText('REGISTER sip:ims.lab');
  const close = ladder.getByRole('button', { name: 'Close' });
  const closeBox = (await close.boundingBox())!;
  const ladderBox = (await ladder.boundingBox())!;
  const messageBox = (await message.boundingBox())!;
  // The ladder the view's width (not a strip beside the message), the message below it.
  expect(ladderBox.width).toBeGreaterThan(350);
  expect(messageBox.y).toBeGreaterThanOrEqual(ladderBox.y + ladderBox.height);
  expect(closeBox.x + closeBox.width).toBeLessThanOrEqual(ladderBox.x + ladderBox.width);
  await shot('en-dark-640-ladder');
  await message.scrollIntoViewIfNeeded();
  await shot('en-dark-640-ladder-message');
  await close.click({ timeout: 5000 });
  await expect(ladder).toHaveCount(0);
  await page.setViewportSize({ width: 1024, height: 700 });
});

test('configuration: End and Page Down bring the focused setting whole into view (rows of many heights)', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open('Configuration');
  const table = page.getByRole('table', { name: 'Configuration' });
  const scroller = table.locator('xpath=..');
  const rows = table.locator('tbody tr[aria-rowindex]');
  await expect(rows.first()).toBeVisible();
  /** The focused row's box within the list's visible part (below its sticky header). */
  const focusedInView = () =>
    scroller.evaluate((el) => {
      const tr = el.ownerDocument.activeElement!;
      const view = el.getBoundingClientRect();
      const head = el.querySelector('thead')!.getBoundingClientRect().height;
      const box = tr.getBoundingClientRect();
      return {
        row: tr.tagName === 'TR' && el.contains(tr),
        inView: box.top >= view.top + head - 1 && box.bottom <= view.top + el.clientHeight + 1,
      };
    });
  await rows.first().focus();
  for (const key of ['End', 'Home', 'PageDown', 'PageDown', 'End', 'PageUp']) {
    await page.keyboard.press(key);
    // Settled: the rows measured as they are drawn move the list a few frames after the key.
    await expect.poll(focusedInView, { message: key }).toEqual({ row: true, inView: true });
  }
  await page.keyboard.press('End');
  await expect.poll(focusedInView).toEqual({ row: true, inView: true });
  await expect(page.locator(':focus')).toHaveAttribute(
    'aria-rowindex',
    String(await table.getAttribute('aria-rowcount')),
  );
  await shot('en-dark-1280-config-end');
  await page.setViewportSize({ width: 1024, height: 700 });
});

test('logs: Enter on the newest line keeps its row in view, expanded, controlling its text region', async () => {
  // Lines enough to fill the list: each user added is logged.
  await mml(
    Array.from({ length: 60 }, (_, i) => `ADD USER: USERNAME="log-${i}", PASSWORD="log-${i}-secret";`).join(
      '\n',
    ),
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  await open('Logs');
  await expect(page.getByRole('table', { name: 'Logs' })).toContainText('log-59');
  const table = page.getByRole('table', { name: 'Logs' });
  const rows = table.locator('tbody tr[aria-rowindex]');
  await expect(rows.first()).toBeVisible();
  await rows.first().focus();
  await page.keyboard.press('End');
  const last = table.locator(`tbody tr[aria-rowindex="${await table.getAttribute('aria-rowcount')}"]`);
  await expect(last).toBeFocused();
  // Its state is on a disclosure button, its first cell (aria-expanded is for rows of a treegrid only,
  // ARIA 1.2), not on the row of a table.
  const toggle = last.getByRole('cell').first().getByRole('button');
  await expect(last).not.toHaveAttribute('aria-expanded');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).not.toHaveAttribute('aria-controls');
  await page.keyboard.press('Enter');
  const text = page.getByRole('region', { name: 'Text', exact: true });
  await expect(text).toBeVisible();
  await expect(last).toBeFocused();
  await expect(last).not.toHaveAttribute('aria-expanded');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(toggle).toHaveAttribute('aria-controls', (await text.getAttribute('id'))!);
  // The row with the focus whole inside the list's visible part, above the text opened under it.
  const inList = () =>
    last.evaluate((tr) => {
      const list = tr.closest('.table-scroll')!;
      const box = tr.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.top + list.clientHeight + 2;
    });
  await expect.poll(inList).toBe(true);
  await shot('en-dark-1280-logs-open');
  await page.keyboard.press('Escape');
  await expect(text).toHaveCount(0);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // Pressed (a screen reader's browse mode; it is no Tab stop: the row is), it opens and closes the text.
  await expect(toggle).toHaveAttribute('tabindex', '-1');
  await toggle.click();
  await expect(text).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(text).toHaveCount(0);
  await page.setViewportSize({ width: 1024, height: 700 });
});

test('terminal: at 640 px (200 % zoom) it reflows: nothing cut at either side, the command line and Run in the window', async () => {
  await page.setViewportSize({ width: 640, height: 400 });
  await open('MML Terminal');
  const input = page.getByLabel('MML command');
  await input.fill('DSP USER');
  await input.press('Enter');
  const output = page.getByRole('region', { name: 'MML output' });
  await expect(output).toContainText('RETCODE = 0');
  // The view scrolls down, never sideways; what it holds starts right of the navigation.
  const view = page.locator('section.view');
  expect(await view.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const left = (await page.locator('main').boundingBox())!.x;
  for (const part of [
    page.getByRole('heading', { level: 2, name: 'MML Terminal' }),
    page.getByRole('complementary', { name: 'Commands' }).locator('input'),
    output,
  ]) {
    expect((await part.boundingBox())!.x).toBeGreaterThanOrEqual(left);
  }
  expect((await output.boundingBox())!.width).toBeGreaterThan(350);
  await input.focus();
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.scrollIntoViewIfNeeded();
  await expect(run).toBeInViewport({ ratio: 1 });
  await expect(input).toBeInViewport({ ratio: 1 });
  await shot('en-dark-640-terminal');
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(run).toBeInViewport({ ratio: 1 });
  await shot('en-dark-1024-terminal');
});

test('terminal: the command line describes Tab and how to leave; what Tab completes is said', async () => {
  await open('MML Terminal');
  const input = page.getByLabel('MML command');
  await expect(input).toHaveAccessibleDescription(
    'Tab completes the command; on an empty line, after Escape, or with Shift, Tab leaves the line. ↑/↓ walk the history, Ctrl+L clears.',
  );
  const said = page.getByRole('status', { name: 'Completion' });
  await input.fill('xyz');
  await input.press('Tab');
  await expect(input).toBeFocused();
  await expect(said).toHaveText('Nothing completes xyz');
  // Said again on the next Tab (a new line in the live region).
  const line = said.locator('p');
  await line.evaluate((p) => p.setAttribute('data-first', ''));
  await input.press('Tab');
  await expect(said.locator('p:not([data-first])')).toHaveText('Nothing completes xyz');
  await input.fill('SET CFG KEY=LOG.LEVEL VALUE=');
  await input.press('Tab');
  await expect(said).toHaveText('4 completions: VALUE=DEBUG, VALUE=ERROR, VALUE=INFO, VALUE=WARNING');
  const hints = page.getByRole('list', { name: 'Completions' });
  await expect(hints).toBeVisible();
  await expect(input).toHaveAttribute('aria-controls', (await hints.getAttribute('id'))!);
  await shot('en-dark-1024-terminal-completions');
  // Escape, then Tab leaves the line, as described.
  await input.press('Escape');
  await expect(input).not.toHaveAttribute('aria-controls');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
  await input.fill('DSP REG ST');
  await input.press('Tab');
  await expect(said).toHaveText(/^Completed: DSP REG STAT/);
  await page.getByLabel('Language').selectOption('zh');
  await expect(input).toHaveAccessibleDescription(/^Tab 补全命令；/);
  await page.getByLabel('Language').selectOption('en');
  await input.fill('');
});

test('theme: the button keeps its name, and its description and a status say the theme shown', async () => {
  const theme = page.getByRole('button', { name: 'Theme', exact: true });
  const now = await page.locator('html').getAttribute('data-theme');
  const [first, second] = now === 'dark' ? ['Dark', 'Light'] : ['Light', 'Dark'];
  await expect(theme).toHaveAccessibleDescription(`Current theme: ${first}`);
  await theme.click();
  await expect(theme).toHaveAccessibleDescription(`Current theme: ${second}`);
  await expect(page.getByRole('status').filter({ hasText: 'Current theme:' })).toHaveText(
    `Current theme: ${second}`,
  );
  await page.getByLabel('Language').selectOption('zh');
  await expect(theme).toHaveAccessibleDescription(/^当前主题：(深色|浅色)$/);
  await page.getByLabel('Language').selectOption('en');
  await theme.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', now!);
});

test('search: what a search or filter found is said (Users, Configuration, Logs, Trace), as in Registrations', async () => {
  const found = page.getByTestId('found');
  const live = async () => {
    await expect(found).toHaveAttribute('aria-live', 'polite');
    return found;
  };
  await open('Users');
  await page.getByLabel('Search users').fill('log-1');
  await expect(await live()).toHaveText('Users found: 11');
  await page.getByLabel('Search users').fill('');
  await expect(found).toHaveText('');

  await open('Configuration');
  await page.getByLabel('Search settings').fill('TIMER');
  const settings = page.getByRole('table', { name: 'Configuration' });
  await expect(await live()).toHaveText(/^Settings found: \d+$/);
  const n = Number((await found.textContent())!.replace(/\D/g, ''));
  expect(n).toBeGreaterThan(0);
  expect(Number(await settings.getAttribute('aria-rowcount'))).toBe(n + 1);
  await page.getByLabel('Search settings').fill('');

  await open('Logs');
  await page.getByLabel('Search the log').fill('log-59');
  await expect(await live()).toHaveText('Lines found: 1');
  await page.getByLabel('Search the log').fill('');
  await expect(found).toHaveText('');

  await open('Trace');
  await page.getByLabel('Call-ID').fill('wide-1');
  await expect(await live()).toHaveText('Dialogs found: 1');
  await page.getByLabel('Language').selectOption('zh');
  await page.getByLabel('Call-ID').fill('nothing-such');
  await expect(found).toHaveText('找到 0 个会话');
  await page.getByLabel('Language').selectOption('en');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(found).toHaveText('');
});

test('overview: each sparkline’s text alternative is its numbers in words, as under the Performance charts', async () => {
  await open('Overview');
  const cpu = page.getByRole('region', { name: 'CPU', exact: true }).getByRole('img');
  await expect(cpu).toHaveAccessibleName(
    /^CPU now \d+\.\d, min \d+\.\d, max \d+\.\d \(over the last \d+ (s|min)\)$/,
  );
  const users = page.getByRole('region', { name: 'Registered users', exact: true }).getByRole('img');
  await expect(users).toHaveAccessibleName(/^Registered users now \d+, min \d+, max \d+/);
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('region', { name: 'CPU', exact: true }).getByRole('img')).toHaveAccessibleName(
    /^CPU 当前 \d+\.\d，最小 \d+\.\d，最大 \d+\.\d/,
  );
  await page.getByLabel('Language').selectOption('en');
});

test('terminal: each result’s Copy is named by its command', async () => {
  await open('MML Terminal');
  await page.getByRole('button', { name: 'Clear (Ctrl+L)' }).click();
  const input = page.getByLabel('MML command');
  for (const command of ['DSP REG', 'DSP USER']) {
    await input.fill(command);
    await input.press('Enter');
  }
  await expect(page.getByRole('button', { name: 'Copy DSP REG result', exact: true })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Copy DSP USER result', exact: true })).toHaveCount(1);
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('button', { name: '复制 DSP USER 的结果', exact: true })).toHaveCount(1);
  await page.getByLabel('Language').selectOption('en');
});

test('trace: Escape closes the message shown, back on its arrow; its text is named by its panel, a Tab stop', async () => {
  await open('Trace');
  await page
    .getByRole('table', { name: 'SIP dialogs' })
    .getByRole('row', { name: /wide-1@/ })
    .click();
  const ladder = page.getByRole('region', { name: /^Ladder of wide-1@/ });
  const arrow = ladder.getByRole('button', { name: /^#\d+ REGISTER/ }).first();
  await arrow.focus();
  await page.keyboard.press('Enter');
  const message = page.getByRole('region', { name: /^Message #\d+$/ });
  await expect(message).toContainText('REGISTER sip:ims.lab');
  await expect(message.locator('pre')).not.toHaveAttribute('aria-label');
  // The panel scrolls: it is one Tab stop after the ladder (tabindex 0, not left to the browser), a
  // region named by its message; Tab leaves it, Shift+Tab comes back to it, then to the arrow.
  await expect(message).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('Tab');
  await expect(message).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(message).not.toBeFocused();
  await expect(message.locator(':focus')).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await expect(message).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(arrow).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(message).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Select an arrow to see the whole message.' })).toBeVisible();
  await expect(arrow).toBeFocused();
  await expect(ladder).toBeVisible();
});

test('a view’s code after its heading is shown, not read (as in the navigation)', async () => {
  await open('Users');
  const code = page.getByRole('main').getByText('USR', { exact: true });
  await expect(code).toBeVisible();
  await expect(code).toHaveAttribute('aria-hidden', 'true');
  expect(await page.getByRole('main').ariaSnapshot()).not.toContain('USR');
});

test('reduced motion: the connection dot does not blink when the system asks for less motion', async () => {
  // A copy of the header's connection state as it is while reconnecting (its dot blinks).
  const blink = () =>
    page.getByTestId('connection').evaluate((conn) => {
      const probe = conn.cloneNode(true) as typeof conn;
      probe.className = 'conn conn-reconnecting';
      conn.after(probe);
      const name = conn.ownerDocument.defaultView!.getComputedStyle(
        probe.querySelector('.conn-dot')!,
      ).animationName;
      probe.remove();
      return name;
    });
  expect(await blink()).toBe('blink');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await blink()).toBe('none');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
});

test('configuration: a setting’s dialog opens on its Value described by the setting’s text and its range; Tab cycles in it', async () => {
  await open('Configuration');
  await page.getByLabel('Search settings').fill('CALL.MAX_DURATION');
  await page.getByRole('button', { name: 'Edit CALL.MAX_DURATION' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set CALL.MAX_DURATION' });
  const value = dialog.getByLabel('Value');
  await expect(value).toBeFocused();
  await expect(value).toHaveAccessibleDescription(/^An answered call is ended .* Allowed: \S/);
  await shot('en-dark-1024-config-dialog');
  // Tab cycles inside the dialog (WAI-ARIA APG modal dialog), not out to the browser's own interface:
  // Shift+Tab from its first control to its last, Tab from there back to the first.
  await page.keyboard.press('Shift+Tab');
  await expect(value).not.toBeFocused();
  await expect(dialog.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Tab');
  await expect(value).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByLabel('Search settings').fill('');
});

test('dialer: Enter on Place call leaves the focus on it (not on Record, where a Space would toggle it)', async () => {
  await open('Dialer');
  await page.getByRole('button', { name: 'Start service' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('running');
  const form = page.getByRole('form', { name: 'New calls' });
  await form.getByRole('textbox', { name: 'Callee' }).fill('1003');
  await form.getByRole('textbox', { name: 'Duration (s)' }).fill('1');
  const place = page.getByRole('button', { name: 'Place call' });
  await place.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main').getByRole('status')).toContainText('campaign');
  await expect(place).toBeFocused();
  await expect(place).not.toHaveAttribute('aria-disabled');
  await expect(form.getByRole('checkbox', { name: 'Record the far end' })).not.toBeChecked();
  await page.getByRole('button', { name: 'Stop service' }).click();
  await page.getByRole('dialog', { name: 'Stop service' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('stopped');
});

test('logs: Pause and Resume are said once (the held-lines banner is no live region)', async () => {
  await open('Logs');
  const said = page.getByTestId('pause-said');
  await expect(said).toHaveAttribute('aria-live', 'polite');
  await expect(said).toHaveText('');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(said).toHaveText('Paused: new lines are held until Resume');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(said).toHaveText('Resumed: the held lines are shown');
});

test('narrow windows: the row the keyboard is on shows a cut cell whole (not in a pointer-only tooltip)', async () => {
  const mail = 'a.rather.long.address.for.a.cut.cell@example-laboratory-of-long-names.example.com';
  await mml(`ADD USER: USERNAME="cut-mail", PASSWORD="cut-mail-secret", EMAIL="${mail}"`);
  await open('Users');
  await page.getByLabel('Search users').fill('cut-mail');
  const table = page.getByRole('table', { name: 'Users' });
  const row = table.getByRole('row', { name: /cut-mail/ });
  const cell = row.getByRole('cell', { name: mail });
  await expect(cell).toBeVisible();
  const cut = () => cell.evaluate((td) => td.scrollWidth > td.clientWidth);
  expect(await cut()).toBe(true);
  await row.focus();
  await page.keyboard.press('Home'); // from the keyboard: :focus-visible
  await expect(row).toBeFocused();
  expect(await cut()).toBe(false);
  await shot('en-dark-1024-users-row-whole');
  // Left, it is one line again.
  await page.getByLabel('Search users').focus();
  expect(await cut()).toBe(true);
  await page.getByLabel('Search users').fill('');
});
