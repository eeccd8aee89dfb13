// A script pasted into the MML terminal (a one-line input, which joined the lines with spaces and
// answered "Empty command" after a first-line comment): its lines run as `mml --file` runs them, comments
// and blank lines skipped, each statement answered in order, errors naming the line of the paste. A
// one-line paste stays in the input to be edited. Checked in Debian's Chromium against the built server,
// with a real clipboard paste (Ctrl+V).
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
let page: Page;
const errors: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-paste-'));
  server = await startLabServer(dataDir);
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  page = await context.newPage();
  page.on('pageerror', (err) => errors.push(err.message));
  await logIn(page, server.baseUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'MML Terminal' }).click();
});

test.afterAll(async () => {
  await page?.context().close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Puts `text` on the clipboard and pastes it into the MML command line with Ctrl+V. */
async function paste(text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'MML command' });
  await input.evaluate((el, t) => el.ownerDocument.defaultView!.navigator.clipboard.writeText(t), text);
  await input.focus();
  await input.press('Control+V');
}

/** The users whose names start with `prefix`, through the HTTP API. */
async function usernames(prefix: string): Promise<string[]> {
  const text = await mmlOverHttp(server!.baseUrl, `DSP USER PREFIX=${prefix}`);
  return [...text.matchAll(/^\s*(\d{4})\s/gm)].map((m) => m[1]!);
}

test('a pasted script runs line by line, comments and blank lines skipped, each answer in order', async () => {
  await paste(
    '# provisioning\r\nADD USER USERNAME=7771 PASSWORD=a\r\n\r\n' +
      'ADD USER USERNAME=7772 PASSWORD=b STATUS=bad\r\nADD USER USERNAME=7773 PASSWORD=c\r\n',
  );
  const out = page.getByRole('region', { name: 'MML output' });
  const entry = out.getByRole('article').last();
  await expect(entry).toContainText('User 7773 added');
  const text = (await entry.textContent()) ?? '';
  const added1 = text.indexOf('User 7771 added');
  const bad = text.search(/RETCODE = 3\s+Parameter STATUS/);
  const added3 = text.indexOf('User 7773 added');
  expect([added1 >= 0, bad > added1, added3 > bad]).toEqual([true, true, true]);
  // The echo shows the statements, passwords masked, and nothing was joined into one line.
  await expect(entry).toContainText('ADD USER USERNAME=7771 PASSWORD=*****');
  expect(text).not.toContain('PASSWORD=a');
  expect(text).not.toContain('Empty command');
  await expect(page.getByRole('textbox', { name: 'MML command' })).toHaveValue('');
  expect(await usernames('777')).toEqual(['7771', '7773']);
});

test("a syntax error in a pasted script names the paste's line", async () => {
  await paste('DSP USER USERNAME=7771\n\nDSP USER USERNAME=\n');
  const entry = page.getByRole('region', { name: 'MML output' }).getByRole('article').last();
  await expect(entry).toContainText('Syntax error at line 3');
  await expect(entry).toContainText('7771');
});

test('a one-line paste stays in the input to be edited, and runs on Enter', async () => {
  const input = page.getByRole('textbox', { name: 'MML command' });
  await paste('DSP USER USERNAME=7773\n');
  await expect(input).toHaveValue('DSP USER USERNAME=7773');
  await input.press('Enter');
  await expect(page.getByRole('region', { name: 'MML output' }).getByRole('article').last()).toContainText(
    'RETCODE = 0',
  );
  expect(errors).toEqual([]);
});
