// RFC 3261 §17 and Table 4 (with RFC 6026's L and M): every transaction timer derives from T1, T2
// and T4. Unreliable transports retransmit and linger; reliable ones do neither (D, I, J, K are 0).
import type { TransportName } from '../transport/peer';

export interface TimerBase {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  t2: number;
  /** Maximum time a message stays in the network, default 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: TimerBase = { t1: 500, t2: 4000, t4: 5000 };

/** The values for the current base, computed once per change of T1/T2/T4 (one object per transaction
 * would cost ~200 bytes each with tens of thousands alive). */
const cache = new Map<string, ReturnType<typeof compute>>();
let last:
  | { t1: number; t2: number; t4: number; transport: TransportName; values: ReturnType<typeof compute> }
  | undefined;

export function timerValues(base: TimerBase, transport: TransportName) {
  // Nearly every transaction asks for the values it asked for last: no key string for those.
  const l = last;
  if (
    l !== undefined &&
    l.t1 === base.t1 &&
    l.t2 === base.t2 &&
    l.t4 === base.t4 &&
    l.transport === transport
  )
    return l.values;
  const k = `${base.t1},${base.t2},${base.t4},${transport}`;
  let v = cache.get(k);
  if (v === undefined) {
    if (cache.size > 64) cache.clear();
    v = compute(base, transport);
    cache.set(k, v);
  }
  last = { t1: base.t1, t2: base.t2, t4: base.t4, transport, values: v };
  return v;
}

function compute(base: TimerBase, transport: TransportName) {
  const unreliable = transport === 'UDP';
  const t64 = 64 * base.t1;
  return {
    /** INVITE retransmit, initially T1, doubling (unreliable only). */
    A: base.t1,
    /** INVITE transaction timeout. */
    B: t64,
    /** Wait for response retransmissions after a non-2xx final (≥ 32 s unreliable). */
    D: unreliable ? Math.max(32_000, t64) : 0,
    /** Non-INVITE retransmit, initially T1, doubling up to T2 (unreliable only). */
    E: base.t1,
    /** Non-INVITE transaction timeout. */
    F: t64,
    /** INVITE final response retransmit, initially T1, doubling up to T2 (unreliable only). */
    G: base.t1,
    /** Wait for ACK. */
    H: t64,
    /** Wait for ACK retransmissions. */
    I: unreliable ? base.t4 : 0,
    /** Wait for non-INVITE request retransmissions. */
    J: unreliable ? t64 : 0,
    /** Wait for response retransmissions (non-INVITE client). */
    K: unreliable ? base.t4 : 0,
    /** RFC 6026: INVITE server stays Accepted to absorb INVITE retransmissions. */
    L: t64,
    /** RFC 6026: INVITE client stays Accepted to pass on 2xx retransmissions. */
    M: t64,
    unreliable,
    t2: base.t2,
  };
}

export type TimerValues = Readonly<ReturnType<typeof compute>>;
