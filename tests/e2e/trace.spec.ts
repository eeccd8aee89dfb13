// The Trace view in Debian's Chromium against the built headless server: a SIPp call through the proxy
// is followed from the Calls view to its ladder while it is live (the BYE arrives without a reload),
// its ladder holds INVITE/100/180/200/ACK/BYE/200, a message opens whole with its SDP highlighted, the
// pcap downloads (and starts with the pcap magic), the CDR row links to the same ladder and the ladder to
// its CDR row, the filters (a message's text, a time range) ask the server, and the export
// route refuses anything but a bare export name. Screenshots in English and 中文, dark and light, under
// test-results/trace/.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PASSWORD,
  ROOT,
  logIn,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';
import { HAS_SIPP, sippCall } from './sipp';

const SHOTS = path.join(ROOT, 'test-results/trace');

let server: LabServer | undefined;
let dataDir: string;
let page: Page;
let callId = '';
const errors: string[] = [];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-trace-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage();
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

const open = (name: string) => openView(page, name);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
const ladder = () => page.getByRole('region', { name: /^Ladder of / });
/** An arrow by its label, whatever its notes: `INVITE (SDP)`, `200 OK (BYE)`. */
const arrow = (label: string) =>
  ladder().getByRole('button', { name: new RegExp(`^#\\d+ ${label}(?: \\([^)]*\\))*:`) });

test('a live call opens its ladder from the Calls view; the ladder follows it to the BYE', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  const sip = server!.sip;
  await open('Calls');
  const calls = page.getByRole('table', { name: 'Calls' });
  const { caller, callee } = await sippCall(sip, 3000);
  const row = calls.getByRole('row', { name: /1001/ });
  await expect(row).toContainText('answered', { timeout: 10_000 });
  const show = row.getByRole('button', { name: /^Show messages / });
  callId = ((await show.getAttribute('aria-label')) ?? '').replace(/^Show messages /, '');
  expect(callId).not.toBe('');
  await show.click();
  await expect(page.getByRole('heading', { level: 2, name: 'Trace' })).toBeVisible();
  await expect(ladder()).toHaveAccessibleName(`Ladder of ${callId}`);
  await expect(arrow('INVITE').first()).toBeVisible();
  await expect(arrow('200 OK').first()).toBeVisible();
  expect(await caller).toBe(0);
  expect(await callee).toBe(0);
  // The BYE and its 200 arrive live.
  await expect(arrow('BYE').first()).toBeVisible({ timeout: 10_000 });
});

