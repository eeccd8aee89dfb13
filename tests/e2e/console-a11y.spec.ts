// What an accessibility review of the console found (axe-core, the keyboard, screenshots), checked in
// Debian's Chromium against the built headless server: an action that removes or disables the control
// it came from hands the focus on instead of dropping it to the page (WCAG 2.4.3). Screenshots of the
// views changed under test-results/console-a11y/.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  shootViews,
  type ShotView,
  logIn,
  requireBuild,
  ROOT,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';
import { freeUdpPort, HAS_SIPP, sipp } from './sipp';

const SHOTS = path.join(ROOT, 'test-results/console-a11y');

let server: LabServer | undefined;
let dataDir: string;
let page: Page;
const errors: string[] = [];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-a11y-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
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

const open = (name: string) => openView(page, name);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** The contrast ratio (WCAG 2.x) of two computed colours ('rgb(r, g, b)' or '#rrggbb'). */
function contrast(a: string, b: string): number {
  const rgb = (c: string) =>
    c.startsWith('#')
      ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16))
      : (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = (c: string) => {
    const [r, g, b] = rgb(c).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
/**
 * A call from 1001 to 1002 through the server that lasts until the proxy ends it: 1002 registered from
 * a SIPp UAS's port, the caller a SIPp UAC that waits for a BYE. Resolves once both run.
 */
async function callUntilEnded(): Promise<Promise<number>[]> {
  const sip = server!.sip;
  const port = await freeUdpPort();
  const registered = await sipp({
    scenario: 'register_auth.xml',
    target: sip,
    port,
    user: { username: '1002', password: '1002' },
    keys: { expires: 300 },
  });
  expect(registered).toBe(0);
  const callee = sipp({ scenario: 'proxy_uas_answer.xml', target: sip, port, pauseMs: 0 });
  await new Promise((r) => setTimeout(r, 300)); // SIPp binds its port
  const caller = sipp({
    scenario: 'proxy_uac_call_callee_bye.xml',
    target: sip,
    port: await freeUdpPort(),
    user: { username: '1001', password: '1001' },
    keys: { callee: '1002' },
    args: ['-auth_uri', `1002@${sip.host}:${sip.port}`],
  });
  return [caller, callee];
}

test('focus: a user deleted leaves it on the row now at its index, not on the page', async () => {
  await mml(
    ['a11y-1', 'a11y-2', 'a11y-3', 'a11y-4']
      .map((u) => `ADD USER: USERNAME="${u}", PASSWORD="${u}-secret";`)
      .join('\n'),
  );
  await open('Users');
  await page.getByLabel('Search users').fill('a11y-');
  const table = page.getByRole('table', { name: 'Users' });
  const row = (n: number) => table.getByRole('row', { name: new RegExp(`a11y-${n}`) });
  const confirm = page.getByRole('dialog').getByRole('button', { name: 'Confirm' });
  await expect(row(4)).toBeVisible();
  // From the keyboard: the row, Tab to Edit, Tab to Delete, Enter; the dialog's Confirm.
  await row(2).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Delete a11y-2' })).toBeFocused();
  await page.keyboard.press('Enter');
  await confirm.click();
  await expect(row(2)).toHaveCount(0);
  await expect(row(3)).toBeFocused();
  // The last row deleted: the row before it.
  await page.getByRole('button', { name: 'Delete a11y-4' }).focus();
  await page.keyboard.press('Enter');
  await confirm.click();
  await expect(row(4)).toHaveCount(0);
  await expect(row(3)).toBeFocused();
  // Deleted elsewhere while its dialog is open: Cancel goes to the row now where it was.
  await page.getByRole('button', { name: 'Delete a11y-1' }).focus();
  await page.keyboard.press('Enter');
  await mml('RMV USER: USERNAME="a11y-1", CONFIRM=YES');
  await expect(row(1)).toHaveCount(0);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(row(3)).toBeFocused();
  // The only row deleted: the view's heading.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Delete a11y-3' })).toBeFocused();
  await page.keyboard.press('Enter');
  await confirm.click();
  await expect(table).toContainText('Nothing to show');
  await expect(page.getByRole('heading', { level: 2, name: 'Users' })).toBeFocused();
  await page.getByLabel('Search users').fill('');
});

test('confirmation: named by its action and described by its question; it opens on Cancel', async () => {
  await mml('ADD USER: USERNAME="a11y-c", PASSWORD="a11y-c-secret"');
  await open('Users');
  await page.getByLabel('Search users').fill('a11y-c');
  const remove = page.getByRole('button', { name: 'Delete a11y-c' });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: 'Delete user a11y-c' });
  await expect(dialog).toHaveAccessibleDescription(
    'Delete user a11y-c? Their registrations are removed too.',
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot('en-dark-confirm');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '删除 a11y-c' }).click();
  await expect(page.getByRole('dialog', { name: '删除用户 a11y-c' })).toHaveAccessibleDescription(
    /^删除用户 a11y-c？/,
  );
  await page.keyboard.press('Escape');
  await page.getByLabel('Language').selectOption('en');
  await page.getByLabel('Search users').fill('');
});

