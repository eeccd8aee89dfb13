// Cuts a byte stream (TCP, TLS) into SIP messages by Content-Length (RFC 3261 §18.3), answering the
// RFC 5626 §3.5.1 keep-alive: a double CRLF between messages is a ping, a single CRLF a pong.
// Bounded: headers larger than the limit, a message larger than it, or a missing, bad or repeated
// Content-Length, are fatal for the connection (framing is lost), reported once as an error (a request
// whose header section is whole still gets its 400 or 513).
import { SipParseError } from './errors';
import type { SipMessage } from './message';
import { DEFAULT_MAX_SIZE, parseMessage } from './parser';

export type StreamItem =
  | { kind: 'message'; message: SipMessage }
  /**
   * A message that framed correctly but did not parse: answer 400 if possible, keep the connection.
   * `data`: its bytes (for the trace).
   */
  | { kind: 'invalid'; error: SipParseError; data: Buffer }
  /** Framing lost: the connection must be closed. `data`: what was read of the message (at most the limit). */
  | { kind: 'fatal'; error: SipParseError; data: Buffer }
  /** CRLFCRLF keep-alive ping: answer with CRLF. */
  | { kind: 'ping' }
  /**
   * An HTTP request (a browser or the mml client pointed at the SIP port) where a SIP message failed to
   * frame or parse: no SIP at all, so the connection is answered in HTTP and closed (framing is lost,
   * RFC 3261 §18.3). `requestLine`: its first line, `data` what was read of it.
   */
  | { kind: 'http'; requestLine: string; data: Buffer };

const CL_LINE = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?$/gim;

/** An HTTP/1.x request line (RFC 9112 §3): method, target, HTTP-version; never a SIP one (SIP/2.0). */
const HTTP_REQUEST_LINE = /^[A-Z][A-Z_-]{0,19} [^\s]{1,2048} HTTP\/1\.[019]$/;

/**
 * The first line of `data` when it is an HTTP request line. Only asked of bytes that already failed as
 * SIP (nothing on the hot path).
 */
function httpRequestLine(data: Buffer): string | undefined {
  const lf = data.indexOf(0x0a);
  const line = data.toString('latin1', 0, lf < 0 ? Math.min(data.length, 2100) : lf).replace(/\r$/, '');
  return HTTP_REQUEST_LINE.test(line) ? line : undefined;
}

const EMPTY = Buffer.alloc(0);

export class SipStreamFramer {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly maxSize = DEFAULT_MAX_SIZE) {}

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Feeds received bytes; returns what became complete. */
  push(chunk: Buffer): StreamItem[] {
    if (this.failed) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: StreamItem[] = [];
    for (;;) {
      const item = this.next();
      if (item === undefined) break;
      out.push(item);
      if (item.kind === 'fatal' || item.kind === 'http') {
        this.failed = true;
        this.pending = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): StreamItem | undefined {
    const buf = this.pending;
    let i = 0;
    while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) {
      if (buf[i] === 0x0d && buf[i + 1] === 0x0a && buf[i + 2] === 0x0d && buf[i + 3] === 0x0a) {
        this.pending = buf.subarray(i + 4);
        return { kind: 'ping' };
      }
      i++;
    }
    if (i === buf.length) {
      // Only line ends so far: keep at most a partial CRLFCRLF.
      this.pending = buf.subarray(Math.max(0, buf.length - 3));
      return undefined;
    }
    // The first line's end tells CRLF from bare-LF messages, which the parser tolerates on every
    // transport (a UA that writes LF alone is answered over TCP as it is over UDP).
    const firstLf = buf.indexOf(0x0a, i);
    const bareLf = firstLf > i && buf[firstLf - 1] !== 0x0d;
    const end = bareLf ? buf.indexOf('\n\n', firstLf, 'latin1') : buf.indexOf('\r\n\r\n', i, 'latin1');
    if (end < 0) {
      // The header section alone over the limit: read as far as it goes (parser.ts tooLarge).
      if (buf.length - i > this.maxSize)
        return this.fatal('too-large', 'Message Too Large', 513, buf.subarray(i, i + this.maxSize + 1));
      return undefined;
    }
    const blank = bareLf ? 2 : 4; // the header section's last line end and the blank line
    const head = buf.toString('latin1', i, end + blank / 2);
    CL_LINE.lastIndex = 0;
    const m = CL_LINE.exec(head);
    const headers = buf.subarray(i, end + blank);
    if (m === null) {
      const reason = 'Missing Content-Length header (required on stream transports)';
      return this.fatal('content-length', reason, 400, headers);
    }
    // Two lengths: which one frames the body is anybody's guess, and a wrong guess reads the next
    // request from the middle of this one's body (§7.3.1: Content-Length appears once).
    if (CL_LINE.exec(head) !== null)
      return this.fatal('content-length', 'Duplicate Content-Length header', 400, headers);
    const raw = m[1]!;
    if (!/^\d{1,10}$/.test(raw)) {
      const reason = `Malformed Content-Length header: "${raw.slice(0, 20)}"`;
      return this.fatal('content-length', reason, 400, headers);
    }
    const total = end + blank + Number(raw);
    if (total - i > this.maxSize) return this.fatal('too-large', 'Message Too Large', 513, headers);
    if (buf.length < total) return undefined;
    const msgBytes = buf.subarray(i, total);
    this.pending = buf.subarray(total);
    const parsed = parseMessage(msgBytes, { stream: true, maxSize: this.maxSize });
    if (!(parsed instanceof SipParseError)) return { kind: 'message', message: parsed };
    const requestLine = httpRequestLine(msgBytes); // a POST with its Content-Length frames
    return requestLine !== undefined
      ? { kind: 'http', requestLine, data: msgBytes }
      : { kind: 'invalid', error: parsed, data: msgBytes };
  }

  /**
   * Framing lost. When the header section was whole (`headers`), it is read as far as it goes, so that a
   * request still gets its 400 naming the fault (§8.2.6: Via, From, To, Call-ID, CSeq copied) before the
   * connection closes.
   */
  private fatal(kind: SipParseError['kind'], reason: string, status = 400, headers?: Buffer): StreamItem {
    const requestLine = httpRequestLine(headers ?? this.pending); // a GET has no Content-Length
    if (requestLine !== undefined) return { kind: 'http', requestLine, data: headers ?? EMPTY };
    const error = new SipParseError(kind, reason, status, 'content-length');
    if (headers !== undefined) {
      const read = parseMessage(headers, { maxSize: this.maxSize });
      error.partial = read instanceof SipParseError ? read.partial : read;
    }
    return { kind: 'fatal', error, data: headers ?? EMPTY };
  }
}
