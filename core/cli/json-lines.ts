// `mml --json`: each statement's answer as /api/mml gives it in `results` (retcode, message, tables with
// typed columns, command, line, next), one JSON document a line (JSON Lines): a script in pieces is
// written as each piece is answered, `jq` reads the stream (`jq -s` makes it one array), and a line-based
// tool takes one statement at a time. JSON.stringify leaves C1 controls and bidi overrides raw: they are
// written \uNNNN (RFC 8259 §7, the same string once parsed), so the output cannot drive a terminal.
import { CONTROL } from '../observe/controls';

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The answers of one request as JSON Lines, each ending with "\n". */
export function jsonLines(results: readonly unknown[]): string {
  return results.map((r) => `${JSON.stringify(r).replace(CONTROL, escape)}\n`).join('');
}
