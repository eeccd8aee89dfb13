// Preload: the only bridge between the sandboxed renderer and main. It exposes window.ims with named
// operations and nothing else: no raw ipcRenderer, no Node APIs (DESIGN.md, Narrow bridges).
// The shape must match renderer/src/api/ims.d.ts.
import { contextBridge, ipcRenderer } from 'electron';

const api = {
  platform: 'desktop' as const,
  version: (): Promise<string> => ipcRenderer.invoke('ims:version') as Promise<string>,
};

contextBridge.exposeInMainWorld('ims', api);
