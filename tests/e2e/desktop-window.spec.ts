// The desktop window as far as it can run without Electron's binary: the built renderer in Debian's
// Chromium, served as main serves it (main/app-protocol.ts rendererResponse, with the desktop
// Content-Security-Policy header), the built preload (out/preload/index.js) run in the page on a
// stand-in for ipcRenderer/contextBridge, and main's IPC adapter (main/ipc.ts DesktopControl) on a real
// appliance answering it. It must render with no CSP violation and no error, and window.ims must work
// end to end: version, MML, a malformed request refused, a subscribed topic's events delivered.
// (Electron would also put the preload in its own world; here it shares the page's.)
import { expect, test, type Page } from '@playwright/test';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Appliance } from '../../core/appliance';
import { loadSettings } from '../../core/config/settings';
import { APP_ORIGIN, APP_URL, rendererResponse } from '../../main/app-protocol';
import { DesktopControl } from '../../main/ipc';
import { CONTENT_SECURITY_POLICY } from '../../main/security';

const ROOT = path.resolve(__dirname, '../..');
const RENDERER = path.join(ROOT, 'out/renderer');
const PRELOAD = path.join(ROOT, 'out/preload/index.js');
const SCREENSHOT = path.join(ROOT, 'test-results/desktop-window.png');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
/** The page's address here; main's is app://ims (Playwright routes http only). */
const ORIGIN = 'http://ims.desktop';

/**
 * Runs before the page's scripts: ipcRenderer/contextBridge stand-ins, then the preload bundle itself
 * (wrapped as CommonJS, not eval'd: the CSP forbids eval), and a record of CSP violations.
 */
function bridgeScript(preload: string): string {
  return `(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__ipcInvoke(channel, args),
    on(channel, fn) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(fn); return this; },
    removeListener(channel, fn) { listeners.get(channel)?.delete(fn); return this; },
  };
  window.__ipcEmit = (channel, payload) => { for (const fn of listeners.get(channel) ?? []) fn({}, payload); };
  const electron = {
    ipcRenderer,
    contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) },
  };
  const require = (name) => { if (name === 'electron') return electron; throw new Error('the preload required ' + name); };
  const module = { exports: {} };
  (function (require, module, exports) {
${preload}
  })(require, module, module.exports);
})();`;
}

let appliance: Appliance;
let dataDir: string;

test.beforeAll(async () => {
  if (!existsSync(path.join(RENDERER, 'index.html')) || !existsSync(PRELOAD)) {
    throw new Error('out/ is missing: run `npm run build` first');
  }
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-desktop-'));
  appliance = new Appliance({
    dataDir,
    settings: loadSettings(dataDir, { SIP_HOST: '127.0.0.1', SIP_PORT: '0' }),
    console: false,
  });
  await appliance.start();
});

test.afterAll(async () => {
  await appliance?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the window: main's adapter on the appliance, the page on the renderer with the preload. */
async function openWindow(page: Page): Promise<{ errors: string[] }> {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const control = new DesktopControl(() => appliance, VERSION);
  control.attach({ handle: (channel: string, fn: never) => handlers.set(channel, fn) } as never);
  // The window's WebContents as main sees it: send() reaches the page's ipcRenderer listeners.
  const contents = Object.assign(new EventEmitter(), {
    isDestroyed: () => page.isClosed(),
    send: (channel: string, payload: unknown) =>
      void page
        .evaluate(
          ([c, p]) => (globalThis as never as { __ipcEmit(c: unknown, p: unknown): void }).__ipcEmit(c, p),
          [channel, payload],
        )
        .catch(() => undefined),
  });
  control.trust(contents as never);
  page.on('close', () => contents.emit('destroyed'));
  await page.exposeFunction('__ipcInvoke', (channel: string, args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender: contents, senderFrame: { url: APP_URL, parent: null } }, ...args);
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const request = route.request();
    const answer = await rendererResponse(
      RENDERER,
      request.method(),
      request.url().replace(ORIGIN, APP_ORIGIN),
    );
    await route.fulfill({
      status: answer.status,
      headers: Object.fromEntries(answer.headers.entries()),
      body: Buffer.from(await answer.arrayBuffer()),
    });
  });
  await page.addInitScript({ content: bridgeScript(readFileSync(PRELOAD, 'utf8')) });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  const response = await page.goto(`${ORIGIN}/index.html`);
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  return { errors };
}

test('the renderer runs under the desktop CSP with window.ims from the preload', async ({ page }) => {
  const { errors } = await openWindow(page);
  await expect(page.locator('#root')).not.toBeEmpty();
  await page.waitForLoadState('networkidle');

  const names = await page.evaluate(() => Object.keys((globalThis as never as { ims: object }).ims).sort());
  expect(names).toEqual(['invoke', 'platform', 'saveExport', 'subscribe', 'unsubscribe', 'version']);
  expect(await page.evaluate(() => (globalThis as never as { ims: { platform: string } }).ims.platform)).toBe(
    'desktop',
  );

  type Ims = {
    version(): Promise<string>;
    invoke(r: unknown): Promise<{ ok: boolean; error?: string; result?: unknown }>;
    subscribe(l: (b: unknown) => void): () => void;
  };
  const version = await page.evaluate(() => (globalThis as never as { ims: Ims }).ims.version());
  expect(version).toBe(VERSION);

  const users = await page.evaluate(() =>
    (globalThis as never as { ims: Ims }).ims.invoke({ op: 'execute', mml: 'DSP USER' }),
  );
  expect(users.ok).toBe(true);
  expect(JSON.stringify(users.result)).toContain('1001');

  const refused = await page.evaluate(() =>
    (globalThis as never as { ims: Ims }).ims.invoke({ op: 'format disk' }),
  );
  expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/op: expected/) });

  await page.evaluate(async () => {
    const w = globalThis as never as { ims: Ims; __batches: unknown[] };
    w.__batches = [];
    w.ims.subscribe((b) => w.__batches.push(b));
    await w.ims.invoke({ op: 'subscribe', topics: ['mml'] });
    await w.ims.invoke({ op: 'execute', mml: 'DSP SRVSTAT' });
  });
  await expect
    .poll(() =>
      page.evaluate(() => JSON.stringify((globalThis as never as { __batches: unknown[] }).__batches)),
    )
    .toContain('DSP SRVSTAT');

  await page.screenshot({ path: SCREENSHOT });
  expect(
    await page.evaluate(() => (globalThis as never as { __cspViolations: string[] }).__cspViolations),
  ).toEqual([]);
  expect(errors).toEqual([]);
});

// The desktop has no upload (the window's data folder is on this machine): Users' bulk import offered
// "or upload one from this computer" and never said where the data folder is.
test('bulk import on the desktop names the data folder to copy the file into, and offers no upload', async ({
  page,
}) => {
  const { errors } = await openWindow(page);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Users', exact: true })
    .click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Bulk import' });
  await expect(dialog).toContainText(
    `Copy the file (the original users.json, or a SIPp CSV) into the data folder, ${dataDir}, and give its name`,
  );
  await expect(dialog).not.toContainText('upload');
  await expect(dialog.getByLabel('Upload a file from this computer')).toHaveCount(0);
  writeFileSync(path.join(dataDir, 'desk.csv'), 'SEQUENTIAL\n7001;pw-7001\n');
  await dialog.getByLabel('File in the data folder').fill('desk.csv');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toContainText('RETCODE = 0');
  expect(errors).toEqual([]);
});
