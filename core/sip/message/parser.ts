// Parses one SIP message from bytes (RFC 3261 §7): a UDP datagram, or one message a stream framer cut
// out. Returns a message or a typed SipParseError, never throws and never loops without consuming.
// What it checks itself: framing and Content-Length (§18.3, §20.14), the start line (§7.1, §7.2),
// header line syntax (§7.3), single-valued headers appearing once (§7.3.1: those a transaction or the
// framing reads; header-names.ts DUPLICATE_ON_USE for the others), mandatory headers (§8.1.1)
// and CSeq against the method (§8.1.1.5). Header values are decoded later, on use (checkMessage()
// decodes the ones IMS Lab acts on, at once).
import { TOKEN } from './chars';
import { SipParseError } from './errors';
import {
  DUPLICATE_ON_USE,
  SINGLE_VALUED_BIT,
  canonicalName,
  displayName,
  knownNameAt,
  presenceBit,
} from './header-names';
import { HeaderField, SipRequest, SipResponse, type SipMessage } from './message';
import { contentLengthAt, parseContentLength } from './scalar-headers';

export interface ParseOptions {
  /** Largest message accepted, in bytes (default 65,535: the largest UDP payload). */
  maxSize?: number;
  /**
   * Stream framing (TCP, TLS): Content-Length is mandatory and bytes after the body are not ours.
   * Datagram framing (default): a missing Content-Length means the body runs to the end (§18.3),
   * and octets beyond Content-Length are ignored (RFC 4475 §3.1.1.8).
   */
  stream?: boolean;
}

export const DEFAULT_MAX_SIZE = 65535;

const TO = SINGLE_VALUED_BIT.to!;
const FROM = SINGLE_VALUED_BIT.from!;
const CALL_ID = SINGLE_VALUED_BIT['call-id']!;
const CSEQ = SINGLE_VALUED_BIT.cseq!;
const CONTENT_LENGTH = SINGLE_VALUED_BIT['content-length']!;
const MANDATORY = TO | FROM | CALL_ID | CSEQ;

function fail(kind: SipParseError['kind'], reason: string, status = 400, header?: string): SipParseError {
  return new SipParseError(kind, reason, status, header);
}

/** Is b[from, to) "SIP/2.0" ("SIP" case-insensitive, as ABNF literals are)? */
function isSip20(b: Uint8Array, from: number, to: number): boolean {
  return (
    to - from === 7 &&
    (b[from]! | 0x20) === 0x73 &&
    (b[from + 1]! | 0x20) === 0x69 &&
    (b[from + 2]! | 0x20) === 0x70 &&
    b[from + 3] === 0x2f &&
    b[from + 4] === 0x32 &&
    b[from + 5] === 0x2e &&
    b[from + 6] === 0x30
  );
}

