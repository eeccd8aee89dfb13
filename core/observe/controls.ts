// The characters a peer may put in a header or body that must not reach an operator's screen as they are
// (the log, the CDR files, the trace's text export, the MML terminal text, the console), and their
// escaped form: \xNN (\uNNNN beyond 0xFF), as the log has always written them. No Node module here:
// the console (renderer) shows them with the same notation.

/**
 * Control characters (a bare CR, ANSI escapes, the 8-bit CSI U+009B, the line and paragraph separators
 * U+2028/2029): a log line must not rewrite the line before it on a terminal, clear the screen, hide
 * text, or break a line where an editor would. And the invisible formatting characters that reorder or
 * hide text (Unicode bidi controls, "Trojan Source", CVE-2021-42574): the embeddings and overrides
 * U+202A-202E, the isolates U+2066-2069, the Arabic letter mark U+061C, the zero-width space U+200B and
 * the direction marks U+200E-200F: a User-Agent `\u202Ekcatta` must not read "attack", nor a From line
 * draw its URI reversed. Right-to-left letters themselves (an Arabic or Hebrew display name) stay as they
 * are, and so do the zero-width non-joiner and joiner (U+200C-200D): Persian and Indic words and emoji
 * sequences are written with them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
export const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * The same, but for text that keeps its own lines (a CDR cell holding a MESSAGE body, a traced SIP
 * message): a tab and a line break (CRLF or LF) stay; a CR not before an LF is escaped (it would rewrite
 * the line on a terminal).
 */
export const CONTROL_BUT_LINES =
  // eslint-disable-next-line no-control-regex -- finding control characters is its purpose
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069]|\r(?!\n)/g;

/** Is this UTF-16 code unit one that CONTROL matches? For loops that test text without a RegExp. */
export function isControl(c: number): boolean {
  return (
    c < 0x09 ||
    (c > 0x0a && c < 0x20) ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** One character's escape: \x1B, \u202E. */
export function escapeOf(c: string): string {
  const code = c.charCodeAt(0);
  return code > 0xff
    ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * The text with its control characters but newline and tab written as \xNN (\uNNNN beyond 0xFF); with
 * `control`, those it matches (a global pattern: the CDR's keeps a CR before an LF too).
 */
export function escapeControls(text: string, control: RegExp = CONTROL): string {
  control.lastIndex = 0;
  if (!control.test(text)) return text;
  return text.replace(control, escapeOf);
}
