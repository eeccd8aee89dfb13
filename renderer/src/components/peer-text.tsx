// Text a SIP peer wrote (a display name, a User-Agent, a Call-ID, a whole message) as the console shows
// it. React renders it as text (no markup), but the browser still applies what its invisible characters
// ask: a U+202E (RIGHT-TO-LEFT OVERRIDE) in a From line drew its URI and tag reversed, a User-Agent
// "\u202Ekcatta" read "attack". Those characters (the bidi embeddings, overrides and isolates, the
// zero-width ones, the controls: core/observe/controls.ts, the set the log escapes) are shown visibly,
// in the log's notation (\u202E, \x1B) and marked, as Wireshark and sngrep users want to see they are
// there; right-to-left letters themselves (an Arabic or Hebrew display name) stay as they are.
import type { ReactNode } from 'react';
import { CONTROL, escapeControls, escapeOf } from '../../../core/observe/controls';

const codePoint = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** The text with each such character as a marked escape; the text itself when it holds none. */
export function peerText(text: string): ReactNode {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  CONTROL.lastIndex = 0; // matchAll starts where the test above left it
  for (const m of text.matchAll(CONTROL)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    const escape = escapeOf(m[0]);
    parts.push(
      <span key={m.index} className="peer-escape" title={`U+${codePoint(m[0])}`}>
        {escape}
      </span>,
    );
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** A tooltip of peer text: an attribute cannot hold markup, so the escapes are plain. */
export function peerTitle(text: string): string {
  return escapeControls(text);
}

/** A span of peer text with its whole text as the tooltip (a cell cut with an ellipsis). */
export function PeerSpan({ text, className }: { text: string; className?: string }) {
  return (
    <span title={peerTitle(text)} className={className}>
      {peerText(text)}
    </span>
  );
}
