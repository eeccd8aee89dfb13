// A small stand-in for the `electron` module (its binary cannot run on these machines), used through
// vi.mock('electron', () => import('./fake-electron')). It keeps what main/ and preload/ did (handlers,
// windows, sends, menu, dialogs) so the tests can drive the app as Electron would and read the effects.
// Its lifecycle follows Electron's: app.quit() emits before-quit, closes the windows (one that stays open
// cancels the quit), then will-quit, and exits only when no will-quit listener called preventDefault();
// closing the last window emits window-all-closed.
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/temp-dir';

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent<T extends object>(fields: T = {} as T): T & FakeEvent {
  return Object.assign(
    {
      defaultPrevented: false,
      preventDefault(this: FakeEvent) {
        this.defaultPrevented = true;
      },
    },
    fields,
  );
}

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly mainFrame: FakeFrame;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  private destroyed = false;

  constructor(url = '') {
    super();
    this.mainFrame = new FakeFrame(url);
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args: structuredClone(args) });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** A navigation the page starts; returns whether main let it happen. */
  navigate(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true, isSameDocument: false });
    this.emit('will-navigate', event, url);
    if (event.defaultPrevented) return false;
    this.emit('did-start-navigation', event);
    this.mainFrame.url = url;
    return true;
  }
  /** Reloads asked of this page (by main, or View > Reload). */
  reloads = 0;
  /** The page's process ends (a crash, the OS's out-of-memory killer...), as Electron tells it. */
  crash(reason = 'crashed', exitCode = 139): void {
    this.emit('render-process-gone', fakeEvent(), { reason, exitCode });
  }
  /** A reload of the same page (View > Reload): a new document, no will-navigate. */
  reload(): void {
    this.reloads++;
    this.emit(
      'did-start-navigation',
      fakeEvent({ url: this.mainFrame.url, isMainFrame: true, isSameDocument: false }),
    );
  }
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }

  readonly webContents: FakeWebContents;
  readonly loaded: string[] = [];
  bounds: Rect;
  visible = false;
  maximized = false;
  minimized = false;
  focused = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    this.webContents = new FakeWebContents();
    const width = (options.width as number) ?? 800;
    const height = (options.height as number) ?? 600;
    this.bounds = { x: (options.x as number) ?? 100, y: (options.y as number) ?? 100, width, height };
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
    queueMicrotask(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused = true;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Windows: the session ends (shutdown, restart, log-off). Electron emits session-end on the window,
   * and neither before-quit nor will-quit; the system ends the process soon after. */
  endSession(): void {
    this.emit('session-end', fakeEvent({ reasons: ['shutdown'] }));
  }
  /** The user closes the window. */
  close(): void {
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

class FakeApp extends EventEmitter {
  /** The per-user application data folder (~/.config, %APPDATA%, ~/Library/Application Support). */
  appData = '';
  userData = '';
  name = 'ims-lab';
  version = '0.0.0-fake';
  hasLock = true;
  ready = false;
  /** Set once the app has exited: 'quit' after the quit sequence, or the code given to exit(). */
  exitCode: number | undefined;
  private readyResolve: (() => void) | undefined;
  private readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));

  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Electron becomes ready (the tests decide when). */
  becomeReady(): void {
    this.ready = true;
    this.readyResolve?.();
    this.emit('ready');
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    if (name === 'appData') return this.appData;
    if (name === 'downloads') return join(this.appData, 'Downloads');
    throw new Error(`fake app.getPath: ${name} not faked`);
  }
  setPath(name: string, value: string): void {
    if (name !== 'userData') throw new Error(`fake app.setPath: ${name} not faked`);
    if (this.ready) throw new Error('fake app.setPath: userData is fixed once the app is ready');
    this.userData = value;
  }
  setName(name: string): void {
    this.name = name;
  }
  getAppPath(): string {
    return process.cwd();
  }
  getVersion(): string {
    return this.version;
  }
  quit(): void {
    if (this.exitCode !== undefined) return;
    const before = fakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const w of BrowserWindow.getAllWindows()) w.close();
    // A window whose close was prevented cancels the quit (Electron's app.quit()).
    if (BrowserWindow.getAllWindows().length > 0) return;
    const will = fakeEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.exitCode = 0;
    this.emit('quit', fakeEvent(), 0);
  }
  exit(code = 0): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
  }
  reset(keepUserData: boolean): void {
    this.removeAllListeners();
    if (!keepUserData) {
      if (this.appData !== '') rmSync(this.appData, { recursive: true, force: true });
      this.appData = tempDir('ims-lab-desktop-');
      // Electron's default: <appData>/<package.json name>.
      this.userData = join(this.appData, 'ims-lab');
    }
    this.ready = false;
    this.hasLock = true;
    this.exitCode = undefined;
    this.readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  }
}

