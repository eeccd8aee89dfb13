// The desktop home's lifecycle: one instance, the appliance started in this process with its data in
// userData, one window, and a clean shutdown on quit (subscriptions ended, CDR written, database
// closed) before the process exits. No SIP logic lives here (DESIGN.md, Layers).
import { BrowserWindow, app, dialog, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import { Appliance } from '../core/appliance';
import { loadSettings } from '../core/config/settings';
import { emptyVariables, unknownVariables } from '../core/config/env-names';
import { originalVariables } from '../core/config/original-env-names';
import { startupFault } from '../core/cli/startup-fault';
import { onProcessFault, type ProcessFault } from '../core/cli/process-fault';
import { lockDataFolder, type FolderLock } from '../core/store/folder-lock';
import { checkDataFolderName } from '../core/store/data-folder-name';
import { IMS_VERSION } from '../core/version';
import { APP_ORIGIN, APP_URL, STARTING_URL, registerAppScheme, serveRenderer } from './app-protocol';
import { DesktopControl } from './ipc';
import { saveExport } from './save-export';
import { installMenu, showAbout } from './menu';
import { lockDownContents, lockDownSession } from './security';
import { guardClose, guardQuit } from './quit-guard';
import { settingHint } from './setting-hint';
import { reloadAfterCrash } from './page-crash';
import { createMainWindow, showPage } from './window';
import { WINDOW_STATE_FILE } from './window-state';

export interface DesktopOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built preload (out/preload/index.js). */
  preloadPath: string;
  iconPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Log to the console (default true). */
  console?: boolean;
  /**
   * Where uncaught exceptions and unhandled rejections are reported (the entry gives `process`): each is
   * logged, and the first stops the app (core/cli/process-fault.ts). Undefined: not watched (tests).
   */
  faults?: NodeJS.EventEmitter;
}

/** What a running desktop home shows its caller (the entry point and the tests). */
export interface DesktopApp {
  /** Settles once the appliance runs and the window is open (or start-up failed and the app quits). */
  readonly ready: Promise<void>;
  appliance(): Appliance | undefined;
  window(): BrowserWindow | null;
  /** Quits without asking, even with calls up (a signal: Ctrl+C on `npm start`, a service stop). */
  quit(): void;
}

/** The product name (electron-builder.yml productName): window title, userData folder. */
export const APP_NAME = 'IMS Lab';

/** If stopping hangs, the app still exits after this long. */
export const STOP_TIMEOUT_MS = 5000;

/** Where the appliance keeps its data: IMS_DATA_DIR, else <userData>/data. */
export function desktopDataDir(env: NodeJS.ProcessEnv): string {
  // Absolute, as the headless server's: the About box and the messages name the folder itself.
  return path.resolve(env.IMS_DATA_DIR?.trim() || path.join(app.getPath('userData'), 'data'));
}

/** The dialog after a defect stopped the app: what it was and which log file has the rest. */
export function faultText(fault: ProcessFault, dataDir: string): string {
  const where = fault.logFile === undefined ? `Data: ${dataDir}` : `The details are in ${fault.logFile}`;
  return `An error IMS Lab does not handle (a defect, please report it) stopped it:\n\n${fault.message}\n\n${where}`;
}

function toStderr(message: string): void {
  process.stderr.write(`ims-lab: ${message}\n`);
}

