// The numbers and times of a row of the original's CDR day file, checked before the row is imported
// (original-server.md §3.2: times HH:MM:SS[.mmm], duration seconds as a float, setup_time like 0.50s,
// ports, SIP status codes, an expiry; blank where the original wrote nothing). A row with an impossible
// one (a duration of -5 or 1e308, NaN, 25:61:61, a port 99999999999, a status "abc") is left out and
// named, as a row with a bad date is: taken, it made DSP CDR STAT say "Infinity" for its day.

/** RFC 3261 §25.1 Status-Code: 3 digits; the classes 1xx-6xx (§21). */
const STATUS_CODE = /^[1-6]\d\d$/;
const PORT = /^\d{1,5}$/;
/** HH:MM:SS, with .mmm (invite_time, answer_time, bye_time). */
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?$/;
/** Seconds as Python printed the original's float rounded to 2 places (3.0, 12.5): no sign, no exponent. */
const SECONDS = /^\d{1,9}(?:\.\d+)?$/;
const SETUP_TIME = /^\d{1,9}(?:\.\d+)?s$/;
/** RFC 3261 §20.19 Expires: delta-seconds, at most 2^32-1. */
const EXPIRES = /^\d{1,10}$/;

/** What a field must be, by column: a test and the words for a value that fails it. */
const CHECKS: readonly { column: string; ok: (v: string) => boolean; is: string }[] = [
  ...['start_time', 'end_time', 'invite_time', 'ringing_time', 'answer_time', 'bye_time'].map((column) => ({
    column,
    ok: (v: string) => TIME.test(v),
    is: 'HH:MM:SS',
  })),
  ...['caller_port', 'callee_port', 'server_port'].map((column) => ({
    column,
    ok: (v: string) => PORT.test(v) && Number(v) <= 65535,
    is: 'port (0..65535)',
  })),
  { column: 'duration', ok: (v) => SECONDS.test(v), is: 'number of seconds' },
  { column: 'setup_time', ok: (v) => SETUP_TIME.test(v), is: 'number of seconds like 0.50s' },
  { column: 'status_code', ok: (v) => STATUS_CODE.test(v), is: 'SIP status code (100..699)' },
  { column: 'expires', ok: (v) => EXPIRES.test(v) && Number(v) <= 0xffffffff, is: 'number of seconds' },
];

/** A value as the log names it: quoted, cut after 40 characters. */
const quoted = (v: string): string => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * The first impossible number or time of a row (`text` gives a column's field), or undefined; a blank
 * field is fine (the original wrote none for what did not apply, 0 included).
 */
export function originalFieldProblem(text: (column: string) => string): string | undefined {
  for (const { column, ok, is } of CHECKS) {
    const v = text(column);
    if (v !== '' && !ok(v)) return `${column} ${quoted(v)} is no ${is}`;
  }
  return undefined;
}
