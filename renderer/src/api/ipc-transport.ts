// The desktop transport: the preload's window.ims (Electron IPC). Always connected while the window
// lives; main validates every request with the same validateRequest as the WebSocket.
import type { ControlEventBatch } from '../../../core/control/contract';
import type { ConnectionState, Transport } from './transport';

export function ipcTransport(ims: ImsDesktopApi): Transport {
  return {
    kind: 'desktop',
    state: 'connected',
    // Always connected: the data shown is never stale.
    heardAt: null,
    request: (req) => ims.invoke(req),
    onBatch(listener: (batch: ControlEventBatch) => void) {
      const off = ims.subscribe(listener);
      return () => off();
    },
    onState(listener: (state: ConnectionState) => void) {
      listener('connected');
      return () => undefined;
    },
    version: () => ims.version(),
    close: () => undefined,
  };
}
