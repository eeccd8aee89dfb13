// MML typed with a Chinese input method: its full-width punctuation where the grammar needs the ASCII
// one. An operator switching between Chinese values and commands types `ADD USER：USERNAME＝8003，NAME＝王五；`
// or `NAME=“张 三”`; taken as text, the password became `secret；`, the user `1001，STATUS=ACTIVE`, and a
// curly-quoted name with a space a syntax error. Only punctuation in a grammar position is replaced, one
// character for one (so columns stay right), and nothing inside "ASCII quotes":
//   ；  that ends a statement (before a space, the end of the line, or the next command's verb)
//   ：  after the command's words (the Huawei form's ':')
//   ，  before the next NAME= (the Huawei form's ',')
//   ＝  after a parameter name
//   “…” around a whole value (with no " or \ inside)
// Inside a value (`NAME=张三，李四`, `PASSWORD=ab；cd`) each stays as typed.

const ANY_FULL_WIDTH = /[；，：＝“]/;
/** A quoted ASCII value (its end may be missing: parseCommand reports that). */
const ASCII_QUOTED = /"(?:[^"\\]|\\.)*"?/g;

const CURLY_VALUE = /([=＝][ \t\u3000\u00A0]*)“([^”"\\]*)”/g;
/**
 * The verbs of MML statements: a '；' (or ';') right before one ends the statement before it. A verb is
 * followed by a space, a tab or ':' (HELP too: PASSWORD=abc;help and Xy7;Help!2 are passwords, and were
 * cut to abc and Xy7 with a HELP run after them, as PASSWORD=abc;dsp never was).
 * A space here is also the input method's full-width space (U+3000) and the no-break space (U+00A0),
 * which grammar.ts takes as a space: `PASSWORD＝newpw；` then U+3000 (the IME's '；' and its space) stored the
 * password `newpw；`, and `ADD` U+3000 `USER：…` was a syntax error.
 */
export const NEXT_VERB = /^(?:ADD|MOD|RMV|DSP|LST|SET|STR|STP|CLR|EXP|IMP|SAVE|RST|HELP)[ \t\u3000\u00A0:]/i;
const STATEMENT_END = /；(?=[ \t\u3000\u00A0]|$|；|;)/g;
const OBJECT_COLON =
  /(^[ \t\u3000\u00A0]*|[;；][ \t\u3000\u00A0]*)([A-Za-z]+(?:[ \t\u3000\u00A0]+[A-Za-z]+)*[ \t\u3000\u00A0]*)：/g;
const NEXT_PARAM_COMMA = /，(?=[ \t\u3000\u00A0]*[A-Za-z_][\w.]*[ \t\u3000\u00A0]*[=＝])/g;
const NAME_EQUALS = /(^|[\s,:;，：])([A-Za-z_][\w.]*[ \t\u3000\u00A0]*)＝/g;

/** `fix` applied to the parts of `line` outside ASCII quotes. */
function outsideQuotes(line: string, fix: (part: string) => string): string {
  let out = '';
  let from = 0;
  for (const m of line.matchAll(ASCII_QUOTED)) {
    out += fix(line.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + fix(line.slice(from));
}

/** A line of MML with the full-width punctuation of its grammar made ASCII (the same length). */
export function halfWidthPunctuation(line: string): string {
  if (!ANY_FULL_WIDTH.test(line)) return line;
  const quoted = outsideQuotes(line, (part) => part.replace(CURLY_VALUE, '$1"$2"'));
  return outsideQuotes(quoted, (part) =>
    part
      .replace(NAME_EQUALS, '$1$2=')
      .replace(NEXT_PARAM_COMMA, ',')
      .replace(OBJECT_COLON, '$1$2:')
      .replace(STATEMENT_END, ';')
      .replace(/；/g, (semi, at: number, text: string) => (NEXT_VERB.test(text.slice(at + 1)) ? ';' : semi)),
  );
}
