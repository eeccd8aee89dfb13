// The log lines of what the transport refuses: a connection refused before any SIP (a TLS handshake that
// failed, a WebSocket upgrade refused, a TCP connection over the limit) and a message that is no SIP it
// can take (400 naming the fault, or dropped when nothing says where to answer). Once per address and
// kind a minute, so that a scanner or a fuzzer cannot flood the log, with the counts kept in /metrics
// (sip_connections_refused_total, sip_parse_errors_total) whatever the log says.
import type { Log } from '../../observe/log';
import type { TransportName } from './peer';

const QUIET_MS = 60_000;
/** Keys remembered at most (a scan from many addresses forgets the oldest). */
const REMEMBERED = 1024;
const QUIETLY = '(more from it within a minute are counted, not logged)';

/** Says `line()` unless `key` was said within the last minute. */
function oncePerMinute(log: Log, now: () => number): (key: string, line: () => string) => void {
  const last = new Map<string, number>();
  return (key, line) => {
    const at = now();
    const before = last.get(key);
    if (before !== undefined && at - before < QUIET_MS) return;
    last.delete(key);
    last.set(key, at);
    if (last.size > REMEMBERED) last.delete(last.keys().next().value!);
    log.warning(line());
  };
}

export function refusalLogger(
  log: Log,
  now: () => number = Date.now,
): (transport: TransportName, address: string, why: string) => void {
  const say = oncePerMinute(log, now);
  return (transport, address, why) =>
    say(`${transport} ${address}`, () => {
      const what =
        transport === 'TLS'
          ? 'TLS handshake failed'
          : transport === 'TCP'
            ? 'TCP connection refused'
            : `${transport} upgrade refused`;
      return `${what} from ${address}: ${why} ${QUIETLY}`;
    });
}

/** A message refused as malformed: what was wrong, from where, and whether it was answered. */
export function malformedLogger(
  log: Log,
  now: () => number = Date.now,
): (transport: TransportName, address: string, port: number, why: string, answered: boolean) => void {
  const say = oncePerMinute(log, now);
  return (transport, address, port, why, answered) =>
    say(
      `malformed ${transport} ${address}`,
      () =>
        `SIP message from ${transport} ${address.includes(':') ? `[${address}]` : address}:${port} ${answered ? 'refused' : 'dropped'}: ${why} ${QUIETLY}`,
    );
}
