// window.ims, the desktop bridge (DESIGN.md, Narrow bridges): named operations over two IPC channels
// and nothing else, no raw ipcRenderer, no Node. Event batches of the topics in the control contract
// are passed to the listeners untouched; which topics arrive is decided by the window's own
// subscribe/unsubscribe requests, answered by its ControlSession in main.
import type { IpcRenderer } from 'electron';
import { TOPICS, type ControlResponse } from '../core/control/contract';
import { IPC_EVENT, IPC_REQUEST, IPC_SAVE_EXPORT, IPC_VERSION } from './channels';

/** An event batch as main sends it (core/control/contract.ts); only its topic is looked at here. */
export type EventListener = (batch: unknown) => void;

/** What saveExport answers: where the copy went, or nothing saved (cancelled, or why not). */
export type SaveExportResult = { saved: true; path: string } | { saved: false; error?: string };

export interface DesktopApi {
  readonly platform: 'desktop';
  version(): Promise<string>;
  invoke(request: unknown): Promise<ControlResponse>;
  /** Adds a listener for every event batch; returns the function that removes it. */
  subscribe(listener: EventListener): () => void;
  /**
   * Removes a listener. Across contextBridge a function passed twice arrives as two different proxies,
   * so from the page the reliable way is the function subscribe() returned.
   */
  unsubscribe(listener: EventListener): void;
  /**
   * A download the console offers of a file an EXP command wrote to the data folder (its bare name, as
   * the command answered it): the Save dialog, then a copy where the user said.
   */
  saveExport(file: string): Promise<SaveExportResult>;
}

const KNOWN_TOPICS: ReadonlySet<unknown> = new Set(TOPICS);

function isKnownBatch(x: unknown): boolean {
  return typeof x === 'object' && x !== null && KNOWN_TOPICS.has((x as { topic?: unknown }).topic);
}

export function desktopApi(ipc: IpcRenderer): DesktopApi {
  const listeners = new Set<EventListener>();
  const onEvent = (_event: unknown, batch: unknown): void => {
    if (!isKnownBatch(batch)) return;
    for (const listener of [...listeners]) {
      try {
        listener(batch);
      } catch (err) {
        // One broken listener never keeps the batch from the others.
        console.error('ims: an event listener threw', err);
      }
    }
  };
  const remove = (listener: EventListener): void => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    ipc.removeListener(IPC_EVENT, onEvent);
  };
  return {
    platform: 'desktop',
    version: () => ipc.invoke(IPC_VERSION) as Promise<string>,
    invoke: (request) => ipc.invoke(IPC_REQUEST, request) as Promise<ControlResponse>,
    subscribe: (listener) => {
      if (typeof listener !== 'function') throw new TypeError('ims.subscribe: expected a function');
      if (listeners.size === 0) ipc.on(IPC_EVENT, onEvent);
      listeners.add(listener);
      return () => remove(listener);
    },
    unsubscribe: (listener) => remove(listener),
    saveExport: (file) => {
      if (typeof file !== 'string') throw new TypeError('ims.saveExport: expected a file name');
      return ipc.invoke(IPC_SAVE_EXPORT, file) as Promise<SaveExportResult>;
    },
  };
}
