// A SIP message's bytes as text: SIP is UTF-8 (RFC 3261 §7.3.1), so a display name like "Jürgen 李"
// reads as written; a message that is not valid UTF-8 is read one character per byte (latin1), so
// every byte still shows.
import { isUtf8 } from 'node:buffer';

export function sipText(data: Buffer): string {
  return isUtf8(data) ? data.toString('utf8') : data.toString('latin1');
}
