// window.ims: the bridge the Electron preload (preload/index.ts) exposes to the renderer.
// It is absent in a plain browser, where the renderer talks to the headless server instead.

interface ImsDesktopApi {
  readonly platform: 'desktop';
  /** The app version, answered by the main process ('ims:version'). */
  version(): Promise<string>;
  /** One control-contract request (core/control/contract.ts); answers { ok, result | error }. */
  request(request: unknown): Promise<unknown>;
  /** Control-contract events of the subscribed topics; returns the unsubscribe function. */
  onEvent(listener: (event: { topic: string; data: unknown }) => void): () => void;
}

interface Window {
  readonly ims?: ImsDesktopApi;
}
