// TraceFeed: per-dialog coalescing of the console's live trace updates (fake clock).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRACE_FEED_MS, TraceFeed } from '../../../core/trace/trace-feed';
import type { TraceDialogSummary } from '../../../core/trace/trace-dialog';

const summary = (callId: string, messages: number): TraceDialogSummary => ({
  callId,
  kind: 'call',
  firstLine: 'INVITE sip:b@lab SIP/2.0',
  from: 'a',
  to: 'b',
  messages,
  startUs: 0,
  lastUs: 0,
  finalStatus: 0,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TraceFeed', () => {
  it('sends each changed dialog once per interval, its latest summary, built only then', () => {
    const sent: TraceDialogSummary[] = [];
    const feed = new TraceFeed(TRACE_FEED_MS, (d) => sent.push(d));
    let built = 0;
    for (let i = 1; i <= 1000; i++) {
      const n = i;
      feed.push('a', () => (built++, summary('a', n)));
      if (i % 100 === 0) feed.push('b', () => (built++, summary('b', n)));
    }
    vi.advanceTimersByTime(TRACE_FEED_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([summary('a', 1000), summary('b', 1000)]);
    expect(built).toBe(2);
    vi.advanceTimersByTime(TRACE_FEED_MS * 4);
    expect(sent).toHaveLength(2); // nothing changed, nothing sent
    feed.push('a', () => summary('a', 1001));
    vi.advanceTimersByTime(TRACE_FEED_MS);
    expect(sent.at(-1)).toEqual(summary('a', 1001));
  });

  it('sends nothing for a dialog the trace forgot meanwhile', () => {
    const sent: TraceDialogSummary[] = [];
    const feed = new TraceFeed(TRACE_FEED_MS, (d) => sent.push(d));
    feed.push('a', () => undefined);
    feed.push('b', () => summary('b', 1));
    vi.advanceTimersByTime(TRACE_FEED_MS);
    expect(sent).toEqual([summary('b', 1)]);
  });

  it('drops what it holds when stopped', () => {
    const sent: TraceDialogSummary[] = [];
    const feed = new TraceFeed(TRACE_FEED_MS, (d) => sent.push(d));
    feed.push('a', () => summary('a', 1));
    feed.stop();
    vi.advanceTimersByTime(TRACE_FEED_MS * 2);
    expect(sent).toEqual([]);
  });
});
