// Reading prompts: 16-bit PCM at 8, 16, 44.1 and 48 kHz, mono and stereo, and G.711 µ-law / A-law WAV
// files, all to 8 kHz mono; a tone keeps its frequency through resampling; bad files are named errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WaveFile } from 'wavefile';
import { encodeG711 } from '../../../core/media/g711';
import { resample, resampleInSteps } from '../../../core/media/resample';
import {
  checkPrompt,
  decodeWav,
  encodeWav,
  PromptError,
  readPrompt,
  TELEPHONE_RATE,
} from '../../../core/media/wav';
import { turnsDuring } from '../../support/turns';

const dir = mkdtempSync(join(tmpdir(), 'ims-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(rate: number, seconds: number, hz: number, amplitude = 12000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

function wav(channels: number, rate: number, bits: string, samples: ArrayLike<number>): Buffer {
  const w = new WaveFile();
  w.fromScratch(channels, rate, bits, samples as number[]);
  return Buffer.from(w.toBuffer());
}

/** Zero crossings per second of a signal: twice its frequency for a pure tone. */
function frequency(samples: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return crossings / 2 / (samples.length / rate);
}

describe('WAV prompts', () => {
  for (const rate of [8000, 16000, 44100, 48000]) {
    it(`reads 16-bit PCM mono at ${rate} Hz as 8 kHz with the tone's frequency kept`, () => {
      const p = decodeWav(wav(1, rate, '16', tone(rate, 1, 440)), `t${rate}.wav`);
      expect(p.samples.length).toBe(8000);
      expect(frequency(p.samples, 8000)).toBeCloseTo(440, -1);
      expect(p.source).toBe(`PCM 16-bit ${rate} Hz mono`);
    });
  }

  it('mixes stereo down to mono', () => {
    const left = tone(44100, 0.5, 300);
    const inter = new Int16Array(left.length * 2);
    left.forEach((s, i) => {
      inter[2 * i] = s;
      inter[2 * i + 1] = s;
    });
    const p = decodeWav(wav(2, 44100, '16', inter), 'st.wav');
    expect(p.samples.length).toBe(4000);
    expect(p.source).toBe('PCM 16-bit 44100 Hz stereo');
    expect(frequency(p.samples, 8000)).toBeCloseTo(300, -1);
  });

  it('filters what is above the telephone band instead of folding it back (no aliasing)', () => {
    // A 6 kHz tone at 48 kHz would alias to 2 kHz with plain decimation; it must nearly vanish.
    const p = decodeWav(wav(1, 48000, '16', tone(48000, 1, 6000, 20000)), 'hi.wav');
    const rms = Math.sqrt(p.samples.reduce((a, s) => a + s * s, 0) / p.samples.length);
    expect(rms).toBeLessThan(500);
  });

  it('reads µ-law and A-law WAV files', () => {
    const pcm = tone(8000, 0.5, 1000);
    for (const [law, bits, name] of [
      ['PCMU', '8m', 'µ-law'],
      ['PCMA', '8a', 'A-law'],
    ] as const) {
      const p = decodeWav(wav(1, 8000, bits, encodeG711(pcm, law)), `${law}.wav`);
      expect(p.source).toBe(`${name} 8000 Hz mono`);
      expect(p.samples.length).toBe(4000);
      const err = Math.max(...p.samples.map((s, i) => Math.abs(s - pcm[i]!)));
      expect(err).toBeLessThan(600);
    }
  });

  it('reads the shipped media/default.wav', async () => {
    const p = await readPrompt('media/default.wav');
    expect(p.samples.length).toBeGreaterThan(8000);
  });

  it('names a missing file, a non-WAV file and an unsupported format', async () => {
    await expect(readPrompt(join(dir, 'nope.wav'))).rejects.toThrow(PromptError);
    await expect(readPrompt(join(dir, 'nope.wav'))).rejects.toThrow(/no such file/);
    const junk = join(dir, 'junk.wav');
    writeFileSync(junk, 'this is not audio');
    await expect(readPrompt(junk)).rejects.toThrow(/not a WAV file/);
    expect(() => checkPrompt(junk)).toThrow(/not a WAV file/);
    const f32 = join(dir, 'f32.wav');
    writeFileSync(f32, wav(1, 8000, '32f', [0, 0.5, -0.5]));
    await expect(readPrompt(f32)).rejects.toThrow(/not supported/);
    expect(() => checkPrompt(f32)).toThrow(/not supported/);
  });

  it('names the real fault of a bad fmt chunk: 0 bits, too short, an extensible one read by its sub-format', () => {
    /** RIFF/WAVE with this fmt chunk body and `data` bytes of silence. */
    const riff = (fmt: Buffer, data = Buffer.alloc(1600)): Buffer => {
      const chunk = (id: string, body: Buffer): Buffer => {
        const head = Buffer.alloc(8);
        head.write(id, 0, 'latin1');
        head.writeUInt32LE(body.length, 4);
        return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
      };
      const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), chunk('data', data)]);
      const head = Buffer.alloc(8);
      head.write('RIFF', 0, 'latin1');
      head.writeUInt32LE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    /** The 16 bytes of a WAVE format (mono, 8000 Hz). */
    const format = (tag: number, bits: number): Buffer => {
      const b = Buffer.alloc(16);
      b.writeUInt16LE(tag, 0);
      b.writeUInt16LE(1, 2);
      b.writeUInt32LE(8000, 4);
      b.writeUInt32LE((8000 * bits) / 8, 8);
      b.writeUInt16LE(Math.max(1, bits / 8), 12);
      b.writeUInt16LE(bits, 14);
      return b;
    };
    /** WAVE_FORMAT_EXTENSIBLE (40 bytes) whose sub-format GUID is that of `tag` (RFC 2361 Appendix A). */
    const extensible = (tag: number, bits: number, guidTail = '00001000800000aa00389b71'): Buffer => {
      const ext = Buffer.alloc(24);
      ext.writeUInt16LE(22, 0); // cbSize
      ext.writeUInt16LE(bits, 2);
      ext.writeUInt32LE(4, 4); // front centre
      ext.writeUInt32LE(tag, 8);
      Buffer.from(guidTail, 'hex').copy(ext, 12); // the GUID's bytes after its first 4
      return Buffer.concat([format(0xfffe, bits), ext]);
    };
    const why = (bytes: Buffer): string => {
      try {
        decodeWav(bytes, 'x.wav');
      } catch (err) {
        return (err as Error).message;
      }
      return 'taken';
    };
    const only = 'is not supported (16-bit PCM, µ-law or A-law only)';
    expect(why(riff(format(1, 0)))).toBe(`x.wav: format 1 (PCM) with 0 bits per sample ${only}`);
    expect(why(riff(Buffer.alloc(0)))).toBe('x.wav: fmt chunk too short (0 bytes, a WAVE format takes 16)');
    expect(why(riff(format(0xfffe, 16)))).toBe(
      'x.wav: WAVE_FORMAT_EXTENSIBLE without its sub-format (a fmt chunk of 16 bytes, 40 hold it)',
    );
    expect(why(riff(extensible(0x55, 16)))).toBe(
      `x.wav: format 65534 (WAVE_FORMAT_EXTENSIBLE) of format 85 (MPEG Layer 3) with 16 bits per sample ${only}`,
    );
    expect(why(riff(extensible(1, 16, 'ffffffffffffffffffffffff')))).toBe(
      'x.wav: WAVE_FORMAT_EXTENSIBLE with a sub-format that is no WAVE format (unknown GUID)',
    );
    // Extensible PCM and µ-law are what their sub-format says.
    expect(decodeWav(riff(extensible(1, 16)), 'pcm.wav').source).toBe('PCM 16-bit 8000 Hz mono');
    expect(decodeWav(riff(extensible(7, 8)), 'ulaw.wav').source).toBe('µ-law 8000 Hz mono');
  });

  it('refuses a prompt longer than five minutes before decoding it, naming the limit', async () => {
    const long = join(dir, 'long.wav');
    writeFileSync(long, encodeWav(new Int16Array(TELEPHONE_RATE * 301)));
    await expect(readPrompt(long)).rejects.toThrow(/301 s of audio; a prompt may be at most 300 s/);
    const enough = join(dir, 'enough.wav');
    writeFileSync(enough, encodeWav(new Int16Array(TELEPHONE_RATE * 300)));
    expect((await readPrompt(enough)).samples).toHaveLength(TELEPHONE_RATE * 300);
  });

  it('resamples a long prompt a step at a time, the event loop free between steps, to the same samples', async () => {
    const rate = 44_100;
    const pcm = new Int16Array(rate * 20); // 20 s: 160,000 samples at 8 kHz, ten steps
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(i / 7) * 9000);
    const file = join(dir, 'long-44k.wav');
    writeFileSync(file, encodeWav(pcm, rate));
    const { result: p, turns } = await turnsDuring(() => readPrompt(file));
    expect(turns).toBeGreaterThanOrEqual(9); // one turn of the loop between two steps
    expect(p.samples).toEqual(decodeWav(readFileSync(file), file).samples);
    expect(await resampleInSteps(pcm, rate, 8000)).toEqual(resample(pcm, rate, 8000));
  });
});
