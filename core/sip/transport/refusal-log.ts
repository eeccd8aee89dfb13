// The log line of a connection refused before any SIP (a TLS handshake that failed, a WebSocket upgrade
// refused): once per address a minute, so that a scanner cannot flood the log, with the count kept in
// /metrics (sip_connections_refused_total) whatever the log says.
import type { Log } from '../../observe/log';
import type { TransportName } from './peer';

const QUIET_MS = 60_000;
/** Addresses remembered at most (a scan from many addresses forgets the oldest). */
const REMEMBERED = 1024;

export function refusalLogger(
  log: Log,
  now: () => number = Date.now,
): (transport: TransportName, address: string, why: string) => void {
  const last = new Map<string, number>();
  return (transport, address, why) => {
    const at = now();
    const key = `${transport} ${address}`;
    const before = last.get(key);
    if (before !== undefined && at - before < QUIET_MS) return;
    last.delete(key);
    last.set(key, at);
    if (last.size > REMEMBERED) last.delete(last.keys().next().value!);
    const what = transport === 'TLS' ? 'TLS handshake failed' : `${transport} upgrade refused`;
    log.warning(`${what} from ${address}: ${why} (more from it within a minute are counted, not logged)`);
  };
}
