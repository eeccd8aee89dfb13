// A dialog's messages as a text ladder, like sngrep's call flow: one column per address:port in order of
// appearance, one row per message with an arrow from sender to receiver labelled with the method or
// the status, and the time since the first message and since the previous one (seconds, µs precision).
// Retransmissions are marked "(rtx)"; a message that was not accepted carries its fault after the row.
import { addressPort } from '../address-port';
import { endsOf, label, type TraceEndpoint, type TraceMessage } from './trace-message';

export interface LadderOptions {
  /** Renders the start time in the title (default: local ISO time with microseconds). */
  formatTime?: (timeUs: number) => string;
  /** Messages ever captured for the dialog, when more than those drawn (the ring let the first go). */
  captured?: number;
}

const endpoint = (e: TraceEndpoint): string => addressPort(e.address, e.port);

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local time with microseconds: 2026-12-02 13:45:01.123456. */
export function localTimeUs(timeUs: number): string {
  const d = new Date(Math.floor(timeUs / 1000));
  const us = String(timeUs % 1_000_000).padStart(6, '0');
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${us}`
  );
}

const seconds = (us: number): string => (us / 1e6).toFixed(6);
/** A delta with its sign once: "+0.001945", "-0.000120" (a dialog across a restart with the clock set back). */
const signedSeconds = (us: number): string => (us < 0 ? seconds(us) : `+${seconds(us)}`);

function rowLabel(m: TraceMessage): string {
  return m.retransmission ? `${label(m)} (rtx)` : label(m);
}

export function renderLadder(
  callId: string,
  messages: readonly TraceMessage[],
  options: LadderOptions = {},
): string {
  if (messages.length === 0) return `Call-ID ${callId}: no messages held\n`;
  const columns: string[] = [];
  const column = (e: TraceEndpoint): number => {
    const key = endpoint(e);
    let i = columns.indexOf(key);
    if (i < 0) i = columns.push(key) - 1;
    return i;
  };
  const rows = messages.map((m) => {
    const { src, dst } = endsOf(m);
    return { m, from: column(src), to: column(dst), text: rowLabel(m) };
  });
  const width = Math.max(22, ...columns.map((c) => c.length + 2), ...rows.map((r) => r.text.length + 6));
  const prefix = 24;
  const center = (i: number): number => prefix + Math.floor(width / 2) + i * width;
  const lineWidth = center(columns.length - 1) + 1;
  const blank = (): string[] => {
    const line = Array<string>(lineWidth).fill(' ');
    for (let i = 0; i < columns.length; i++) line[center(i)] = '|';
    return line;
  };
  const put = (line: string[], at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) line[at + i] = text[i]!;
  };
  const out: string[] = [];
  const first = messages[0]!;
  const time = options.formatTime ?? localTimeUs;
  const gone = (options.captured ?? 0) - messages.length;
  out.push(
    `Call-ID ${callId}: ${messages.length} message${messages.length === 1 ? '' : 's'} from ${time(first.timeUs)}` +
      (gone > 0 ? ` (the first ${gone} of ${options.captured} left the trace ring)` : ''),
  );
  const head = Array<string>(lineWidth).fill(' ');
  columns.forEach((c, i) => put(head, center(i) - Math.floor(c.length / 2), c));
  out.push(head.join('').trimEnd());
  const titles = blank();
  put(titles, 0, '   time (s)   delta (s)');
  out.push(titles.join('').trimEnd());
  let previous = first.timeUs;
  for (const r of rows) {
    const line = blank();
    put(
      line,
      0,
      `${seconds(r.m.timeUs - first.timeUs).padStart(11)} ${signedSeconds(r.m.timeUs - previous).padEnd(11)}`,
    );
    previous = r.m.timeUs;
    const a = center(r.from);
    const b = center(r.to);
    if (a === b) {
      put(line, a + 1, `<-- ${r.text}`);
    } else {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      for (let i = lo + 1; i < hi; i++) line[i] = '-';
      if (b > a) line[hi - 1] = '>';
      else line[lo + 1] = '<';
      const text = ` ${r.text} `;
      put(line, lo + Math.floor((hi - lo - text.length) / 2) + 1, text);
    }
    let row = line.join('').trimEnd();
    if (r.m.error !== undefined) row += `   ! ${r.m.error}`;
    out.push(row);
  }
  return `${out.join('\n')}\n`;
}