/** Starts the desktop home; undefined when another instance already runs (that one is focused). */
export function startDesktopApp(options: DesktopOptions): DesktopApp | undefined {
  const env = options.env ?? process.env;
  // The same userData folder whether run from the project (`electron .`, named after package.json
  // "name") or packaged (named after productName); the single-instance lock lives there too.
  app.setName(APP_NAME);
  app.setPath('userData', path.join(app.getPath('appData'), APP_NAME));
  registerAppScheme(protocol);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }

  let appliance: Appliance | undefined;
  /** The appliance while it starts (its start-up rehearsal is cut short by a quit). */
  let starting: Appliance | undefined;
  let mainWindow: BrowserWindow | null = null;
  const control = new DesktopControl(
    () => appliance,
    IMS_VERSION,
    (contents, file) =>
      saveExport(
        { appliance: () => appliance, dialog, downloads: () => app.getPath('downloads') },
        mainWindow !== null && mainWindow.webContents === contents ? mainWindow : null,
        file,
      ),
  );
  const dataDir = desktopDataDir(env);
  let stopping = false;
  let stopped = false;
  let folderLock: FolderLock | undefined;
  /** Whether closing the window asks first (not after the user said Quit, nor for a signal). */
  let askBeforeQuit = true;
  /** A quit was asked for (Cmd+Q on macOS, where closing the window alone does not quit). */
  let quitAsked = false;
  /** The defect that stops the app: said in a dialog once the appliance has stopped, then exit 1. */
  let fault: ProcessFault | undefined;
  /** A second launch while no window is open (macOS: closed while starting): focus it once open. */
  let focusWhenOpen = false;
  /** main's warnings go to stderr, and to the appliance's log once it runs (a packaged app's stderr is lost). */
  const warn = (message: string): void => {
    toStderr(message);
    appliance?.logger.for('desktop').warning(message);
  };

  if (options.faults !== undefined)
    onProcessFault({
      target: options.faults,
      dataDir,
      logger: () => (appliance ?? starting)?.logger,
      stop: (f) => {
        fault = f;
        stopAndQuit();
      },
    });
  /** After a fault: its dialog (the user learns why the window went), then exit 1. */
  const exitAfterFault = (f: ProcessFault): void => {
    dialog.showErrorBox('IMS Lab stopped after an internal error', faultText(f, dataDir));
    app.exit(1);
  };

  /** What a quit would end (quit-guard.ts asks about it). */
  const busy = (): { calls: number; campaigns: number } => ({
    calls: appliance?.calls.size ?? 0,
    campaigns: appliance?.dialer.runningCampaigns ?? 0,
  });

  const quitNow = (): void => {
    askBeforeQuit = false;
    app.quit();
  };

  /** Opens the window on `url`: the console, or the page saying IMS Lab is starting. */
  const openWindow = (url = APP_URL): void => {
    const win = createMainWindow({
      preloadPath: options.preloadPath,
      stateFile: path.join(app.getPath('userData'), WINDOW_STATE_FILE),
      iconPath: options.iconPath,
      warn,
      url,
    });
    control.trust(win.webContents);
    reloadAfterCrash(win.webContents, warn);
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    // Windows: a shutdown, restart or log-off emits neither before-quit nor will-quit (Electron's docs),
    // only the window's session-end; the same stop runs then (BYEs, CDR of the calls up, database closed).
    win.on('session-end', stopAndQuit);
    guardClose(win, dialog, {
      // On macOS closing the window alone does not quit: only a quit (Cmd+Q) asks.
      mayAsk: () => {
        const asked = quitAsked;
        quitAsked = false;
        return askBeforeQuit && !stopping && (process.platform !== 'darwin' || asked);
      },
      busy,
      lang: () => control.lang,
      quit: quitNow,
    });
    mainWindow = win;
    if (focusWhenOpen) {
      focusWhenOpen = false;
      // After createMainWindow's own ready-to-show listener, which shows it.
      win.once('ready-to-show', () => win.focus());
    }
  };

  // Every page the app creates (the window, developer tools) is held to the same rules.
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, APP_URL));
  app.on('second-instance', () => {
    if (mainWindow === null) {
      focusWhenOpen = true;
      // macOS: the window was closed, the app left in the dock; a launch opens it again, as a dock
      // click does (still starting: it opens, focused, when the appliance runs).
      if (appliance !== undefined && !stopping) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // A quit with no window (macOS: Cmd+Q, Dock > Quit with the window closed) asks here.
  guardQuit(app, dialog, {
    hasWindow: () => mainWindow !== null,
    mayAsk: () => askBeforeQuit && !stopping,
    busy,
    lang: () => control.lang,
    quit: quitNow,
  });
  // Not when that question held the quit back: a later close of a reopened window is no quit.
  app.on('before-quit', (event) => (quitAsked = !event.defaultPrevented));
  // Quit when the last window closes, except on macOS where apps stay in the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const ready = app.whenReady().then(async () => {
    lockDownSession(session.defaultSession, APP_ORIGIN);
    serveRenderer(protocol, options.rendererDir);
    control.attach(ipcMain);
    const about = { version: IMS_VERSION, dataDir, versions: process.versions };
    installMenu(process.platform === 'darwin', () => void showAbout(about, mainWindow));
    try {
      // A folder an older build made from IMS_DATA_DIR with its blank is not left behind silently.
      checkDataFolderName(env.IMS_DATA_DIR, dataDir);
      // A headless IMS Lab on the same folder would share the database, not the live state.
      folderLock = lockDataFolder(dataDir);
      // Its ports are checked before its database is upgraded (Appliance.open).
      const settings = loadSettings(dataDir, env);
      // The window talks over IPC: no HTTP here (HTTP.* are the headless server's).
      settings.servesNoHttp();
      // The window at once, saying IMS Lab is starting: opening the database, checking the ports and the
      // start-up rehearsal take seconds (4-5 s), with nothing on screen to say the launch was taken. The
      // console replaces that page once the appliance runs.
      if (!stopping) openWindow(STARTING_URL);
      const started = await Appliance.open({
        dataDir,
        settings,
        console: options.console,
        // The app's own media/ (the project from `npm start`, app.asar packaged; resources/media is
        // looked in too), not the working folder, which is `/` for a packaged macOS app (media-file.ts).
        appDirs: [app.getAppPath()],
      });
      starting = started;
      await started.start().catch(async (err: unknown) => {
        await started.stop().catch(() => undefined);
        throw err;
      });
      appliance = started;
      // A mistyped variable (env-names.ts), the original's SERVER_PORT (original-env-names.ts).
      for (const w of [...unknownVariables(env), ...originalVariables(env)]) warn(w);
      for (const w of emptyVariables(env)) warn(w); // an empty one: the default applies
    } catch (err) {
      // No console will come: the starting page goes, the dialog alone says why (as before it was shown).
      mainWindow?.hide();
      // The same words as the headless server's (a bad setting, the folder in use, a folder that cannot
      // be made or written, the database); a defect says itself.
      const reason = startupFault(err, dataDir) ?? String(err);
      const hint = settingHint(err, dataDir);
      const text = hint === undefined ? reason : `${reason}\n\n${hint}`;
      dialog.showErrorBox('IMS Lab could not start', `${text}\n\nData: ${dataDir}`);
      app.exit(1);
      return;
    }
    if (stopping) return; // quit while starting: no console, will-quit stops the appliance
    // macOS: the starting window was closed (the app left in the dock): it opens on the console, as it
    // did before there was one.
    if (mainWindow === null) openWindow();
    else showPage(mainWindow, APP_URL, warn);
    // macOS: clicking the dock icon with no window open opens one.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  /** The clean stop, once, then the quit (will-quit lets it through once stopped). */
  function stopAndQuit(): void {
    if (stopping) return;
    stopping = true;
    const failsafe = setTimeout(() => {
      warn(`the appliance did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting`);
      if (fault !== undefined) exitAfterFault(fault);
      else app.exit(1);
    }, STOP_TIMEOUT_MS);
    failsafe.unref();
    control.closeAll();
    starting?.stopRehearsal();
    void ready
      .catch(() => undefined)
      .then(async () => {
        const running = appliance;
        appliance = undefined;
        await running?.stop();
        folderLock?.release();
      })
      .catch((err: unknown) => warn(`error while stopping: ${String(err)}`))
      .finally(() => {
        clearTimeout(failsafe);
        stopped = true;
        if (fault !== undefined) exitAfterFault(fault);
        else app.quit();
      });
  }

  // Quit: end the windows' subscriptions, then stop the appliance (CDR written, database closed), then
  // let the app exit. will-quit is held back until the appliance has stopped.
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopAndQuit();
  });
  return { ready, appliance: () => appliance, window: () => mainWindow, quit: quitNow };
}
