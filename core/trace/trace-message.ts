// A SIP message as the trace keeps it: its own copy of the bytes, when and which way it crossed, both
// ends, and the few fields the index and the filters need (read once, when it is captured).
import {
  parseMessage,
  SipRequest,
  SipResponse,
  userNumber,
  type SipMessage,
  type Uri,
} from '../sip/message/index';
import type { TappedMessage, TapDirection } from '../sip/transport/message-tap';
import type { TransportName } from '../sip/transport/peer';
import { rawCallId } from './raw-call-id';
import { sentFields } from './sent-fields';
import { sipText, sipTextOfLatin1 } from './sip-text';
import { userKey } from './user-key';

export interface TraceEndpoint {
  readonly address: string;
  readonly port: number;
}

/** What a Call-ID's messages are about, from the method of its first message (by CSeq). */
export type TraceKind = 'call' | 'registration' | 'message' | 'subscription' | 'other' | 'malformed';

export interface TraceMessage {
  /** Capture order, from 1; survives nothing (a restart starts again). */
  readonly seq: number;
  /** Microseconds since the epoch. */
  readonly timeUs: number;
  readonly direction: TapDirection;
  readonly transport: TransportName;
  readonly local: TraceEndpoint;
  readonly remote: TraceEndpoint;
  readonly data: Buffer;
  /** '' when the message has none (malformed); the dialog's own copy once kept (TraceRing.add). */
  callId: string;
  /** Request method, or '' for a response. */
  readonly method: string;
  /** Response status, or 0 for a request. */
  readonly status: number;
  /** The CSeq method ('' when unreadable). */
  readonly cseqMethod: string;
  /** Request-URI, From and To users: read on first use (partiesOf), never on the hot path. */
  parties?: Parties;
  /** The same bytes were already seen in this direction with this peer (a retransmission, §17). */
  retransmission: boolean;
  /** Received and not accepted: the parse or check fault. */
  readonly error: string | undefined;
}

/** The source and destination of a message. */
export function endsOf(m: TraceMessage): { src: TraceEndpoint; dst: TraceEndpoint } {
  return m.direction === 'in' ? { src: m.remote, dst: m.local } : { src: m.local, dst: m.remote };
}

/** The start line of a message, at most `max` characters. */
export function firstLine(m: TraceMessage, max = 200): string {
  return firstLineOf(m.data, max);
}

/** As UTF-8 text when it is (a reason phrase is TEXT-UTF8, RFC 3261 §25.1), cut at a character's start. */
export function firstLineOf(data: Buffer, max = 200): string {
  let end = data.indexOf(0x0d);
  if (end < 0 || end > max) {
    end = Math.min(data.length, max);
    while (end > 0 && end < data.length && (data[end]! & 0xc0) === 0x80) end--;
  }
  return sipText(data.subarray(0, end));
}

/**
 * The arrow label: method, or status and reason. As Wireshark's and sngrep's flows do, a response to
 * another request than an INVITE names it (`200 OK (UPDATE)`: a call with PRACK, UPDATE, re-INVITEs,
 * REFER and NOTIFY had a dozen arrows reading only "200 OK"), and a message with an SDP body says so
 * (`INVITE (SDP)`, `183 Session Progress (SDP)`: where the offer and the answer are).
 */
export function label(m: TraceMessage): string {
  if (m.error !== undefined) {
    // A fault on a message we received: it did not parse; on one we sent: it never left (no connection).
    const what = m.direction === 'out' ? 'not sent' : 'malformed';
    return m.method !== '' ? `${m.method} (${what})` : what;
  }
  const sdp = carriesSdp(m.data);
  if (m.status === 0) return sdp ? `${m.method} (SDP)` : m.method;
  const line = firstLine(m, 60);
  const text = line.startsWith('SIP/2.0 ') ? line.slice(8) : String(m.status);
  const notes = m.cseqMethod !== '' && m.cseqMethod !== 'INVITE' ? [m.cseqMethod] : [];
  if (sdp) notes.push('SDP');
  return notes.length === 0 ? text : `${text} (${notes.join(', ')})`;
}

/** RFC 3261 §20.15, RFC 4566: a body, and a Content-Type (or its compact c) of application/sdp. */
function carriesSdp(data: Buffer): boolean {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0 || headEnd + 4 >= data.length) return false;
  return /\r\n(?:content-type|c)[ \t]*:[ \t]*application\/sdp\b/i.test(data.toString('latin1', 0, headEnd));
}

export function kindOf(method: string): TraceKind {
  switch (method) {
    case 'INVITE':
    case 'ACK':
    case 'BYE':
    case 'CANCEL':
    case 'PRACK':
    case 'UPDATE':
      return 'call';
    case 'REGISTER':
      return 'registration';
    case 'MESSAGE':
      return 'message';
    case 'SUBSCRIBE': // RFC 6665 (a reg event watch, presence...), and the NOTIFYs of one
    case 'NOTIFY':
    case 'PUBLISH':
      return 'subscription';
    default:
      return 'other';
  }
}

/** The user parts of a message's Request-URI, From and To (lower-case; '' when absent or unreadable). */
export interface Parties {
  uri: string;
  from: string;
  to: string;
}

