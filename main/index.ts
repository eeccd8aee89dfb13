// Electron main process: one window, the app lifecycle and the IPC adapter. No SIP logic lives here.
// core/appliance.ts will be started here and bridged to the renderer over IPC (the control contract
// in core/control) in a later issue; for now main only answers 'ims:version'.
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const RENDERER_HTML = path.join(__dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_HTML).href;
const PRELOAD_JS = path.join(__dirname, '../preload/index.js');

let mainWindow: BrowserWindow | null = null;

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

  void app.whenReady().then(() => {
    registerIpc();
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
}
