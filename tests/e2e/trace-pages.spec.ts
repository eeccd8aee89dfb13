// The Trace list pages through every dialog the trace holds, 500 at a time, newest first: it showed the
// newest 500 ("Showing 500 of 1100") and the rest were out of reach but by a filter. In Debian's
// Chromium against the built headless server, with 1,100 OPTIONS dialogs sent over UDP from a real
// socket on 127.0.0.1. Screenshot of the last page under test-results/trace-pages/.
import { expect, test, type Page } from '@playwright/test';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, requireBuild, ROOT, startLabServer, stopLabServer, type LabServer } from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/trace-pages');
const DIALOGS = 1100;

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

/** `n` OPTIONS, each its own Call-ID `page-<i>@e2e` (i = 0 the oldest), sent in order; resolves once all are answered. */
async function sendOptions(n: number): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const port = sock.address().port;
  const { host, port: sipPort } = server!.sip;
  let answered = 0;
  const done = new Promise<void>((resolve) =>
    sock.on('message', (m) => {
      if (/^SIP\/2\.0 200/.test(m.toString()) && ++answered === n) resolve();
    }),
  );
  // In bursts of 50, each after the one before is answered: nothing lost to a full socket buffer.
  for (let i = 0; i < n; i++) {
    const msg = [
      `OPTIONS sip:${host}:${sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-page-${i};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@127.0.0.1>;tag=p${i}`,
      `To: <sip:${host}:${sipPort}>`,
      `Call-ID: page-${i}@e2e`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await new Promise<void>((resolve) => sock.send(msg, sipPort, host, () => resolve()));
    if (i % 50 === 49) await expect.poll(() => answered, { timeout: 10_000 }).toBe(i + 1);
  }
  await done;
  sock.close();
}

test.beforeAll(async ({ browser }) => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-trace-pages-'));
  server = await startLabServer(dataDir);
  await sendOptions(DIALOGS);
  page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
  await logIn(page, server.baseUrl);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const list = () => page.getByRole('table', { name: 'SIP dialogs' });
/** The Call-ID cell of the list's first or last row (Home / End on a row scroll it into view). */
async function callIdOf(which: 'first' | 'last') {
  const index = which === 'first' ? 2 : Number(await list().getAttribute('aria-rowcount'));
  await list().locator('tbody tr[aria-rowindex]').first().focus();
  await page.keyboard.press(which === 'first' ? 'Home' : 'End');
  return list().locator(`tbody tr[aria-rowindex="${index}"]`).getByRole('cell').last();
}

test('Previous / Next page through every dialog held, 500 at a time, newest first', async () => {
  test.setTimeout(60_000);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Trace', exact: true })
    .click();
  await expect(page.getByText(`Showing 1–500 of ${DIALOGS}`)).toBeVisible();
  await expect(list()).toHaveAttribute('aria-rowcount', '501');
  await expect(await callIdOf('first')).toHaveText(`page-${DIALOGS - 1}@e2e`);
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(`Showing 501–1000 of ${DIALOGS}`)).toBeVisible();
  await expect(await callIdOf('first')).toHaveText(`page-${DIALOGS - 501}@e2e`);
  await expect(await callIdOf('last')).toHaveText(`page-${DIALOGS - 1000}@e2e`);

  // The last page: the oldest dialog, and no Next.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(`Showing 1001–${DIALOGS} of ${DIALOGS}`)).toBeVisible();
  await expect(list()).toHaveAttribute('aria-rowcount', String(DIALOGS - 1000 + 1));
  await expect(await callIdOf('last')).toHaveText('page-0@e2e');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.screenshot({ path: path.join(SHOTS, 'trace-last-page.png') });

  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(page.getByText(`Showing 501–1000 of ${DIALOGS}`)).toBeVisible();
  // A filter goes back to the newest page of what it finds.
  await page.getByRole('searchbox', { name: 'Call-ID' }).fill('page-10');
  await expect(page.getByText(/^Showing 1–\d+ of \d+$/)).toBeVisible();
  await expect(await callIdOf('first')).toHaveText(/^page-10\d*@e2e$/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText(`Showing 1–500 of ${DIALOGS}`)).toBeVisible();
});
