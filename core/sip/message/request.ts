// Building a request (RFC 3261 §8.1.1): Request-URI, Via, Max-Forwards, From, To, Call-ID, CSeq, the
// route set, Contact, then any extra headers and the body with its Content-Type and Content-Length.
// Every request IMS Lab originates is written here (the user agent's, the proxy's CANCEL and the call
// tracker's BYE), so there is one place that knows the order and the mandatory fields; the bytes are
// parsed once into a SipRequest that the transaction layer keys and retransmits.
import { SipParseError } from './errors';
import { SipRequest, toWire, trimWs } from './message';
import { writeOut } from './out-buffer';
import { parseMessage } from './parser';

export interface RequestFields {
  method: string;
  /** The Request-URI (§8.1.1.1). */
  uri: string;
  /** The top Via value, with its branch (§8.1.1.7). */
  via: string;
  /** From and To header values, tags included (§8.1.1.2-3). */
  from: string;
  to: string;
  callId: string;
  /** CSeq number (§8.1.1.5); the method is the request's. */
  cseq: number;
  /** §8.1.1.6; 70 when omitted. */
  maxForwards?: number;
  /** Route header values, in order (§12.2.1.1). */
  routes?: readonly string[];
  /** The Contact value (§8.1.1.8), e.g. `<sip:0000@192.0.2.1:10000>`. */
  contact?: string;
  /** Further headers, written in order. */
  headers?: ReadonlyArray<readonly [name: string, value: string]>;
  body?: Buffer;
  contentType?: string;
}

export interface BuiltRequest {
  request: SipRequest;
  bytes: Buffer;
}

/** The request and its bytes; throws when a field makes it unparseable (a caller's bug). */
export function buildRequest(f: RequestFields): BuiltRequest {
  let out = `${f.method} ${f.uri} SIP/2.0\r\nVia: ${f.via}\r\nMax-Forwards: ${f.maxForwards ?? 70}\r\n`;
  for (const r of f.routes ?? []) out += `Route: ${r}\r\n`;
  out += `From: ${toWire(f.from)}\r\nTo: ${toWire(f.to)}\r\nCall-ID: ${f.callId}\r\n`;
  out += `CSeq: ${f.cseq} ${f.method}\r\n`;
  if (f.contact !== undefined) out += `Contact: ${toWire(f.contact)}\r\n`;
  for (const [name, value] of f.headers ?? []) out += `${name}: ${toWire(trimWs(value))}\r\n`;
  const body = f.body;
  if (body !== undefined && body.length > 0 && f.contentType !== undefined)
    out += `Content-Type: ${f.contentType}\r\n`;
  out += `Content-Length: ${body?.length ?? 0}\r\n\r\n`;
  const bytes = writeOut(out, body);
  const parsed = parseMessage(bytes);
  if (parsed instanceof SipParseError) throw new Error(`built ${f.method} does not parse: ${parsed.reason}`);
  if (!(parsed instanceof SipRequest)) throw new Error(`built ${f.method} is not a request`);
  return { request: parsed, bytes };
}
