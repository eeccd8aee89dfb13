// The renderer picks its transport once at start-up and never asks again (DESIGN.md, One control
// contract, two transports). Under Electron it is the preload bridge, window.ims; in a browser it is
// the headless server, which is not wired yet, so the version is reported as unknown.

export type TransportKind = 'desktop' | 'headless';

export interface Transport {
  readonly kind: TransportKind;
  version(): Promise<string>;
}

export const UNKNOWN_VERSION = 'unknown';

export function detectTransport(): Transport {
  const ims = window.ims;
  if (ims?.platform === 'desktop') {
    return { kind: 'desktop', version: () => ims.version() };
  }
  return { kind: 'headless', version: () => Promise.resolve(UNKNOWN_VERSION) };
}
