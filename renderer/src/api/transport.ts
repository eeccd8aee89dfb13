// How the console reaches the appliance. Two transports, picked once at start-up (DESIGN.md, One
// control contract, two transports): the Electron preload's window.ims, or a WebSocket to /ws of the
// headless server that served the page. Views never know which: they use the ControlClient (client.ts).
import type { ControlEventBatch, ControlResponse } from '../../../core/control/contract';

export type TransportKind = 'desktop' | 'headless';

/**
 * connected: live. reconnecting: lost, trying again. offline: several tries failed (still trying).
 * stalled: the socket is open but the appliance has answered nothing for seconds (its process stopped
 * or its event loop held): what the views show is not live, though no socket closed.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'stalled';

/** What a request says when the appliance is away: a request made then, and one pending when it went. */
export const NOT_CONNECTED = 'not connected to the appliance';
export const CONNECTION_LOST = 'the connection to the appliance was lost';

export interface Transport {
  readonly kind: TransportKind;
  /** One request; the client adds the time-out. Rejects when the connection drops before the answer. */
  request(req: Record<string, unknown>): Promise<ControlResponse>;
  onBatch(listener: (batch: ControlEventBatch) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  /**
   * When the appliance last said anything (this browser's Date.now()), null before it has: what the views
   * show is from then once the connection is lost or stalled.
   */
  readonly heardAt: number | null;
  version(): Promise<string>;
  close(): void;
}

export const UNKNOWN_VERSION = 'unknown';

/** The version the headless server reports on /healthz; unknown when the page came from elsewhere. */
export async function headlessVersion(): Promise<string> {
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    if (!res.ok) return UNKNOWN_VERSION;
    const body = (await res.json()) as { version?: unknown };
    return typeof body.version === 'string' ? body.version : UNKNOWN_VERSION;
  } catch {
    return UNKNOWN_VERSION;
  }
}

/** True inside the Electron window (the preload exposed window.ims). */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && window.ims?.platform === 'desktop';
}
