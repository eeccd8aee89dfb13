// The ladder diagram of one dialog as SVG: lanes with their address:port on top, one arrow per message
// (a button: it shows the message whole), time since the first message and delta on the left. The
// arrows are one Tab stop, as the tables are: Up/Down, Home/End move between them, Enter opens one.
// A ladder wider than its pane scrolls sideways from the keyboard too (WCAG 2.1.1): the focused arrow's
// lanes are scrolled into view, and Left/Right scroll the pane as they do a table.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TraceMessageData } from '../../../../core/control/contract';
import { useT } from '../../store/shell';
import { peerTitle } from '../../components/peer-text';
import {
  DELTA_X,
  fitLabel,
  HEAD_HEIGHT,
  labelRoom,
  laneWidthFor,
  layoutLadder,
  NO_X,
  sideScrollFor,
  TIME_X,
} from './ladder';

const ARROW = 7;
/** How far Left/Right scroll the pane sideways (as a table's arrow keys do). */
const SIDE_STEP = 40;
export function Ladder({
  messages,
  selected,
  onSelect,
}: {
  messages: readonly TraceMessageData[];
  selected: number | null;
  onSelect: (seq: number) => void;
}) {
  const t = useT();
  // The lanes widen to the pane's width (up to a most), so that labels are cut only when they must be.
  const pane = useRef<HTMLDivElement>(null);
  const [paneWidth, setPaneWidth] = useState(0);
  useEffect(() => {
    const el = pane.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setPaneWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const ladder = useMemo(() => {
    const narrow = layoutLadder(messages);
    const width = laneWidthFor(paneWidth, narrow.lanes.length);
    return width === narrow.laneWidth ? narrow : layoutLadder(messages, width);
  }, [messages, paneWidth]);
  const lanes = new Map(ladder.lanes.map((l) => [l.x, l.key]));
  const head = useRef<HTMLDivElement>(null);
  const body = ladder.height - HEAD_HEIGHT;
  const [focused, setFocused] = useState<number | null>(null);
  const has = (seq: number | null): seq is number => seq !== null && ladder.rows.some((r) => r.seq === seq);
  // The one arrow Tab reaches: the one last focused, else the message shown, else the first.
  const tabStop = has(focused) ? focused : has(selected) ? selected : (ladder.rows[0]?.seq ?? null);
  const onKey = (e: KeyboardEvent<SVGGElement>, seq: number): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(seq);
      return;
    }
    if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && pane.current) {
      e.preventDefault();
      pane.current.scrollLeft += e.key === 'ArrowLeft' ? -SIDE_STEP : SIDE_STEP;
      return;
    }
    const rows = [...(e.currentTarget.parentElement?.querySelectorAll<SVGGElement>('.ladder-row') ?? [])];
    const at = rows.indexOf(e.currentTarget);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: rows.length - 1,
    };
    const to = Object.hasOwn(moves, e.key) ? moves[e.key]! : -1;
    if (to < 0 || to >= rows.length) return;
    e.preventDefault();
    rows[to]!.focus();
  };
  return (
    <>
      {/* The lane titles stay in view while the rows scroll (kept level with them sideways). */}
      <div className="ladder-headbar" ref={head} aria-hidden="true">
        <svg className="ladder" width={ladder.width} height={HEAD_HEIGHT}>
          {/* DSP TRACE CALLID='s No.: the same number for the same message in both. */}
          <text x={NO_X} y={HEAD_HEIGHT - 8} className="ladder-head">
            {t('trace.no')}
          </text>
          <text x={TIME_X} y={HEAD_HEIGHT - 8} className="ladder-head">
            {t('trace.time')}
          </text>
          <text x={DELTA_X} y={HEAD_HEIGHT - 8} className="ladder-head">
            {t('trace.delta')}
          </text>
          {ladder.lanes.map((l) => (
            <g key={l.key}>
              <text x={l.x} y={16} textAnchor="middle" className="ladder-lane">
                {l.key}
              </text>
              <line x1={l.x} x2={l.x} y1={24} y2={HEAD_HEIGHT} className="ladder-lifeline" />
            </g>
          ))}
        </svg>
      </div>
      <div
        className="ladder-scroll"
        ref={pane}
        onScroll={(e) => {
          if (head.current) head.current.scrollLeft = e.currentTarget.scrollLeft;
        }}
      >
        <svg
          className="ladder"
          width={ladder.width}
          height={body}
          viewBox={`0 ${HEAD_HEIGHT} ${ladder.width} ${body}`}
          role="group"
        >
          {ladder.lanes.map((l) => (
            <line
              key={l.key}
              x1={l.x}
              x2={l.x}
              y1={HEAD_HEIGHT}
              y2={ladder.height}
              className="ladder-lifeline"
            />
          ))}
          {ladder.rows.map((r) => {
            const self = r.from === r.to;
            const dir = r.to >= r.from ? 1 : -1;
            const mid = self ? r.from + 40 : (r.from + r.to) / 2;
            // A reason phrase is the peer's: its bidi overrides and controls written as escapes (SVG text).
            const label = peerTitle(r.label);
            const shown = fitLabel(label, labelRoom(r, ladder));
            const name = t('trace.arrow', {
              no: r.no,
              label,
              from: lanes.get(r.from) ?? '',
              to: lanes.get(r.to) ?? '',
            });
            return (
              <g
                key={r.seq}
                role="button"
                tabIndex={r.seq === tabStop ? 0 : -1}
                onFocus={() => {
                  setFocused(r.seq);
                  const el = pane.current;
                  if (el) el.scrollLeft = sideScrollFor(r.from, r.to, el.scrollLeft, el.clientWidth);
                }}
                aria-label={name}
                aria-pressed={selected === r.seq}
                className={`ladder-row tone-${r.tone}${r.retransmission ? ' rtx' : ''}${selected === r.seq ? ' selected' : ''}`}
                onClick={() => onSelect(r.seq)}
                onKeyDown={(e) => onKey(e, r.seq)}
              >
                <rect x={1} y={r.y - 14} width={ladder.width - 2} height={28} className="ladder-hit" />
                <text x={NO_X} y={r.y + 4} className="ladder-time">
                  {r.no}
                </text>
                <text x={TIME_X} y={r.y + 4} className="ladder-time">
                  {r.time.toFixed(3)}
                </text>
                <text x={DELTA_X} y={r.y + 4} className="ladder-time">
                  +{r.delta.toFixed(3)}
                </text>
                {self ? (
                  <path d={`M${r.from} ${r.y - 6} h30 v12 h-30`} className="ladder-arrow" fill="none" />
                ) : (
                  <>
                    <line
                      x1={r.from}
                      x2={r.to - dir * ARROW}
                      y1={r.y + 4}
                      y2={r.y + 4}
                      className="ladder-arrow"
                    />
                    <path
                      d={`M${r.to} ${r.y + 4} l${-dir * ARROW * 1.4} -${ARROW / 1.4} v${(ARROW / 1.4) * 2} z`}
                      className="ladder-head-arrow"
                    />
                  </>
                )}
                <text x={mid} y={r.y - 2} textAnchor="middle" className="ladder-label">
                  {shown}
                </text>
                {(r.error !== null || shown !== label) && <title>{peerTitle(r.error ?? label)}</title>}
              </g>
            );
          })}
        </svg>
      </div>
    </>
  );
}