test('the ladder shows INVITE/100/180/200/ACK/BYE/200 with times; a message opens whole with its SDP', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await expect(list.getByRole('columnheader', { name: 'First line' })).toBeVisible();
  await expect(list.getByRole('columnheader', { name: 'Final status' })).toBeVisible();
  const dialogRow = list.getByRole('row', {
    name: new RegExp(callId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  });
  await expect(dialogRow).toContainText('INVITE sip:1002@');
  await expect(dialogRow).toContainText('200');
  await dialogRow.click();
  const labels = await ladder()
    .getByRole('button')
    .evaluateAll((els) =>
      els.map((e) =>
        (e.getAttribute('aria-label') ?? '')
          .replace(/^#\d+ /, '')
          .replace(/:.*$/, '')
          .replace(/ \(.*$/, ''),
      ),
    );
  // In order (the proxy relays each, so each label appears on both legs).
  const order = ['INVITE', '100 Trying', '180 Ringing', '200 OK', 'ACK', 'BYE', '200 OK'];
  let at = -1;
  for (const label of order) {
    const next = labels.findIndex((l, i) => i > at && l === label);
    expect(next, `${label} after ${labels.slice(0, at + 1).join(', ')}`).toBeGreaterThan(at);
    at = next;
  }
  // Numbered as DSP TRACE CALLID= numbers them (No. 1..N in the dialog), not by the trace's capture
  // sequence (the registrations came before the call: its INVITE was #5 or more).
  const rows = ladder().locator('g.ladder-row');
  await expect(rows.first()).toHaveAccessibleName(/^#1 INVITE/);
  await expect(rows.last()).toHaveAccessibleName(new RegExp(`^#${await rows.count()} `));
  await expect(ladder().locator('.ladder-headbar')).toContainText('No.');
  await expect(ladder()).toContainText('127.0.0.1:'); // lane titles
  await expect(ladder()).toContainText('+0.0'); // deltas
  await arrow('BYE').first().click();
  const message = page.getByRole('region', { name: /^Message #\d+$/ });
  await expect(message.locator('.sip-start')).toHaveText(/^BYE sip:/);
  await expect(message).toContainText(`Call-ID: ${callId}`);
  // The last INVITE relayed carries the SDP offer: its lines are highlighted.
  await arrow('INVITE').last().click();
  await expect(message.locator('.sip-start')).toHaveText(/^INVITE sip:/);
  await expect(message.locator('.sip-sdp', { hasText: /^m=audio \d+ RTP\/AVP/ })).toBeVisible();
  await expect(message.locator('.sip-sdp .sdp-type').first()).toHaveText('v');
  await shot('en-dark-trace');
});

test('the pcap downloads and starts with the pcap magic; the export route takes bare names only', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const download = page.waitForEvent('download');
  await ladder().getByRole('button', { name: 'Download pcap' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^trace_.*\.pcap$/);
  const bytes = readFileSync(await file.path());
  expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(bytes.length).toBeGreaterThan(24 + 14 * 300);
  const base = server!.baseUrl;
  const name = encodeURIComponent(file.suggestedFilename());
  expect((await fetch(`${base}api/trace-export/${name}`)).status).toBe(401);
  const login = await fetch(`${base}api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const ok = await fetch(`${base}api/trace-export/${name}`, auth);
  expect(ok.status).toBe(200);
  expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true);
  for (const bad of ['..%2F..%2Ftrace.db', 'trace_..%2F..%2Fx.pcap', 'users.db', '%2Fetc%2Fpasswd'])
    expect((await fetch(`${base}api/trace-export/${bad}`, auth)).status).toBe(400);
  expect((await fetch(`${base}api/trace-export/trace_none.pcap`, auth)).status).toBe(404);
});

test('the arrows are one Tab stop: Up/Down and Home/End move between them, Enter opens one', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const arrows = ladder().locator('g.ladder-row');
  const count = await arrows.count();
  expect(count).toBeGreaterThan(10);
  // The message shown (the last INVITE, above) is the one Tab reaches; the others are out of the Tab order.
  expect(
    await arrows.evaluateAll((els) => els.filter((e) => e.getAttribute('tabindex') === '0').length),
  ).toBe(1);
  const labels = await arrows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  await arrow('INVITE').last().focus();
  const focusedLabel = () =>
    ladder().evaluate((l) => l.ownerDocument.activeElement?.getAttribute('aria-label') ?? '');
  await page.keyboard.press('Home');
  expect(await focusedLabel()).toBe(labels[0]);
  await page.keyboard.press('ArrowDown');
  expect(await focusedLabel()).toBe(labels[1]);
  await page.keyboard.press('End');
  expect(await focusedLabel()).toBe(labels[count - 1]);
  await page.keyboard.press('ArrowUp');
  const bye = await focusedLabel();
  expect(bye).toBe(labels[count - 2]);
  await page.keyboard.press('Enter');
  const seq = /^#(\d+) /.exec(bye)![1];
  await expect(page.getByRole('region', { name: `Message #${seq}` })).toBeVisible();
  // Tab leaves the ladder from the arrow focused, whatever its length.
  await page.keyboard.press('Tab');
  expect(
    await ladder().evaluate((l) => l.ownerDocument.activeElement?.closest('g.ladder-row') === null),
  ).toBe(true);
});

test('Download pcap waits while the file is written and fetched, saying so', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const button = ladder().getByRole('button', { name: 'Download pcap' });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/trace-export/**', async (route) => {
    await held;
    await route.continue();
  });
  try {
    const download = page.waitForEvent('download');
    await button.click();
    await expect(button).toBeDisabled();
    await expect(page.getByRole('main').getByRole('status')).toHaveText('Writing the pcap…');
    release();
    expect((await download).suggestedFilename()).toMatch(/^trace_.*\.pcap$/);
    await expect(page.getByRole('main').getByRole('status')).toContainText(/^Downloaded trace_/);
    await expect(button).toBeEnabled();
  } finally {
    release();
    await page.unroute('**/api/trace-export/**');
  }
});

test('a CDR row links to its ladder', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await ladder().getByRole('button', { name: 'Close' }).click();
  await expect(ladder()).toBeHidden();
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(cdr.getByRole('row', { name: /CALL/ }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await cdr.getByRole('row', { name: /CALL/ }).first().click();
  await page.getByRole('complementary').getByRole('button', { name: 'Show messages' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Trace' })).toBeVisible();
  await expect(ladder()).toHaveAccessibleName(`Ladder of ${callId}`);
  await expect(arrow('BYE').first()).toBeVisible();
  // And back: the call's ladder opens its CDR record (by its Call-ID, whatever the day), focused.
  await ladder().getByRole('button', { name: 'CDR record' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'CDR' })).toBeVisible();
  const record = page.getByRole('complementary', { name: /^Record / });
  await expect(record).toBeFocused();
  await expect(record).toContainText(callId);
  await expect(cdr.getByRole('row', { name: /CALL/ })).toHaveCount(1);
  await record.getByRole('button', { name: 'Show messages' }).click();
  await expect(ladder()).toHaveAccessibleName(`Ladder of ${callId}`);
});

test('the filters ask the server: method, response class, user, a part of the Call-ID, address:port', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(1);
  await page.getByLabel('Method', { exact: true }).selectOption('BYE');
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(0);
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await page.getByLabel('Response class').selectOption('4');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1); // its 407
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('User', { exact: true }).fill('1002');
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(1);
  await page.getByLabel('User', { exact: true }).fill('1009');
  await expect(list).toContainText('No dialog held matches these filters.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  // A part of the Call-ID; an address with the port, as the ladder shows the ends.
  await page.getByLabel('Call-ID', { exact: true }).fill(callId.slice(2, 12));
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  const { host, port } = server!.sip;
  await page.getByLabel('Address', { exact: true }).fill(`${host}:${port}`);
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await page.getByLabel('Address', { exact: true }).fill(`${host}:1`);
  await expect(list).toContainText('No dialog held matches these filters.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  // The final answer's class, not any class seen (the call's 407 is no failure), and the kind.
  await page.getByLabel('Final status', { exact: true }).selectOption('2');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await page.getByLabel('Final status', { exact: true }).selectOption('4');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Kind', { exact: true }).selectOption('registration');
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(1);
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  // A text of a message, in any case (the INVITE's SDP), and a time range on the server's clock.
  const search = page.getByRole('searchbox', { name: 'Search messages' });
  await search.fill('M=AUDIO');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await expect(list.getByRole('row', { name: /REGISTER sip:/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Time from', { exact: true }).fill('2099-01-01T00:00');
  await expect(list).toContainText('No dialog held matches these filters.');
  await page.getByLabel('Time from', { exact: true }).fill('2000-01-01T00:00');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  await page.getByLabel('Time to', { exact: true }).fill('2000-01-02T00:00');
  await expect(list).toContainText('No dialog held matches these filters.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
});

test('each end of the time range is a field and a picker button (not seven Tab stops); a text that is no time says so', async () => {
  await open('Trace');
  const clear = page.getByRole('button', { name: 'Clear filters' });
  await page.getByRole('searchbox', { name: 'Search messages' }).focus();
  let tabs = 0;
  while (tabs < 20 && !(await clear.evaluate((b) => b === b.ownerDocument.activeElement))) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBe(5); // Time from, its calendar, Time to, its calendar, Clear filters
  // Typed as the list shows times; a text that is no time is said once the field is left, and filters nothing.
  const from = page.getByLabel('Time from', { exact: true });
  await from.fill('2026-13-01 10:00');
  await expect(from).toHaveAttribute('aria-invalid', 'false');
  await from.press('Tab');
  await expect(page.getByRole('button', { name: 'Time from: pick on a calendar' })).toBeFocused();
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(from).toHaveAccessibleDescription(/^Not a date and time, so not applied: write it as \d{4}-/);
  await from.fill('2000-01-01 00:00');
  await from.blur();
  await expect(from).toHaveAttribute('aria-invalid', 'false');
  // The calendar's pick shows in the field as typed times are.
  await page.locator('.time-picker').nth(1).fill('2000-01-02T00:00', { force: true });
  await expect(page.getByLabel('Time to', { exact: true })).toHaveValue('2000-01-02 00:00');
  await expect(page.getByRole('table', { name: 'SIP dialogs' })).toContainText(
    'No dialog held matches these filters.',
  );
  await clear.click();
  await expect(from).toHaveValue('');
});

test('a method filter keeps the list live: a new call with a BYE joins it without Refresh', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await page.getByLabel('Method', { exact: true }).selectOption('BYE');
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(1);
  const { caller, callee } = await sippCall(server!.sip, 500);
  expect(await caller).toBe(0);
  expect(await callee).toBe(0);
  // Only the server can tell which dialogs have a BYE: the list asks it again while dialogs come.
  await expect(list.getByRole('row', { name: /INVITE sip:1002@/ })).toHaveCount(2, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Clear filters' }).click();
});

test('the Trace view in English and 中文, dark and light', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await arrow('INVITE').last().click();
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shot('en-light-trace');
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('heading', { level: 2, name: '信令跟踪' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'SIP 会话' }).getByRole('columnheader', { name: '首行' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: '下载 pcap' })).toBeVisible();
  // The dialog's kind is in the page's language too (it was "call" in 中文).
  const zhList = page.getByRole('table', { name: 'SIP 会话' });
  await expect(zhList.getByRole('row', { name: /INVITE sip:1002@/ }).first()).toContainText('呼叫');
  await expect(zhList.getByRole('row', { name: /REGISTER/ }).first()).toContainText('注册');
  await shot('zh-light-trace');
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot('zh-dark-trace');
  await page.getByLabel('Language').selectOption('en');
  expect(errors.filter((e) => !/WebSocket|401|Failed to load resource/.test(e))).toEqual([]);
});