export const app = new FakeApp();

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  /** What ipcRenderer.invoke(channel, ...args) from `sender`'s frame gets (Electron clones the answer). */
  async invoke(
    sender: FakeWebContents,
    frame: FakeFrame | null,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const cloned = structuredClone(args);
    return structuredClone(
      await handler({ sender, senderFrame: frame, processId: 1, frameId: 1 }, ...cloned),
    );
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoked: [] as { channel: string; args: unknown[] }[],
  answer: (_channel: string, ..._args: unknown[]): unknown => undefined,
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.answer(channel, ...args));
  },
});

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    this.exposed.set(key, api);
  },
};

export const Menu = {
  applicationMenu: null as { template: unknown[] } | null,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.applicationMenu = menu;
  },
};

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: { requestingUrl?: string },
) => void;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as PermissionRequestHandler | undefined,
    permissionCheckHandler: undefined as ((...args: unknown[]) => boolean) | undefined,
    devicePermissionHandler: undefined as ((...args: unknown[]) => boolean) | undefined,
    setPermissionRequestHandler(h: PermissionRequestHandler): void {
      this.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: (...args: unknown[]) => boolean): void {
      this.permissionCheckHandler = h;
    },
    setDevicePermissionHandler(h: (...args: unknown[]) => boolean): void {
      this.devicePermissionHandler = h;
    },
    webRequest: {
      headersListener: undefined as HeadersListener | undefined,
      onHeadersReceived(listener: HeadersListener): void {
        this.headersListener = listener;
      },
    },
  },
};

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (app.ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (!app.ready) throw new Error('protocol.handle can only be used after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme has been registered: ${scheme}`);
    this.handlers.set(scheme, handler);
  },
};

export const dialog = {
  messageBoxes: [] as Record<string, unknown>[],
  errorBoxes: [] as { title: string; content: string }[],
  /** The button the user picks in the next message boxes (0: the first). */
  response: 0,
  showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    this.messageBoxes.push(args[args.length - 1] as Record<string, unknown>);
    return Promise.resolve({ response: this.response });
  },
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
  saveDialogs: [] as { window: unknown; options: Record<string, unknown> }[],
  /** What the next Save dialogs answer: the path the user chose, or undefined for Cancel. */
  savePath: undefined as string | undefined,
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    const options = args[args.length - 1] as Record<string, unknown>;
    this.saveDialogs.push({ window: args.length > 1 ? args[0] : null, options });
    const filePath = this.savePath;
    return Promise.resolve(
      filePath === undefined ? { canceled: true, filePath: '' } : { canceled: false, filePath },
    );
  },
};

export const screen = {
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1040 }] as Rect[],
  getAllDisplays(): { workArea: Rect }[] {
    return this.workAreas.map((workArea) => ({ workArea }));
  },
};

/** A fresh Electron: no windows, handlers, menu or dialogs; a new empty appData directory unless kept
 * (the next run of the app on the same machine). */
export function resetFakeElectron(options: { keepUserData?: boolean } = {}): void {
  app.reset(options.keepUserData === true);
  BrowserWindow.all = [];
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.answer = () => undefined;
  contextBridge.exposed.clear();
  Menu.applicationMenu = null;
  const s = session.defaultSession;
  s.permissionRequestHandler = s.permissionCheckHandler = s.devicePermissionHandler = undefined;
  s.webRequest.headersListener = undefined;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  dialog.messageBoxes.length = 0;
  dialog.errorBoxes.length = 0;
  dialog.response = 0;
  dialog.saveDialogs.length = 0;
  dialog.savePath = undefined;
  screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1040 }];
}

export default {
  app,
  BrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  Menu,
  session,
  protocol,
  dialog,
  screen,
};
