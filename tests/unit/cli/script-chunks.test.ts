// mml --file's pieces (core/cli/script-chunks.ts): whole lines, within both limits, numbered as in the
// file (each piece says its first line), comment-only pieces left out, every statement sent once and in
// order; a file of any length goes in pieces of about the limit.
import { describe, expect, it } from 'vitest';
import { statementPieces, scriptChunks, type ScriptPiece } from '../../../core/cli/script-chunks';
import { splitScript } from '../../../core/mml/grammar';

const statementsOf = (script: string, firstLine = 1): string[] =>
  splitScript(script).map((s) => `${s.line + firstLine - 1}:${s.text}`);
const ofPiece = (p: ScriptPiece): string[] => statementsOf(p.text, p.firstLine);

describe('scriptChunks', () => {
  it('leaves a script that fits as it is', () => {
    expect(scriptChunks('DSP USER\nHELP', { chars: 100, bytes: 100 })).toEqual([
      { text: 'DSP USER\nHELP', firstLine: 1 },
    ]);
  });

  it('cuts between lines within the character and the byte limit, keeping each line its number', () => {
    const lines = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? `ADD USER USERNAME=u${i} PASSWORD=p NAME="用户${i}"` : `// note ${i}`,
    );
    const script = lines.join('\n');
    const limits = { chars: 400, bytes: 500 };
    const pieces = scriptChunks(script, limits);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.text.length).toBeLessThanOrEqual(limits.chars);
      expect(Buffer.byteLength(JSON.stringify(p.text)) - 2).toBeLessThanOrEqual(limits.bytes);
    }
    expect(pieces.flatMap(ofPiece)).toEqual(statementsOf(script));
  });

  it('does not send a piece of comments only', () => {
    const script = [...Array.from({ length: 50 }, () => `// ${'x'.repeat(20)}`), 'DSP USER'].join('\n');
    const pieces = scriptChunks(script, { chars: 300, bytes: 300 });
    expect(pieces).toHaveLength(1);
    expect(ofPiece(pieces[0]!)).toEqual(['51:DSP USER']);
  });

  it('sends 300,000 lines in pieces of about the limit, the last numbered 300,000 (padding made no piece fit)', () => {
    const script = Array.from(
      { length: 300_000 },
      (_, i) => `ADD USER USERNAME=u${i + 1} PASSWORD=p${i + 1}`,
    ).join('\n');
    const pieces = scriptChunks(script);
    const sent = pieces.reduce((n, p) => n + p.text.length, 0);
    expect(sent).toBeLessThan(script.length + pieces.length);
    expect(pieces.length).toBeLessThan(Math.ceil(script.length / 200_000) + 2);
    const last = pieces.at(-1)!;
    expect(ofPiece(last).at(-1)).toBe('300000:ADD USER USERNAME=u300000 PASSWORD=p300000');
  });
});

describe('statement pieces (mml --stop-on-error)', () => {
  it('gives one piece a statement at its line, padded to its column, comments and blank lines left out', () => {
    expect(statementPieces('\uFEFFDSP USER\r\n// note\n\n  ADD USER USERNAME=1;DSP REG # x\n')).toEqual([
      { text: 'DSP USER', firstLine: 1 },
      { text: '  ADD USER USERNAME=1', firstLine: 4 },
      { text: `${' '.repeat(22)}DSP REG`, firstLine: 4 },
    ]);
  });
});
