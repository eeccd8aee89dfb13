import { beforeEach, describe, expect, it } from 'vitest';
import { commonPrefix, MAX_SCROLLBACK, useTerminal } from './store';

beforeEach(() =>
  useTerminal.setState({ entries: [], history: [], cursor: 0, draft: '', historyLoaded: false }),
);

describe('terminal store', () => {
  it('walks the history with ↑/↓ and gives back the draft at the bottom', () => {
    const s = useTerminal.getState();
    s.setHistory(['DSP USER', 'DSP REG']);
    s.begin('DSP CALL');
    const walk = (d: -1 | 1, cur: string) => useTerminal.getState().walk(d, cur);
    expect(walk(-1, 'DSP C')).toBe('DSP CALL');
    expect(walk(-1, 'DSP CALL')).toBe('DSP REG');
    expect(walk(-1, 'DSP REG')).toBe('DSP USER');
    expect(walk(-1, 'DSP USER')).toBe('DSP USER'); // top
    expect(walk(1, 'DSP USER')).toBe('DSP REG');
    expect(walk(1, 'DSP REG')).toBe('DSP CALL');
    expect(walk(1, 'DSP CALL')).toBe('DSP C');
  });

  it('does not repeat the same command twice in a row, and bounds the scrollback', () => {
    const s = useTerminal.getState();
    s.begin('DSP USER');
    s.begin('DSP USER');
    expect(useTerminal.getState().history).toEqual(['DSP USER']);
    for (let i = 0; i < MAX_SCROLLBACK + 5; i++) useTerminal.getState().begin(`C ${i}`);
    expect(useTerminal.getState().entries).toHaveLength(MAX_SCROLLBACK);
  });

  it('fills in a result by id', () => {
    const id = useTerminal.getState().begin('DSP USER');
    useTerminal.getState().finish(id, 'RETCODE = 0', 0);
    expect(useTerminal.getState().entries[0]).toMatchObject({ text: 'RETCODE = 0', retcode: 0 });
  });

  it('common prefix of completions, ignoring case', () => {
    expect(commonPrefix(['DSP REG', 'DSP REG STAT'])).toBe('DSP REG');
    expect(commonPrefix(['DSP USER'])).toBe('DSP USER');
    expect(commonPrefix([])).toBe('');
  });
});
