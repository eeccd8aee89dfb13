// What the trace knows of one Call-ID: a call, a registration, a MESSAGE or anything else with that
// Call-ID, its messages in capture order and a summary kept up to date as they arrive (DSP TRACE).
import { endsOf, firstLine, kindOf, partiesOf, type TraceKind, type TraceMessage } from './trace-message';

export interface TraceDialog {
  readonly callId: string;
  kind: TraceKind;
  /** Start line of its first message. */
  firstLine: string;
  /** From and To users of its first message held (read when first asked for: partiesOfDialog). */
  from: string | undefined;
  to: string | undefined;
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
  /** Every method, status class (1-6) and address seen, for the filters. */
  readonly methods: Set<string>;
  readonly classes: Set<number>;
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

/** Reads the From and To users of the dialog's first message held, once. */
function parties(d: TraceDialog): void {
  if (d.from !== undefined) return;
  const first = d.messages[0];
  const p = first === undefined ? { from: '', to: '' } : partiesOf(first);
  d.from = p.from;
  d.to = p.to;
}

/** Is `user` (lower-case) the Request-URI, From or To user of a message held? */
export function hasUser(d: TraceDialog, user: string): boolean {
  return d.messages.some((m) => {
    const p = partiesOf(m);
    return p.uri === user || p.from === user || p.to === user;
  });
}

export function summaryOf(d: TraceDialog): TraceDialogSummary {
  parties(d);
  return {
    callId: d.callId,
    kind: d.kind,
    firstLine: d.firstLine,
    from: d.from!,
    to: d.to!,
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
    from: undefined,
    to: undefined,
    messages: [],
    count: 0,
    startUs: m.timeUs,
    lastUs: m.timeUs,
    finalStatus: 0,
    method,
    methods: new Set(),
    classes: new Set(),
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
  const { src, dst } = endsOf(m);
  if (!d.addresses.has(src.address)) d.addresses.add(src.address);
  if (!d.addresses.has(dst.address)) d.addresses.add(dst.address);
}