/**
 * The user part of a URI (a SIP/SIPS URI's user, a TEL URI's number, a number as routing reads it: no
 * visual separators or parameters, phone-number.ts; '' for none). The URI comes parsed
 * from a name-addr (RFC 3261 §25.1: a quoted display-name may hold `<` or `sip:`, which name nobody).
 */
function userOf(uri: () => Uri): string {
  try {
    const u = uri();
    return userNumber(u, userKey);
  } catch {
    return ''; // that header or URI does not parse: no user is read from it
  }
}

const NO_PARTIES: Parties = { uri: '', from: '', to: '' };

/** The parties of a kept message, read from its bytes the first time they are asked for. */
export function partiesOf(m: TraceMessage): Parties {
  return (m.parties ??= partiesOfData(m.data));
}

/** The parties read from a message's bytes. */
export function partiesOfData(data: Buffer): Parties {
  const parsed = data.length > 0 ? parseMessage(data) : undefined;
  const msg = parsed === undefined ? undefined : 'isSipParseError' in parsed ? parsed.partial : parsed;
  if (msg === undefined) return NO_PARTIES;
  return {
    uri: msg instanceof SipRequest ? userOf(() => msg.requestUri) : '',
    from: userOf(() => msg.from.uri),
    to: userOf(() => msg.to.uri),
  };
}

export interface Fields {
  callId: string;
  method: string;
  status: number;
  cseqMethod: string;
}

const NONE: Fields = { callId: '', method: '', status: 0, cseqMethod: '' };

/**
 * Reads the indexed fields; a header that does not decode leaves its field empty. A received message's
 * Call-ID and CSeq were decoded (and cached) by the transport's checks already.
 */
function fieldsOf(msg: SipMessage | undefined): Fields {
  if (msg === undefined) return NONE;
  let callId = '';
  let cseqMethod = '';
  try {
    callId = msg.callId;
    cseqMethod = msg.cseq.method;
  } catch {
    // a malformed message: what could be read is kept
  }
  if (msg instanceof SipRequest) return { callId, method: msg.method, status: 0, cseqMethod };
  return { callId, method: '', status: msg instanceof SipResponse ? msg.status : 0, cseqMethod };
}

/**
 * The indexed fields of a tapped message: a received one's from the transport's parse, a sent one's read
 * from its bytes (sent-fields.ts), parsed here only when that reading gives up. The Call-ID as text: a
 * parsed one is ASCII (§25.1 word); one read from the bytes of a message that did not parse is shown and
 * looked up as UTF-8 when it is (§7.3.1; `a\u00e2\u0080\u00aeb` was listed for a Call-ID holding U+202E).
 */
export function fieldsFor(t: TappedMessage): Fields {
  const f = indexedFields(t);
  const callId = sipTextOfLatin1(f.callId);
  return callId === f.callId ? f : { ...f, callId };
}

function indexedFields(t: TappedMessage): Fields {
  if (t.message !== undefined || t.error !== undefined || t.data.length === 0) {
    const f = fieldsOf(t.message);
    if (t.error === undefined || f.callId !== '') return f;
    // Not parsed: what can be read from its bytes (a fault elsewhere than its start line and CSeq
    // still leaves those), else at least its Call-ID.
    return sentFields(t.data) ?? { ...f, callId: rawCallId(t.data) };
  }
  return sentFields(t.data) ?? fieldsOf(parsedSent(t.data));
}

/** A sent message parsed (as far as it goes, when it does not parse whole). */
function parsedSent(data: Buffer): SipMessage | undefined {
  const parsed = parseMessage(data);
  return 'isSipParseError' in parsed ? parsed.partial : parsed;
}

const METHODS = new Map(
  ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']
    .concat(['PUBLISH', 'INFO', 'REFER', 'MESSAGE'])
    .map((m) => [m, m]),
);

/** The one string of a known method (a parsed method is a string of its own per message). */
export function knownMethod(method: string): string {
  return METHODS.get(method) ?? method;
}

/**
 * A tapped message as the trace passes it on when the ring is off: the tap's bytes, lent and valid only
 * during the tap's call (trace.db's batch copies them, HEP sends them at once). The ring keeps its own
 * (TraceRing.add).
 */
export function captured(seq: number, t: TappedMessage): TraceMessage {
  const data = t.data;
  const f = fieldsFor(t);
  return {
    seq,
    timeUs: t.timeUs,
    direction: t.direction,
    transport: t.transport,
    // The transport's own endpoint object: fixed once it listens.
    local: t.local,
    remote: { address: t.remote.address, port: t.remote.port },
    data,
    callId: f.callId,
    method: f.method,
    status: f.status,
    cseqMethod: f.cseqMethod !== '' ? f.cseqMethod : f.method,
    retransmission: false,
    error: t.error,
  };
}

/**
 * Bytes a held message costs beyond its data, in the JS heap: its record (HeldMessage, 160 B on 64-bit
 * Node without pointer compression), its remote end, its time (a heap number).
 * Measured by tests/bench/trace-overhead.ts (heap held by 100,000 messages in 10 dialogs after a full GC,
 * divided by 100,000): 236 B with Node 20.
 */
export const RECORD_OVERHEAD_BYTES = 240;
