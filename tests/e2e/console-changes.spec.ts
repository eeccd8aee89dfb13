// Two consoles (two browser contexts, each its own login) and the `mml` CLI on one built headless
// server: what operator B, the CLI or another process changes reaches operator A's open views without
// a Refresh, and a view says what happened when its rows went (the change topics, core/change-events.ts).
// Configuration: SET TRACE (settings changed under another name than SET CFG), SAVE CFG and SET LOGLEVEL
// from the CLI. CDR: CLR CDR from B empties A's list, which says so. Trace: CLR TRACE and SET TRACE
// RINGMSG=0 from B; A's list, ladder and banners. Users: `server.js users import` run beside the server,
// and STR DIALSVC's account. Screenshots of A under test-results/console-changes/.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  PASSWORD,
  ROOT,
  SERVER,
  logIn,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';
import { freeUdpPort, HAS_SIPP, sipp } from './sipp';

const SHOTS = path.join(ROOT, 'test-results/console-changes');

let lab: LabServer | undefined;
let dataDir: string;
let a: Page;
let b: Page;

test.describe.configure({ mode: 'serial' });

/** A console of its own: a new browser context (its own session storage and login). */
async function console_(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const page = await context.newPage();
  await logIn(page, lab!.baseUrl);
  return page;
}

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-changes-'));
  lab = await startLabServer(dataDir);
  a = await console_(browser);
  b = await console_(browser);
});

test.afterAll(async () => {
  await a?.context().close();
  await b?.context().close();
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
const shot = (name: string) => a.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** Runs a command in B's terminal and waits for its RETCODE 0. */
async function inB(command: string): Promise<void> {
  await open(b, 'MML Terminal');
  const input = b.getByLabel('MML command');
  await input.fill(command);
  await input.press('Enter');
  const out = b.getByRole('region', { name: 'MML output' });
  await expect(out.getByText(command.split(':')[0]!).last()).toBeVisible();
  await expect(out).not.toContainText(/RETCODE = [1-9]/);
}

const run = promisify(execFile);

/** The server's own CLI beside it: `mml "<command>"` against its URL, or `users import <file>`. */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [SERVER, ...args], {
    env: { ...process.env, IMS_URL: lab!.baseUrl, IMS_ADMIN_PASSWORD: PASSWORD, IMS_DATA_DIR: dataDir },
  });
  return stdout;
}

