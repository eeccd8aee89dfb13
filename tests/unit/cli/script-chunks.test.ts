// mml --file's pieces (core/cli/script-chunks.ts): whole lines, within both limits, numbered as in the
// file, comment-only pieces left out, every statement sent once and in order.
import { describe, expect, it } from 'vitest';
import { scriptChunks } from '../../../core/cli/script-chunks';
import { splitScript } from '../../../core/mml/grammar';

const statementsOf = (script: string): string[] => splitScript(script).map((s) => `${s.line}:${s.text}`);

describe('scriptChunks', () => {
  it('leaves a script that fits as it is', () => {
    expect(scriptChunks('DSP USER\nHELP', { chars: 100, bytes: 100 })).toEqual(['DSP USER\nHELP']);
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
      expect(p.length).toBeLessThanOrEqual(limits.chars);
      expect(Buffer.byteLength(JSON.stringify(p)) - 2).toBeLessThanOrEqual(limits.bytes);
    }
    expect(pieces.flatMap(statementsOf)).toEqual(statementsOf(script));
  });

  it('does not send a piece of comments only', () => {
    const script = [...Array.from({ length: 50 }, () => `// ${'x'.repeat(20)}`), 'DSP USER'].join('\n');
    const pieces = scriptChunks(script, { chars: 300, bytes: 300 });
    expect(pieces).toHaveLength(1);
    expect(statementsOf(pieces[0]!)).toEqual(['51:DSP USER']);
  });
});
