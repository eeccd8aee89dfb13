// The text a MESSAGE's CDR row keeps of its body (RFC 3428): the whole text, up to MESSAGE_TEXT_CHARS,
// read in its declared charset; of a message/cpim body (RFC 3862, the wrapper RCS and linphone chats and
// IMDN send) the content it carries; a body that is no text, described: `<image/png, 2048 bytes>`.
// Read once per MESSAGE, when it arrives; never for another method.
import { keptText, paramValue, unquote, type MediaType } from '../message/index';
import { TextDecoder } from 'node:util';
import { parseMediaType } from '../message/scalar-headers';

/**
 * Most characters (UTF-16 code units) kept, the cut mark included: more than any body of a message
 * within the default SIP.MAX_MESSAGE_SIZE (65,535 bytes) decodes to, so those are kept whole.
 */
export const MESSAGE_TEXT_CHARS = 65_536;

/** A charset label shown as far as this (a peer's text). */
const LABEL_CHARS = 64;

const decoders = new Map<string, TextDecoder | null>();

/** A decoder for a charset label (WHATWG Encoding labels: ISO-8859-1, GB2312, Shift_JIS...), null if unknown. */
function decoderFor(label: string): TextDecoder | null {
  const key = label.toLowerCase();
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(key);
    } catch {
      decoder = null;
    }
    // Bounded: a peer writing a new label into every MESSAGE fills no memory.
    if (decoders.size < 64) decoders.set(key, decoder);
  }
  return decoder;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's text for the record. `type` undefined: no Content-Type header. */
export function messageText(type: MediaType | undefined, body: Buffer): string {
  return keptText(bodyText(type, body, true), MESSAGE_TEXT_CHARS);
}

function bodyText(type: MediaType | undefined, body: Buffer, outer: boolean): string {
  if (body.length === 0) return '';
  const name = type === undefined ? '' : `${type.type}/${type.subtype}`;
  if (outer && name === 'message/cpim') {
    const inner = cpimContent(body);
    if (inner !== undefined) return bodyText(inner.type, inner.content, false);
  }
  const charset = type === undefined ? undefined : paramValue(type.params, 'charset');
  if (typeof charset === 'string' && charset !== '') {
    const label = unquote(charset);
    const decoder = decoderFor(label);
    if (decoder === null) return `<${name}, ${body.length} bytes in charset ${shown(label)}, not known>`;
    return decoder.decode(body);
  }
  // No charset: UTF-8, the text of SIP itself. Text (or no type) as such, a byte that is not UTF-8
  // written U+FFFD; another type kept when it reads as UTF-8 text (XML, JSON, HTML...), else described.
  if (type === undefined || type.type === 'text') return body.toString('utf8');
  try {
    const text = strictUtf8.decode(body);
    if (!text.includes('\0')) return text;
  } catch {
    // Not UTF-8: no text.
  }
  return `<${name}, ${body.length} bytes>`;
}

function shown(label: string): string {
  return keptText(label, LABEL_CHARS).replace(/[^\x21-\x7e…]/g, '?');
}

/**
 * RFC 3862 §3: a message/cpim body is the message headers (From, To, DateTime, NS...), an empty line,
 * then the encapsulated MIME object: its headers (Content-Type), an empty line, its content. Undefined
 * when the body is not so made.
 */
function cpimContent(body: Buffer): { type: MediaType | undefined; content: Buffer } | undefined {
  // Byte offsets: latin1 keeps one character per byte.
  const text = body.toString('latin1');
  const headersEnd = blankLine(text, 0);
  if (headersEnd === undefined) return undefined;
  const mimeEnd = blankLine(text, headersEnd.next);
  if (mimeEnd === undefined) return undefined;
  const mimeHeaders = text.slice(headersEnd.next, mimeEnd.at);
  const m = /(?:^|\n)content-type[ \t]*:[ \t]*([^\r\n]*)/i.exec(mimeHeaders);
  return {
    type: m === null ? undefined : parseMediaType(m[1]!.trim()),
    content: body.subarray(mimeEnd.next),
  };
}

/** The first empty line at or after `from`: where it starts and where what follows it does. */
function blankLine(text: string, from: number): { at: number; next: number } | undefined {
  // Headers may be none: the empty line at once.
  if (text.startsWith('\r\n', from)) return { at: from, next: from + 2 };
  if (text.startsWith('\n', from)) return { at: from, next: from + 1 };
  const re = /\r?\n\r?\n/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m === null ? undefined : { at: m.index, next: m.index + m[0].length };
}
