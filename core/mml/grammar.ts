// MML grammar: scripts split into statements, and one statement parsed into verb, object words and
// parameters. Two forms are accepted, as operators of the original and of Huawei equipment type them:
//
//   DSP CDR DATE=2025-11-01 TYPE=CALL LIMIT=50          the original's form: words, then NAME=value
//   DSP CDR:DATE="2025-11-01",TYPE=CALL;                 Huawei form: object, ':', comma-separated
//
// Verbs, object words and parameter names are case-insensitive (returned upper-case); values keep their
// case. A value is either bare (up to whitespace, or also ',' in the Huawei form) or "quoted", where \"
// and \\ stand for " and \ (other backslashes are literal, so "C:\data" works). The original had no
// quoting and silently dropped the rest of `NAME=John Smith` (reference §1.1); here that is an error
// that says to quote. Which leading words form the object (CALL STAT, DIALSVC CFG) is the registry's
// business: the parser only returns them in order.
//
// A script holds one statement per line; ';' also ends a statement, and `//` or `#` (the original
// README's examples: `DSP CDR   # 查询今天的 CDR`) starts a comment that runs to the end of the line when
// it begins a line or a statement (after the ';' that ended one) or follows whitespace, or follows ','
// or ';' and a space comes after it (so FILE=/data//users.json, DTMF=123#, PASSWORD=ab,#cd and ab;#cd
// keep theirs, and PASSWORD=2;# note has a comment). In the original's form a ';' with a character on each side
// inside a bare value is part of it, as the original read it (reference §1.1: the value is everything
// after the first '='): PASSWORD=ab;cd, URI=sip:1001@lab;transport=tcp; but not before the next
// command's verb (USERNAME=1001;DSP REG STAT is two statements). A byte order mark (U+FEFF) that starts
// the script is dropped; every script (mml --file, standard input, /api/mml, the terminal) comes here. Full-width punctuation in a grammar
// position (a Chinese input method's ；，：＝“”) counts as the ASCII one (full-width.ts).

import { halfWidthPunctuation, NEXT_VERB } from './full-width';

/** Where a parameter is in the statement text (0-based offsets), for error columns and redaction. */
export interface ParamPosition {
  /** Offset of the parameter name. */
  name: number;
  /** Offset of the value as written (including its quotes) and the offset just after it. */
  valueStart: number;
  valueEnd: number;
  /** The value was written in quotes (its commas, spaces and semicolons are meant). */
  quoted?: true;
}

export interface ParsedCommand {
  /** Upper-case verb: DSP, ADD, SET... */
  verb: string;
  /** Upper-case bare words after the verb, in order: ['CALL', 'STAT']. */
  words: string[];
  /** The words joined by one space: 'CALL STAT'. */
  object: string;
  /** Upper-case parameter name → value as given (unquoted, unescaped). */
  params: Map<string, string>;
  positions: Map<string, ParamPosition>;
  /** The statement as written, without its comment and ';'. */
  text: string;
  /** 1-based line of the script the statement is on. */
  line: number;
  /** 1-based column of the statement's first character on that line. */
  column: number;
}

/** A statement that does not follow the grammar; line and column (1-based) point at the problem. */
export class MmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** The statement text, when known. */
    readonly text = '',
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'MmlSyntaxError';
  }
}

/** One statement of a script, before parsing. */
export interface Statement {
  text: string;
  line: number;
  column: number;
}

/**
 * Whitespace between words: also a Chinese input method's full-width space (U+3000) and the no-break
 * space (U+00A0) a paste from a web page or a document brings, which were syntax errors that showed as an
 * ordinary space ('unexpected " " after the verb DSP'). A value with one is quoted, as with a space.
 */
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\u3000' || c === '\u00A0';

/** Can the ';' at `at` be inside a bare value: a character other than a space, quote or ';' on each side? */
const valueSemicolon = (text: string, at: number): boolean => {
  const before = text[at - 1];
  const after = text[at + 1];
  return (
    before !== undefined &&
    after !== undefined &&
    !isSpace(before) &&
    !isSpace(after) &&
    before !== '"' &&
    before !== ';' &&
    after !== ';'
  );
};

