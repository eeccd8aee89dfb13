// A Terminal command the appliance has not answered yet: a cut link (the browser holds the request in its
// socket) or a hung server (SIGSTOP) is waited out, the console saying since when it waits, and the answer
// is shown when it comes; it said "no answer from the appliance within 15 s" and the command then ran
// (ADD USER, RMV USER carried out seconds later, the operator believing it failed). When the connection is
// lost before the answer (the server killed while hung) the outcome is unknown, said so with DSP HISTORY to
// check, never as a failure. In Debian's Chromium against the built server; the page's timers run on
// Playwright's clock, so the 15 s and 10 s of the console pass at once. A view's button (Overview's Clear all
// registrations) says likewise that it waits.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  logIn,
  mmlOverHttp,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.beforeEach(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-unanswered-'));
  server = await startLabServer(dataDir);
});

test.afterEach(async () => {
  if (server?.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGCONT');
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The console logged in, its timers on Playwright's clock (flowing), on the MML Terminal in `lang`. */
async function terminal(page: Page, lang: 'en' | 'zh'): Promise<void> {
  await page.clock.install();
  await logIn(page, server!.baseUrl);
  await page.getByLabel('Language').selectOption(lang);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: lang === 'en' ? 'MML Terminal' : 'MML 终端', exact: true })
    .click();
  // Its code and its history are loaded before the appliance goes quiet.
  await expect(page.getByRole('textbox', { name: 'MML command' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'MML output' })).toBeVisible();
}

async function run(page: Page, command: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'MML command' });
  await input.fill(command);
  await input.press('Enter');
}

/** DSP USER's answer for `username` through the HTTP API: its RETCODE line. */
async function userRetcode(username: string): Promise<string> {
  const text = await mmlOverHttp(server!.baseUrl, `DSP USER USERNAME=${username}`);
  return /RETCODE = \d+/.exec(text)![0];
}

test('a command sent into a cut link is waited for, and its answer shown when the link is back', async ({
  page,
}, info) => {
  test.setTimeout(60_000);
  await terminal(page, 'en');
  const cdp = await page.context().newCDPSession(page);
  const offline = (on: boolean) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: on,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  await offline(true);
  const command = 'ADD USER USERNAME=9191 PASSWORD=Pw-9191-x';
  await run(page, command);
  // The last entry (answered, it is named with the password masked, as DSP HISTORY records it).
  const entry = page.getByRole('region', { name: 'MML output' }).getByRole('article').last();
  await expect(entry).toContainText('running…');
  // 20 s with no word from the appliance: past the old 15 s give-up and the 10 s "not answering".
  await page.clock.runFor(20_000);
  await expect(page.getByTestId('connection')).toContainText('not answering');
  await expect(entry).toContainText(/waiting for the answer since \d\d:\d\d:\d\d \(\d+ s\)/);
  await expect(entry).toContainText('Do not run it again meanwhile');
  await expect(entry).not.toContainText('no answer');
  await page.screenshot({ path: info.outputPath('en-waiting.png') });
  expect(await userRetcode('9191')).toBe('RETCODE = 5'); // not run yet: the request is in the browser

  await offline(false); // the link is back: the request held in the socket goes, and runs
  await expect(entry).toContainText('RETCODE = 0');
  await expect(entry).not.toContainText('waiting');
  expect(await userRetcode('9191')).toBe('RETCODE = 0');
  await page.screenshot({ path: info.outputPath('en-answered.png') });
});

for (const lang of ['en', 'zh'] as const) {
  test(`a command whose connection is lost before its answer says the outcome is unknown (${lang})`, async ({
    page,
  }, info) => {
    test.setTimeout(60_000);
    await terminal(page, lang);
    const pid = server!.process.pid!;
    process.kill(pid, 'SIGSTOP'); // hung: the socket stays open, nothing answers
    const command = 'RMV USER USERNAME=1001 CONFIRM=YES';
    await run(page, command);
    const entry = page.getByRole('article', { name: command });
    await page.clock.runFor(12_000);
    await expect(entry).toContainText(
      lang === 'en' ? 'the appliance is not answering' : '服务器无响应。服务器恢复后命令仍可能执行',
    );
    await page.screenshot({ path: info.outputPath(`${lang}-hung.png`) });
    // The server dies hung: its sockets close, the answer will never come.
    const gone = new Promise((resolve) => server!.process.once('exit', resolve));
    process.kill(pid, 'SIGKILL');
    await gone;
    await expect(entry).toContainText(
      lang === 'en'
        ? 'Outcome unknown: the connection to the appliance was lost before the answer came. The command may or may not have run, and it was not sent again: check DSP HISTORY'
        : '结果未知：应答到达前与服务器的连接已断开。命令可能已执行，也可能未执行，且不会重发：再次执行前请先用 DSP HISTORY',
    );
    await expect(entry).not.toContainText('no answer');
    await page.screenshot({ path: info.outputPath(`${lang}-unknown.png`) });
  });
}

test('a view action not answered says since when it waits, and its outcome when it comes', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await logIn(page, server!.baseUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Clear all registrations' }).click();
  const pid = server!.process.pid!;
  process.kill(pid, 'SIGSTOP');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.clock.runFor(20_000); // past the old 15 s give-up
  await expect(
    page.getByText(/Waiting for the appliance to answer \(sent at \d\d:\d\d:\d\d\)/),
  ).toBeVisible();
  await expect(page.getByText('no answer')).toHaveCount(0);
  process.kill(pid, 'SIGCONT');
  await expect(page.getByText(/^Done: /)).toBeVisible();
});
