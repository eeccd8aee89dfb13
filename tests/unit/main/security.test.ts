// The window's security policy (main/security.ts, main/app-protocol.ts): the web preferences, the
// Content-Security-Policy on every answer, navigation and new windows blocked, permissions denied, and
// app:// serving the renderer folder and nothing else.
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/security';
import * as electron from './fake-electron';
import { INDEX_HTML, SECRET, launch, theWindow, useDesktop } from './harness';

vi.mock('electron', () => import('./fake-electron'));

useDesktop();

/** The CSP's directives, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

/** What the window gets for an app:// URL (through the handler main registered). */
async function fetchApp(url: string, method = 'GET'): Promise<Response> {
  const handler = electron.protocol.handlers.get('app');
  if (!handler) throw new Error('app:// is not served');
  return handler(new Request(url, { method }));
}

describe('window', () => {
  it('is isolated, sandboxed, without Node, and loads the preload', async () => {
    await launch();
    const prefs = theWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.js',
    });
  });

  it('opens no new window and navigates nowhere but the app page', async () => {
    await launch();
    const contents = theWindow().webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.navigate('https://example.com/')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('app://ims/other.html')).toBe(false);
    expect(contents.navigate('app://ims/index.html#/calls')).toBe(true);
  });

  it('holds every other page the app creates (developer tools) to the same rules', async () => {
    await launch();
    const devtools = new electron.FakeWebContents('devtools://devtools/bundled/inspector.html');
    electron.app.emit('web-contents-created', electron.fakeEvent(), devtools);
    expect(devtools.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(devtools.navigate('https://example.com/')).toBe(false);
    const attach = electron.fakeEvent();
    devtools.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('denies every permission request and check', async () => {
    await launch();
    const s = electron.session.defaultSession;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const granted = await new Promise<boolean>((resolve) =>
        s.permissionRequestHandler!(theWindow().webContents, permission, resolve),
      );
      expect(granted, permission).toBe(false);
    }
    expect(s.permissionCheckHandler!(null, 'media')).toBe(false);
    expect(s.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it("lets the app's own page, and only it, write to the clipboard (the terminal's Copy)", async () => {
    await launch();
    const s = electron.session.defaultSession;
    const ask = (url: string) =>
      new Promise<boolean>((resolve) =>
        s.permissionRequestHandler!(theWindow().webContents, 'clipboard-sanitized-write', resolve, {
          requestingUrl: url,
        }),
      );
    expect(await ask('app://ims/index.html')).toBe(true);
    expect(await ask('https://example.com/')).toBe(false);
    expect(await ask('app://imsx/index.html')).toBe(false);
    expect(s.permissionCheckHandler!(null, 'clipboard-sanitized-write', 'app://ims')).toBe(true);
    expect(s.permissionCheckHandler!(null, 'clipboard-sanitized-write', 'https://example.com')).toBe(false);
    expect(s.permissionCheckHandler!(null, 'clipboard-read', 'app://ims')).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('is strict: only the app’s own scripts, nothing remote, no plugins, no framing', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const values of d.values()) {
      for (const v of values) expect(v).not.toMatch(/unsafe-eval|^\*$|^https?:$|^http/);
    }
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('comes with every app:// answer, and is added to anything else the session loads', async () => {
    await launch();
    const index = await fetchApp('app://ims/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toBe(INDEX_HTML);
    const missing = await fetchApp('app://ims/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const listener = electron.session.defaultSession.webRequest.headersListener!;
    const headers = await new Promise<Record<string, string[]> | undefined>((resolve) =>
      listener({ url: 'https://example.com/', responseHeaders: { 'Content-Type': ['text/html'] } }, (r) =>
        resolve(r.responseHeaders),
      ),
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});

describe('app://', () => {
  it('is registered as a secure standard scheme before the app is ready, and served after', async () => {
    await launch();
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const script = await fetchApp('app://ims/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetchApp('app://ims/')).status).toBe(200);
  });

  it('serves nothing outside the renderer folder, for no other host, and only GET/HEAD', async () => {
    await launch();
    for (const url of [
      `app://ims/../${SECRET}`,
      `app://ims/%2e%2e/${SECRET}`,
      `app://ims/assets/%2e%2e/%2e%2e/${SECRET}`,
      `app://ims/..%2f${SECRET}`,
      `app://ims/%00index.html`,
      `app://other/index.html`,
    ]) {
      const answer = await fetchApp(url);
      expect(answer.status, url).toBe(404);
      expect(await answer.text(), url).not.toContain('outside the renderer');
    }
    expect((await fetchApp('app://ims/index.html', 'POST')).status).toBe(405);
    const head = await fetchApp('app://ims/index.html', 'HEAD');
    expect(head.status).toBe(200);
  });
});