/** A header value with its folding replaced by one SP (§7.3.1). */
function unfolded(raw: string): string {
  return raw.replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** The version-mismatch case: "SIP/" 1*DIGIT "." 1*DIGIT that is not 2.0 gets 505 (§8.2.2 / §21.5.7). */
function versionError(version: string, what: string): SipParseError {
  return /^SIP\/\d+\.\d+$/i.test(version)
    ? fail('version', 'Version Not Supported', 505)
    : fail('start-line', `Malformed ${what}: bad SIP-Version`);
}

/** Parses one message; see ParseOptions for the framing rules. */
export function parseMessage(buf: Buffer, options: ParseOptions = {}): SipMessage | SipParseError {
  try {
    return parse(buf, options);
  } catch (err) {
    if (err instanceof SipParseError) return err;
    // A defect in this parser must never take the process down; tests assert this reason never appears.
    return fail('header', 'Unparseable message');
  }
}

/**
 * Messages up to this size are decoded to text whole, and the header loop finds the blank line itself;
 * larger ones have it searched in the bytes first, so that a large body is not decoded.
 */
const WHOLE_TEXT_MAX = 4096;

/** Where the header section ends (at its blank line) in buf, or -1: "\r\n\r\n" or, for bare-LF messages, "\n\n". */
function headEndIn(buf: Buffer, firstLf: number, crlf: boolean): number {
  return crlf ? buf.indexOf('\r\n\r\n', firstLf - 1, 'latin1') : buf.indexOf('\n\n', firstLf, 'latin1');
}

/** A message cut short (no blank line, and not a datagram ending with a whole line) is reported as such. */
function isIncomplete(buf: Buffer, firstLf: number, crlf: boolean, stream: boolean | undefined): boolean {
  return headEndIn(buf, firstLf, crlf) < 0 && (stream === true || buf[buf.length - 1] !== 0x0a);
}

/** The first LF of a message's text that starts at buf[begin], as an offset in buf; -1 when none. */
function lineFeedIn(text: string, begin: number): number {
  const lf = text.indexOf('\n');
  return lf < 0 ? -1 : begin + lf;
}

const INCOMPLETE = 'Incomplete message: no blank line after the headers';

const BLANK_LINE = Buffer.from('\r\n');

/**
 * §21.5.14: a message over the size limit. Its header section is read as far as it goes, so that a
 * request gets its 513 (a WebSocket frame is one message: the connection and the browser's registration
 * on it stay): whole when it fits within the limit, else its complete lines within the limit (a header
 * section alone over the limit still has its Via, From, To, Call-ID and CSeq near the top).
 */
function tooLarge(buf: Buffer, begin: number, options: ParseOptions, maxSize: number): SipParseError {
  const error = fail('too-large', 'Message Too Large', 513);
  const end = buf.indexOf('\r\n\r\n', begin, 'latin1');
  let head: Buffer | undefined;
  if (end >= 0 && end + 4 - begin <= maxSize) head = buf.subarray(begin, end + 4);
  else {
    const lastLine = buf.lastIndexOf('\r\n', begin + maxSize - 2, 'latin1');
    if (lastLine > begin) head = Buffer.concat([buf.subarray(begin, lastLine + 2), BLANK_LINE]);
  }
  if (head !== undefined) {
    const read = parse(head, options);
    error.partial = read instanceof SipParseError ? read.partial : read;
  }
  return error;
}

function parse(buf: Buffer, options: ParseOptions): SipMessage | SipParseError {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  let begin = 0;
  // §7.5: CRLFs before the start line are ignored (keep-alives on streams, stray bytes on datagrams).
  while (begin < buf.length && (buf[begin] === 0x0d || buf[begin] === 0x0a)) begin++;
  if (begin >= buf.length) return fail('start-line', 'Empty message');
  if (buf.length - begin > maxSize) return tooLarge(buf, begin, options, maxSize);

  // A small message is decoded first and its first line found in the text (a string search costs less
  // than Buffer#indexOf()); the first line's terminator tells CRLF from bare-LF messages (the latter
  // tolerated).
  const whole = buf.length - begin <= WHOLE_TEXT_MAX ? buf.toString('latin1', begin) : undefined;
  const firstLf = whole !== undefined ? lineFeedIn(whole, begin) : buf.indexOf(0x0a, begin);
  if (firstLf < 0) return fail('start-line', 'Incomplete message: no line end');
  const crlf = firstLf > begin && buf[firstLf - 1] === 0x0d;
  if (whole !== undefined) {
    const result = parseText(buf, begin, whole, firstLf, crlf, options);
    // Without its blank line a message is "Incomplete" whatever else is wrong with it, as when the blank
    // line is searched first (below): only a refused message pays for that search.
    if (result instanceof SipParseError && isIncomplete(buf, firstLf, crlf, options.stream)) {
      const incomplete = fail('start-line', INCOMPLETE);
      if (!options.stream) incomplete.partial = result.partial; // a datagram's lines before say where
      return incomplete;
    }
    return result;
  }
  const headEnd = headEndIn(buf, firstLf, crlf);
  let bodyAbs: number;
  if (headEnd >= 0) bodyAbs = headEnd + (crlf ? 4 : 2);
  else if (!options.stream && buf[buf.length - 1] === 0x0a) bodyAbs = buf.length;
  else return fail('start-line', INCOMPLETE);
  return parseText(buf, begin, buf.toString('latin1', begin, bodyAbs), firstLf, crlf, options);
}

/**
 * The message starting at buf[begin], where `head` holds its chars from there (latin1: head[i] is
 * buf[begin + i]): at least through the blank line, perhaps the body too.
 */
/**
 * The general path of a header line (parseText reads known names and plain tokens itself): the colon's
 * index, or what is wrong with the line's name (a control character is 'binary', and stops the parse).
 */
function generalName(b: Uint8Array, head: string, pos: number, contentEnd: number): number | SipParseError {
  const colon = head.indexOf(':', pos);
  if (colon < 0 || colon >= contentEnd) return fail('header', 'Malformed header: line without a colon');
  let nameEnd = colon;
  while (nameEnd > pos && (b[nameEnd - 1]! === 0x20 || b[nameEnd - 1]! === 0x09)) nameEnd--;
  if (nameEnd === pos) return fail('header', 'Malformed header: empty name');
  for (let i = pos; i < nameEnd; i++) {
    const c = b[i]!;
    if (c < 0x20 || c >= 0x7f) return fail('binary', 'Malformed header: control characters in a header name');
    if (TOKEN[c] === 0) return fail('header', 'Malformed header: name is not a token');
  }
  return colon;
}

function parseText(
  buf: Buffer,
  begin: number,
  head: string,
  firstLf: number,
  crlf: boolean,
  options: ParseOptions,
): SipMessage | SipParseError {
  /** The same chars as bytes (head[i] is b[i]): the loops below read bytes, cheaper than charCodeAt(). */
  const b = begin === 0 ? buf : buf.subarray(begin);
  const startLineEnd = firstLf - begin + 1;
  const lineEnd = crlf ? startLineEnd - 2 : startLineEnd - 1;

  // ---- start line
  const sp1 = head.indexOf(' ');
  if (sp1 <= 0 || sp1 >= lineEnd) {
    for (let i = 0; i < lineEnd; i++) {
      const c = head.charCodeAt(i);
      if (c < 0x20 || c === 0x7f) return fail('binary', 'Malformed start line: control characters');
    }
    return fail('start-line', 'Malformed start line');
  }
  let method: string | undefined;
  let uri = '';
  /** An error that still lets the message be read, so that it can be answered (attached as partial). */
  let deferred: SipParseError | undefined;
  /** A malformed Request-Line or Request-URI: reported before anything else, once the headers are read. */
  let startFault: SipParseError | undefined;
  let status = 0;
  let reason = '';
  if (
    head.charCodeAt(3) === 0x2f &&
    (head.charCodeAt(0) | 0x20) === 0x73 &&
    head.slice(0, 3).toLowerCase() === 'sip'
  ) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    if (!isSip20(b, 0, sp1)) return versionError(head.slice(0, sp1), 'Status-Line');
    const c0 = head.charCodeAt(sp1 + 1) - 0x30;
    const c1 = head.charCodeAt(sp1 + 2) - 0x30;
    const c2 = head.charCodeAt(sp1 + 3) - 0x30;
    const after = sp1 + 4;
    if (
      !(c0 >= 1 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9) ||
      after > lineEnd ||
      (after < lineEnd && head.charCodeAt(after) !== 0x20)
    ) {
      return fail('start-line', 'Malformed Status-Line: status code must be 100-699');
    }
    status = c0 * 100 + c1 * 10 + c2;
    for (let i = after + 1; i < lineEnd; i++) {
      const c = head.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f)
        return fail('binary', 'Malformed Status-Line: control characters');
    }
    reason = after + 1 < lineEnd ? head.slice(after + 1, lineEnd) : '';
  } else {
    // Request-Line = Method SP Request-URI SP SIP-Version: single spaces, nothing after (§7.1,
    // RFC 4475 §3.1.2.8-10); the URI is decoded on use, its shape is checked here (§3.1.2.7).
    // A malformed Request-Line after a token method is answered too (400 naming the fault): the headers
    // are still read, so that the response can copy Via, From, To, Call-ID and CSeq (§8.2.6).
    const sp2 = head.indexOf(' ', sp1 + 1);
    const sp3 = sp2 < 0 ? -1 : head.indexOf(' ', sp2 + 1);
    if (sp2 < 0 || sp2 >= lineEnd || sp2 === sp1 + 1 || (sp3 >= 0 && sp3 < lineEnd)) {
      startFault = fail('start-line', 'Malformed Request-Line (one space between method, URI and version)');
    }
    for (let i = 0; i < sp1; i++) {
      const c = head.charCodeAt(i);
      if (c >= 128 || TOKEN[c] === 0) {
        return c < 0x20 || c >= 0x7f
          ? fail('binary', 'Malformed start line: control characters')
          : fail('start-line', 'Malformed Request-Line: method is not a token');
      }
    }
    const uriEnd = startFault !== undefined ? (sp2 > sp1 && sp2 < lineEnd ? sp2 : lineEnd) : sp2;
    if (startFault === undefined && !isSip20(b, sp2 + 1, lineEnd)) {
      // A well-formed other version (SIP/3.0) is answered 505, so the headers are still read for it.
      const error = versionError(head.slice(sp2 + 1, lineEnd), 'Request-Line');
      if (error.status !== 505) return error;
      deferred = error;
    }
    method = head.slice(0, sp1);
    uri = head.slice(sp1 + 1, uriEnd);
    let colon = -1;
    for (let i = 0; i < uri.length && startFault === undefined; i++) {
      const c = b[sp1 + 1 + i]!;
      if (c <= 0x20 || c === 0x3c || c === 0x3e || c === 0x22 || c >= 0x7f)
        startFault = fail('start-line', 'Malformed Request-URI (a space, <, > or " in it)');
      if (c === 0x3a && colon < 0) colon = i;
    }
    const s0 = uri.charCodeAt(0) | 0x20;
    if (startFault === undefined && (colon < 1 || colon === uri.length - 1 || s0 < 0x61 || s0 > 0x7a))
      startFault = fail('start-line', 'Malformed Request-URI');
  }

  // ---- header fields (§7.3): name HCOLON value; continuation lines start with SP or HT
  const fields: HeaderField[] = [];
  const textEnd = head.length;
  let pos = startLineEnd;
  let seen = 0;
  /** DUPLICATE_ON_USE headers seen twice: noted on the message, refused only where they are used. */
  let twice = 0;
  let present = 0;
  let hasVia = false;
  let contentLength: HeaderField | undefined;
  /** Where the blank line that ends the header section starts; -1 until it is found. */
  let blankLine = -1;
  while (pos < textEnd) {
    const lf = head.indexOf('\n', pos);
    if (lf < 0) break;
    // The blank line: CRLF after a CRLF-terminated line, or LF after LF in a bare-LF message.
    if (crlf ? lf === pos + 1 && b[pos]! === 0x0d && b[pos - 2]! === 0x0d : lf === pos) {
      blankLine = pos;
      break;
    }
    const contentEnd = lf > pos && b[lf - 1]! === 0x0d ? lf - 1 : lf;
    const first = b[pos]!;
    if (first === 0x20 || first === 0x09) {
      const prev = fields[fields.length - 1];
      if (prev === undefined) {
        // Answered as any malformed line is (the rest may hold the Via to answer to); the line is no field.
        deferred ??= fail('header', 'Malformed header: continuation line before any header');
        pos = lf + 1;
        continue;
      }
      let ve = contentEnd;
      while (ve > pos && (b[ve - 1]! === 0x20 || b[ve - 1]! === 0x09)) ve--;
      prev.lineEnd = lf + 1;
      if (ve > pos) prev.valueEnd = ve;
      prev.folded = true;
      pos = lf + 1;
      continue;
    }
    // The usual line: token chars (most often a known name, matched as it is read), maybe LWS, then the
    // colon. Anything else takes the general path, which finds the first colon and tells what is wrong
    // with the name.
    const known = knownNameAt(b, pos, contentEnd);
    let nameEnd = pos;
    if (known !== undefined) nameEnd += known.lower.length;
    else {
      while (nameEnd < contentEnd) {
        const c = b[nameEnd]!;
        if (c >= 128 || TOKEN[c] === 0) break;
        nameEnd++;
      }
    }
    let colon = nameEnd;
    while (colon < contentEnd && (b[colon]! === 0x20 || b[colon]! === 0x09)) colon++;
    if (nameEnd === pos || colon >= contentEnd || b[colon]! !== 0x3a) {
      const general = generalName(b, head, pos, contentEnd);
      if (general instanceof SipParseError) {
        if (general.kind === 'binary') return general;
        // A line that is no header is the fault, answered once the rest is read (the Via found): skipped.
        deferred ??= general;
        pos = lf + 1;
        continue;
      }
      colon = general;
      nameEnd = colon;
      while (nameEnd > pos && (b[nameEnd - 1]! === 0x20 || b[nameEnd - 1]! === 0x09)) nameEnd--;
    }
    let name: string;
    let bit: number;
    if (known !== undefined) {
      name = known.name;
      bit = known.bit;
      present |= known.presence;
    } else {
      name = canonicalName(head.slice(pos, nameEnd));
      bit = SINGLE_VALUED_BIT[name] ?? 0;
      present |= presenceBit(name);
    }
    let vs = colon + 1;
    while (vs < contentEnd && (b[vs]! === 0x20 || b[vs]! === 0x09)) vs++;
    let ve = contentEnd;
    while (ve > vs && (b[ve - 1]! === 0x20 || b[ve - 1]! === 0x09)) ve--;
    const field = new HeaderField(name, pos, lf + 1, vs, ve, false, undefined);
    if (bit !== 0) {
      if ((seen & bit) !== 0) {
        // Answered when the rest can be read (and the body framed): the first duplicate is the fault. On
        // a stream a second Content-Length is fatal at once (the framer refused it already: which one
        // framed the body is anybody's guess); any other is answered as on UDP. A DUPLICATE_ON_USE one
        // is only noted: refused by what uses it, forwarded as it is by the proxy (§16.3 step 1).
        if ((bit & DUPLICATE_ON_USE) !== 0) twice |= bit;
        else if (options.stream && bit === CONTENT_LENGTH)
          return fail('duplicate-header', `Duplicate ${displayName(name)} header`, 400, name);
        else deferred ??= fail('duplicate-header', `Duplicate ${displayName(name)} header`, 400, name);
      } else if (bit === CONTENT_LENGTH) contentLength = field;
      seen |= bit;
    } else if (name === 'via') {
      hasVia = true;
    }
    fields.push(field);
    pos = lf + 1;
  }
  if (blankLine < 0) {
    if (options.stream) return fail('start-line', INCOMPLETE);
    // A datagram whose last header line is complete but lacks the blank line: accepted, no body. One
    // whose last line has no line end at all is refused, with a 400 when the lines before it say where.
    if (pos < textEnd || b[textEnd - 1] !== 0x0a) deferred ??= fail('start-line', INCOMPLETE);
    blankLine = textEnd;
  }
  const bodyAbs = begin + (blankLine === textEnd ? textEnd : blankLine + (crlf ? 2 : 1));

  // ---- framing by Content-Length (§18.3, §20.14)
  const available = buf.length - bodyAbs;
  let bodyLength: number;
  if (contentLength !== undefined) {
    const { valueStart, valueEnd, folded } = contentLength;
    const cl = folded
      ? parseContentLength(unfolded(head.slice(valueStart, valueEnd)))
      : contentLengthAt(b, valueStart, valueEnd);
    if (cl === undefined) {
      const raw = folded ? unfolded(head.slice(valueStart, valueEnd)) : head.slice(valueStart, valueEnd);
      const error = fail(
        'content-length',
        `Malformed Content-Length header: "${raw.slice(0, 20)}"`,
        400,
        'content-length',
      );
      // A datagram frames itself (§18.3), a stream's message was framed by the framer's reading of the
      // length: the body runs to its end, and the request is answered 400 (a CR in the value, say).
      deferred ??= error;
    }
    if (cl === undefined) bodyLength = available;
    else if (cl > available) {
      if (options.stream)
        return fail('content-length', 'Content-Length larger than the message', 400, 'content-length');
      // §18.3: a datagram shorter than its Content-Length is refused with 400, answered when possible.
      deferred ??= fail('content-length', 'Content-Length larger than the message', 400, 'content-length');
      bodyLength = available;
    } else bodyLength = cl;
  } else if (options.stream) {
    return fail(
      'content-length',
      'Missing Content-Length header (required on stream transports)',
      400,
      'content-length',
    );
  } else {
    bodyLength = available;
  }

  const end = bodyAbs + bodyLength;
  const msg: SipMessage =
    method !== undefined
      ? new SipRequest(
          method,
          uri,
          buf,
          begin,
          bodyAbs,
          end,
          head,
          b,
          fields,
          present,
          startLineEnd,
          blankLine,
        )
      : new SipResponse(
          status,
          reason,
          buf,
          begin,
          bodyAbs,
          end,
          head,
          b,
          fields,
          present,
          startLineEnd,
          blankLine,
        );

  if (twice !== 0) msg.noteDuplicates(twice);

  // ---- mandatory headers (§8.1.1; responses carry the same five)
  if ((seen & MANDATORY) !== MANDATORY || !hasVia) {
    const missing: string[] = [];
    if ((seen & TO) === 0) missing.push('To');
    if ((seen & FROM) === 0) missing.push('From');
    if ((seen & CALL_ID) === 0) missing.push('Call-ID');
    if ((seen & CSEQ) === 0) missing.push('CSeq');
    if (!hasVia) missing.push('Via');
    const err = fail(
      'missing-header',
      `Missing ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}`,
      400,
      canonicalName(missing[0]!),
    );
    err.partial = msg;
    return err;
  }

  if (startFault !== undefined) {
    startFault.partial = msg;
    return startFault;
  }

  // §8.1.1.5: the CSeq method matches the request method (RFC 4475 §3.1.2.17-18).
  let mismatch: SipParseError | undefined;
  try {
    if (method !== undefined && msg.cseq.method !== method) {
      mismatch = fail('cseq-mismatch', 'CSeq method does not match the request method', 400, 'cseq');
    }
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    mismatch = e;
  }
  if (mismatch !== undefined) {
    mismatch.partial = msg;
    return mismatch;
  }
  if (deferred !== undefined) {
    deferred.partial = msg;
    return deferred;
  }
  return msg;
}
