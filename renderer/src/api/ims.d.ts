// window.ims: the bridge the Electron preload (preload/index.ts) exposes to the renderer.
// It is absent in a plain browser, where the renderer talks to the headless server over /ws instead.
import type { ControlEventBatch, ControlRequest, ControlResponse } from '../../../core/control/contract';

declare global {
  interface ImsDesktopApi {
    readonly platform: 'desktop';
    /** The app version, answered by the main process. */
    version(): Promise<string>;
    /** One control-contract request (validated in main); answers { ok, result | error }. */
    invoke(request: ControlRequest | Record<string, unknown>): Promise<ControlResponse>;
    /** Batches of events of the topics subscribed with invoke({op:'subscribe'}); returns the unsubscribe function. */
    subscribe(listener: (batch: ControlEventBatch) => void): () => void;
    unsubscribe(listener: (batch: ControlEventBatch) => void): void;
    /**
     * A download of a file an EXP command wrote to the data folder (its bare name): the operating system's
     * Save dialog, then a copy where the user said (main/save-export.ts). Not saved: cancelled, or `error`.
     */
    saveExport(file: string): Promise<{ saved: true; path: string } | { saved: false; error?: string }>;
  }

  interface Window {
    readonly ims?: ImsDesktopApi;
  }
}

export {};
