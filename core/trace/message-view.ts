// A traced message as plain data (JSON-ready) for the control contract and the Trace view: the ends,
// the arrow's label, the flags, and the whole text (UTF-8, or latin1 when it is not: sip-text.ts).
import type { TransportName } from '../sip/transport/peer';
import { sipText } from './sip-text';
import { endsOf, firstLine, label, type TraceEndpoint, type TraceMessage } from './trace-message';

export interface TraceMessageView {
  /** The trace's own capture sequence (the ring's, or trace.db's row id): a key, not shown. */
  seq: number;
  /**
   * DSP TRACE's No.: its place, from 1, in the dialog's messages as DSP TRACE CALLID= and EXP TRACE's
   * text number them; the console shows this one, so an operator reading both matches them.
   */
  no: number;
  /** Microseconds since the epoch. */
  timeUs: number;
  direction: 'in' | 'out';
  transport: TransportName;
  src: TraceEndpoint;
  dst: TraceEndpoint;
  firstLine: string;
  /** Method, or status and reason: what the ladder's arrow says. */
  label: string;
  method: string;
  status: number;
  retransmission: boolean;
  error: string | null;
  text: string;
}

/** A message as plain data; `index` its place in the dialog's messages from 0 (a map's second argument). */
export function messageView(m: TraceMessage, index: number): TraceMessageView {
  const { src, dst } = endsOf(m);
  return {
    seq: m.seq,
    no: index + 1,
    timeUs: m.timeUs,
    direction: m.direction,
    transport: m.transport,
    src: { address: src.address, port: src.port },
    dst: { address: dst.address, port: dst.port },
    firstLine: firstLine(m),
    label: label(m),
    method: m.method,
    status: m.status,
    retransmission: m.retransmission,
    error: m.error ?? null,
    text: sipText(m.data),
  };
}
