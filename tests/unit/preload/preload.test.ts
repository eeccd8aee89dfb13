// The preload (preload/index.ts) against a fake electron: window.ims has exactly the agreed names,
// requests go to main on 'ims:request', and event batches of known topics reach the listeners.
// The bundle esbuild makes of it needs nothing but 'electron', as a sandboxed preload must.
import { build } from 'esbuild';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOPICS } from '../../../core/control/contract';
import { desktopApi, type DesktopApi } from '../../../preload/desktop-api';
import * as electron from '../main/fake-electron';

vi.mock('electron', () => import('../main/fake-electron'));

/** What the preload exposed as window.ims when it ran (once, as in a page). */
let exposed: unknown;

/** window.ims as a new page gets it: what preload/index.ts exposes, built afresh on the fake IPC. */
function loadPreload(): Promise<DesktopApi> {
  return Promise.resolve(desktopApi(electron.ipcRenderer as unknown as Electron.IpcRenderer));
}

/** main sends a batch to this page. */
const fromMain = (batch: unknown): boolean => electron.ipcRenderer.emit('ims:event', {}, batch);

beforeAll(async () => {
  electron.resetFakeElectron();
  await import('../../../preload/index');
  expect([...electron.contextBridge.exposed.keys()]).toEqual(['ims']);
  exposed = electron.contextBridge.exposed.get('ims');
});
beforeEach(() => electron.resetFakeElectron());

describe('window.ims', () => {
  it('exposes exactly platform, version, invoke, subscribe, unsubscribe and saveExport', () => {
    const ims = exposed as DesktopApi;
    expect(Object.keys(ims).sort()).toEqual([
      'invoke',
      'platform',
      'saveExport',
      'subscribe',
      'unsubscribe',
      'version',
    ]);
    expect(ims.platform).toBe('desktop');
    for (const name of ['invoke', 'subscribe', 'unsubscribe', 'version', 'saveExport'] as const)
      expect(typeof ims[name]).toBe('function');
    // No ipcRenderer, nothing of Node, anywhere in it.
    expect(Object.values(ims)).not.toContain(electron.ipcRenderer);
  });

  it('sends requests to main on ims:request and answers what main answers', async () => {
    const ims = await loadPreload();
    electron.ipcRenderer.answer = (channel, request) =>
      channel === 'ims:request'
        ? { ok: true, result: request }
        : channel === 'ims:version'
          ? '1.2.3'
          : undefined;
    const request = { op: 'execute', mml: 'DSP USER' };
    expect(await ims.invoke(request)).toEqual({ ok: true, result: request });
    expect(await ims.version()).toBe('1.2.3');
    expect(electron.ipcRenderer.invoked).toEqual([
      { channel: 'ims:request', args: [request] },
      { channel: 'ims:version', args: [] },
    ]);
  });

  it('asks main for the Save dialog of an export on ims:save-export, a file name only', async () => {
    const ims = await loadPreload();
    electron.ipcRenderer.answer = (channel, file) =>
      channel === 'ims:save-export' ? { saved: true, path: `/home/me/${String(file)}` } : undefined;
    expect(await ims.saveExport('users_export_1.json')).toEqual({
      saved: true,
      path: '/home/me/users_export_1.json',
    });
    expect(electron.ipcRenderer.invoked).toEqual([
      { channel: 'ims:save-export', args: ['users_export_1.json'] },
    ]);
    expect(() => ims.saveExport({ path: '/etc/passwd' } as unknown as string)).toThrow(
      /expected a file name/,
    );
    expect(electron.ipcRenderer.invoked).toHaveLength(1);
  });

  it('passes batches of the contract topics to listeners untouched, and nothing else', async () => {
    const ims = await loadPreload();
    const got: unknown[] = [];
    const off = ims.subscribe((b) => got.push(b));
    const batches = TOPICS.map((topic, i) => ({ topic, first: i, data: [{ n: i }] }));
    for (const b of batches) fromMain(b);
    fromMain({ topic: 'secrets', data: [] });
    fromMain('log');
    fromMain(null);
    expect(got).toEqual(batches);
    expect(got[0]).toBe(batches[0]);
    off();
    fromMain(batches[0]);
    expect(got).toHaveLength(TOPICS.length);
    expect(electron.ipcRenderer.listenerCount('ims:event')).toBe(0);
  });

  it('unsubscribe(listener) removes it; a throwing listener does not stop the others', async () => {
    const ims = await loadPreload();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const listenA = (x: unknown): number => a.push(x);
    ims.subscribe(() => {
      throw new Error('broken view');
    });
    ims.subscribe(listenA);
    ims.subscribe((x) => b.push(x));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    fromMain({ topic: 'log', first: 1, data: [] });
    expect(error).toHaveBeenCalledOnce();
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    ims.unsubscribe(listenA);
    fromMain({ topic: 'log', first: 2, data: [] });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
    error.mockRestore();
    // One IPC listener however many subscribers.
    expect(electron.ipcRenderer.listenerCount('ims:event')).toBe(1);
    expect(() => ims.subscribe('log' as unknown as () => void)).toThrow(/expected a function/);
  });

  it('bundles to a script that requires nothing but electron (a sandboxed preload can load it)', async () => {
    const out = await build({
      entryPoints: ['preload/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/node:|process\.binding/);
  });
});
