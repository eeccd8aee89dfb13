// A prompt's RIFF layout faults named as what they are (riff-layout.ts, wav.ts): a chunk of odd size
// written without its pad byte is read as sox and ffmpeg read it; a RIFX (big-endian) file is refused
// saying so; a file whose data chunk promises more than it holds is refused as truncated (README: a bad
// file is an error before any call), a streaming writer's unknown size (0xFFFFFFFF) still taken. Before,
// the first two were "not a WAV file (Could not find the "data" chunk)" and the third played what was
// left, looped, nothing said.
import { describe, expect, it } from 'vitest';
import { WaveFile } from 'wavefile';
import { decodeWav } from '../../../core/media/wav';
import { zhMessage } from '../../../core/mml/lang';

/** 0.25 s of a 440 Hz tone, 8 kHz 16-bit mono, as wavefile writes it: fmt at 12, data at 36. */
const samples = Int16Array.from({ length: 2000 }, (_, i) => Math.round(9000 * Math.sin(i / 3)));
const plain = (): Buffer => {
  const w = new WaveFile();
  w.fromScratch(1, 8000, '16', samples);
  return Buffer.from(w.toBuffer());
};

/** `bytes` with `chunk` put before the data chunk, the RIFF size grown to match. */
function withChunkBeforeData(bytes: Buffer, chunk: Buffer): Buffer {
  const out = Buffer.concat([bytes.subarray(0, 36), chunk, bytes.subarray(36)]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

describe('a WAV prompt whose RIFF layout is off', () => {
  it('reads a file whose odd-sized chunk has no pad byte, as one with it', () => {
    const list = (pad: boolean) =>
      Buffer.concat([
        Buffer.from('LIST'),
        Buffer.from([5, 0, 0, 0]),
        Buffer.from('INFOa'),
        Buffer.alloc(pad ? 1 : 0),
      ]);
    const padded = decodeWav(withChunkBeforeData(plain(), list(true)), 'padded.wav');
    const unpadded = decodeWav(withChunkBeforeData(plain(), list(false)), 'nopad.wav');
    expect(unpadded.source).toBe('PCM 16-bit 8000 Hz mono');
    expect(unpadded.samples).toEqual(padded.samples);
    expect(unpadded.samples).toEqual(samples);
  });

  it('reads it whatever the data size: one byte further "data" reads "ata " (4128 bytes, 0x1020)', () => {
    // The size's low byte printable (a third of sizes): four printable bytes there too, yet no chunk.
    const tone = Int16Array.from({ length: 2064 }, (_, i) => Math.round(9000 * Math.sin(i / 3)));
    const w = new WaveFile();
    w.fromScratch(1, 8000, '16', tone);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOa')]);
    expect(decodeWav(withChunkBeforeData(Buffer.from(w.toBuffer()), list), 'nopad.wav').samples).toEqual(
      tone,
    );
    // A pad byte written as a printable one, not 0, is still a pad byte: the chunks line up after it.
    const odd = Buffer.concat([list, Buffer.from('x')]);
    expect(decodeWav(withChunkBeforeData(plain(), odd), 'xpad.wav').samples).toEqual(samples);
  });

  it('refuses a RIFX (big-endian) file naming it, not as one without a data chunk', () => {
    const le = plain();
    const be = Buffer.from(le);
    be.write('RIFX', 0, 'latin1');
    be.writeUInt32BE(le.readUInt32LE(4), 4);
    be.writeUInt32BE(16, 16);
    for (const at of [20, 22, 32, 34]) be.writeUInt16BE(le.readUInt16LE(at), at);
    for (const at of [24, 28, 40]) be.writeUInt32BE(le.readUInt32LE(at), at);
    for (let at = 44; at < be.length; at += 2) be.writeUInt16BE(le.readUInt16LE(at), at);
    expect(() => decodeWav(be, 'x.wav')).toThrow('x.wav: big-endian RIFX WAV files are not supported');
    expect(zhMessage(`Parameter MEDIA_FILE: /m/x.wav: big-endian RIFX WAV files are not supported`)).toBe(
      '参数 MEDIA_FILE 错误: /m/x.wav: 不支持大端序 RIFX WAV 文件',
    );
  });

  it('refuses a file cut short as truncated; a data size left unknown (0xFFFFFFFF) is read to the end', () => {
    const cut = plain().subarray(0, 44 + 956);
    expect(() => decodeWav(cut, 'x.wav')).toThrow(
      'x.wav: truncated: its data chunk declares 4000 bytes of audio, the file holds 956',
    );
    expect(
      zhMessage(
        `Parameter MEDIA_FILE: /m/x.wav: truncated: its data chunk declares 4000 bytes of audio, the file holds 956`,
      ),
    ).toBe('参数 MEDIA_FILE 错误: /m/x.wav: 文件被截断: data 块声明 4000 字节音频，文件只有 956 字节');
    const streamed = plain();
    streamed.writeUInt32LE(0xffffffff, 40);
    expect(decodeWav(streamed, 'streamed.wav').samples).toEqual(samples);
  });
});
