// The trace's text search (DSP TRACE TEXT=, the Trace view's Search): a dialog matches when its Call-ID
// holds the text (trace-filter.ts), or a message of it does (a number in a Request-URI, From or To, a
// User-Agent, a Reason, an SDP address...), in any case of ASCII letters. Messages are searched as bytes
// read as latin1 (a byte a character), the text as its UTF-8 bytes likewise: a name beyond ASCII is
// found as typed.
import type { TraceDialog } from './trace-dialog';

/** The text as the messages' bytes read as latin1 hold it, lower-case (ASCII letters). */
export function textKey(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1').toLowerCase();
}

let last: { text: string; search: (bytes: Buffer) => boolean } | undefined;

/** A search for the text in a message's bytes (made once for a query's many dialogs). */
export function textSearch(text: string): (bytes: Buffer) => boolean {
  if (last?.text === text) return last.search;
  const exact = Buffer.from(text, 'utf8');
  const key = new RegExp(textKey(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  // The exact bytes first (memchr-fast); the case-blind search on the message read as latin1 after.
  const search = (bytes: Buffer): boolean => bytes.includes(exact) || key.test(bytes.toString('latin1'));
  last = { text, search };
  return search;
}

/** Does a message of the dialog held hold the text? */
export function hasTextMessage(d: TraceDialog, text: string): boolean {
  const search = textSearch(text);
  for (let m = d.first; m !== undefined; m = m.next)
    if (search(m.chunk.subarray(m.start, m.end))) return true;
  return false;
}
