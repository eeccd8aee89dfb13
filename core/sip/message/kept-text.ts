// Free text a peer writes that IMS Lab keeps beyond the message (a binding's User-Agent, a call's
// User-Agent and Server, a Reason header's text, a response's reason phrase): kept to KEPT_TEXT_CHARS
// characters at most, cut with an ellipsis. A 60,000-character User-Agent was written whole into the
// CDR row of every refresh and padded every row of DSP REG (10 bindings: 725 KB of JSON). Kamailio's
// usrloc keeps 255 characters of a User-Agent. The SIP trace keeps the whole message (it is the wire).
import { detached } from './detached';

/** Most characters (UTF-16 code units) of a peer's free text kept, the ellipsis included. */
export const KEPT_TEXT_CHARS = 256;

/** What ends a text that was cut. */
export const CUT_MARK = '…';

/** The text, or its first KEPT_TEXT_CHARS - 1 characters and CUT_MARK (never half a surrogate pair). */
export function keptText(text: string, max = KEPT_TEXT_CHARS): string {
  if (text.length <= max) return text;
  let end = max - CUT_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return detached(text.slice(0, end) + CUT_MARK);
}
