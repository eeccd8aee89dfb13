// Electron main process: one window, the app lifecycle and the IPC adapter. No SIP logic lives here:
// the appliance (core/appliance.ts) runs in this process with its data in userData, and the window
// talks to it through the control contract (core/control), the same one the WebSocket serves:
// 'ims:request' (validated there) and 'ims:event' (topics the window subscribed to).
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Appliance } from '../core/appliance';
import { loadSettings } from '../core/config/settings';
import { ControlSession } from '../core/control/control';

const RENDERER_HTML = path.join(__dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_HTML).href;
const PRELOAD_JS = path.join(__dirname, '../preload/index.js');

let mainWindow: BrowserWindow | null = null;
let appliance: Appliance | undefined;
let session: ControlSession | undefined;

/** Only our own page, loaded from disk, may call into main (DESIGN.md, Narrow bridges). */
function isAppSender(event: IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url.startsWith('file://') ?? false;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'IMS Lab',
    backgroundColor: '#0f1419',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: PRELOAD_JS,
    },
  });

  // The renderer never opens windows or navigates away from the app page.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== RENDERER_URL) event.preventDefault();
  });

  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadFile(RENDERER_HTML);
  return win;
}

function registerIpc(): void {
  ipcMain.handle('ims:version', (event) => {
    if (!isAppSender(event)) throw new Error('ims:version: sender is not the IMS Lab window');
    return app.getVersion();
  });
  ipcMain.handle('ims:request', (event, request: unknown) => {
    if (!isAppSender(event)) throw new Error('ims:request: sender is not the IMS Lab window');
    if (session === undefined) return { ok: false, error: 'the appliance is not running' };
    return session.handle(request);
  });
}

/** The appliance in this process, its data in userData (IMS_DATA_DIR overrides). */
async function startAppliance(): Promise<void> {
  const dataDir = process.env.IMS_DATA_DIR ?? path.join(app.getPath('userData'), 'data');
  appliance = new Appliance({ dataDir, settings: loadSettings(dataDir) });
  await appliance.start();
  session = new ControlSession(appliance, 'desktop', (e) => mainWindow?.webContents.send('ims:event', e));
}

if (!app.requestSingleInstanceLock()) {
  // Another IMS Lab is already running; it gets focused through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  void app.whenReady().then(async () => {
    registerIpc();
    await startAppliance();
    mainWindow = createWindow();
    // macOS: clicking the dock icon with no windows open opens a new one.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  // Quit when the last window closes, except on macOS where apps stay in the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Finish CDR writes and close the database before the process goes.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || appliance === undefined) return;
    event.preventDefault();
    session?.close();
    void appliance.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
