// The part of a given type in a SIP body, which may be a multipart one (RFC 5621; MIME multipart syntax,
// RFC 2046 §5.1.1): an INVITE from an MGCF carries its SDP beside ISUP (SIP-I, application/isup or
// vnd.etsi.pstn+xml), an emergency INVITE beside a PIDF-LO location (3GPP TS 24.229 §5.1.6). Read only
// when the body is multipart, and bounded: 16 parts at most, one multipart inside another at most.
import { paramValue, unquote } from './scanner';
import { parseMediaType, type MediaType } from './scalar-headers';

const MAX_PARTS = 16;
const MAX_DEPTH = 2;
/** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
const MAX_BOUNDARY = 70;
/** RFC 2046 §5.1: a part without Content-Type is text/plain. */
const TEXT_PLAIN: MediaType = { type: 'text', subtype: 'plain', params: [] };

/** The body itself when it is of type `wanted` (lower-case, e.g. application/sdp), else the first such part of it. */
export function bodyPart(type: MediaType | undefined, body: Buffer, wanted: string): Buffer | undefined {
  return partOf(type, body, wanted, 0);
}

function partOf(
  type: MediaType | undefined,
  body: Buffer,
  wanted: string,
  depth: number,
): Buffer | undefined {
  if (type === undefined) return undefined;
  if (`${type.type}/${type.subtype}` === wanted) return body;
  if (type.type !== 'multipart' || depth >= MAX_DEPTH) return undefined;
  const raw = paramValue(type.params, 'boundary');
  if (typeof raw !== 'string') return undefined;
  const boundary = unquote(raw);
  if (boundary === '' || boundary.length > MAX_BOUNDARY) return undefined;
  // Byte offsets: latin1 keeps one character per byte.
  const text = body.toString('latin1');
  const delimiter = `\r\n--${boundary}`;
  // The first delimiter may open the body (no CRLF before it; RFC 2046's preamble is empty then).
  let at = text.startsWith(delimiter.slice(2)) ? -2 : text.indexOf(delimiter);
  if (at === -1) return undefined;
  for (let n = 0; n < MAX_PARTS; n++) {
    const after = at + delimiter.length;
    if (text.startsWith('--', after)) return undefined; // the close delimiter: no more parts
    const lineEnd = text.indexOf('\r\n', after); // transport padding up to the line's end
    if (lineEnd < 0) return undefined;
    const start = lineEnd + 2;
    const next = text.indexOf(delimiter, lineEnd);
    if (next < 0) return undefined;
    // The part's headers end at an empty line (at once when it has none).
    const blank = text.startsWith('\r\n', start) ? start : text.indexOf('\r\n\r\n', start);
    if (blank >= 0 && blank < next) {
      const contentStart = blank === start ? start + 2 : blank + 4;
      const found = partOf(
        partType(text.slice(start, blank)),
        body.subarray(Math.min(contentStart, next), next),
        wanted,
        depth + 1,
      );
      if (found !== undefined) return found;
    }
    at = next;
  }
  return undefined;
}

/** A part's Content-Type (its headers unfolded), text/plain when it has none, undefined when malformed. */
function partType(headers: string): MediaType | undefined {
  for (const line of headers.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const m = /^content-type[ \t]*:(.*)$/i.exec(line);
    if (m !== null) return parseMediaType(m[1]!.trim());
  }
  return TEXT_PLAIN;
}
