// Building a response to a request (RFC 3261 §8.2.6): Via, From, Call-ID and CSeq copied as received,
// To copied with a tag added for anything but 100 (§8.2.6.2), and Timestamp echoed in a 100 (§8.2.6.1).
// Works from a partial message too, so a malformed request can still be answered 400 with its reason.
import { displayName } from './header-names';
import { toWire, trimWs, type SipMessage } from './message';
import { writeOut } from './out-buffer';
import { reasonPhrase } from './status-codes';

export interface ResponseOptions {
  /** Reason phrase; the standard one for the code when omitted. */
  reason?: string;
  /** To tag to add when the request's To has none (ignored for 100). */
  toTag?: string;
  /** Extra headers, written in order after the copied ones. */
  headers?: ReadonlyArray<readonly [name: string, value: string]>;
  body?: Buffer;
  contentType?: string;
}

const COPIED = new Set(['via', 'from', 'to', 'call-id', 'cseq']);

function hasTag(toValue: string): boolean {
  // A tag parameter outside the URI brackets (inside them it would be a URI parameter).
  const close = toValue.lastIndexOf('>');
  return /;\s*tag\s*=/i.test(close >= 0 ? toValue.slice(close) : toValue);
}

/** The bytes of a response to `req`. */
export function buildResponse(req: SipMessage, status: number, options: ResponseOptions = {}): Buffer {
  let out = `SIP/2.0 ${status} ${toWire(options.reason ?? reasonPhrase(status))}\r\n`;
  for (const f of req.fields) {
    if (!COPIED.has(f.name) && !(status === 100 && f.name === 'timestamp')) continue;
    if (f.name === 'to' && status > 100 && options.toTag !== undefined) {
      const value = req.fieldValue(f);
      if (!hasTag(value)) {
        out += `To: ${value};tag=${options.toTag}\r\n`;
        continue;
      }
    }
    out += `${displayName(f.name)}: ${req.fieldValue(f)}\r\n`;
  }
  for (const [name, value] of options.headers ?? []) out += `${name}: ${toWire(trimWs(value))}\r\n`;
  const body = options.body;
  if (body !== undefined && body.length > 0 && options.contentType !== undefined) {
    out += `Content-Type: ${options.contentType}\r\n`;
  }
  out += `Content-Length: ${body?.length ?? 0}\r\n\r\n`;
  return writeOut(out, body);
}
