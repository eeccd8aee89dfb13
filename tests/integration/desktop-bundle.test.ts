// The built Electron main (out/main/index.js, from `npm run build`) loaded by Node's own require, with a
// fake `electron` answering its require('electron'): it registers app:// before ready, opens its window
// on the built renderer with the built preload, serves out/renderer with the CSP, answers the window's
// requests from a real appliance, and on quit stops it before the app exits. Skips without a build.
import Module from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as electron from '../unit/main/fake-electron';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'out/main/index.js');
const HAS_DESKTOP_BUILD = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].every(
  (f) => existsSync(join(ROOT, f)),
);

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

afterEach(() => vi.unstubAllEnvs());

describe.skipIf(!HAS_DESKTOP_BUILD)('out/main/index.js', () => {
  it('starts, serves the built renderer to its window, answers it, and stops the appliance on quit', async () => {
    electron.resetFakeElectron();
    vi.stubEnv('SIP_HOST', '127.0.0.1');
    vi.stubEnv('SIP_PORT', '0');
    vi.stubEnv('LOG_LEVEL', 'WARNING');
    vi.stubEnv('IMS_DATA_DIR', '');
    const signals = ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection'] as const;
    // As a plain emitter: Node's types give each of these events its own listener type.
    const events: NodeJS.EventEmitter = process;
    const listenersBefore = new Set(signals.flatMap((s) => events.listeners(s)));
    const load = moduleInternals._load;
    moduleInternals._load = (request, parent, isMain) =>
      request === 'electron' ? electron : load(request, parent, isMain);
    try {
      Module.createRequire(__filename)(MAIN);
    } finally {
      moduleInternals._load = load;
    }
    try {
      expect(electron.protocol.privileged.map((p) => p.scheme)).toEqual(['app']);
      // A defect in main is logged and stops the app (not Electron's stack box): the entry watches process.
      for (const fault of ['uncaughtException', 'unhandledRejection'] as const)
        expect(events.listeners(fault).filter((l) => !listenersBefore.has(l))).toHaveLength(1);
      electron.app.becomeReady();
      await vi.waitFor(() => expect(electron.BrowserWindow.getAllWindows()).toHaveLength(1), {
        timeout: 10_000,
      });
      const win = electron.BrowserWindow.getAllWindows()[0]!;
      const prefs = win.options.webPreferences as Record<string, unknown>;
      expect(prefs.preload).toBe(join(ROOT, 'out/preload/index.js'));
      expect(win.options.icon).toBe(join(process.cwd(), 'resources/icons/512x512.png'));
      // The page saying IMS Lab is starting at once, the console once the appliance runs.
      expect(win.loaded[0]).toBe('app://ims/starting.html');
      const starting = await electron.protocol.handlers.get('app')!(new Request('app://ims/starting.html'));
      expect(await starting.text()).toContain('Starting IMS Lab…');
      await vi.waitFor(
        () => expect(win.loaded).toEqual(['app://ims/starting.html', 'app://ims/index.html']),
        {
          timeout: 10_000,
        },
      );

      const page = await electron.protocol.handlers.get('app')!(new Request('app://ims/index.html'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      // The page's own script, by the path Vite wrote into it.
      const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect(script).toBeDefined();
      expect((await electron.protocol.handlers.get('app')!(new Request(`app://ims/${script}`))).status).toBe(
        200,
      );

      const answer = (await electron.ipcMain.invoke(
        win.webContents,
        win.webContents.mainFrame,
        'ims:request',
        {
          op: 'snapshot',
          name: 'status',
        },
      )) as { ok: boolean; result: unknown };
      expect(answer.ok).toBe(true);

      electron.app.quit();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0), { timeout: 10_000 });
      expect(existsSync(join(electron.app.userData, 'data', 'ims-lab.db-wal'))).toBe(false);
    } finally {
      // The entry's own signal and fault handlers go with the fake app.
      for (const s of signals)
        for (const l of events.listeners(s))
          if (!listenersBefore.has(l)) events.off(s, l as (...args: unknown[]) => void);
      electron.resetFakeElectron();
    }
  });
});
