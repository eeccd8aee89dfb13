// What the mml client says of a script cut short (README, exit code 4): the lines answered, those whose
// fate is unknown, those not run, by the lines of the pieces the script went in.
import { describe, expect, it } from 'vitest';
import { cutShortMessage, linesOf } from '../../../core/cli/cut-short';

const pieces = [
  { text: 'DSP USER\nHELP', firstLine: 1 },
  { text: 'ADD USER USERNAME=1\n// note\nADD USER USERNAME=2', firstLine: 3 },
  { text: 'DSP REG\n', firstLine: 6 },
];

describe('cut-short message', () => {
  it('counts the lines of a piece, a final line end starting none', () => {
    expect(pieces.map(linesOf)).toEqual([
      [1, 2],
      [3, 5],
      [6, 6],
    ]);
  });

  it('names the lines answered, in doubt and not sent', () => {
    expect(cutShortMessage({ pieces, answered: 1, reason: 'no answer', inDoubt: true })).toBe(
      'mml: script cut short: no answer; lines 1-2 answered (above); lines 3-5 sent but not answered: they may or may not have run; line 6 not sent',
    );
    expect(cutShortMessage({ pieces, answered: 0, reason: 'no answer', inDoubt: true })).toBe(
      'mml: script cut short: no answer; lines 1-2 sent but not answered: they may or may not have run; lines 3-6 not sent',
    );
  });

  it('names the lines not run when the next piece was refused', () => {
    expect(
      cutShortMessage({ pieces, answered: 2, reason: 'refused (401): log in first', inDoubt: false }),
    ).toBe('mml: script cut short: refused (401): log in first; lines 1-5 answered (above); line 6 not run');
  });

  it('names the lines not sent when the client was stopped between pieces, and none left after the last', () => {
    const reason = 'stopped by SIGTERM';
    expect(cutShortMessage({ pieces, answered: 1, reason, inDoubt: false, unsent: true })).toBe(
      'mml: script cut short: stopped by SIGTERM; lines 1-2 answered (above); lines 3-6 not sent',
    );
    expect(cutShortMessage({ pieces, answered: 3, reason, inDoubt: false, unsent: true })).toBe(
      'mml: script cut short: stopped by SIGTERM; lines 1-6 answered (above); none left to send',
    );
  });

  it('names the first line the server did not run as where to resume (it began to stop in a piece)', () => {
    const reason = 'the server is stopping';
    expect(cutShortMessage({ pieces, answered: 2, reason, inDoubt: false, notRunFrom: 4 })).toBe(
      'mml: script cut short: the server is stopping; lines 1-3 answered (above); lines 4-6 not run',
    );
    expect(cutShortMessage({ pieces, answered: 1, reason, inDoubt: false, notRunFrom: 1 })).toBe(
      'mml: script cut short: the server is stopping; lines 1-6 not run',
    );
  });
});
