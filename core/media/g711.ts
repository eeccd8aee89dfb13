// G.711 (ITU-T Recommendation G.711, 1988): µ-law and A-law companding of 16-bit linear PCM, by the
// segment tables of the Recommendation, with the arithmetic of the ITU-T Software Tool Library's
// reference g711.c (ITU-T G.191). µ-law works on 14-bit magnitudes with a bias of 33, A-law on 13-bit ones;
// even bits of A-law code words are inverted (0x55). Encoding uses 64 K lookup tables built once.

const SEG_A_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
const U_BIAS = 0x84;

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]!) return i;
  return ends.length;
}

/**
 * One 16-bit sample to a µ-law code word, as the ITU-T STL's ulaw_compress: the 14 most significant
 * bits, one's complement for negative values, bias 33, segment from the position of the leading one.
 */
export function linearToUlaw(sample: number): number {
  let absno = (sample < 0 ? ~sample >> 2 : sample >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const high = 0x08 - segno;
  const low = 0x0f - ((absno >> segno) & 0x0f);
  const code = (high << 4) | low;
  return sample >= 0 ? code | 0x80 : code;
}

/** A µ-law code word to a 16-bit sample. */
export function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + U_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? U_BIAS - t : t - U_BIAS;
}

/** One 16-bit sample to an A-law code word. */
export function linearToAlaw(sample: number): number {
  let pcm = sample >> 3; // 13-bit
  let mask: number;
  if (pcm >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = segment(pcm, SEG_A_END);
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return (aval ^ mask) & 0xff;
}

/** An A-law code word to a 16-bit sample. */
export function alawToLinear(code: number): number {
  const a = (code ^ 0x55) & 0xff;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else {
    t += 0x108;
    if (seg > 1) t <<= seg - 1;
  }
  return a & 0x80 ? t : -t;
}

export type G711Law = 'PCMU' | 'PCMA';

let ulawTable: Uint8Array | undefined;
let alawTable: Uint8Array | undefined;

function table(law: G711Law): Uint8Array {
  if (law === 'PCMU') {
    if (ulawTable === undefined) {
      ulawTable = new Uint8Array(65536);
      for (let s = -32768; s < 32768; s++) ulawTable[s & 0xffff] = linearToUlaw(s);
    }
    return ulawTable;
  }
  if (alawTable === undefined) {
    alawTable = new Uint8Array(65536);
    for (let s = -32768; s < 32768; s++) alawTable[s & 0xffff] = linearToAlaw(s);
  }
  return alawTable;
}

/** 16-bit samples to G.711 code words, one byte per sample. */
export function encodeG711(samples: Int16Array, law: G711Law): Buffer {
  const t = table(law);
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = t[samples[i]! & 0xffff]!;
  return out;
}

/** G.711 code words to 16-bit samples. */
export function decodeG711(codes: Uint8Array, law: G711Law): Int16Array {
  const out = new Int16Array(codes.length);
  const f = law === 'PCMU' ? ulawToLinear : alawToLinear;
  for (let i = 0; i < codes.length; i++) out[i] = f(codes[i]!);
  return out;
}
