// Electron main process entry (package.json "main": out/main/index.js). Wiring only: the lifecycle is
// main/desktop-app.ts, the window main/window.ts, the IPC adapter main/ipc.ts, the security policy
// main/security.ts and the app:// scheme main/app-protocol.ts.
import { app, dialog } from 'electron';
import path from 'node:path';
import { startDesktopApp } from './desktop-app';

// out/main/index.js → out/renderer, out/preload; the icons ship in resources/ beside out/ (in the asar).
const desktop = startDesktopApp({
  rendererDir: path.join(__dirname, '..', 'renderer'),
  preloadPath: path.join(__dirname, '..', 'preload', 'index.js'),
  iconPath: path.join(app.getAppPath(), 'resources', 'icons', '512x512.png'),
  // Electron's own default shows the raw stack and keeps the process going: logged and stopped instead.
  faults: process,
});
// A failure outside the appliance's own start-up (which shows its dialog) still says why, then exits.
desktop?.ready.catch((err: unknown) => {
  dialog.showErrorBox('IMS Lab could not start', String(err));
  app.exit(1);
});

// A signal (Ctrl+C on `npm start`, which passes it on; a service stop) quits the same clean way, without
// asking about calls up (the window's question is for a click).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => (desktop !== undefined ? desktop.quit() : app.quit()));
