// What the trace knows of one Call-ID: a call, a registration, a MESSAGE or anything else with that
// Call-ID, its messages in capture order and a summary kept up to date as they arrive (DSP TRACE). A ring
// forgets thousands of dialogs a second under load, so a dialog is a few fields: what the filters look
// for is kept in bit masks and in two address fields rather than in sets, its messages are a list through
// the ring's reused records rather than an array, and its first line is read from its first message until
// the ring lets that go.
import type { HeldMessage } from './held-message';
import { endsOf, firstLine, kindOf, partiesOf, type TraceKind, type TraceMessage } from './trace-message';

export interface TraceDialog {
  /** Changes when the ring forgets the dialog (and keeps its record to reuse for another Call-ID). */
  serial: number;
  callId: string;
  kind: TraceKind;
  /** Start line of its first message, once the ring let that go (dialogFirstLine). */
  firstLine: string | undefined;
  /** From and To users of its first message held (read when first asked for: partiesOfDialog). */
  from: string | undefined;
  to: string | undefined;
  /** Messages still held: the oldest and the newest of a list through them (heldMessages), and how many. */
  first: HeldMessage | undefined;
  last: HeldMessage | undefined;
  held: number;
  /** Messages ever captured for it (held ones plus those the ring let go). */
  count: number;
  startUs: number;
  lastUs: number;
  /** Latest final status to its first method (0: none yet), a 2xx kept once seen (see answered). */
  finalStatus: number;
  /** The method its first message is about (CSeq method). */
  method: string;
  /** Every method (a bit per known method, others listed), status class (bit 1-6) and address seen. */
  methodBits: number;
  otherMethods: string[] | undefined;
  classBits: number;
  address1: string;
  address2: string;
  otherAddresses: string[] | undefined;
}

const METHOD_BITS = new Map(
  ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']
    .concat(['PUBLISH', 'INFO', 'REFER', 'MESSAGE'])
    .map((m, i) => [m, 1 << i]),
);

/** Was a request of this method (upper-case) seen in the dialog? */
export function hasMethod(d: TraceDialog, method: string): boolean {
  const bit = METHOD_BITS.get(method);
  return bit !== undefined ? (d.methodBits & bit) !== 0 : (d.otherMethods?.includes(method) ?? false);
}

/** Was a response of this class (1 for 1xx ... 6 for 6xx) seen in the dialog? */
export function hasClass(d: TraceDialog, statusClass: number): boolean {
  return statusClass >= 1 && statusClass <= 6 && (d.classBits & (1 << statusClass)) !== 0;
}

/** Did a message of the dialog come from or go to this address? */
export function hasAddress(d: TraceDialog, address: string): boolean {
  return d.address1 === address || d.address2 === address || (d.otherAddresses?.includes(address) ?? false);
}

/** Did a message of it come from or go to address:port (either end: a peer's, or ours)? */
export function hasEndpoint(d: TraceDialog, address: string, port: number): boolean {
  for (let m = d.first; m !== undefined; m = m.next) {
    if (m.remote.port === port && m.remote.address === address) return true;
    if (m.local.port === port && m.local.address === address) return true;
  }
  return false;
}

function addAddress(d: TraceDialog, address: string): void {
  if (hasAddress(d, address)) return;
  if (d.address1 === '') d.address1 = address;
  else if (d.address2 === '') d.address2 = address;
  else (d.otherAddresses ??= []).push(address);
}

/** The start line of the dialog's first message. */
export function dialogFirstLine(d: TraceDialog): string {
  return d.firstLine ?? (d.first === undefined ? '' : firstLine(d.first));
}

/** The messages held, oldest first. */
export function heldMessages(d: TraceDialog): HeldMessage[] {
  const out: HeldMessage[] = [];
  for (let m = d.first; m !== undefined; m = m.next) out.push(m);
  return out;
}

/** The ring lets go of one of the dialog's messages (its oldest): the first line is kept if it was the first. */
export function removeMessage(d: TraceDialog, m: HeldMessage): void {
  if (m === d.first && d.firstLine === undefined && d.held > 1) d.firstLine = firstLine(m);
  if (m.prev !== undefined) m.prev.next = m.next;
  else d.first = m.next;
  if (m.next !== undefined) m.next.prev = m.prev;
  else d.last = m.prev;
  m.prev = m.next = undefined;
  d.held--;
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
  /** The trace has let the dialog go (the ring full, no trace.db): a live list drops it. */
  gone?: true;
}

/** Reads the From and To users of the dialog's first message held, once. */
function parties(d: TraceDialog): void {
  if (d.from !== undefined) return;
  const first = d.first;
  const p = first === undefined ? { from: '', to: '' } : partiesOf(first);
  d.from = p.from;
  d.to = p.to;
}

/** Is `user` (lower-case) the Request-URI, From or To user of a message held? */
export function hasUser(d: TraceDialog, user: string): boolean {
  for (let m = d.first; m !== undefined; m = m.next) {
    const p = partiesOf(m);
    if (p.uri === user || p.from === user || p.to === user) return true;
  }
  return false;
}

