// The Trace view in a 1024×700 window, in English and 中文: the dialog list keeps its "First line"
// column readable (the list scrolls sideways rather than squeezing it to a character), a UTF-8 display
// name reads as written in the message panel, and the pcap download's line follows the language; a
// datagram with no Call-ID opens and downloads like any dialog. Needs no SIPp: a REGISTER sent over
// UDP (answered 401) makes the dialog. At 200 % zoom (683×384) Trace, CDR and Users stay usable (Users'
// Status not under its actions). Screenshots under test-results/trace/.
import { expect, test, type Page } from '@playwright/test';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT,
  logIn,
  openView,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
  VIEWS_EN,
  VIEWS_ZH,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/trace');
const CALL_ID = 'narrow-1@127.0.0.1';

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 700 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-trace-narrow-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage();
  await logIn(page, server.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A REGISTER from "Jürgen 李" over UDP; resolves with the server's answer. */
async function register(): Promise<string> {
  const socket = createSocket('udp4');
  const port = await new Promise<number>((r) => socket.bind(0, '127.0.0.1', () => r(socket.address().port)));
  const text =
    `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKnarrow1\r\n` +
    `Max-Forwards: 70\r\nFrom: "Jürgen 李" <sip:1001@ims.lab>;tag=n1\r\nTo: <sip:1001@ims.lab>\r\n` +
    `Call-ID: ${CALL_ID}\r\nCSeq: 1 REGISTER\r\nContact: <sip:1001@127.0.0.1:${port}>\r\n` +
    `Expires: 60\r\nContent-Length: 0\r\n\r\n`;
  const answer = new Promise<string>((r) => socket.once('message', (d) => r(d.toString('utf8'))));
  socket.send(Buffer.from(text, 'utf8'), server!.sip.port, '127.0.0.1');
  try {
    return await answer;
  } finally {
    socket.close();
  }
}

/** A datagram that is no SIP message at all (no Call-ID to file it under). */
async function garbage(): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) =>
    socket.send('HELLO WORLD\r\n\r\n', server!.sip.port, '127.0.0.1', () => r()),
  );
  socket.close();
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

async function widthOf(locator: ReturnType<Page['locator']>): Promise<number> {
  const box = await locator.boundingBox();
  return box?.width ?? 0;
}

