// The control contract over IPC (main/ipc.ts) on a real appliance: malformed requests get an error
// naming the fault, foreign senders are refused, and each window's subscriptions reach that window only.
import { describe, expect, it, vi } from 'vitest';
import { DesktopControl } from '../../../main/ipc';
import * as electron from './fake-electron';
import { invokeFrom, launch, theWindow, useDesktop } from './harness';

vi.mock('electron', () => import('./fake-electron'));

useDesktop();

type Answer = { ok: boolean; error?: string; result?: unknown };

/** Events may come batched a few times a second (core/control): wait for them this long at most. */
const EVENTS = { timeout: 5000 };

/** The 'ims:event' messages a page received. */
const eventsOf = (contents: electron.FakeWebContents): unknown[] =>
  contents.sent.filter((m) => m.channel === 'ims:event').map((m) => m.args[0]);

describe('ims:request', () => {
  it.each([
    ['not an object', 'DSP USER', /request: expected a JSON object/],
    ['null', null, /request: expected a JSON object/],
    ['an unknown op', { op: 'shutdown' }, /op: expected/],
    ['a missing field', { op: 'execute' }, /mml:/],
    ['an extra field', { op: 'execute', mml: 'DSP USER', sudo: true }, /unknown field "sudo"/],
    ['an unknown topic', { op: 'subscribe', topics: ['secrets'] }, /unknown topic "secrets"/],
  ])('answers %s with an error naming the fault', async (_what, request, error) => {
    await launch();
    const answer = (await invokeFrom(theWindow(), 'ims:request', request)) as Answer;
    expect(answer.ok).toBe(false);
    expect(answer.error).toMatch(error);
  });

  it('refuses a page that is not one of the app windows, a subframe, or another origin', async () => {
    await launch();
    const win = theWindow();
    const request = { op: 'execute', mml: 'DSP USER' };
    // Another WebContents (developer tools, a window main did not open) showing the same URL.
    const stranger = new electron.FakeWebContents('app://ims/index.html');
    await expect(
      electron.ipcMain.invoke(stranger, stranger.mainFrame, 'ims:request', request),
    ).rejects.toThrow(/not an IMS Lab window/);
    // The window's own WebContents, but from an embedded frame or a foreign page.
    const subframe = new electron.FakeFrame('app://ims/index.html', win.webContents.mainFrame);
    await expect(electron.ipcMain.invoke(win.webContents, subframe, 'ims:request', request)).rejects.toThrow(
      /not an IMS Lab window/,
    );
    const foreign = new electron.FakeFrame('https://example.com/');
    await expect(electron.ipcMain.invoke(win.webContents, foreign, 'ims:version')).rejects.toThrow(
      /not an IMS Lab window/,
    );
    await expect(electron.ipcMain.invoke(win.webContents, null, 'ims:version')).rejects.toThrow(
      /not an IMS Lab window/,
    );
    // A file:// page is not the app either.
    const file = new electron.FakeFrame('file:///app/out/renderer/index.html');
    await expect(electron.ipcMain.invoke(win.webContents, file, 'ims:request', request)).rejects.toThrow(
      /not an IMS Lab window/,
    );
    // And the window itself is answered.
    expect(((await invokeFrom(win, 'ims:request', request)) as Answer).ok).toBe(true);
  });
});

describe('events', () => {
  /** Two app windows on one appliance, as after macOS reopens one, each with its own session. */
  async function twoWindows(): Promise<{
    control: DesktopControl;
    a: electron.FakeWebContents;
    b: electron.FakeWebContents;
  }> {
    const desk = await launch();
    // A second adapter on the same appliance, for two pages at once (the app opens one window).
    const control = new DesktopControl(() => desk.appliance(), 'test');
    electron.ipcMain.handlers.clear();
    control.attach(electron.ipcMain as unknown as Electron.IpcMain);
    const a = new electron.FakeWebContents('app://ims/index.html');
    const b = new electron.FakeWebContents('app://ims/index.html');
    control.trust(a as unknown as Electron.WebContents);
    control.trust(b as unknown as Electron.WebContents);
    return { control, a, b };
  }
  const ask = (c: electron.FakeWebContents, request: unknown): Promise<Answer> =>
    electron.ipcMain.invoke(c, c.mainFrame, 'ims:request', request) as Promise<Answer>;

  it('reach only the window that subscribed', async () => {
    const { a, b } = await twoWindows();
    expect((await ask(a, { op: 'subscribe', topics: ['mml'] })).ok).toBe(true);
    // B runs a command: the mml topic announces it, to A only.
    expect((await ask(b, { op: 'execute', mml: 'DSP USER' })).ok).toBe(true);
    await vi.waitFor(() => expect(eventsOf(a).length).toBeGreaterThan(0), EVENTS);
    expect(JSON.stringify(eventsOf(a))).toContain('DSP USER');
    expect((eventsOf(a)[0] as { topic: string }).topic).toBe('mml');
    expect(eventsOf(b)).toEqual([]);

    // Now B subscribes too and A unsubscribes.
    await ask(b, { op: 'subscribe', topics: ['mml'] });
    await ask(a, { op: 'unsubscribe', topics: ['mml'] });
    const seenByA = eventsOf(a).length;
    await ask(a, { op: 'execute', mml: 'DSP SRVSTAT' });
    await vi.waitFor(() => expect(JSON.stringify(eventsOf(b))).toContain('DSP SRVSTAT'), EVENTS);
    expect(eventsOf(a)).toHaveLength(seenByA);
  });

  it('end when the page reloads or the window goes', async () => {
    const { control, a, b } = await twoWindows();
    await ask(a, { op: 'subscribe', topics: ['mml'] });
    await ask(b, { op: 'subscribe', topics: ['mml'] });
    a.reload(); // the new page has subscribed to nothing yet
    b.destroy(); // a send to it now would throw
    // A third page, to see the event go out at all.
    const c = new electron.FakeWebContents('app://ims/index.html');
    control.trust(c as unknown as Electron.WebContents);
    await ask(c, { op: 'subscribe', topics: ['mml'] });
    await ask(c, { op: 'execute', mml: 'DSP USER' });
    await vi.waitFor(() => expect(eventsOf(c).length).toBeGreaterThan(0), EVENTS);
    expect(eventsOf(a)).toEqual([]);
    expect(eventsOf(b)).toEqual([]);
    // The reloaded page starts afresh: it subscribes again and is served.
    await ask(a, { op: 'subscribe', topics: ['mml'] });
    await ask(c, { op: 'execute', mml: 'DSP SRVSTAT' });
    await vi.waitFor(() => expect(JSON.stringify(eventsOf(a))).toContain('DSP SRVSTAT'), EVENTS);
  });
});
