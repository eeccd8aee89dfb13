// window.ims: the bridge the Electron preload (preload/index.ts) exposes to the renderer.
// It is absent in a plain browser, where the renderer talks to the headless server instead.

interface ImsDesktopApi {
  readonly platform: 'desktop';
  /** The app version, answered by the main process ('ims:version'). */
  version(): Promise<string>;
}

interface Window {
  readonly ims?: ImsDesktopApi;
}
