// A SIP message's bytes as text: SIP is UTF-8 (RFC 3261 §7.3.1), so a display name like "Jürgen 李"
// reads as written; a message that is not valid UTF-8 is read one character per byte (latin1), so
// every byte still shows.
import { isUtf8 } from 'node:buffer';
import { CONTROL_BUT_LINES, escapeControls } from '../observe/controls';

export function sipText(data: Buffer): string {
  return isUtf8(data) ? data.toString('utf8') : data.toString('latin1');
}

/**
 * A message's bytes for a human-readable file (EXP TRACE FORMAT=TEXT): as they crossed the wire, but for
 * the control characters a peer put in a header or body (ESC, BEL, NUL, a bare CR, C1, U+2028/2029),
 * written escaped as the log writes them (`\x1B`, `\x0D`, `\u2028`), so that `cat` or `less -R` of the
 * file cannot drive the terminal; tabs and the message's own line breaks (CRLF, LF) stay. RFC 3261 §25.1
 * TEXT-UTF8char excludes controls from header text anyway. A message that is not UTF-8 is escaped byte by
 * byte: its bytes 0x80-0x9F (C1, and the inside of any UTF-8 sequence it holds) as \xNN, the others kept.
 * The pcap export keeps the bytes exactly.
 */
export function readableSipBytes(data: Buffer): Buffer {
  const utf8 = isUtf8(data);
  const text = utf8 ? data.toString('utf8') : data.toString('latin1');
  const escaped = escapeControls(text, CONTROL_BUT_LINES);
  return escaped === text ? data : Buffer.from(escaped, utf8 ? 'utf8' : 'latin1');
}

/** Text read from a message's bytes one character per byte (latin1), as sipText would show it. */
export function sipTextOfLatin1(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return sipText(Buffer.from(text, 'latin1'));
  }
  return text;
}