export function summaryOf(d: TraceDialog): TraceDialogSummary {
  parties(d);
  return {
    callId: d.callId,
    kind: d.kind,
    firstLine: dialogFirstLine(d),
    from: d.from!,
    to: d.to!,
    messages: d.count,
    startUs: d.startUs,
    lastUs: d.lastUs,
    finalStatus: d.finalStatus,
  };
}

/** The dialog a message starts, in `reuse` when given (a record the ring forgot, its serial changed). */
export function newDialog(m: TraceMessage, reuse?: TraceDialog): TraceDialog {
  const method = m.cseqMethod !== '' ? m.cseqMethod : m.method;
  const kind = m.error !== undefined && m.callId === '' ? 'malformed' : kindOf(method);
  if (reuse === undefined) {
    return {
      serial: 0,
      callId: m.callId,
      kind,
      firstLine: undefined,
      from: undefined,
      to: undefined,
      first: undefined,
      last: undefined,
      held: 0,
      count: 0,
      startUs: m.timeUs,
      lastUs: m.timeUs,
      finalStatus: 0,
      method,
      methodBits: 0,
      otherMethods: undefined,
      classBits: 0,
      address1: '',
      address2: '',
      otherAddresses: undefined,
    };
  }
  // Field by field: the ring reuses a dialog per Call-ID, thousands a second (no object to copy from).
  const d = reuse;
  d.callId = m.callId;
  d.kind = kind;
  d.firstLine = d.from = d.to = undefined;
  d.first = d.last = undefined;
  d.held = d.count = d.finalStatus = d.methodBits = d.classBits = 0;
  d.startUs = d.lastUs = m.timeUs;
  d.method = method;
  d.otherMethods = d.otherAddresses = undefined;
  d.address1 = d.address2 = '';
  return d;
}

/**
 * Was the call answered before this later non-2xx final came? A forked INVITE (RFC 3261 §16.7) ends with
 * a 2xx from one branch and 487s to the CANCELs of the others: the caller's call was answered.
 */
export function answered(kept: number, later: number): boolean {
  return kept >= 200 && kept < 300 && !(later >= 200 && later < 300);
}

/**
 * The final status a dialog keeps (`kept`) once this message is added: a request of the dialog's first
 * method after a 401 or 407 to it is that request retried with credentials (RFC 3261 §22.2, §22.3), so
 * the challenge was not the dialog's final answer (a call that rings after its 407 has none yet); a
 * final answer to that method is, unless the call was answered before it (see answered). A message kept
 * with a fault (`error`: refused 400 or dropped, never relayed) answered nobody: a malformed 200 a callee
 * sent before its call was cancelled made the dialog "200" for good. Nor did a 2xx received once the
 * dialog had failed (a callee's 200 after its 487 was ACKed, never relayed): one that reached the caller
 * counts when IMS Lab sends it on (`out`), as a forked call's answer after another branch's 487 does.
 */
export function finalStatusAfter(
  kept: number,
  dialogMethod: string,
  m: { method: string; status: number; cseqMethod: string; direction: string; error?: string | undefined },
): number {
  if (m.error !== undefined) return kept;
  if (m.direction === 'in' && m.status >= 200 && m.status < 300 && kept >= 300) return kept;
  if (m.status === 0) return (kept === 401 || kept === 407) && m.method === dialogMethod ? 0 : kept;
  return m.status >= 200 && m.cseqMethod === dialogMethod && !answered(kept, m.status) ? m.status : kept;
}

/** Adds a message to its dialog: marks it a retransmission when the same bytes went the same way before. */
export function addMessage(d: TraceDialog, m: HeldMessage): void {
  // Retransmissions follow closely: the last few messages are enough (and keep a long dialog cheap).
  const length = m.end - m.start;
  let o = d.last;
  for (let i = 0; i < 32 && o !== undefined; i++, o = o.prev) {
    if (
      o.direction === m.direction &&
      o.end - o.start === length &&
      o.remote.port === m.remote.port &&
      o.remote.address === m.remote.address &&
      m.chunk.compare(o.chunk, o.start, o.end, m.start, m.end) === 0
    ) {
      m.retransmission = true;
      break;
    }
  }
  m.prev = d.last;
  m.next = undefined;
  if (d.last !== undefined) d.last.next = m;
  else d.first = m;
  d.last = m;
  d.held++;
  d.count++;
  d.lastUs = m.timeUs;
  if (m.method !== '' && !hasMethod(d, m.method)) {
    const bit = METHOD_BITS.get(m.method);
    if (bit !== undefined) d.methodBits |= bit;
    else (d.otherMethods ??= []).push(m.method);
  }
  if (m.status > 0) {
    const statusClass = Math.floor(m.status / 100);
    if (statusClass >= 1 && statusClass <= 6) d.classBits |= 1 << statusClass;
  }
  d.finalStatus = finalStatusAfter(d.finalStatus, d.method, m);
  const { src, dst } = endsOf(m);
  addAddress(d, src.address);
  addAddress(d, dst.address);
}