/** Sends OPTIONS to the server over UDP, one after the other; each is a CDR row and a trace dialog. */
async function options(n: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  try {
    for (let i = 0; i < n; i++) {
      const answered = new Promise((resolve) => socket.once('message', resolve));
      const target = `sip:${lab!.sip.host}:${lab!.sip.port}`;
      const request = [
        `OPTIONS ${target} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-changes-${i}-${Date.now()}`,
        'Max-Forwards: 70',
        `From: <sip:1001@${lab!.sip.host}>;tag=changes${i}`,
        `To: <${target}>`,
        `Call-ID: changes-options-${i}-${Date.now()}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, lab!.sip.port, lab!.sip.host);
      await answered;
    }
  } finally {
    socket.close();
  }
}

test("configuration: B's SET TRACE, the CLI's SAVE CFG and SET LOGLEVEL show in A's open view", async () => {
  await open(a, 'Configuration');
  const table = a.getByRole('table', { name: 'Configuration' });
  await a.getByLabel('Search settings').fill('TRACE.');
  const persist = table.getByRole('row', { name: /TRACE\.PERSIST/ });
  const ringMb = table.getByRole('row', { name: /TRACE\.RING_MB/ });
  await expect(persist.getByRole('cell').nth(1)).toHaveText(/^NO/);
  await expect(ringMb.getByRole('cell').nth(1)).toHaveText(/^64/);

  await inB('SET TRACE:STATE=ON,RINGMB=48');
  await expect(persist.getByRole('cell').nth(1)).toHaveText(/^YES/);
  await expect(ringMb.getByRole('cell').nth(1)).toHaveText(/^48/);
  await expect(a.getByText('2 change(s) not saved to config.json')).toBeVisible();
  await shot('en-dark-config-after-b');

  expect(await cli('mml', 'SAVE CFG')).toContain('RETCODE = 0');
  await expect(a.getByText('not saved to config.json')).toBeHidden();
  expect(await cli('mml', 'SET LOGLEVEL:LEVEL=DEBUG')).toContain('RETCODE = 0');
  await a.getByLabel('Search settings').fill('LOG.LEVEL');
  await expect(
    table
      .getByRole('row', { name: /LOG\.LEVEL/ })
      .getByRole('cell')
      .nth(1),
  ).toHaveText(/^DEBUG/);
  await expect(a.getByText('1 change(s) not saved to config.json')).toBeVisible();
  await a.getByLabel('Search settings').fill('');
});

test("cdr: B's CLR CDR empties A's list, which says it was cleared", async () => {
  await options(3);
  await open(a, 'CDR');
  // OPTIONS rows are written behind the SIP path and do not reload the list themselves: Refresh.
  await expect(async () => {
    await a.getByRole('button', { name: 'Refresh' }).click();
    await expect(a.getByText(/Showing 1–\d+ of \d+/)).toBeVisible({ timeout: 500 });
  }).toPass();
  await expect(a.getByRole('table', { name: 'CDR' })).toContainText('OPTIONS');
  // A's record open, its row focused: the clear deletes it, which is what A is told (it was said to have
  // gone off the page as newer records came in, under "Older records", which is empty).
  await a.getByRole('table', { name: 'CDR' }).getByRole('row').nth(1).click();
  await expect(a.getByRole('button', { name: 'Close' })).toBeVisible();

  await inB('CLR CDR:ALL=YES,CONFIRM=YES');
  await expect(
    a.getByRole('status').filter({ hasText: /^Record \d+ was deleted by CLR CDR\.$/ }),
  ).toBeVisible();
  await expect(a.getByText(/went off this page/)).toHaveCount(0);
  // No filter but the day: the day has no record now.
  await expect(
    a.getByText(/^Nothing recorded on \d{4}-\d\d-\d\d: no call, registration or message\.$/),
  ).toBeVisible();
  await expect(a.getByTestId('cdr-changed')).toContainText(
    /CDR cleared at \d\d:\d\d:\d\d \(CLR CDR\): \d+ records deleted/,
  );
  await shot('en-dark-cdr-cleared-by-b');
  // Other filters, other rows: the note goes.
  await a.getByLabel('Type').selectOption('MESSAGE');
  await expect(a.getByTestId('cdr-changed')).toBeHidden();
  await a.getByLabel('Type').selectOption('');
});

test("trace: B's CLR TRACE and SET TRACE RINGMSG=0 reach A's list and ladder, which say so", async () => {
  await options(2);
  await open(a, 'Trace');
  const list = a.getByRole('table', { name: 'SIP dialogs' });
  await expect(list.getByRole('row', { name: /OPTIONS/ }).first()).toBeVisible();
  await list
    .getByRole('row', { name: /OPTIONS/ })
    .first()
    .click();
  const ladder = a.getByRole('region', { name: /^Ladder of / });
  await expect(ladder.locator('svg, .ladder').first()).toBeVisible();

  await inB('CLR TRACE:CONFIRM=YES');
  await expect(a.getByTestId('trace-cleared')).toContainText(
    /The trace was cleared at \d\d:\d\d:\d\d \(CLR TRACE\)/,
  );
  await expect(list.getByRole('row', { name: /OPTIONS/ })).toHaveCount(0);
  await expect(ladder).toContainText(
    'No message of this Call-ID is held: the trace was cleared (CLR TRACE).',
  );
  await expect(a.getByTestId('trace-off')).toBeHidden();

  await inB('SET TRACE:RINGMSG=0');
  await expect(a.getByTestId('trace-off')).toContainText('Messages are kept in trace.db only');
  await inB('SET TRACE:STATE=OFF');
  await expect(a.getByTestId('trace-off')).toContainText('The trace is off');
  await shot('en-dark-trace-off-by-b');
  await a.getByLabel('Language').selectOption('zh');
  await expect(a.getByTestId('trace-off')).toContainText('跟踪已关闭');
  await a.screenshot({ path: path.join(SHOTS, 'zh-dark-trace-off-by-b.png') });
  await a.getByLabel('Language').selectOption('en');
  // Refresh: the note of the clear goes, the trace still off says so.
  await a.getByRole('button', { name: 'Refresh' }).click();
  await expect(a.getByTestId('trace-cleared')).toBeHidden();
  await expect(a.getByTestId('trace-off')).toBeVisible();
});

test("users: a `users import` beside the server and B's STR DIALSVC reach A's open table", async () => {
  await open(a, 'Users');
  await expect(a.getByText('Showing 1–3 of 3')).toBeVisible();
  const file = path.join(dataDir, 'cli-users.json');
  writeFileSync(file, JSON.stringify([{ username: '4001', password: 'secret-4001' }]));
  expect(await cli('users', 'import', file)).toContain('1 added');
  await expect(a.getByText('Showing 1–4 of 4')).toBeVisible();
  await expect(a.getByRole('table', { name: 'Users' })).toContainText('4001');

  // A free port for the dialer: its default 10000 may be another server's on this host.
  await inB('SET CFG:KEY=DIALER.LOCAL_PORT,VALUE=0');
  await inB('STR DIALSVC');
  await expect(a.getByText('Showing 1–5 of 5')).toBeVisible();
  await expect(a.getByRole('table', { name: 'Users' })).toContainText('Auto dialer');
  await shot('en-dark-users-after-cli-and-b');
  await inB('STP DIALSVC');
});

test("users: A's second page emptied by the CLI's deletions goes back to the last page with rows", async () => {
  const file = path.join(dataDir, 'cli-users-1100.json');
  writeFileSync(
    file,
    JSON.stringify(
      Array.from({ length: 1100 }, (_, i) => ({ username: `${50000 + i}`, password: `pw-${i}` })),
    ),
  );
  expect(await cli('users', 'import', file)).toContain('1100 added');
  await open(a, 'Users');
  await expect(a.getByText('Showing 1–1000 of 1105')).toBeVisible();
  await a.getByRole('button', { name: 'Next' }).click();
  await expect(a.getByText('Showing 1001–1105 of 1105')).toBeVisible();
  const script = path.join(dataDir, 'rmv-200.mml');
  writeFileSync(
    script,
    Array.from({ length: 200 }, (_, i) => `RMV USER:USERNAME=${50900 + i},CONFIRM=YES;`).join('\n'),
  );
  await cli('mml', '--file', script);
  // Not "Showing 0 of 905" with only Previous left.
  await expect(a.getByText('Showing 1–905 of 905')).toBeVisible();
  await expect(a.getByRole('table', { name: 'Users' })).toContainText('1001');
});

test("registrations: B's SET CFG SIP.DOMAIN files A's listed bindings under the new canonical AOR", async () => {
  test.skip(!HAS_SIPP, 'SIPp is not installed');
  await open(a, 'Registrations');
  const table = a.getByRole('table', { name: 'Registrations' });
  const code = await sipp({
    scenario: 'register_auth.xml',
    target: lab!.sip,
    port: await freeUdpPort(),
    user: { username: '1002', password: '1002' },
    keys: { expires: 300 },
  });
  expect(code).toBe(0);
  await expect(table.getByRole('row', { name: /sip:1002@ims\.lab/ })).toBeVisible();

  await inB('SET CFG:KEY=SIP.DOMAIN,VALUE=lab2.test');
  await expect(table.getByRole('row', { name: /sip:1002@lab2\.test/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /sip:1002@ims\.lab/ })).toHaveCount(0);
  await shot('en-dark-registrations-domain-by-b');
  await inB('SET CFG:KEY=SIP.DOMAIN,VALUE=ims.lab');
});
