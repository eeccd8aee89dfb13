// The app's one window: remembered size and position, the secure web preferences, the preload bridge,
// and the renderer loaded from app://ims (or first the page saying IMS Lab is starting, starting-page.ts,
// then the renderer: showPage). It is shown once painted, so it never flashes blank.
import { BrowserWindow, screen } from 'electron';
import { APP_URL } from './app-protocol';
import { SECURE_WEB_PREFERENCES } from './security';
import { MIN_HEIGHT, MIN_WIDTH, readWindowState, rememberWindowState } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  /** The window state file in userData. */
  stateFile: string;
  /** The window icon (Linux and Windows; macOS takes the bundle's). */
  iconPath?: string;
  warn: (message: string) => void;
  /** The page to show first (default: the console, APP_URL). */
  url?: string;
}

/** Loads `url` in the window (the console once the appliance runs); a failure is said, not thrown. */
export function showPage(win: BrowserWindow, url: string, warn: (message: string) => void): void {
  win.loadURL(url).catch((err: unknown) => warn(`could not load ${url}: ${String(err)}`));
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const state = readWindowState(options.stateFile, workAreas);
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : { center: true }),
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'IMS Lab',
    backgroundColor: '#0f1419',
    ...(options.iconPath !== undefined ? { icon: options.iconPath } : {}),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preloadPath },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  rememberWindowState(win, options.stateFile, options.warn);
  showPage(win, options.url ?? APP_URL, options.warn);
  return win;
}
