// Reading CSV that another program wrote (RFC 4180 fields: quoted with doubled quotes inside), as the
// original's day files come: Python's csv module ends rows with CRLF, a file copied through another
// system may have LF alone, and a file saved on Windows in text mode CR CR LF. A byte order mark is
// dropped. A last row without its line end is kept.

/**
 * Where a file's rows are, for naming one by the line an editor shows (as IMP USER does): `next` is the
 * line the text starts on (1 for a file's start), moved past the text by parseCsv; `rows` gets each row's
 * first line (a quoted line break makes a row span lines; blank lines are no rows, yet lines).
 */
export interface CsvLines {
  next: number;
  rows: number[];
}

/** Rows of fields; blank lines are skipped. With `lines`, the line each row starts on. */
export function parseCsv(text: string, lines?: CsvLines): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let started = false; // something of the current row was read (a blank line is no row)
  let line = lines?.next ?? 1;
  let rowLine = line;
  const endRow = (): void => {
    if (started) {
      row.push(field);
      rows.push(row);
      lines?.rows.push(rowLine);
    }
    row = [];
    field = '';
    started = false;
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (!quoted && !started) rowLine = line;
    // A line as an editor counts them: LF, CR LF, CR CR LF, or a CR alone (inside quotes too).
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n' && text[i + 1] !== '\r')) line++;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      started = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      started = true;
    } else if (c === '\n') endRow();
    else if (c === '\r') {
      if (text[i + 1] !== '\n' && text[i + 1] !== '\r') endRow(); // CR alone ends a row (old Macs)
    } else {
      field += c;
      started = true;
    }
  }
  endRow();
  if (lines !== undefined) lines.next = line;
  return rows;
}
