// Preload (sandboxed, context-isolated): the only bridge between the renderer and main. It exposes
// window.ims (preload/desktop-api.ts) and nothing else. The shape must match renderer/src/api/ims.d.ts.
import { contextBridge, ipcRenderer } from 'electron';
import { desktopApi } from './desktop-api';

contextBridge.exposeInMainWorld('ims', desktopApi(ipcRenderer));