/**
 * Is the ';' at `at` of a statement that started at `start` inside a bare value of the original's form:
 * its word holds a '=', and no ':' comes before the statement's first '=' (the Huawei form, where ';'
 * always ends the statement and values with one are quoted)?
 */
function semicolonInValue(text: string, start: number, at: number): boolean {
  // USERNAME=1001;DSP REG STAT: the next command's verb, not the rest of the value.
  if (!valueSemicolon(text, at) || NEXT_VERB.test(text.slice(at + 1))) return false;
  const piece = text.slice(start, at);
  const equals = piece.indexOf('=');
  const colon = piece.indexOf(':');
  if (equals < 0 || (colon >= 0 && colon < equals)) return false;
  const word = piece.slice(Math.max(piece.lastIndexOf(' '), piece.lastIndexOf('\t')) + 1);
  return word.includes('=');
}

/**
 * Splits a script into statements: one per line, several on a line when ';' separates them; `//` and
 * `#` comments and blank statements are dropped. Quoted text is respected (a ';' or `//` inside quotes is
 * part of a value). An unterminated quote runs to the end of its line and is reported by parseCommand.
 */
export function splitScript(script: string): Statement[] {
  const out: Statement[] = [];
  // A script saved with a byte order mark (Windows Notepad): the mark is not text of line 1, else a
  // first-line comment would not begin the line and columns would count it.
  const lines = script.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const text = halfWidthPunctuation(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    let start = 0;
    let quoted = false;
    const push = (end: number): void => {
      const piece = text.slice(start, end);
      const lead = piece.length - piece.trimStart().length;
      const body = piece.trim();
      if (body !== '') out.push({ text: body, line: index + 1, column: start + lead + 1 });
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
        else if (c === '"') quoted = false;
        continue;
      }
      if (c === '"') quoted = true;
      else if (c === ';' && !semicolonInValue(text, start, i)) {
        push(i);
        start = i + 1;
      } else if ((c === '/' && text[i + 1] === '/') || c === '#') {
        const before = text[i - 1];
        // At a statement's start (a line's, or after the ';' that ended one) or after whitespace; after a
        // ',' or a ';' inside a value only when a space or the line's end follows (PASSWORD=2;# note), so
        // that PASSWORD=ab,#cd and ab;#cd keep theirs (they were cut to "ab," and "ab").
        const after = text[i + (c === '#' ? 1 : 2)];
        const spaced = after === undefined || isSpace(after);
        if (
          i === start ||
          before === undefined ||
          isSpace(before) ||
          ((before === ',' || before === ';') && spaced)
        ) {
          push(i);
          return;
        }
      }
    }
    push(text.length);
  });
  return out;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_.]/;

/**
 * Parses one statement (as splitScript returns it, or a single command line). A trailing ';' is
 * allowed. Throws MmlSyntaxError with the line and column of the problem.
 */
