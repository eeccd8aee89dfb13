import { describe, expect, it } from 'vitest';
import type { TraceMessageData } from '../../../../core/control/contract';
import {
  fitLabel,
  HEAD_HEIGHT,
  LANE_WIDTH,
  labelRoom,
  laneWidthFor,
  MAX_LANE_WIDTH,
  ROW_HEIGHT,
  TIME_WIDTH,
  layoutLadder,
  messageParts,
  sideScrollFor,
  toneOf,
} from './ladder';

const A = { address: '127.0.0.1', port: 5061 };
const P = { address: '127.0.0.1', port: 5060 };
const B = { address: '::1', port: 5062 };

function msg(
  seq: number,
  src: typeof A,
  dst: typeof A,
  label: string,
  timeUs: number,
  rtx = false,
): TraceMessageData {
  const status = /^\d{3}/.test(label) ? Number(label.slice(0, 3)) : 0;
  return {
    seq,
    no: seq,
    timeUs,
    direction: dst === P ? 'in' : 'out',
    transport: 'UDP',
    src,
    dst,
    firstLine: label,
    label,
    method: status === 0 ? label : '',
    status,
    retransmission: rtx,
    error: null,
    text: '',
  };
}

describe('ladder layout', () => {
  const flow = [
    msg(1, A, P, 'INVITE', 1_000_000),
    msg(2, P, A, '100 Trying', 1_000_300),
    msg(3, P, B, 'INVITE', 1_001_000),
    msg(4, B, P, '200 OK', 1_500_000),
    msg(5, B, P, '200 OK', 2_000_000, true),
    msg(6, P, A, '486 Busy Here', 2_000_500),
  ];

  it('gives one lane per address:port in order of appearance and one row per message', () => {
    const l = layoutLadder(flow);
    expect(l.lanes.map((x) => x.key)).toEqual(['127.0.0.1:5061', '127.0.0.1:5060', '[::1]:5062']);
    const x = (i: number) => TIME_WIDTH + LANE_WIDTH / 2 + i * LANE_WIDTH;
    expect(l.lanes.map((x) => x.x)).toEqual([x(0), x(1), x(2)]);
    expect(l.rows.map((r) => [r.from, r.to])).toEqual([
      [x(0), x(1)],
      [x(1), x(0)],
      [x(1), x(2)],
      [x(2), x(1)],
      [x(2), x(1)],
      [x(1), x(0)],
    ]);
    expect(l.rows[2]!.y - l.rows[1]!.y).toBe(ROW_HEIGHT);
    expect(l.rows[0]!.y).toBe(HEAD_HEIGHT + ROW_HEIGHT / 2);
    expect(l.width).toBe(TIME_WIDTH + 3 * LANE_WIDTH);
    expect(l.height).toBe(HEAD_HEIGHT + 6 * ROW_HEIGHT + 10);
  });

  it('times each row from the first message and from the previous one; marks retransmissions', () => {
    const l = layoutLadder(flow);
    expect(l.rows.map((r) => r.time)).toEqual([0, 0.0003, 0.001, 0.5, 1, 1.0005]);
    expect(l.rows[4]).toMatchObject({ delta: 0.5, retransmission: true, label: '200 OK (rtx)' });
  });

  it('colours arrows by method and by status class', () => {
    expect(layoutLadder(flow).rows.map((r) => r.tone)).toEqual([
      'm-invite',
      's-1xx',
      'm-invite',
      's-2xx',
      's-2xx',
      's-4xx',
    ]);
    expect(toneOf({ method: 'PUBLISH', status: 0, error: null })).toBe('m-other');
    expect(toneOf({ method: '', status: 0, error: 'no Call-ID' })).toBe('malformed');
  });

  it('splits a message into its start line, headers and an SDP body whose lines are typed', () => {
    const text =
      'INVITE sip:1002@lab SIP/2.0\r\nCall-ID: x\r\nContent-Type: application/sdp\r\nContent-Length: 30\r\n\r\n' +
      'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n';
    const parts = messageParts(text);
    expect(parts[0]).toEqual({ kind: 'start', name: '', text: 'INVITE sip:1002@lab SIP/2.0' });
    expect(parts[1]).toEqual({ kind: 'header', name: 'Call-ID', text: ': x' });
    expect(parts.filter((p) => p.kind === 'sdp').map((p) => p.name)).toEqual(['v', 'c', 'm']);
    const plain = messageParts('MESSAGE sip:a SIP/2.0\r\nContent-Type: text/plain\r\n\r\nv=hello');
    expect(plain.at(-1)).toEqual({ kind: 'body', name: '', text: 'v=hello' });
  });
});

describe('fitLabel', () => {
  it('keeps a label that fits, and cuts one that would spill into the next lane', () => {
    expect(fitLabel('INVITE', LANE_WIDTH - 16)).toBe('INVITE');
    const cut = fitLabel('407 Proxy Authentication Required', LANE_WIDTH - 16);
    expect(cut).toBe('407 Proxy Authentica…');
    expect(cut.length * 7.3).toBeLessThanOrEqual(LANE_WIDTH - 16);
    expect(fitLabel('407 Proxy Authentication Required', 2 * LANE_WIDTH - 16)).toBe(
      '407 Proxy Authentication Required',
    );
  });
});

describe('laneWidthFor and labelRoom', () => {
  it('widens the lanes to fill a wide pane, within their bounds', () => {
    expect(laneWidthFor(900, 3)).toBe(Math.floor((900 - TIME_WIDTH) / 3));
    expect(layoutLadder([], 256).laneWidth).toBe(256);
    // A narrow pane keeps the least width (the ladder scrolls), a very wide one the most.
    expect(laneWidthFor(400, 3)).toBe(LANE_WIDTH);
    expect(laneWidthFor(0, 3)).toBe(LANE_WIDTH);
    expect(laneWidthFor(3000, 2)).toBe(MAX_LANE_WIDTH);
  });

  it("gives a label the row's width beside its arrow: the 407's reason whole between the first two lanes", () => {
    const ladder = layoutLadder([
      msg(1, A, P, 'INVITE', 0),
      msg(2, P, A, '407 Proxy Authentication Required', 1000),
      msg(3, P, B, 'INVITE', 2000),
    ]);
    const reason = '407 Proxy Authentication Required';
    expect(fitLabel(reason, labelRoom(ladder.rows[1]!, ladder))).toBe(reason);
    // Never into the time columns: room is twice the distance to the nearer edge.
    const first = ladder.rows[0]!;
    expect(labelRoom(first, ladder)).toBe(2 * ((first.from + first.to) / 2 - TIME_WIDTH) - 16);
  });
});

describe('sideScrollFor', () => {
  it('leaves an arrow in view where it is, and scrolls as little as it can to one out of view', () => {
    expect(sideScrollFor(215, 385, 0, 464)).toBe(0);
    // The third lane's arrow: its far end (with room for the head) at the pane's right edge.
    expect(sideScrollFor(385, 555, 0, 464)).toBe(555 + 24 - 464);
    // Back to the first lanes: their left end at the pane's left edge.
    expect(sideScrollFor(385, 215, 200, 464)).toBe(215 - 24);
    // Wider than the pane: its near end first; never before 0.
    expect(sideScrollFor(215, 900, 0, 300)).toBe(191);
    expect(sideScrollFor(10, 100, 50, 464)).toBe(0);
    // A message to itself reaches 40 px right of its lane.
    expect(sideScrollFor(555, 555, 0, 464)).toBe(555 + 40 + 24 - 464);
  });
});
