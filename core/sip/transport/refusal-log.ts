// The log lines of what the transport refuses: a connection refused before any SIP (a TLS handshake that
// failed, a WebSocket upgrade refused, a TCP connection over the limit) and a message that is no SIP it
// can take (400 naming the fault, or dropped when nothing says where to answer). Once per address and
// kind a minute, so that a scanner or a fuzzer cannot flood the log, with the counts kept in /metrics
// (sip_connections_refused_total, sip_parse_errors_total) whatever the log says. And at most
// LINES_PER_MINUTE of a kind from all addresses: UDP sources are free to forge, and 12,000 datagrams from
// 12,000 addresses (2.4 s) wrote 12,000 WARNINGs, pushing a lock-out out of DSP LOG and the Logs view. The
// rest are counted and summed up in one WARNING when the minute ends.
import type { Log } from '../../observe/log';
import type { TransportName } from './peer';
import { addressPort } from '../../address-port';

const QUIET_MS = 60_000;
/** Keys remembered at most (a scan from many addresses forgets the oldest). */
const REMEMBERED = 1024;
const QUIETLY = '(more from it within a minute are counted, not logged)';
/** Addresses counted in a summary at most (then "65536+"). */
const COUNTED_ADDRESSES = 65_536;
/** Lines of a kind a minute at most, from all addresses together. */
export const LINES_PER_MINUTE = 100;

/**
 * Says `line()` unless `key` was said within the last minute, or LINES_PER_MINUTE lines of the kind were
 * said this minute (then counted, with their addresses, and summed up in one line as the minute ends).
 */
function oncePerMinute(log: Log, now: () => number, kind: string): (key: string, line: () => string) => void {
  const last = new Map<string, number>();
  let windowStart = -Infinity;
  let said = 0;
  let unsaid = 0;
  const unsaidFrom = new Set<string>();
  const summary = (): void => {
    if (unsaid === 0) return;
    const from = unsaidFrom.size >= COUNTED_ADDRESSES ? `${COUNTED_ADDRESSES}+` : String(unsaidFrom.size);
    log.warning(
      `${unsaid} more ${kind} from ${from} address(es) within a minute were counted, not logged (more than ${LINES_PER_MINUTE} a minute from all addresses)`,
    );
    unsaid = 0;
    unsaidFrom.clear();
  };
  return (key, line) => {
    const at = now();
    const before = last.get(key);
    if (before !== undefined && at - before < QUIET_MS) return;
    if (at - windowStart >= QUIET_MS) {
      summary();
      windowStart = at;
      said = 0;
    }
    if (said >= LINES_PER_MINUTE) {
      if (unsaid === 0) setTimeout(summary, windowStart + QUIET_MS - at).unref();
      unsaid++;
      if (unsaidFrom.size < COUNTED_ADDRESSES) unsaidFrom.add(key);
      return;
    }
    said++;
    last.delete(key);
    last.set(key, at);
    if (last.size > REMEMBERED) last.delete(last.keys().next().value!);
    log.warning(line());
  };
}

/** How an accepted TCP or TLS connection that never sent anything is said to be closed (tcp.ts). */
export const SENT_NOTHING = 'sent nothing within';

export function refusalLogger(
  log: Log,
  now: () => number = Date.now,
): (transport: TransportName, address: string, why: string) => void {
  const say = oncePerMinute(log, now, 'refused connections');
  return (transport, address, why) =>
    say(`${transport} ${address}`, () => {
      const what = why.startsWith(SENT_NOTHING)
        ? `${transport} connection closed`
        : transport === 'TLS'
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
  const say = oncePerMinute(log, now, 'malformed SIP messages');
  return (transport, address, port, why, answered) =>
    say(
      `malformed ${transport} ${address}`,
      () =>
        `SIP message from ${transport} ${addressPort(address, port)} ${answered ? 'refused' : 'dropped'}: ${why} ${QUIETLY}`,
    );
}