test('at 1024×700 the First line column stays readable, in English and 中文', async () => {
  expect(await register()).toMatch(/^SIP\/2.0 401 /);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Trace', exact: true })
    .click();
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  const row = list.getByRole('row', { name: /REGISTER sip:ims\.lab/ });
  await expect(row).toBeVisible();
  const header = list.getByRole('columnheader', { name: 'First line' });
  await expect(header).toBeVisible();
  expect(await widthOf(header)).toBeGreaterThanOrEqual(200);
  expect(
    await widthOf(row.getByRole('cell', { name: 'REGISTER sip:ims.lab SIP/2.0' })),
  ).toBeGreaterThanOrEqual(200);

  // The REGISTER's display name reads as written (SIP is UTF-8).
  await row.click();
  await page
    .getByRole('region', { name: `Ladder of ${CALL_ID}` })
    .getByRole('button', { name: /^#\d+ REGISTER:/ })
    .click();
  await expect(page.getByRole('region', { name: /^Message #\d+$/ })).toContainText('From: "Jürgen 李"');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download pcap' }).click();
  await download;
  const done = page.getByRole('status').filter({ hasText: /trace_/ });
  await expect(done).toHaveText(/^Downloaded trace_narrow-1@127\.0\.0\.1_\d{8}T\d{6}\.pcap \(2 messages\)$/);
  await shot('en-dark-trace-1024');

  await page.getByLabel('Language').selectOption('zh');
  const zhList = page.getByRole('table', { name: 'SIP 会话' });
  const zhHeader = zhList.getByRole('columnheader', { name: '首行' });
  await expect(zhHeader).toBeVisible();
  expect(await widthOf(zhHeader)).toBeGreaterThanOrEqual(200);
  await expect(done).toHaveText(/^已下载 trace_narrow-1@127\.0\.0\.1_\d{8}T\d{6}\.pcap（2 条消息）$/);
  await shot('zh-dark-trace-1024');
  await page.getByLabel('Language').selectOption('en');
});

test('a message without a Call-ID opens like any other, and downloads', async () => {
  await garbage();
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  const row = list.getByRole('row', { name: /malformed/ });
  await expect(row).toBeVisible();
  await row.click();
  const message = page.getByRole('region', { name: /^Message #\d+$/ });
  await expect(message).toContainText('HELLO WORLD');
  await expect(page.getByText(/^Error:/)).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download pcap' }).click();
  expect((await download).suggestedFilename()).toMatch(/^trace_none_\d{8}T\d{6}\.pcap$/);
  await expect(page.getByRole('status').filter({ hasText: /trace_/ })).toHaveText(/\(1 messages\)$/);
});

test('at 200 % zoom (1366×768: 683×384) the list keeps a usable height and its rows take their clicks; Users shows Status whole', async ({
  browser,
}) => {
  const zoomed = await browser.newPage({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 });
  try {
    await logIn(zoomed, server!.baseUrl);
    await openView(zoomed, 'Trace');
    const list = zoomed.getByRole('table', { name: 'SIP dialogs' });
    const row = list.getByRole('row', { name: /REGISTER sip:ims\.lab/ });
    await expect(row).toBeVisible();
    // The header's controls go on a second row: Log out ran past the window's edge, cut off.
    const logOut = (await zoomed.getByRole('button', { name: 'Log out' }).boundingBox())!;
    expect(logOut.x + logOut.width).toBeLessThanOrEqual(683);
    // The filters took the whole height: the list got one row, under the hint, which took its click.
    const hint = zoomed.getByText('Select a dialog to see its ladder.');
    await zoomed.screenshot({ path: path.join(SHOTS, 'en-dark-trace-200pct.png') });
    const listBox = (await zoomed.locator('.trace-list').boundingBox())!;
    expect(listBox.height).toBeGreaterThanOrEqual(200);
    // Its two rows whole, not a 60 px strip scrolled inside; the hint below the list, not over a row.
    const scroller = zoomed.locator('.trace-list .table-scroll');
    expect(await scroller.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
    expect((await hint.boundingBox())!.y).toBeGreaterThanOrEqual(listBox.y + listBox.height);
    await row.click({ timeout: 5_000 });
    await expect(zoomed.getByRole('button', { name: 'Download pcap' })).toBeVisible();
    // The CDR's table below its filters, likewise (it got two rows).
    await openView(zoomed, 'CDR');
    await expect(zoomed.getByRole('table', { name: 'CDR' })).toBeVisible();
    expect((await zoomed.locator('.split').boundingBox())!.height).toBeGreaterThanOrEqual(220);
    await zoomed.screenshot({ path: path.join(SHOTS, 'en-dark-cdr-200pct.png') });
    // Users: the pinned Edit and Delete (150 px) lay over Status. Every column whole, nothing over it: Status
    // in the table's visible width, left of the actions, which scroll into view when tabbed to.
    await openView(zoomed, 'Users');
    const users = zoomed.getByRole('table', { name: 'Users' });
    const user = users.getByRole('row', { name: /^1001 / });
    const status = user.getByRole('cell', { name: 'ACTIVE', exact: true });
    await expect(status).toBeInViewport({ ratio: 1 });
    const statusBox = (await status.boundingBox())!;
    const seen = (await users.locator('xpath=..').boundingBox())!;
    expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(seen.x + seen.width);
    const actionsHeader = users.getByRole('columnheader', { name: 'Actions' });
    const actions = (await actionsHeader.boundingBox())!;
    expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(actions.x);
    // Unpinned from the right, its header still sticks at the top with the header row.
    expect(
      await actionsHeader.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).position),
    ).toBe('sticky');
    await zoomed.screenshot({ path: path.join(SHOTS, 'en-dark-users-200pct.png') });
    const remove = user.getByRole('button', { name: 'Delete 1001' });
    await remove.focus();
    await expect(remove).toBeInViewport({ ratio: 1 });
  } finally {
    await zoomed.close();
  }
});

test('at 400 % zoom (1280×1024: 320×256) the page never scrolls sideways and the views fold behind a Views button, in English and 中文', async ({
  browser,
}) => {
  const zoomed = await browser.newPage({ viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 });
  // WCAG 1.4.10: no sideways scroll of the page at 320 CSS px (a table may scroll inside its own box).
  // (document.scrollingElement: <html> in standards mode.)
  const sideways = () => zoomed.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
  try {
    await zoomed.goto(server!.baseUrl);
    await expect(zoomed.getByLabel('Password')).toBeVisible();
    expect(await sideways()).toBeLessThanOrEqual(0);
    await logIn(zoomed, server!.baseUrl);
    const nav = zoomed.getByRole('navigation', { name: 'Views' });
    for (const [lang, prefix, names] of [
      ['en', 'Views: ', VIEWS_EN],
      ['zh', '视图：', VIEWS_ZH],
    ] as const) {
      await zoomed.getByLabel('Language').selectOption(lang);
      for (const name of names) {
        // The APG disclosure: the list opens under its button, and folds once a view is picked, the focus
        // back on the button, which names the view now open.
        const toggle = nav.getByRole('button', { name: new RegExp(`^${prefix}`) });
        await expect(toggle).toHaveAttribute('aria-expanded', 'false');
        await toggle.click();
        await expect(toggle).toHaveAttribute('aria-expanded', 'true');
        await nav.getByRole('button', { name, exact: true }).click();
        await expect(toggle).toHaveAccessibleName(`${prefix}${name}`);
        await expect(toggle).toHaveAttribute('aria-expanded', 'false');
        const main = zoomed.getByRole('main', { name });
        await expect(main.getByRole('heading', { level: 2 })).toBeVisible();
        expect(await sideways(), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
        expect((await main.boundingBox())!.width, `${name}'s width`).toBeGreaterThanOrEqual(250);
      }
    }
    await zoomed.screenshot({ path: path.join(SHOTS, 'zh-dark-logs-400pct.png') });
    // Enter opens the list, Escape folds it back onto its button; the skip link still reaches the view's
    // heading.
    await zoomed.getByLabel('Language').selectOption('en');
    const toggle = nav.getByRole('button', { name: /^Views: / });
    // A row's button reached by Tab, its row scrolled half under the sticky header row, comes out below
    // it (WCAG 2.4.11): Configuration's rows, the fourth row's Edit.
    await toggle.click();
    await nav.getByRole('button', { name: 'Configuration', exact: true }).click();
    const settings = zoomed.locator('.table-scroll');
    await settings.locator('tbody tr[aria-rowindex="2"]').focus();
    for (let k = 0; k < 3; k++) await zoomed.keyboard.press('ArrowDown');
    const row = settings.locator('tbody tr[aria-rowindex="5"]');
    await expect(row).toBeFocused();
    const edit = row.getByRole('button', { name: /^Edit / });
    const under = async () => {
      const head = (await settings.locator('th').first().boundingBox())!;
      return head.y + head.height - (await edit.boundingBox())!.y;
    };
    await settings.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = (await settings.boundingBox())!;
    await zoomed.mouse.move(box.x + 40, box.y + box.height - 20);
    await zoomed.mouse.wheel(0, 12 - (await under()));
    await expect.poll(under).toBeGreaterThan(0);
    await zoomed.keyboard.press('Tab');
    await expect(edit).toBeFocused();
    expect(await under(), 'Edit under the header').toBeLessThanOrEqual(0);
    // (The MML Terminal takes the focus to its command line; any other view leaves it on the button.)
    await toggle.click();
    await nav.getByRole('button', { name: 'Users', exact: true }).click();
    await expect(toggle).toBeFocused();
    await zoomed.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('button', { name: 'Logs', exact: true }).focus();
    await zoomed.keyboard.press('Escape');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(toggle).toBeFocused();
    await zoomed.getByRole('link', { name: 'Skip to content' }).focus();
    await zoomed.keyboard.press('Enter');
    await expect(
      zoomed.getByRole('main', { name: 'Users' }).getByRole('heading', { level: 2 }),
    ).toBeFocused();
  } finally {
    await zoomed.close();
  }
});
