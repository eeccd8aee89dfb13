// A dialog's messages laid out as a ladder diagram (like sngrep's call flow, and the text ladder of
// core/trace/ladder.ts): one lane per address:port in order of appearance, one row per message with an
// arrow from sender to receiver, its label, its time since the first message and since the previous
// one. Pure geometry: the view draws it as SVG.
import type { TraceMessageData } from '../../../../core/control/contract';
import { addressPort } from '../../../../core/address-port';
import { stampMs } from '../../components/local-time';

/** A message's end as the ladder's lanes and the message header name it: address:port, IPv6 bracketed. */
export const endpointOf = (e: { address: string; port: number }): string => addressPort(e.address, e.port);

/** A lane's width at least, and at most when the pane has room to spare (labels cut less). */
export const LANE_WIDTH = 170;
export const MAX_LANE_WIDTH = 320;
export const ROW_HEIGHT = 30;
/** Room on the left for the No. and time columns, and above the first row for the lane titles. */
export const TIME_WIDTH = 160;
/** Where the No., time and delta columns start. */
export const NO_X = 8;
export const TIME_X = 38;
export const DELTA_X = 102;
export const HEAD_HEIGHT = 44;

/** The width of a character of the ladder's font (monospace, 12 px). */
const CHAR_WIDTH = 7.3;

/**
 * A label cut to fit `width` pixels, with an ellipsis ("407 Proxy Authentication Required" spilled over
 * the next lane); the arrow's accessible name and tooltip keep it whole.
 */
export function fitLabel(label: string, width: number): string {
  const max = Math.floor(width / CHAR_WIDTH);
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}

export interface Lane {
  key: string;
  x: number;
}

export interface LadderRow {
  seq: number;
  /** DSP TRACE's No. of the message (its place in the dialog, from 1), shown in the first column. */
  no: number;
  y: number;
  from: number;
  to: number;
  label: string;
  /** Colour class: the method for requests (m-invite, m-bye, m-other...), the status class for responses. */
  tone: string;
  /** Seconds since the first message, and since the previous one. */
  time: number;
  delta: number;
  retransmission: boolean;
  error: string | null;
}

export interface Ladder {
  lanes: Lane[];
  laneWidth: number;
  rows: LadderRow[];
  width: number;
  height: number;
}

const METHOD_TONES = new Set(['invite', 'ack', 'bye', 'cancel', 'register', 'message', 'options']);

/** The colour class of a message: its method, or its status class. */
export function toneOf(m: Pick<TraceMessageData, 'method' | 'status' | 'error'>): string {
  if (m.error !== null) return 'malformed';
  if (m.status > 0) return `s-${Math.floor(m.status / 100)}xx`;
  const method = m.method.toLowerCase();
  return METHOD_TONES.has(method) ? `m-${method}` : 'm-other';
}

/**
 * The lane width that fills a pane `paneWidth` pixels wide with `lanes` lanes (at least two), between
 * LANE_WIDTH and MAX_LANE_WIDTH: in a wide pane "407 Proxy Authentication Required" is not cut to
 * "407 Proxy Authentica…" while the rest of the pane stays empty.
 */
export function laneWidthFor(paneWidth: number, lanes: number): number {
  const fill = Math.floor((paneWidth - TIME_WIDTH) / Math.max(lanes, 2));
  return Math.min(MAX_LANE_WIDTH, Math.max(LANE_WIDTH, fill));
}

/**
 * The pixels a row's label may take. A row has one arrow, so its label, centred over it, may run across
 * the lifelines of the lanes beside it, up to the time columns on the left and the diagram's edge on the
 * right (it was held to the arrow's span: "407 Proxy Authentica…" over a pane with room to spare).
 */
export function labelRoom(row: LadderRow, ladder: Ladder): number {
  if (row.from === row.to) return ladder.laneWidth / 2;
  const mid = (row.from + row.to) / 2;
  return 2 * Math.min(mid - TIME_WIDTH, ladder.width - mid) - 16;
}