test('focus: End call leaves it on the call’s row; Show messages opens the ladder focused, its Close goes back to the dialog’s row', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  test.setTimeout(60_000);
  await open('Calls');
  const calls = page.getByRole('table', { name: 'Calls' });
  const parties = await callUntilEnded();
  const row = calls.getByRole('row', { name: /1001/ });
  await expect(row).toContainText('answered', { timeout: 10_000 });
  const end = row.getByRole('button', { name: /^End call / });
  const endCallId = ((await end.getAttribute('aria-label')) ?? '').replace(/^End call /, '');
  await end.focus();
  await page.keyboard.press('Enter');
  // The confirmation says which call (every call of a SIPp run has the same parties): its Call-ID and start.
  await expect(page.getByRole('dialog')).toContainText(`(Call-ID ${endCallId})?`);
  await expect(page.getByRole('dialog')).toContainText(/started at \d\d:\d\d:\d\d /);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(row).toContainText('ended', { timeout: 10_000 });
  await expect(row.getByRole('button', { name: /^End call / })).toHaveCount(0);
  await expect(row).toBeFocused();
  for (const code of await Promise.all(parties)) expect(code).toBe(0);

  // Show messages: the Trace view opens with its ladder focused.
  const show = row.getByRole('button', { name: /^Show messages / });
  const callId = ((await show.getAttribute('aria-label')) ?? '').replace(/^Show messages /, '');
  await show.focus();
  await page.keyboard.press('Enter');
  const ladder = page.getByRole('region', { name: `Ladder of ${callId}` });
  await expect(ladder).toBeFocused();
  // Its Close: the dialog's row in the list.
  await ladder.getByRole('button', { name: 'Close' }).click();
  await expect(ladder).toHaveCount(0);
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await expect(
    list.getByRole('row', { name: new RegExp(callId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }),
  ).toBeFocused();

  // From the CDR record's panel the same.
  await open('CDR');
  const cdr = page.getByRole('table', { name: 'CDR' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(cdr.getByRole('row', { name: /CALL/ }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await cdr.getByRole('row', { name: /CALL/ }).first().click();
  await page.getByRole('complementary').getByRole('button', { name: 'Show messages' }).click();
  await expect(page.getByRole('region', { name: `Ladder of ${callId}` })).toBeFocused();
  await shot('en-dark-trace-focused');
});

test('trace: the focused arrow is outlined, 2px at 3:1 on the pane and on its fill, dark and light', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  const ladder = page.getByRole('region', { name: /^Ladder of / });
  const arrows = ladder.locator('g.ladder-row');
  await arrows.first().focus();
  await page.keyboard.press('End'); // from the keyboard: :focus-visible
  await page.keyboard.press('ArrowUp');
  await expect(ladder.locator('g.ladder-row:focus')).toHaveCount(1);
  const name = await ladder.locator('g.ladder-row:focus').getAttribute('aria-label');
  const focusedArrow = ladder.getByRole('button', { name: name!, exact: true });
  for (const theme of ['dark', 'light']) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme)
      await page.getByRole('button', { name: 'Theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await focusedArrow.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await expect(focusedArrow).toBeFocused();
    const look = await focusedArrow.locator('.ladder-hit').evaluate((hit) => {
      const style = hit.ownerDocument.defaultView!.getComputedStyle(hit);
      const pane = hit.ownerDocument.defaultView!.getComputedStyle(hit.closest('.trace-ladder')!);
      return {
        stroke: style.stroke,
        width: parseFloat(style.strokeWidth),
        fill: style.fill,
        pane: pane.backgroundColor,
      };
    });
    expect(look.stroke, theme).toMatch(/^rgb/);
    expect(look.width, theme).toBeGreaterThanOrEqual(2);
    expect(contrast(look.stroke, look.pane), theme).toBeGreaterThanOrEqual(3);
    expect(contrast(look.stroke, look.fill), theme).toBeGreaterThanOrEqual(3);
    await shot(`en-${theme}-ladder-focus`);
  }
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('number columns: the header stands right, over its numbers', async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open('Trace');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  const cell = list
    .getByRole('row', { name: /INVITE sip:1002@/ })
    .first()
    .getByRole('cell')
    .nth(5);
  await expect(cell).toHaveText(/^\d+$/);
  const header = list.getByRole('columnheader', { name: 'Messages' });
  const align = (l: typeof header) =>
    l.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).textAlign);
  expect(await align(cell)).toBe('right');
  expect(await align(header)).toBe('right');
  // Text and number end at one edge (the same padding).
  const right = (l: typeof header) =>
    l.evaluate((el) => {
      const range = el.ownerDocument.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().right;
    });
  expect(Math.abs((await right(header)) - (await right(cell)))).toBeLessThan(1.5);
  // The header keeps the UI font beside a mono column's.
  const callId = list.getByRole('columnheader', { name: 'Call-ID' });
  const font = (l: typeof header) =>
    l.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily);
  expect(await font(callId)).toBe(await font(list.getByRole('columnheader', { name: 'Kind' })));
});

test('focus: Stop service hands it to Start service, and Start service to Stop service', async () => {
  await open('Dialer');
  const start = page.getByRole('button', { name: 'Start service' });
  const stop = page.getByRole('button', { name: 'Stop service' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('dialer-service')).toContainText('running');
  await expect(start).toBeDisabled();
  await expect(stop).toBeFocused();
  // It ends calls: asked first, as CLR CALL is; Escape leaves it running, back on Stop service.
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Stop service' });
  await expect(confirm).toHaveAccessibleDescription(/^Stop the auto dialer\?/);
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('dialer-service')).toContainText('running');
  await expect(stop).toBeFocused();
  await page.keyboard.press('Enter');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('stopped');
  await expect(stop).toBeDisabled();
  await expect(start).toBeFocused();
});

test('narrow windows: Users at 1,024 px scrolls sideways, Status shows whole, E-mail keeps its room; a header cut says itself whole', async () => {
  await mml('ADD USER: USERNAME="a11y-mail", PASSWORD="a11y-mail-secret", EMAIL="wang.xiaoming@example.com"');
  await page.setViewportSize({ width: 1024, height: 700 });
  await open('Users');
  const table = page.getByRole('table', { name: 'Users' });
  const row = table.getByRole('row', { name: /a11y-mail/ });
  await expect(row).toBeVisible();
  const email = await table.getByRole('columnheader', { name: 'E-mail' }).boundingBox();
  expect(email!.width).toBeGreaterThan(150);
  await expect(row.getByRole('cell', { name: 'wang.xiaoming@example.com' })).toBeVisible();
  expect(await table.locator('xpath=..').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  // Edit and Delete stay in view, pinned at the right edge.
  await expect(row.getByRole('button', { name: 'Delete a11y-mail' })).toBeInViewport({ ratio: 1 });
  // The status shows whole, left of the pinned actions (not under them).
  const status = await row.getByRole('cell', { name: 'ACTIVE', exact: true }).boundingBox();
  const actions = await table.getByRole('columnheader', { name: 'Actions' }).boundingBox();
  expect(status!.x + status!.width).toBeLessThanOrEqual(actions!.x);
  await shot('en-dark-1024-users');
  // A header cut with an ellipsis (its column narrowed) has its whole text as a tooltip; one whole, none.
  await table
    .locator('col')
    .nth(6)
    .evaluate((col) => ((col as unknown as { style: { width: string } }).style.width = '40px'));
  const updated = table.getByRole('columnheader', { name: 'Updated' });
  await updated.hover();
  await expect(updated).toHaveAttribute('title', 'Updated');
  const email2 = table.getByRole('columnheader', { name: 'E-mail' });
  await email2.hover();
  await expect(email2).not.toHaveAttribute('title');
  await page.setViewportSize({ width: 1366, height: 820 });
});

test('form errors: the field a refusal names is marked, described by it and focused (Users, Dialer)', async () => {
  await open('Users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel('Username').fill('a11y-form');
  await dialog.getByLabel('Password').fill('a11y-form-secret');
  await dialog.getByLabel('E-mail').fill('nope');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const email = dialog.getByLabel('E-mail');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(
    /^Failed \(RETCODE 3\): Parameter EMAIL: must be empty or an address/,
  );
  await expect(email).toBeFocused();
  await expect(dialog.getByLabel('Username')).not.toHaveAttribute('aria-invalid', 'true');
  await shot('en-dark-user-error');
  // A name taken: the username.
  await email.fill('');
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Username').fill('1001');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Username')).toHaveAccessibleDescription(/User 1001 already exists/);
  await expect(dialog.getByLabel('Username')).toBeFocused();
  await page.keyboard.press('Escape');

  await open('Dialer');
  const form = page.getByRole('form', { name: 'New calls' });
  const duration = form.getByRole('textbox', { name: 'Duration (s)' });
  await duration.fill('2 s');
  await page.getByRole('button', { name: 'Start service' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('running');
  await form.getByRole('textbox', { name: 'Callee' }).fill('1003');
  await form.getByRole('textbox', { name: 'Callee' }).focus();
  await page.getByRole('button', { name: 'Place call' }).click();
  await expect(duration).toHaveAccessibleDescription(/^Duration: seconds from 0 to 86400/);
  await expect(duration).toBeFocused();
  await duration.fill('');
  await page.getByRole('button', { name: 'Stop service' }).click();
  await page.getByRole('dialog', { name: 'Stop service' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('dialer-service')).toContainText('stopped');
});

test('form errors: a setting’s value is judged when the field is left or saved, not at each key', async () => {
  await open('Configuration');
  await page.getByLabel('Search settings').fill('SIP.TLS_PORT');
  await page.getByRole('button', { name: 'Edit SIP.TLS_PORT' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set SIP.TLS_PORT' });
  const value = dialog.getByLabel('Value');
  await value.fill('');
  await value.pressSequentially('70000x');
  // Nothing said while typing (an alert whose text followed the keys was read out at each one).
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(value).not.toHaveAttribute('aria-invalid', 'true');
  // Left: said once, tied to the field.
  await page.keyboard.press('Tab');
  // In SET CFG's words (Parameter VALUE: ...), not the dialog's own.
  const said = 'SIP.TLS_PORT must be a port number from 0 to 65535 (got "70000x")';
  await expect(dialog.getByRole('alert')).toHaveText(said);
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(value).toHaveAccessibleDescription(
    /^SIP\.TLS_PORT must be a port number from 0 to 65535 \(got "70000x"\) /,
  );
  // Typing on does not change what was said; a good value clears it.
  await value.focus();
  await value.press('Backspace');
  await expect(dialog.getByRole('alert')).toHaveText(said);
  await value.fill('5061');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(value).not.toHaveAttribute('aria-invalid', 'true');
  // Saved with a bad value: said, and the focus on the field.
  await value.fill('-1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'SIP.TLS_PORT must be a port number from 0 to 65535 (got "-1")',
  );
  await expect(value).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByLabel('Search settings').fill('');
});

test('form errors: a wrong password marks the field, described by the message', async ({ browser }) => {
  const login = await browser.newPage();
  try {
    await login.goto(server!.baseUrl);
    const password = login.getByLabel('Password');
    await password.fill('not the password');
    await login.getByRole('button', { name: 'Log in' }).click();
    await expect(login.getByRole('alert')).toHaveText('Wrong password.');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription('Wrong password.');
  } finally {
    await login.close();
  }
});

/** Marks the view's live region, as it is now, so that a later check can tell it is the same element. */
const markStatus = () =>
  page
    .getByRole('main')
    .getByRole('status')
    .evaluate((el) => el.setAttribute('data-was-here', 'yes'));

test('live regions: a user saved is said on the outcome line, a region there before (its text changed, not inserted)', async () => {
  await open('Users');
  const status = page.getByRole('main').getByRole('status');
  await expect(status).toHaveCount(1);
  await expect(status).toHaveText('');
  await markStatus();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel('Username').fill('a11y-new');
  await dialog.getByLabel('Password').fill('a11y-new-secret');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(status).toHaveText('Done: User a11y-new added');
  await expect(status).toHaveAttribute('data-was-here', 'yes');
  // Edited: the same.
  await page.getByLabel('Search users').fill('a11y-new');
  await page.getByRole('button', { name: 'Edit a11y-new' }).click();
  const edit = page.getByRole('dialog', { name: /a11y-new/ });
  await edit.getByLabel('Display name').fill('A11y New');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(status).toHaveText(/^Done: User a11y-new (changed|modified|updated)/);
  await page.getByLabel('Search users').fill('');
});

test('live regions: the import says its outcome in one line, a failure as an alert, from regions there since it opened; MML’s whole answer is shown, not read out (English, 中文)', async () => {
  writeFileSync(
    path.join(dataDir, 'a11y-import.json'),
    JSON.stringify([{ username: 'a11y-imp', password: 'a11y-imp-secret' }]),
  );
  for (const [lang, users, title, button, fileLabel, failed, done] of [
    [
      'en',
      'Users',
      'Bulk import',
      'Import',
      'File on the server',
      /^Failed \(RETCODE 7\): Cannot read FILE \S*no-such-file\.json/,
      /^Done: Imported 1 users from \S*a11y-import\.json$/,
    ],
    [
      'zh',
      '用户',
      '批量导入',
      '导入',
      '服务器上的文件',
      /^失败 \(RETCODE 7\)：/,
      /^完成：已从 \S*a11y-import\.json 导入 1 个用户$/,
    ],
  ] as const) {
    await page.getByLabel('Language').selectOption(lang);
    await open(users);
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: title });
    const status = dialog.getByRole('status');
    const alert = dialog.getByRole('alert');
    await expect(status).toHaveCount(1);
    await expect(alert).toHaveCount(1);
    for (const region of [status, alert])
      await region.evaluate((el) => el.setAttribute('data-was-here', 'yes'));
    await dialog.getByLabel(fileLabel).fill('no-such-file.json');
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await expect(alert).toHaveText(failed);
    await expect(status).toHaveText('');
    // The whole answer under them, in no live region.
    const answer = dialog.locator('pre');
    await expect(answer).toContainText('%%IMP USER');
    await expect(answer).toContainText('---    END');
    expect(
      await answer.evaluate((el) => el.closest('[role="status"], [role="alert"], [aria-live]') === null),
    ).toBe(true);
    if (lang === 'en') await shot('en-dark-import-failed');
    await dialog.getByLabel(fileLabel).fill('a11y-import.json');
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await expect(status).toHaveText(done);
    await expect(alert).toHaveText('');
    await expect(answer).toContainText('RETCODE = 0');
    for (const region of [status, alert]) await expect(region).toHaveAttribute('data-was-here', 'yes');
    await page.keyboard.press('Escape');
    // Imported once: the next language's import of the same file adds it again (UPSERT would too).
    await mml('RMV USER:USERNAME=a11y-imp,CONFIRM=YES;');
  }
  await page.getByLabel('Language').selectOption('en');
});

test('live regions: the Registrations count is no live region; a search says once what it found', async () => {
  await open('Registrations');
  const count = page.getByText(/^\d+ in all$/);
  await expect(count).toBeVisible();
  expect(await count.evaluate((el) => el.closest('[role="status"], [aria-live]') === null)).toBe(true);
  await page.getByLabel('Search registrations').fill('nobody-here');
  await expect(
    page.getByRole('main').getByRole('status').filter({ hasText: 'Registrations found' }),
  ).toHaveText('Registrations found: 0');
  await page.getByLabel('Search registrations').fill('');
});

test('placeholders read at 4.5:1 and more on their field, dark and light', async () => {
  await open('Users');
  const search = page.getByLabel('Search users');
  await expect(search).toHaveAttribute('placeholder', 'Search');
  for (const theme of ['dark', 'light']) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme)
      await page.getByRole('button', { name: 'Theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const look = await search.evaluate((el) => {
      const view = el.ownerDocument.defaultView!;
      return {
        hint: view.getComputedStyle(el, '::placeholder').color,
        field: view.getComputedStyle(el).backgroundColor,
      };
    });
    expect(contrast(look.hint, look.field), `${theme}: ${JSON.stringify(look)}`).toBeGreaterThanOrEqual(4.5);
  }
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('forced colours: the chosen Dialer kind, the Logs line opened and the current view keep their mark, dark English and light 中文', async () => {
  // Windows high contrast replaces the backgrounds (and drops the box-shadow bars) that told them: they
  // take the system's Highlight instead, which the browser keeps; nothing else does.
  // Each element `sel` finds: whether it is drawn in Highlight, and whether it is the chosen one.
  const expectMarked = async (sel: string, chosen: string, what: string) => {
    const marks = await page.locator('body').evaluate(
      (body, [sel, chosen]) => {
        const doc = body.ownerDocument;
        const style = (el: typeof body) => doc.defaultView!.getComputedStyle(el);
        const probe = body.appendChild(doc.createElement('span'));
        probe.style.background = 'Highlight';
        const highlight = style(probe).backgroundColor;
        probe.remove();
        return [...doc.querySelectorAll(sel)].map((el) => ({
          drawn: style(el).backgroundColor === highlight,
          chosen: el.matches(chosen),
        }));
      },
      [sel, chosen] as const,
    );
    expect(
      marks.filter((m) => m.chosen),
      what,
    ).toHaveLength(1);
    for (const m of marks) expect(m.drawn, what).toBe(m.chosen);
  };
  await page.emulateMedia({ forcedColors: 'active' });
  try {
    for (const [theme, lang, dialer, logs] of [
      ['dark', 'en', 'Dialer', 'Logs'],
      ['light', 'zh', '外呼', '日志'],
    ] as const) {
      if ((await page.locator('html').getAttribute('data-theme')) !== theme)
        await page.getByRole('button', { name: 'Theme' }).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.getByLabel('Language').selectOption(lang);
      await open(dialer);
      const kinds = page.getByRole('radiogroup').getByRole('radio');
      await kinds.nth(1).check();
      await expectMarked('.segmented label', ':has(input:checked)', `${theme} ${lang}: the chosen kind`);
      await expectMarked('.nav-item', '[aria-current="page"]', `${theme} ${lang}: the current view`);
      await kinds.nth(0).check();
      await open(logs);
      // A line opened from the keyboard (the table's one Tab stop, Enter): lines coming in move the rows,
      // which a click waits out.
      await page.locator('.data-table tbody tr[tabindex="0"]').focus();
      await page.keyboard.press('Enter');
      // The open state is on the row's disclosure button (its first cell), not on the row.
      await expect(page.locator('.data-table tbody .row-toggle[aria-expanded="true"]')).toHaveCount(1);
      await expectMarked(
        '.data-table tbody tr:has(.row-toggle) > td:first-child',
        'tr:has(.row-toggle[aria-expanded="true"]) > td',
        `${theme} ${lang}: the Logs line opened`,
      );
      await shot(`forced-${lang}-logs`);
      await page.keyboard.press('Escape');
    }
  } finally {
    await page.emulateMedia({ forcedColors: 'none' });
    await page.getByLabel('Language').selectOption('en');
    if ((await page.locator('html').getAttribute('data-theme')) !== 'dark')
      await page.getByRole('button', { name: 'Theme' }).click();
  }
});

test('the title names the view, in the console’s language; Skip to content is the first Tab stop and goes to the view', async () => {
  await open('Users');
  await expect(page).toHaveTitle('Users — IMS Lab');
  await open('Trace');
  await expect(page).toHaveTitle('Trace — IMS Lab');
  await page.getByLabel('Language').selectOption('zh');
  await expect(page).toHaveTitle('信令跟踪 — IMS Lab');
  await page.getByLabel('Language').selectOption('en');
  // The first Tab stop (nothing focusable before it); shown once focused; Enter goes to the view's heading.
  const skip = page.getByRole('link', { name: 'Skip to content' });
  expect(
    await skip.evaluate((a) => {
      const all = [
        ...a.ownerDocument.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'),
      ];
      return all.find((el) => (el as unknown as { tabIndex: number }).tabIndex >= 0) === a;
    }),
  ).toBe(true);
  await page.getByLabel('Language').focus();
  await page.keyboard.press('Shift+Tab');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport({ ratio: 1 });
  await shot('en-dark-skip-link');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Trace' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Call-ID', { exact: true })).toBeFocused();
  // Out of sight otherwise.
  await expect(skip).not.toBeInViewport();
  // The login page has its own.
  const login = await page.context().browser()!.newPage();
  try {
    await login.goto(server!.baseUrl);
    await expect(login).toHaveTitle('Log in — IMS Lab');
  } finally {
    await login.close();
  }
});

test('charts: in the light theme each line has 3:1 and more on its chart and a pattern of its own; an all-zero sparkline draws its line', async () => {
  await page.getByRole('button', { name: 'Theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  try {
    await open('Performance');
    const markers = page.locator('.chart .u-legend .u-series .u-marker');
    await expect(markers.first()).toBeVisible();
    const looks = await markers.evaluateAll((els) =>
      els.map((m) => {
        const view = m.ownerDocument.defaultView!;
        let bg = 'rgb(255, 255, 255)';
        for (let e: typeof m | null = m.closest('.chart'); e !== null; e = e.parentElement) {
          const c = view.getComputedStyle(e).backgroundColor;
          if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') {
            bg = c;
            break;
          }
        }
        return { line: view.getComputedStyle(m).borderTopColor, bg };
      }),
    );
    expect(looks.length).toBeGreaterThanOrEqual(13); // the six charts' lines
    for (const l of looks) expect(contrast(l.line, l.bg), JSON.stringify(l)).toBeGreaterThanOrEqual(3);
    // Lines of one chart differ by more than colour (WCAG 1.4.1): each its own pattern, its legend too.
    const patterns = await page
      .locator('.chart')
      .evaluateAll((charts) =>
        charts.map((c) =>
          [...c.querySelectorAll('.u-legend .u-series .u-marker')].map(
            (m) => m.ownerDocument.defaultView!.getComputedStyle(m).borderBottomStyle,
          ),
        ),
      );
    expect(patterns.filter((p) => p.length > 2).length).toBeGreaterThanOrEqual(5);
    for (const p of patterns) expect(new Set(p).size, JSON.stringify(p)).toBe(p.length);
    await shot('en-light-performance');

    // Parse errors: none in this test, a line all along 0, drawn whole (it lay on the bottom edge, cut in half).
    await open('Overview');
    const spark = page.getByRole('img', { name: 'Parse errors' });
    await expect(page.getByTestId('tile-Parse errors')).toHaveText('0');
    await expect
      .poll(() =>
        spark.locator('canvas').evaluate((c) => {
          const canvas = c as unknown as {
            width: number;
            height: number;
            getContext(k: '2d'): {
              getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
            };
          };
          const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
          // The most nearly opaque pixels any row holds: a line's row is solid across the chart.
          let best = 0;
          for (let y = 0; y < canvas.height; y++) {
            let solid = 0;
            for (let x = 0; x < canvas.width; x++) if (data[(y * canvas.width + x) * 4 + 3]! >= 200) solid++;
            best = Math.max(best, solid / canvas.width);
          }
          return best;
        }),
      )
      .toBeGreaterThan(0.5);
    await shot('en-light-overview');
  } finally {
    await page.getByRole('button', { name: 'Theme' }).click();
  }
});

test('screenshots of the views changed: English dark and 中文 light, 1366×820 and 1024×700', async () => {
  test.setTimeout(90_000);
  const views: ShotView[] = [
    ['Overview', '概览', 'overview'],
    ['Users', '用户', 'users'],
    ['Registrations', '注册', 'registrations'],
    ['Trace', '信令跟踪', 'trace'],
    ['Dialer', '外呼', 'dialer'],
    ['Performance', '性能', 'performance'],
    ['Configuration', '配置', 'configuration'],
  ];
  await shootViews(page, views, SHOTS);
  expect(errors.filter((e) => !/WebSocket|401|Failed to load resource/.test(e))).toEqual([]);
});
