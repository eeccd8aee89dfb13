// What the trace knows of one Call-ID: a call, a registration, a MESSAGE or anything else with that
// Call-ID, its messages in capture order and a summary kept up to date as they arrive (DSP TRACE).
import { endsOf, firstLine, kindOf, type TraceKind, type TraceMessage } from './trace-message';

export interface TraceDialog {
  readonly callId: string;
  kind: TraceKind;
  /** Start line of its first message. */
  firstLine: string;
  /** From and To users of its first request (lower-case; '' when unknown). */
  from: string;
  to: string;
  /** Messages still held, oldest first. */
  readonly messages: TraceMessage[];
  /** Messages ever captured for it (held ones plus those the ring let go). */
  count: number;
  startUs: number;
  lastUs: number;
  /** Latest final status to its first method (0: none yet). */
  finalStatus: number;
  /** The method its first message is about (CSeq method). */
  method: string;
  /** Every method, status class (1-6), user and address seen, for the filters. */
  readonly methods: Set<string>;
  readonly classes: Set<number>;
  readonly users: Set<string>;
  readonly addresses: Set<string>;
}

/** The summary as a plain object (for the control contract and the console). */
export interface TraceDialogSummary {
  callId: string;
  kind: TraceKind;
  firstLine: string;
  from: string;
  to: string;
  messages: number;
  startUs: number;
  lastUs: number;
  finalStatus: number;
}

export function summaryOf(d: TraceDialog): TraceDialogSummary {
  return {
    callId: d.callId,
    kind: d.kind,
    firstLine: d.firstLine,
    from: d.from,
    to: d.to,
    messages: d.count,
    startUs: d.startUs,
    lastUs: d.lastUs,
    finalStatus: d.finalStatus,
  };
}

export function newDialog(m: TraceMessage): TraceDialog {
  const method = m.cseqMethod !== '' ? m.cseqMethod : m.method;
  return {
    callId: m.callId,
    kind: m.error !== undefined && m.callId === '' ? 'malformed' : kindOf(method),
    firstLine: firstLine(m),
    from: '',
    to: '',
    messages: [],
    count: 0,
    startUs: m.timeUs,
    lastUs: m.timeUs,
    finalStatus: 0,
    method,
    methods: new Set(),
    classes: new Set(),
    users: new Set(),
    addresses: new Set(),
  };
}

/** Adds a message to its dialog: marks it a retransmission when the same bytes went the same way before. */
export function addMessage(d: TraceDialog, m: TraceMessage): void {
  // Retransmissions follow closely: the last few messages are enough (and keep a long dialog cheap).
  const oldest = Math.max(0, d.messages.length - 32);
  for (let i = d.messages.length - 1; i >= oldest; i--) {
    const o = d.messages[i]!;
    if (
      o.direction === m.direction &&
      o.data.length === m.data.length &&
      o.remote.port === m.remote.port &&
      o.remote.address === m.remote.address &&
      o.data.equals(m.data)
    ) {
      m.retransmission = true;
      break;
    }
  }
  d.messages.push(m);
  d.count++;
  d.lastUs = m.timeUs;
  if (m.method !== '') d.methods.add(m.method);
  if (m.status > 0) {
    d.classes.add(Math.floor(m.status / 100));
    if (m.status >= 200 && m.cseqMethod === d.method) d.finalStatus = m.status;
  }
  if (d.from === '' && d.to === '') {
    d.from = m.fromUser;
    d.to = m.toUser;
  }
  if (m.uriUser !== '') d.users.add(m.uriUser);
  if (m.fromUser !== '') d.users.add(m.fromUser);
  if (m.toUser !== '') d.users.add(m.toUser);
  const { src, dst } = endsOf(m);
  d.addresses.add(src.address);
  d.addresses.add(dst.address);
}