export function parseCommand(text: string, line = 1, column = 1): ParsedCommand {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new MmlSyntaxError(reason, line, column + at, text);
  };
  const skipSpace = (): void => {
    while (isSpace(text[i])) i++;
  };
  const atEnd = (): boolean => i >= text.length || (text[i] === ';' && text.slice(i + 1).trim() === '');

  skipSpace();
  if (atEnd()) fail('empty command: expected a verb such as DSP, ADD, MOD, RMV, SET or HELP');
  const verbStart = i;
  while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
  if (i === verbStart) fail(`expected a command verb (letters), got "${text[i]}"`);
  const verb = text.slice(verbStart, i).toUpperCase();
  if (!atEnd() && !isSpace(text[i]) && text[i] !== ':') {
    fail(`unexpected "${text[i]}" after the verb ${verb}`);
  }

  const words: string[] = [];
  const params = new Map<string, string>();
  const positions = new Map<string, ParamPosition>();
  let huawei = false;
  let needComma = false;

  const readName = (): string => {
    const start = i;
    if (!NAME_START.test(text[i] ?? '')) {
      fail(
        huawei || params.size > 0
          ? `expected a parameter NAME=value, got "${text[i]}"`
          : `expected an object word or a parameter NAME=value, got "${text[i]}"`,
      );
    }
    while (i < text.length && NAME_PART.test(text[i]!)) i++;
    return text.slice(start, i).toUpperCase();
  };

  const readQuoted = (): string => {
    const open = i;
    i++;
    let value = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        value += text[i + 1];
        i += 2;
      } else if (c === '"') {
        i++;
        return value;
      } else {
        value += c;
        i++;
      }
    }
    return fail('unterminated quoted value: a closing " is missing', open);
  };

  const readBare = (name: string): string => {
    const start = i;
    while (i < text.length) {
      const c = text[i]!;
      if (isSpace(c) || (huawei && c === ',')) break;
      if (c === ';' && (huawei || !valueSemicolon(text, i))) break;
      if (c === '"') fail(`a quote inside the value of ${name}: quote the whole value, e.g. ${name}="a b"`);
      i++;
    }
    if (i === start) fail(`parameter ${name} has no value (write ${name}="" for an empty value)`);
    return text.slice(start, i);
  };

  for (;;) {
    skipSpace();
    if (atEnd()) break;
    const c = text[i]!;
    if (c === ';') fail('unexpected ";" inside the command (one command per statement)');
    if (c === ':') {
      if (huawei || params.size > 0) fail('unexpected ":" (it may only follow the object)');
      huawei = true;
      i++;
      continue;
    }
    if (c === ',') {
      if (!huawei) fail('unexpected ",": separate parameters with spaces, or use VERB OBJECT:A=1,B=2;');
      if (!needComma) fail('unexpected "," (a parameter is missing)');
      needComma = false;
      i++;
      continue;
    }
    if (huawei && needComma) fail('expected "," between parameters');
    const nameAt = i;
    const name = readName();
    if (huawei) skipSpace();
    if (text[i] !== '=') {
      if (huawei) fail(`expected "=" after ${name} (parameters after ":" are NAME=value)`);
      if (params.size > 0) {
        const [last] = [...params.keys()].slice(-1);
        // The original's HELP CMD=<command> takes the command's words unquoted: HELP CMD=ADD USER.
        if (verb === 'HELP' && last === 'CMD') {
          params.set('CMD', `${params.get('CMD')} ${name}`);
          positions.get('CMD')!.valueEnd = i;
          continue;
        }
        fail(
          `unexpected word "${text.slice(nameAt, i)}" after the parameters: a value with spaces must be ` +
            `quoted, e.g. ${last}="a b"`,
          nameAt,
        );
      }
      if (!atEnd() && !isSpace(text[i]) && text[i] !== ':' && text[i] !== ';') {
        fail(`unexpected "${text[i]}" in "${name}"`);
      }
      words.push(name);
      continue;
    }
    i++; // '='
    if (huawei) skipSpace();
    if (params.has(name)) fail(`parameter ${name} is given twice`, nameAt);
    const valueStart = i;
    const quoted = text[i] === '"';
    let value: string;
    if (quoted) {
      value = readQuoted();
      if (!atEnd() && !isSpace(text[i]) && !(huawei && text[i] === ',')) {
        fail(`unexpected "${text[i]}" after the quoted value of ${name}`);
      }
    } else {
      value = readBare(name);
    }
    params.set(name, value);
    positions.set(name, { name: nameAt, valueStart, valueEnd: i, ...(quoted && { quoted: true as const }) });
    needComma = huawei;
  }

  const trimmed = text.trim();
  return {
    verb,
    words,
    object: words.join(' '),
    params,
    positions,
    text: trimmed.endsWith(';') ? trimmed.slice(0, -1).trimEnd() : trimmed,
    line,
    column,
  };
}

/** Writes a value so that parseCommand reads it back unchanged (quoted only when needed). */
export function quoteValue(value: string): string {
  if (value !== '' && !/[\s",;\\]/.test(value) && !value.includes('//')) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
