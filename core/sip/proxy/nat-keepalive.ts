// Keep-alives to phones behind a NAT (REG.NAT_KEEPALIVE, as Kamailio's nathelper natping): a NAT forgets
// a UDP mapping after some tens of seconds without traffic, and a phone that registered for an hour
// through it cannot be called once it has: the INVITE sent to the address its REGISTER came from
// (binding-target.ts) meets a closed door, and the caller gets 408 or 480. Every interval, each such
// phone's address gets a datagram of four bytes, CRLF CRLF (RFC 5626 §3.5.1's keep-alive; RFC 3261 §7.5:
// empty lines before a message are ignored, so a phone takes it for nothing), which the NAT counts as
// traffic. The pings of one interval are spread over its seconds, not sent in one burst.
// Not pinged: phones reached at their Contact (no NAT between), over a connection (TCP, TLS, WS, WSS
// keep their own), over a SIP Outbound flow (the UA keeps it alive itself, RFC 5626 §4.4, asked to by
// Flow-Timer) or through a Path (the edge proxy in front does the NAT work).
import type { Binding } from '../registrar/binding';
import { isFlow } from '../registrar/outbound';
import type { Peer } from '../transport/peer';
import type { Target } from './binding-target';

/** RFC 5626 §3.5.1: the double-CRLF keep-alive. */
export const KEEPALIVE = Buffer.from('\r\n\r\n', 'latin1');

export interface NatKeepaliveDeps {
  /** Every AOR's bindings (the location service's entries). */
  bindings(): Iterable<[string, Binding[]]>;
  /** Where a request for the binding would go (the proxy's target set, with its local networks). */
  target(b: Binding): Target | undefined;
  /** Sends the keep-alive, not through the SIP trace (it is no SIP message). */
  send(data: Buffer, to: Peer): void;
  /** The interval in seconds (REG.NAT_KEEPALIVE); 0 sends none. */
  intervalS(): number;
}

export class NatKeepalive {
  private queue: Peer[] = [];
  private next = 0;
  private perTick = 0;
  private ticksLeft = 0;
  /** Keep-alives sent since the start. */
  sent = 0;

  constructor(private readonly deps: NatKeepaliveDeps) {}

  /** Once a second: the next share of this interval's pings, the list of NATed phones made anew each interval. */
  tick(): void {
    const interval = this.deps.intervalS();
    if (interval <= 0) {
      this.queue = [];
      this.ticksLeft = 0;
      return;
    }
    if (this.ticksLeft <= 0 || this.ticksLeft > interval) this.startRound(interval);
    this.ticksLeft--;
    const end = Math.min(this.queue.length, this.next + this.perTick);
    for (; this.next < end; this.next++) {
      this.deps.send(KEEPALIVE, this.queue[this.next]!);
      this.sent++;
    }
  }

  /** The addresses of the phones behind a NAT reached over UDP, once each. */
  private startRound(interval: number): void {
    const seen = new Set<string>();
    const queue: Peer[] = [];
    for (const [, bindings] of this.deps.bindings())
      for (const b of bindings) {
        if (b.transport !== 'UDP' || b.path !== undefined || isFlow(b)) continue;
        const t = this.deps.target(b);
        if (t?.nat !== true || t.hop.transport !== 'UDP') continue;
        const key = `${t.hop.address} ${t.hop.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(t.hop);
      }
    this.queue = queue;
    this.next = 0;
    this.perTick = Math.ceil(queue.length / interval);
    this.ticksLeft = interval;
  }
}
