// Preload: the only bridge between the sandboxed renderer and main. It exposes window.ims with named
// operations and nothing else: no raw ipcRenderer, no Node APIs (DESIGN.md, Narrow bridges).
// The shape must match renderer/src/api/ims.d.ts.
import { contextBridge, ipcRenderer } from 'electron';

/** Event topics the window may receive (core/control/contract.ts TOPICS). */
const TOPICS = new Set(['log', 'registration', 'call', 'message', 'perf', 'mml', 'dialer']);

const api = {
  platform: 'desktop' as const,
  version: (): Promise<string> => ipcRenderer.invoke('ims:version') as Promise<string>,
  /** One control-contract request (validated in main). */
  request: (request: unknown): Promise<unknown> => ipcRenderer.invoke('ims:request', request),
  /** Control-contract events; returns the unsubscribe function. */
  onEvent: (listener: (event: { topic: string; data: unknown }) => void): (() => void) => {
    const handler = (_e: unknown, event: { topic: string; data: unknown }): void => {
      if (TOPICS.has(event.topic)) listener(event);
    };
    ipcRenderer.on('ims:event', handler);
    return () => ipcRenderer.removeListener('ims:event', handler);
  },
};

contextBridge.exposeInMainWorld('ims', api);
