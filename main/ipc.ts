// The control contract over Electron IPC (DESIGN.md, One control contract, two transports): each
// window has its own ControlSession, as each WebSocket does, so the topics a window subscribes to
// reach that window only. 'ims:request' is answered by the session (validateRequest first, the same
// check the WebSocket uses); 'ims:save-export' asks where to save an export file (main/save-export.ts);
// only the app's own windows, from their top frame on app://ims, may call.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Appliance } from '../core/appliance';
import { ControlSession } from '../core/control/control';
import { LANGS, type ControlResponse, type Lang } from '../core/control/contract';
import { IPC_EVENT, IPC_REQUEST, IPC_SAVE_EXPORT, IPC_VERSION } from '../preload/channels';
import { APP_ORIGIN } from './app-protocol';

/** Who the MML history records for requests from the desktop window. */
export const DESKTOP_OPERATOR = 'desktop';

export class DesktopControl {
  /** The app's own windows' pages: the only senders answered. */
  private readonly trusted = new Set<WebContents>();
  private readonly sessions = new Map<WebContents, ControlSession>();
  /** The console's language, as its last request that carried one said (main's own dialogs use it). */
  lang: Lang = 'en';

  constructor(
    /** The running appliance, undefined while it starts or after it stopped. */
    private readonly appliance: () => Appliance | undefined,
    private readonly version: string,
    /** Saves an export file where the user says, for the window of `contents` (main/save-export.ts). */
    private readonly saveExport?: (contents: WebContents, file: unknown) => Promise<unknown>,
  ) {}

  /** Registers the two handlers on ipcMain. */
  attach(ipcMain: IpcMain): void {
    ipcMain.handle(IPC_VERSION, (event) => {
      this.checkSender(event, IPC_VERSION);
      return this.version;
    });
    ipcMain.handle(IPC_REQUEST, (event, request: unknown) => {
      this.checkSender(event, IPC_REQUEST);
      return this.request(event.sender, request);
    });
    const save = this.saveExport;
    if (save !== undefined)
      ipcMain.handle(IPC_SAVE_EXPORT, (event, file: unknown) => {
        this.checkSender(event, IPC_SAVE_EXPORT);
        return save(event.sender, file);
      });
  }

  /** A window of the app: its page may call, and its subscriptions end when its page goes. */
  trust(contents: WebContents): void {
    this.trusted.add(contents);
    contents.once('destroyed', () => {
      this.trusted.delete(contents);
      this.endSession(contents);
    });
    // A reload or a crash replaces the page: its subscriptions go with it.
    contents.on('did-start-navigation', (event) => {
      if (event.isMainFrame && !event.isSameDocument) this.endSession(contents);
    });
    contents.on('render-process-gone', () => this.endSession(contents));
  }

  /** Ends every window's subscriptions (the app is quitting). */
  closeAll(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  /** Whether a message comes from the top frame of one of the app's windows showing app://ims. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    return (
      this.trusted.has(event.sender) &&
      !event.sender.isDestroyed() &&
      frame !== null &&
      frame.parent === null &&
      frame.url.startsWith(`${APP_ORIGIN}/`)
    );
  }

  private checkSender(event: IpcMainInvokeEvent, channel: string): void {
    // Thrown errors reject the renderer's invoke(); nothing is answered to a foreign page.
    if (!this.isTrustedSender(event)) throw new Error(`${channel}: the sender is not an IMS Lab window`);
  }

  private request(contents: WebContents, request: unknown): Promise<ControlResponse> {
    const lang = (request as { lang?: unknown } | null)?.lang;
    if (LANGS.includes(lang as Lang)) this.lang = lang as Lang;
    const appliance = this.appliance();
    if (appliance === undefined) return Promise.resolve({ ok: false, error: 'the appliance is not running' });
    let session = this.sessions.get(contents);
    if (session === undefined) {
      session = new ControlSession(appliance, DESKTOP_OPERATOR, (batch) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, batch);
      });
      this.sessions.set(contents, session);
    }
    return session.handle(request);
  }

  private endSession(contents: WebContents): void {
    this.sessions.get(contents)?.close();
    this.sessions.delete(contents);
  }
}