export function layoutLadder(messages: readonly TraceMessageData[], laneWidth = LANE_WIDTH): Ladder {
  const keys: string[] = [];
  const lane = (e: { address: string; port: number }): number => {
    const key = endpointOf(e);
    let i = keys.indexOf(key);
    if (i < 0) i = keys.push(key) - 1;
    return i;
  };
  const x = (i: number): number => TIME_WIDTH + laneWidth / 2 + i * laneWidth;
  const first = messages[0]?.timeUs ?? 0;
  let previous = first;
  const rows = messages.map((m, i): LadderRow => {
    const from = lane(m.src);
    const to = lane(m.dst);
    const row: LadderRow = {
      seq: m.seq,
      no: m.no,
      y: HEAD_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT / 2,
      from: x(from),
      to: x(to),
      label: m.retransmission ? `${m.label} (rtx)` : m.label,
      tone: toneOf(m),
      time: (m.timeUs - first) / 1e6,
      delta: (m.timeUs - previous) / 1e6,
      retransmission: m.retransmission,
      error: m.error,
    };
    previous = m.timeUs;
    return row;
  });
  return {
    lanes: keys.map((key, i) => ({ key, x: x(i) })),
    rows,
    width: TIME_WIDTH + Math.max(keys.length, 2) * laneWidth,
    laneWidth,
    height: HEAD_HEIGHT + rows.length * ROW_HEIGHT + 10,
  };
}

/** A message's text cut into header and body lines, the SDP body's lines marked for highlighting. */
export interface MessagePart {
  kind: 'start' | 'header' | 'blank' | 'sdp' | 'body';
  /** For a header: its name; for an SDP line: its type letter. */
  name: string;
  text: string;
}

export function messageParts(text: string): MessagePart[] {
  const normalized = text.replace(/\r\n/g, '\n');
  const split = normalized.indexOf('\n\n');
  const head = split < 0 ? normalized : normalized.slice(0, split);
  const body = split < 0 ? '' : normalized.slice(split + 2);
  const lines = head.split('\n');
  const parts: MessagePart[] = [{ kind: 'start', name: '', text: lines[0] ?? '' }];
  let sdp = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (/^(content-type|c)$/i.test(name.trim()) && /application\/sdp/i.test(line)) sdp = true;
    parts.push({ kind: 'header', name, text: colon > 0 ? line.slice(colon) : line });
  }
  if (split >= 0) parts.push({ kind: 'blank', name: '', text: '' });
  for (const line of body === '' ? [] : body.replace(/\n$/, '').split('\n')) {
    const typed = sdp && /^[a-z]=/.test(line);
    parts.push(
      typed ? { kind: 'sdp', name: line[0]!, text: line.slice(1) } : { kind: 'body', name: '', text: line },
    );
  }
  return parts;
}

/** A list's stamp (the time, and the day when not today; server's clock) of µs since the epoch. */
export function clock(timeUs: number): string {
  return stampMs(Math.floor(timeUs / 1000));
}

/** Room kept beside an arrow's ends when it is scrolled into view (its head, a label's overhang). */
const SIDE_ROOM = 24;

/**
 * The pane's scrollLeft that shows the arrow from x `from` to x `to` (a self-arrow reaches 40 px right of
 * its lane), changed as little as it can: as it is when the arrow is in view already, else so that the
 * arrow's far end is in view, its near end kept in view first when the arrow is wider than the pane.
 */
export function sideScrollFor(from: number, to: number, scrollLeft: number, paneWidth: number): number {
  const left = Math.min(from, to) - SIDE_ROOM;
  const right = (from === to ? from + 40 : Math.max(from, to)) + SIDE_ROOM;
  if (right - left > paneWidth) return Math.max(0, left);
  if (left < scrollLeft) return Math.max(0, left);
  if (right > scrollLeft + paneWidth) return right - paneWidth;
  return scrollLeft;
}
