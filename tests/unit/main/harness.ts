// Test support for main/: a fresh fake Electron per test (tests/unit/main/fake-electron.ts), a small
// built renderer on disk, and the desktop home started on it with a real appliance (real SQLite file
// in the fake userData, SIP on 127.0.0.1 with free ports).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startDesktopApp, type DesktopApp, type DesktopOptions } from '../../../main/desktop-app';
import * as electron from './fake-electron';

/** Settings for an appliance that binds nothing a real one would. */
// No start-up rehearsal (it has its own tests): it would add seconds to every launch.
export const TEST_ENV: NodeJS.ProcessEnv = {
  SIP_HOST: '127.0.0.1',
  SIP_PORT: '0',
  LOG_LEVEL: 'WARNING',
  SIP_WARMUP_CALLS: '0',
};

export const INDEX_HTML =
  '<!doctype html><title>IMS Lab</title><script type="module" src="./assets/app.js"></script>';

const running: DesktopApp[] = [];
const dirs: string[] = [];

/** A file beside the renderer folder, which app:// must never serve. */
export const SECRET = 'secret.txt';

/** A built renderer, <tmp>/renderer with index.html and one script, and SECRET beside it. */
export function makeRendererDir(): string {
  const parent = mkdtempSync(join(tmpdir(), 'ims-lab-renderer-'));
  dirs.push(parent);
  const dir = join(parent, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("ims");\n');
  writeFileSync(join(parent, SECRET), 'outside the renderer');
  return dir;
}

/** Fresh fake Electron before each test; after it, every started app quit and its appliance stopped. */
export function useDesktop(): void {
  beforeEach(() => electron.resetFakeElectron());
  afterEach(async () => {
    for (const desk of running.splice(0)) {
      await desk.ready.catch(() => undefined);
      await desk.appliance()?.stop();
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** Starts the desktop home, makes Electron ready and waits until the window is open. */
export async function launch(
  env: NodeJS.ProcessEnv = TEST_ENV,
  more: Partial<DesktopOptions> = {},
): Promise<DesktopApp> {
  const desk = startDesktopApp({
    rendererDir: makeRendererDir(),
    preloadPath: '/app/out/preload/index.js',
    env,
    console: false,
    ...more,
  });
  if (desk === undefined) throw new Error('startDesktopApp: no single-instance lock');
  running.push(desk);
  electron.app.becomeReady();
  await desk.ready;
  const failure = electron.dialog.errorBoxes[0];
  if (failure !== undefined) throw new Error(`the desktop home did not start: ${failure.content}`);
  return desk;
}

/** The app's one window (fails the test when there is none). */
export function theWindow(): electron.BrowserWindow {
  const windows = electron.BrowserWindow.getAllWindows();
  if (windows.length !== 1) throw new Error(`expected one window, found ${windows.length}`);
  return windows[0]!;
}

/** What the window's page gets from ipcRenderer.invoke(channel, ...args). */
export function invokeFrom(
  win: electron.BrowserWindow,
  channel: string,
  ...args: unknown[]
): Promise<unknown> {
  return electron.ipcMain.invoke(win.webContents, win.webContents.mainFrame, channel, ...args);
}
