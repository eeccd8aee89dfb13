// Keep-alives to phones behind a NAT (REG.NAT_KEEPALIVE, as Kamailio's nathelper natping): a NAT forgets
// a UDP mapping after some tens of seconds without traffic, and a phone that registered for an hour
// through it cannot be called once it has: the INVITE sent to the address its REGISTER came from
// (binding-target.ts) meets a closed door, and the caller gets 408 or 480. Every interval, each such
// phone's address gets a datagram of four bytes, CRLF CRLF (RFC 5626 §3.5.1's keep-alive; RFC 3261 §7.5:
// empty lines before a message are ignored, so a phone takes it for nothing), which the NAT counts as
// traffic. The bindings are read a slice a second (MIN_SCAN or more), not all at once every interval.
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

/**
 * Bindings looked at in one tick at least: the list of a round is made a slice a second, not at once
 * (100,000 bindings read at once held the event loop ~200 ms every interval).
 */
export const MIN_SCAN = 2000;

export class NatKeepalive {
  private round: Iterator<[string, Binding[]]> | undefined;
  /** Addresses pinged this round (one phone with several lines is pinged once). */
  private readonly seen = new Set<string>();
  private ticks = 0;
  private nextRoundAt = 0;
  /** Bindings the last round looked at, and this one so far: how much a tick reads. */
  private lastCount = 0;
  private count = 0;
  /** Keep-alives sent since the start. */
  sent = 0;

  constructor(private readonly deps: NatKeepaliveDeps) {}

  /**
   * Once a second: the next slice of the bindings (at least MIN_SCAN, enough to go round them in an
   * interval), each phone behind a NAT in it pinged; a new round every interval.
   */
  tick(): void {
    const interval = this.deps.intervalS();
    this.ticks++;
    if (interval <= 0) {
      this.round = undefined;
      return;
    }
    if (this.round === undefined) {
      // A round every interval, and at once when the interval was just made shorter.
      if (this.ticks < this.nextRoundAt && this.nextRoundAt - this.ticks <= interval) return;
      this.round = this.deps.bindings()[Symbol.iterator]();
      this.seen.clear();
      this.count = 0;
      this.nextRoundAt = this.ticks + interval;
    }
    const budget = Math.max(MIN_SCAN, Math.ceil(this.lastCount / interval));
    for (let read = 0; read < budget;) {
      const next = this.round.next();
      if (next.done === true) {
        this.round = undefined;
        this.lastCount = this.count;
        return;
      }
      for (const b of next.value[1]) {
        read++;
        this.count++;
        this.ping(b);
      }
    }
  }

  /** A phone behind a NAT reached over UDP, once a round. */
  private ping(b: Binding): void {
    if (b.transport !== 'UDP' || b.path !== undefined || isFlow(b)) return;
    const t = this.deps.target(b);
    if (t?.nat !== true || t.hop.transport !== 'UDP') return;
    const key = `${t.hop.address} ${t.hop.port}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.deps.send(KEEPALIVE, t.hop);
    this.sent++;
  }
}
