import { beforeEach, describe, expect, it } from 'vitest';
import { commonPrefix, MAX_SCROLLBACK, MAX_SCROLLBACK_LINES, useTerminal } from './store';

beforeEach(() =>
  useTerminal.setState({ entries: [], history: [], cursor: 0, draft: '', historyLoaded: false, typed: '' }),
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

  it('bounds the scrollback by lines too: older entries go, the newest stays whole however long', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `user ${i}`).join('\n');
    const run = (command: string, n: number) => {
      const id = useTerminal.getState().begin(command);
      useTerminal.getState().finish(id, lines(n), 0);
    };
    const held = () =>
      useTerminal.getState().entries.reduce((sum, e) => sum + (e.text ?? '').split('\n').length, 0);
    run('DSP USER 1', 12_000);
    run('DSP USER 2', 12_000);
    run('DSP USER 3', 12_000);
    expect(useTerminal.getState().entries.map((e) => e.command)).toEqual(['DSP USER 3']);
    expect(held()).toBeLessThanOrEqual(MAX_SCROLLBACK_LINES);
    run('DSP SYSINFO', 25);
    expect(useTerminal.getState().entries.map((e) => e.command)).toEqual(['DSP USER 3', 'DSP SYSINFO']);
    // One output longer than the cap is kept whole while it is the newest.
    run('DSP USER BIG', MAX_SCROLLBACK_LINES + 500);
    expect(useTerminal.getState().entries.map((e) => e.command)).toEqual(['DSP USER BIG']);
    expect(useTerminal.getState().entries[0]!.text!.split('\n')).toHaveLength(MAX_SCROLLBACK_LINES + 500);
  });

  it('keeps the line typed and not sent, and the scrollback, for the command line to come back to', () => {
    const id = useTerminal.getState().begin('DSP SRVSTAT');
    useTerminal.getState().finish(id, 'RETCODE = 0', 0);
    useTerminal.getState().setTyped('MOD USER USERNAME=1001 NAME=half typed');
    // The view unmounts (another view, the login page after the session ended) and mounts again.
    expect(useTerminal.getState().typed).toBe('MOD USER USERNAME=1001 NAME=half typed');
    expect(useTerminal.getState().entries.map((e) => e.command)).toEqual(['DSP SRVSTAT']);
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
