// Lists read while they change, checked in Debian's Chromium against the built headless server. CDR: the
// newest page reloads as MESSAGE rows come in; the record opened stays in its side panel, its row keeps
// its highlight, its place on screen and the focus, and when newer records push it off the page the
// focus goes to its panel (or to "Older records", said in words) rather than to another record; the row
// under the pointer holds still, so a click lands on the record aimed at. Logs:
// scrolled up to read with "Lines kept" full, the lines read stay where they are as the oldest go. Trace:
// with a filter only the server can check, new dialogs that match still join the list. The header: a
// server stopped (SIGSTOP) with its sockets open is said not answering, not connected.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  logIn,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';

let lab: LabServer | undefined;
let dataDir: string;
let page: Page;
/** MESSAGEs sent so far: each is a CDR row whose callee is 7000 + its number. */
let sent = 0;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-live-'));
  lab = await startLabServer(dataDir);
  // MESSAGEs without a challenge: each one answered at once (480, no one registered), a row.
  await mml('SET CFG:KEY="PROXY.AUTH_METHODS",VALUE=""');
  page = await browser.newPage();
  await logIn(page, lab.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (name: string) => openView(page, name);

/**
 * Sends `n` MESSAGEs from another domain to numbers IMS Lab does not know, one after the other: each
 * is refused (480) and written as a CDR row, and the newest page reloads a second later.
 */
async function messages(n: number, method = 'MESSAGE'): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  try {
    for (let i = 0; i < n; i++) {
      const answered = new Promise<void>((resolve) =>
        socket.on('message', function final(m) {
          if (/^SIP\/2\.0 [2-6]/.test(m.toString())) {
            socket.off('message', final);
            resolve();
          }
        }),
      );
      const callee = 7000 + sent++;
      const target = `sip:${callee}@${lab!.sip.host}:${lab!.sip.port}`;
      const request = [
        `${method} ${target} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-live-${callee}-${Date.now()}`,
        'Max-Forwards: 70',
        `From: <sip:probe@example.org>;tag=live${callee}`,
        `To: <${target}>`,
        `Call-ID: live-message-${callee}-${Date.now()}@127.0.0.1`,
        `CSeq: 1 ${method}`,
        'Content-Type: text/plain',
        'Content-Length: 2',
        '',
        'hi',
      ].join('\r\n');
      socket.send(request, lab!.sip.port, lab!.sip.host);
      await answered;
    }
  } finally {
    socket.close();
  }
}

/** The callee of the newest MESSAGE sent so far (the first row of the newest page once reloaded). */
const newest = () => String(7000 + sent - 1);

/** The CDR list has been read again with every row sent so far: its count says so. */
const reloaded = () => expect(page.getByText(`Showing 1–200 of ${sent}`)).toBeVisible({ timeout: 10_000 });

/** Runs MML through the HTTP API (as `server.js mml` does). */
async function mml(text: string): Promise<void> {
  await mmlOverHttp(lab!.baseUrl, text);
}

const top = async (l: Locator) => (await l.boundingBox())!.y;

/** The CDR view on its newest page of at least 230 rows, no record open; its table. */
async function cdrNewestPage(): Promise<Locator> {
  const panel = page.getByRole('complementary', { name: /^Record / });
  if ((await panel.count()) > 0) await panel.getByRole('button', { name: 'Close' }).click();
  await open('CDR');
  if (sent < 230) await messages(230 - sent);
  await reloaded();
  return page.getByRole('table', { name: 'CDR' });
}

test('CDR: the record opened stays open, highlighted, in place and focused while newer rows come in', async () => {
  await messages(230);
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(cdr.getByRole('row').nth(1)).toContainText(newest(), { timeout: 10_000 });
  // The fourth row, clicked: opened, highlighted and focused.
  const row = cdr.getByRole('row').nth(4);
  const callee = (await row.getByRole('cell').nth(4).textContent())!;
  await row.click();
  const panel = page.getByRole('complementary', { name: /^Record / });
  await expect(panel).toBeVisible();
  const name = (await panel.getAttribute('aria-label'))!;
  const mine = cdr.getByRole('row').filter({ has: page.getByRole('cell', { name: callee, exact: true }) });
  await expect(mine).toBeFocused();
  const y = await top(mine);

  // 60 newer rows: more than the rows rendered around the view; the page reloads with them above.
  await messages(60);
  await reloaded();
  await expect(panel).toHaveAccessibleName(name);
  await expect(mine).toHaveClass(/row-selected/);
  await expect(mine).toBeFocused();
  expect(await top(mine)).toBe(y);

  // 200 more: the record goes off the newest page. Its panel stays, and the focus goes to it.
  await messages(200);
  await reloaded();
  await expect(mine).toHaveCount(0);
  await expect(panel).toHaveAccessibleName(name);
  await expect(panel.getByRole('button', { name: 'Close' })).toBeFocused();
  // Said, as when no record is open (the focus moved: a reader must hear why).
  await expect(page.getByRole('status').filter({ hasText: /went off this page/ })).toHaveText(
    /^Record \d+ went off this page as newer records came in; it stays open beside the list/,
  );
  // Escape in a filter field is the field's (a search field clears itself), not the record's.
  await page.getByLabel('Caller (number)', { exact: true }).press('Escape');
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).press('Escape');
  await expect(panel).toHaveCount(0);
});

