// G.711 against known values: the code words and decoded levels of the ITU-T G.711 tables (the same as
// CPython's audioop and the ITU-T STL's g711.c), and round trips over every code word.
import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decodeG711,
  encodeG711,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../../core/media/g711';

describe('G.711', () => {
  it('encodes known linear values to the standard µ-law and A-law code words', () => {
    const known: [number, number, number][] = [
      // sample, µ-law, A-law
      [0, 0xff, 0xd5],
      [1, 0xff, 0xd5],
      [1000, 0xce, 0xfa],
      [-1000, 0x4e, 0x7a],
      [8031, 0xa0, 0x8a],
      [-8031, 0x20, 0x0a],
      [32767, 0x80, 0xaa],
      [-32768, 0x00, 0x2a],
      // One's complement for negatives (STL ulaw_compress): -1 is the negative zero code.
      [-1, 0x7f, 0x55],
    ];
    for (const [x, u, a] of known) {
      expect(linearToUlaw(x), `µ-law(${x})`).toBe(u);
      expect(linearToAlaw(x), `A-law(${x})`).toBe(a);
    }
  });

  it('decodes code words to the standard levels', () => {
    const known: [number, number, number][] = [
      // code, µ-law level, A-law level
      [0xff, 0, 848],
      [0x80, 32124, 5504],
      [0x00, -32124, -5504],
      [0xce, 988, 440],
      [0xd5, 716, 8],
      [0xaa, 5372, 32256],
      [0x2a, -5372, -32256],
      [0xfa, 40, 1008],
    ];
    for (const [c, u, a] of known) {
      expect(ulawToLinear(c), `µ-law ${c.toString(16)}`).toBe(u);
      expect(alawToLinear(c), `A-law ${c.toString(16)}`).toBe(a);
    }
  });

  it('gives back every code word after decode and encode', () => {
    for (let c = 0; c < 256; c++) {
      expect(linearToAlaw(alawToLinear(c))).toBe(c);
      // 0x7f (negative zero) decodes to 0, which encodes as positive zero 0xff.
      if (c !== 0x7f) expect(linearToUlaw(ulawToLinear(c))).toBe(c);
    }
  });

  it('encodes whole buffers through its tables as sample by sample', () => {
    const samples = Int16Array.from({ length: 2000 }, (_, i) => Math.round(30000 * Math.sin(i / 7)));
    const u = encodeG711(samples, 'PCMU');
    const a = encodeG711(samples, 'PCMA');
    samples.forEach((s, i) => {
      expect(u[i]).toBe(linearToUlaw(s));
      expect(a[i]).toBe(linearToAlaw(s));
    });
    // Quantization error stays within the segment step (the largest step is 1024 for µ-law).
    const back = decodeG711(u, 'PCMU');
    samples.forEach((s, i) => expect(Math.abs(back[i]! - s)).toBeLessThanOrEqual(1024));
  });
});
