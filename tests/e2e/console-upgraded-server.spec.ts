// A console tab left open while the headless server is upgraded (findings upgrade2 F5): the page is the
// older build's, and a view it had not opened asks for that build's chunk, gone from the new build. It
// said "tried again when the connection is back" while connected, and Retry never helped; only a manual
// reload did. Now the page sees that the server's index.html names another entry script than its own and
// reloads itself, once for that build: the view chosen opens after it; a view still failing then says the
// server was updated, with a Reload button, and is not reloaded again (no loop). The other build is
// simulated by the browser's routing: the server's page as fetched names another entry, the chunk 404s
// (as the server answers a missing /assets/ file).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, openView, requireBuild, startLabServer, stopLabServer, type LabServer } from './lab-console';

let lab: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-upgraded-'));
  lab = await startLabServer(dataDir);
});

test.afterAll(async () => {
  await stopLabServer(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * From now on the server "runs another build": its index.html, when the page fetches it, names another
 * entry script (a reload, a document request, gets the real page); the Dialer chunk is 404 (`times` of
 * them, all when undefined). Counts the page's loads.
 */
async function upgradeUnder(page: Page, times?: number): Promise<{ loads: () => number }> {
  await page.route(lab!.baseUrl, async (route) => {
    if (route.request().resourceType() === 'document') return route.continue();
    const real = await route.fetch();
    const html = (await real.text()).replace(/assets\/index-[\w-]+\.js/, 'assets/index-NEWBUILD.js');
    return route.fulfill({ response: real, body: html });
  });
  await page.route(
    '**/assets/DialerView-*.js',
    (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not found"}' }),
    { times },
  );
  let loads = 0;
  page.on('load', () => loads++);
  return { loads: () => loads };
}

test('a view whose chunk is gone after an upgrade reloads the page once and opens', async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await logIn(page, lab!.baseUrl);
    const { loads } = await upgradeUnder(page, 1);
    await openView(page, 'Dialer');
    await expect(page.getByRole('main', { name: 'Dialer' }).getByRole('heading').first()).toBeVisible();
    await expect(page.getByTestId('connection')).toContainText('connected');
    expect(loads()).toBe(1);
    await expect(page.getByText('This view could not be opened')).toHaveCount(0);
  } finally {
    await page.close();
  }
});

test('still failing after that one reload, it says the server was updated and offers a reload: no loop', async ({
  browser,
}) => {
  const page = await browser.newPage();
  try {
    await logIn(page, lab!.baseUrl);
    const { loads } = await upgradeUnder(page);
    await openView(page, 'Dialer');
    const alert = page.getByRole('main', { name: 'Dialer' }).getByRole('alert');
    await expect(alert).toContainText('IMS Lab on the server was updated since this page was loaded');
    await expect(alert.getByRole('button', { name: 'Reload page' })).toBeVisible();
    expect(loads()).toBe(1);
  } finally {
    await page.close();
  }
});
