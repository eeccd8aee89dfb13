// What an error message quotes of the statement, cut to a readable length. Messages name the value at
// fault (`Parameter STATUS: expected one of ACTIVE, ..., got "<value>"`, `Unknown command DSP <word>`,
// `no setting <key>`): a 100,000-character value made a 100,069-character message, repeated by the
// history, the log and the mml client's one-line summary. Each piece of the statement longer than
// ECHO_MAX characters is shown as its first ECHO_MAX characters and "… (N characters)", wherever the
// message quotes it; one place for every command, parameter and syntax error (the engine's).

/** The most characters of one typed piece an error message repeats. */
export const ECHO_MAX = 100;

/** The pieces of a statement (between spaces and the grammar's , = : ; and quotes) longer than ECHO_MAX. */
function longPieces(statement: string): string[] {
  const out = new Set<string>();
  for (const piece of statement.split(/[\s,=:;"]+/)) if (piece.length > ECHO_MAX) out.add(piece);
  return [...out];
}

/** `text` cut to ECHO_MAX characters (never inside a surrogate pair), saying how long it was. */
export function cutEcho(text: string): string {
  const chars = Array.from(text);
  return chars.length <= ECHO_MAX
    ? text
    : `${chars.slice(0, ECHO_MAX).join('')}… (${chars.length} characters)`;
}

/**
 * The message with every piece of `statement` longer than ECHO_MAX cut (as typed or upper-cased, as the
 * registry names verbs, objects, parameter names and enum values).
 */
export function capEchoes(message: string, statement: string): string {
  if (message.length <= ECHO_MAX) return message;
  let out = message;
  for (const piece of longPieces(statement)) {
    for (const form of new Set([piece, piece.toUpperCase()])) {
      if (out.includes(form)) out = out.split(form).join(cutEcho(form));
    }
  }
  return out;
}