test('CDR: a focused row pushed off the page hands the focus to "Older records" and says so', async () => {
  const cdr = await cdrNewestPage();
  // The page's last row, focused from the keyboard (End), not opened.
  await cdr.getByRole('row').nth(1).focus();
  await page.keyboard.press('End');
  await expect(cdr.locator('tr[aria-rowindex="201"]')).toBeFocused();
  await messages(20);
  await expect(page.getByRole('button', { name: 'Older records' })).toBeFocused({ timeout: 10_000 });
  await expect(page.getByRole('status').filter({ hasText: /went off this page/ })).toHaveText(
    /^Record \d+ went off this page as newer records came in/,
  );
});

test('CDR: the row under the pointer holds still as newer rows come in, so a click lands on what was aimed at', async () => {
  const cdr = await cdrNewestPage();
  const scroller = page.locator('.table-scroll');
  await scroller.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(cdr.getByRole('row').nth(1)).toContainText(newest());
  // The pointer rests on the ninth row, at the top of the newest page.
  const aimed = cdr.getByRole('row').nth(9);
  await expect(aimed).toBeInViewport();
  const box = (await aimed.boundingBox())!;
  const [x, y] = [box.x + 40, box.y + box.height / 2];
  await page.mouse.move(x, y);
  const under = () =>
    scroller.evaluate(
      (el, [px, py]) => el.ownerDocument.elementFromPoint(px!, py!)?.closest('tr')?.textContent ?? '',
      [x, y],
    );
  const before = await under();
  expect(before).toContain('probe');
  await messages(30);
  await reloaded();
  // Read once the reloaded rows are drawn (the scroll is anchored as they come).
  await expect.poll(under, { timeout: 5_000 }).toBe(before);
});

test('Logs: scrolled up with "Lines kept" full, the lines read stay where they are as the oldest go', async () => {
  await open('Logs');
  await page.getByLabel('Lines kept').selectOption('500');
  // Each MESSAGE refused is a log line or more: well over 500.
  await messages(600);
  const log = page.getByRole('table', { name: 'Logs' });
  await expect(log.getByRole('row', { name: new RegExp(newest()) }).first()).toBeVisible({ timeout: 10_000 });
  const scroller = page.locator('.table-scroll');
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  await expect(page.getByRole('button', { name: 'Follow the newest lines' })).toBeVisible();
  const box = (await scroller.boundingBox())!;
  /** The text of the row at the middle of the list on screen. */
  const read = () =>
    scroller.evaluate(
      (el, [x, y]) => el.ownerDocument.elementFromPoint(x!, y!)?.closest('tr')?.textContent ?? '',
      [box.x + 200, box.y + box.height / 2],
    );
  const before = await read();
  expect(before).not.toBe('');
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  // 100 more lines: the 100 oldest go, and the scroll moves up by their height (it stayed put, and the
  // text slid up under the reader at the log's rate).
  await messages(100);
  await expect
    .poll(() => scroller.evaluate((el) => el.scrollTop), { timeout: 10_000 })
    .toBeLessThanOrEqual(scrolled - 90 * 28);
  // The rows at the new scroll position are drawn in the next frame (it read '' once in CI).
  await expect.poll(read, { timeout: 5_000 }).toBe(before);
});

test('Trace: with a Method filter set, a new dialog that matches joins the list without Refresh', async () => {
  await messages(1);
  await messages(1, 'OPTIONS');
  await open('Trace');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await expect(list.getByRole('row', { name: new RegExp(`OPTIONS sip:${newest()}@`) })).toHaveCount(1, {
    timeout: 10_000,
  });
  // The server's answer for the filter: the OPTIONS goes.
  await page.getByLabel('Method', { exact: true }).selectOption('MESSAGE');
  await expect(list.getByRole('row', { name: /OPTIONS sip:/ })).toHaveCount(0);
  await expect(list.getByRole('row', { name: /MESSAGE sip:/ }).first()).toBeVisible();
  await messages(1);
  await expect(list.getByRole('row', { name: new RegExp(`MESSAGE sip:${newest()}@`) })).toHaveCount(1, {
    timeout: 10_000,
  });
  await page.getByRole('button', { name: 'Clear filters' }).click();
});

test('a server that stops answering (SIGSTOP) is said so in the header, and connected once it goes on', async () => {
  test.setTimeout(60_000);
  const pid = lab!.process.pid!;
  const connection = page.getByTestId('connection');
  await expect(connection).toContainText('connected');
  process.kill(pid, 'SIGSTOP');
  try {
    await expect(connection).toContainText('not answering', { timeout: 20_000 });
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await expect(connection).toContainText('connected', { timeout: 20_000 });
  await expect(connection).not.toContainText('not answering');
});
