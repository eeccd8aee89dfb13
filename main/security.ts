// The window's security policy (Electron security checklist; DESIGN.md, Narrow bridges): an isolated,
// sandboxed renderer without Node, a strict Content-Security-Policy, no navigation away from the app
// page, no new windows, no <webview>, and every permission request (camera, notifications, ...) denied
// but one: the app's own page may write text to the clipboard (the MML terminal's Copy button).
import type { Session, WebContents, WebPreferences } from 'electron';

/**
 * The renderer's own files only: no inline or eval'd script, no remote anything. Styles may be inline
 * (React and the chart library set element styles); the page talks to main over IPC, so it connects
 * nowhere but itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
].join('; ');

/** Web preferences of every window (the preload path is added by the window). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies WebPreferences;

/** What the app's own page may do: write plain text to the clipboard (navigator.clipboard.writeText). */
const APP_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Is `url` (a request's URL or origin) the app's own page, under `appOrigin`? */
const fromApp = (url: string | undefined, appOrigin: string): boolean =>
  url !== undefined && (url === appOrigin || url.startsWith(`${appOrigin}/`));

/**
 * Session-wide: deny every permission but the clipboard write to the app's own page, and put the CSP on
 * whatever else the session loads.
 */
export function lockDownSession(session: Session, appOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(APP_PERMISSIONS.has(permission) && fromApp(details?.requestingUrl, appOrigin)),
  );
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      APP_PERMISSIONS.has(permission) && fromApp(requestingOrigin, appOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** Per page (every WebContents the app creates): stays on appUrl, opens nothing, embeds nothing. */
export function lockDownContents(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (event.url.split('#')[0] !== appUrl) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
