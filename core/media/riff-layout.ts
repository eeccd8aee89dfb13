// The RIFF chunk layout of a prompt, looked at before wavefile (the parser wav.ts uses) reads it, for
// what wavefile would refuse as `Could not find the "data" chunk`, a wrong cause: a RIFX file (the
// big-endian form, refused by name), and a chunk of odd size written without its pad byte (RIFF wants
// every chunk padded to an even length; a common writer bug, which sox and ffmpeg read through). For the
// latter the chunks that follow are looked for at both offsets: when they line up right after the odd
// chunk and not one byte further, the pad byte is put back (in a copy) so that wavefile finds them. A
// four-character id alone does not tell: one byte further, "data" reads "ata" and its size's low byte,
// printable for about a third of sizes (4128 bytes is 0x1020, "ata "), so the chunk found there must
// also fit the file and be followed by another (or the file's end).

/** The refusal of a RIFX file. */
export const RIFX_REFUSAL = 'big-endian RIFX WAV files are not supported';

const ascii = (bytes: Uint8Array, at: number): string =>
  String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);

/** A RIFX file (RIFX ... WAVE). */
export const isRifx = (bytes: Uint8Array): boolean =>
  bytes.length >= 12 && ascii(bytes, 0) === 'RIFX' && ascii(bytes, 8) === 'WAVE';

/** Four printable ASCII characters (a chunk id, RIFF's FOURCC) with a size after them, at `at`. */
function chunkAt(bytes: Uint8Array, at: number): boolean {
  if (at + 8 > bytes.length) return false;
  for (let i = at; i < at + 4; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  return true;
}

const sizeAt = (bytes: Uint8Array, at: number): number =>
  (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

/** A data size a streaming writer left unknown: its audio runs to the end. */
const UNKNOWN = 0xffffffff;

/**
 * Do chunks line up from `at`: a chunk there that ends inside the file (the data chunk may run past
 * its end: a truncated file, refused as such later, or an unknown size) and, `depth` chunks deep, is
 * followed by another or by the file's end (its pad byte there or missing)?
 */
function chunksFrom(bytes: Uint8Array, at: number, depth: number): boolean {
  if (at === bytes.length) return true;
  if (!chunkAt(bytes, at)) return false;
  const size = sizeAt(bytes, at + 4);
  const end = at + 8 + size;
  if (end > bytes.length) return size === UNKNOWN || ascii(bytes, at) === 'data';
  if (end >= bytes.length - 1 || depth === 0) return true;
  if (size % 2 === 0) return chunksFrom(bytes, end, depth - 1);
  return chunksFrom(bytes, end + 1, depth - 1) || chunksFrom(bytes, end, depth - 1);
}

/**
 * The bytes of a RIFF WAVE file with the pad byte of each odd-sized chunk written without one put back
 * (and the RIFF size grown by as many), or the same bytes when none is missing (or it is no RIFF WAVE).
 */
export function padOddChunks(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return bytes;
  const missing: number[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = sizeAt(bytes, at + 4);
    const end = at + 8 + size;
    const unpadded = size % 2 === 1 && end < bytes.length && chunksFrom(bytes, end, 2);
    if (unpadded && !chunksFrom(bytes, end + 1, 2)) missing.push(end);
    at = end + (size % 2 === 1 && missing.at(-1) !== end ? 1 : 0);
  }
  if (missing.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const end of missing) {
    parts.push(bytes.subarray(from, end), new Uint8Array(1));
    from = end;
  }
  parts.push(bytes.subarray(from));
  const out = Buffer.concat(parts);
  const riffSize = out.readUInt32LE(4);
  out.writeUInt32LE(Math.min(riffSize + missing.length, 0xffffffff), 4);
  return out;
}
