import { beforeEach, describe, expect, it } from 'vitest';
import type { LogLineData } from '../../../../core/control/contract';
import { appendBounded, useLogs, visible } from './store';

const line = (text: string, level: LogLineData['level'] = 'INFO'): LogLineData => ({
  time: 0,
  level,
  source: 'sip',
  text,
});

beforeEach(() => useLogs.setState({ lines: [], held: [], paused: false, keep: 3, asked: 3 }));

describe('logs store', () => {
  it('keeps the last N lines only', () => {
    expect(appendBounded([1, 2], [3, 4, 5], 3)).toEqual([3, 4, 5]);
    useLogs.getState().apply([line('a'), line('b'), line('c'), line('d')]);
    expect(useLogs.getState().lines.map((l) => l.text)).toEqual(['b', 'c', 'd']);
  });

  it('pause holds new lines (bounded) and resume shows them', () => {
    useLogs.getState().apply([line('a')]);
    useLogs.getState().setPaused(true);
    useLogs.getState().apply([line('b'), line('c')]);
    expect(useLogs.getState().lines.map((l) => l.text)).toEqual(['a']);
    expect(useLogs.getState().held).toHaveLength(2);
    useLogs.getState().setPaused(false);
    expect(useLogs.getState().lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('filters by level and text', () => {
    useLogs.getState().setKeep(10);
    useLogs.getState().apply([line('x INVITE', 'DEBUG'), line('y', 'ERROR'), line('z invite', 'INFO')]);
    const lines = useLogs.getState().lines;
    expect(visible(lines, 'INFO', '').map((l) => l.text)).toEqual(['y', 'z invite']);
    expect(visible(lines, 'DEBUG', 'invite').map((l) => l.text)).toEqual(['x INVITE', 'z invite']);
  });

  it('asks the server again for more lines when Lines kept grows (not while paused, not when it shrinks)', () => {
    useLogs.getState().setKeep(2000);
    expect(useLogs.getState().asked).toBe(2000);
    useLogs.getState().setKeep(500);
    expect(useLogs.getState().asked).toBe(2000);
    useLogs.getState().setPaused(true);
    useLogs.getState().setKeep(50_000);
    expect(useLogs.getState().asked).toBe(2000);
  });
});
