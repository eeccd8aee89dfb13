// The Call-ID of a received message that did not parse, read from its bytes: a REGISTER whose only fault
// is some other header line is filed under its own Call-ID, not with every unparsable message. The long
// form or the compact i, in any case (RFC 3261 §7.3.3, §20.8); lines end at CRLF or a bare LF and the
// search stops at the blank line before the body.
const CALL_ID_LINE = /^(?:call-id|i)[ \t]*:[ \t]*(.*?)[ \t]*$/i;

/** '' when no line holds one. */
export function rawCallId(data: Buffer): string {
  const blank = data.indexOf('\n\r\n');
  const bare = data.indexOf('\n\n');
  const candidates = [blank, bare].filter((i) => i >= 0);
  const end = candidates.length > 0 ? Math.min(...candidates) : data.length;
  const lines = data.toString('latin1', 0, end).split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const value = CALL_ID_LINE.exec(lines[i]!)?.[1];
    if (value) return value;
  }
  return '';
}
