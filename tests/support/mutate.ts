// Seeded random mutation of SIP messages (bit flips, truncations, inserted separators, deleted or
// repeated spans, random bytes, splices with another message), shared by the parser fuzz test and the
// whole-server robustness test. The seed makes every failure reproducible.

export /** mulberry32: small, fast, good enough to spread mutations; the seed makes failures reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  0x0d, 0x0a, 0x00, 0x20, 0x09, 0x3a, 0x3b, 0x2c, 0x22, 0x3c, 0x3e, 0x5b, 0x5d, 0x25, 0x3d, 0x40, 0xff,
];

/** One mutated copy of `src`; `others` are what a splice may take its tail from. */
export function mutate(src: Buffer, rand: () => number, others: readonly Buffer[]): Buffer {
  let b = Buffer.from(src);
  const ops = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(rand() * (b.length + 1));
    switch (Math.floor(rand() * 7)) {
      case 0: // bit flips
        for (let j = 0, n = 1 + Math.floor(rand() * 8); j < n && b.length > 0; j++) {
          const p = Math.floor(rand() * b.length);
          b[p] = b[p]! ^ (1 << Math.floor(rand() * 8));
        }
        break;
      case 1: // truncation
        b = b.subarray(0, at);
        break;
      case 2: // inserted CR / LF / NUL / separators
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from([INSERTS[Math.floor(rand() * INSERTS.length)]!]),
          b.subarray(at),
        ]);
        break;
      case 3: // deleted span
        b = Buffer.concat([
          b.subarray(0, at),
          b.subarray(Math.min(b.length, at + 1 + Math.floor(rand() * 40))),
        ]);
        break;
      case 4: {
        // duplicated span (repeats headers, separators, digits)
        const len = Math.floor(rand() * 60);
        b = Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
        break;
      }
      case 5: // random byte
        if (b.length > 0) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        break;
      default: {
        // splice with another message
        const other = others[Math.floor(rand() * others.length)] ?? src;
        b = Buffer.concat([b.subarray(0, at), other.subarray(Math.floor(rand() * other.length))]);
      }
    }
  }
  return b;
}
