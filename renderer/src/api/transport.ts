// The renderer picks its transport once at start-up and never asks again (DESIGN.md, One control
// contract, two transports). Under Electron it is the preload bridge, window.ims; in a browser it is
// the headless server that served the page (its /healthz tells the version; the views' WebSocket
// client comes with them).

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
  return { kind: 'headless', version: headlessVersion };
}

/** The version the headless server reports on /healthz; unknown when the page came from elsewhere. */
async function headlessVersion(): Promise<string> {
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    if (!res.ok) return UNKNOWN_VERSION;
    const body = (await res.json()) as { version?: unknown };
    return typeof body.version === 'string' ? body.version : UNKNOWN_VERSION;
  } catch {
    return UNKNOWN_VERSION;
  }
}
