// Reading the prompt a dialer call plays: a WAV file (RIFF container parsed by the `wavefile` package)
// holding 16-bit PCM at any rate (8, 16, 44.1, 48 kHz...), mono or stereo, or G.711 µ-law / A-law. The
// result is 8 kHz mono 16-bit PCM: channels averaged, G.711 decoded, other rates resampled
// (resample.ts). Anything else is a PromptError naming what is wrong, raised before a call is placed.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { endianness } from 'node:os';
import { WaveFile } from 'wavefile';
import { decodeG711 } from './g711';
import { resample, resampleInSteps } from './resample';
import { isRifx, padOddChunks, RIFX_REFUSAL } from './riff-layout';

export const TELEPHONE_RATE = 8000;
/**
 * The longest prompt (it is played in a loop) and the largest file: five minutes of 44.1 kHz stereo take
 * about 1.5 s to resample, on the event loop a step at a time (readPrompt).
 */
export const MAX_PROMPT_SECONDS = 300;
export const MAX_PROMPT_BYTES = 64 * 1024 * 1024;
/** Decoded prompts kept (the last used): a campaign's prompt is read once, not once per call. */
const CACHED_PROMPTS = 8;

export class PromptError extends Error {
  constructor(
    readonly file: string,
    message: string,
    /** The file is not there (MML's RETCODE 7, as for any file that cannot be read), not bad content. */
    readonly missing = false,
    /** Named outside the folders a prompt may come from (MML's RETCODE 3, a wrong parameter). */
    readonly outside = false,
  ) {
    super(`${file}: ${message}`);
    this.name = 'PromptError';
  }
}

/** A prompt ready to encode: 8 kHz mono 16-bit samples, and what the file held. */
export interface Prompt {
  file: string;
  samples: Int16Array;
  /** e.g. "PCM 16-bit 44100 Hz stereo", "µ-law 8000 Hz mono". */
  source: string;
}

interface WavFormat {
  chunkSize: number;
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** WAVE_FORMAT_EXTENSIBLE's sub-format GUID as four little-endian 32-bit words (none when absent). */
  subformat: number[];
}

/** A data chunk's size written by a streaming writer that never came back to it: its audio runs to the end. */
const UNKNOWN_SIZE = 0xffffffff;

const PCM = 1;
const ALAW = 6;
const ULAW = 7;
const EXTENSIBLE = 0xfffe;
/** A WAVE format's fields (format tag to bits per sample): a shorter fmt chunk holds no format. */
const FMT_BYTES = 16;
/** WAVEFORMATEXTENSIBLE: the 16 bytes, cbSize, valid bits, channel mask and the sub-format GUID. */
const EXTENSIBLE_FMT_BYTES = 40;
/**
 * The sub-format GUID of a WAVE format tag, its words after the first (RFC 2361 Appendix A:
 * XXXXXXXX-0000-0010-8000-00AA00389B71, XXXXXXXX the tag): KSDATAFORMAT_SUBTYPE_PCM and its kin.
 */
const WAVE_TAG_GUID_TAIL = [0x00100000, 0xaa000080, 0x719b3800];
/** Names of the format tags a refusal may meet (RFC 2361 Appendix A), for its message. */
const FORMAT_NAMES: Readonly<Record<number, string>> = {
  1: 'PCM',
  2: 'MS ADPCM',
  3: 'IEEE float',
  6: 'A-law',
  7: 'µ-law',
  0x11: 'IMA ADPCM',
  0x31: 'GSM 6.10',
  0x55: 'MPEG Layer 3',
  [EXTENSIBLE]: 'WAVE_FORMAT_EXTENSIBLE',
};

const formatText = (tag: number): string =>
  FORMAT_NAMES[tag] === undefined ? `format ${tag}` : `format ${tag} (${FORMAT_NAMES[tag]})`;

/**
 * The format tag a fmt chunk stands for: its own, or for WAVE_FORMAT_EXTENSIBLE the one its sub-format
 * GUID carries (a 16-bit PCM file written as extensible is PCM, a µ-law one µ-law); PromptError when the
 * chunk is too short to say, or the GUID is none of a format tag's.
 */
function formatTag(fmt: WavFormat, file: string): number {
  if (fmt.chunkSize < FMT_BYTES)
    throw new PromptError(
      file,
      `fmt chunk too short (${fmt.chunkSize} bytes, a WAVE format takes ${FMT_BYTES})`,
    );
  if (fmt.audioFormat !== EXTENSIBLE) return fmt.audioFormat;
  if (fmt.chunkSize < EXTENSIBLE_FMT_BYTES || fmt.subformat.length < 4)
    throw new PromptError(
      file,
      `WAVE_FORMAT_EXTENSIBLE without its sub-format (a fmt chunk of ${fmt.chunkSize} bytes, ` +
        `${EXTENSIBLE_FMT_BYTES} hold it)`,
    );
  const [first, ...tail] = fmt.subformat as [number, number, number, number];
  if (first > 0xffff || tail.some((word, i) => word !== WAVE_TAG_GUID_TAIL[i]))
    throw new PromptError(
      file,
      'WAVE_FORMAT_EXTENSIBLE with a sub-format that is no WAVE format (unknown GUID)',
    );
  return first;
}

/** Mono from interleaved samples: the channels averaged. */
function mixDown(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const n = Math.floor(samples.length / 2);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round((samples[2 * i]! + samples[2 * i + 1]!) / 2);
  return out;
}

/** 16-bit little-endian PCM bytes as samples: a view where it can be (wavefile's unpacking is slow). */
function pcm16(bytes: Uint8Array, wav: WaveFile): Int16Array {
  if (endianness() !== 'LE') return wav.getSamples(true, Int16Array) as unknown as Int16Array;
  const n = bytes.length >> 1;
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
  return new Int16Array(bytes.slice(0, n * 2).buffer);
}

/** A WAV file's audio as mono samples at its own rate: read and checked, not resampled yet. */
export interface ParsedPrompt {
  file: string;
  mono: Int16Array;
  rate: number;
  source: string;
}

/** Reads and checks WAV bytes (a PromptError naming what is wrong); `file` names it in errors. */
export function parseWav(bytes: Uint8Array, file: string): ParsedPrompt {
  if (isRifx(bytes)) throw new PromptError(file, RIFX_REFUSAL);
  let wav: WaveFile;
  try {
    wav = new WaveFile(padOddChunks(bytes));
  } catch (err) {
    throw new PromptError(file, `not a WAV file (${err instanceof Error ? err.message : String(err)})`);
  }
  const fmt = wav.fmt as WavFormat;
  // The format first: its bits per sample give the seconds below (0 bits made them Infinity), and a
  // short fmt chunk's "fields" are the next chunk's bytes (a 0-byte one read "data" as 24948 channels).
  const format = formatTag(fmt, file);
  const pcm = format === PCM && fmt.bitsPerSample === 16;
  const g711 = (format === ULAW || format === ALAW) && fmt.bitsPerSample === 8;
  if (!pcm && !g711) {
    const named =
      fmt.audioFormat === EXTENSIBLE
        ? `${formatText(EXTENSIBLE)} of ${formatText(format)}`
        : formatText(format);
    throw new PromptError(
      file,
      `${named} with ${fmt.bitsPerSample} bits per sample is not supported (16-bit PCM, µ-law or A-law only)`,
    );
  }
  const channels = fmt.numChannels;
  if (channels < 1 || channels > 2) throw new PromptError(file, `${channels} channels: mono or stereo only`);
  if (!(fmt.sampleRate >= 8000 && fmt.sampleRate <= 192_000))
    throw new PromptError(file, `sample rate ${fmt.sampleRate} Hz is not supported`);
  const layout = channels === 1 ? 'mono' : 'stereo';
  const data = (wav as unknown as { data: { samples: Uint8Array; chunkSize: number } }).data;
  const raw = data.samples;
  // README: a bad file is an error before any call. A file cut short (its data chunk promising more than
  // it holds) would play what is left in a loop, nothing saying so.
  if (data.chunkSize !== UNKNOWN_SIZE && raw.length < data.chunkSize)
    throw new PromptError(
      file,
      `truncated: its data chunk declares ${data.chunkSize} bytes of audio, the file holds ${raw.length}`,
    );
  const seconds = raw.length / ((channels * fmt.bitsPerSample) / 8) / fmt.sampleRate;
  if (seconds > MAX_PROMPT_SECONDS)
    throw new PromptError(
      file,
      `${Math.round(seconds)} s of audio; a prompt may be at most ${MAX_PROMPT_SECONDS} s (it is played in a loop)`,
    );
  let interleaved: Int16Array;
  let source: string;
  if (pcm) {
    interleaved = pcm16(raw, wav);
    source = `PCM 16-bit ${fmt.sampleRate} Hz ${layout}`;
  } else {
    interleaved = decodeG711(raw, format === ULAW ? 'PCMU' : 'PCMA');
    source = `${format === ULAW ? 'µ-law' : 'A-law'} ${fmt.sampleRate} Hz ${layout}`;
  }
  const mono = mixDown(interleaved, channels);
  if (mono.length === 0) throw new PromptError(file, 'no audio samples');
  return { file, mono, rate: fmt.sampleRate, source };
}

/** Decodes WAV bytes to 8 kHz in one go (tests, small files); readPrompt gives the loop back meanwhile. */
export function decodeWav(bytes: Uint8Array, file: string): Prompt {
  const p = parseWav(bytes, file);
  return { file, samples: resample(p.mono, p.rate, TELEPHONE_RATE), source: p.source };
}

/** Seconds of audio a parsed prompt holds. */
export const promptSeconds = (p: ParsedPrompt): number => p.mono.length / p.rate;

const cache = new Map<string, { mtimeMs: number; size: number; prompt: Promise<Prompt> }>();

/** The file's size and time, when it is a file a prompt may be (PromptError naming why not). */
function promptStat(file: string): Stats {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new PromptError(file, 'no such file');
  }
  if (!st.isFile()) throw new PromptError(file, 'not a file');
  if (st.size > MAX_PROMPT_BYTES)
    throw new PromptError(
      file,
      `${st.size} bytes; a prompt file may be at most ${MAX_PROMPT_BYTES} bytes (64 MB)`,
    );
  return st;
}

/** Checks that a file is a prompt IMS Lab can play (SET CFG DIALER.MEDIA_FILE): read, not resampled. */
export function checkPrompt(file: string): void {
  promptStat(file);
  parseWav(readFileSync(file), file);
}

/**
 * Reads and decodes a WAV file, cached while its size and modification time stay the same. The
 * resampling gives the event loop back between steps (resampleInSteps); a bad file rejects with a
 * PromptError before any of it.
 */
export async function readPrompt(file: string): Promise<Prompt> {
  const st = promptStat(file);
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
    cache.delete(file); // the last used goes last
    cache.set(file, hit);
    return hit.prompt;
  }
  const parsed = parseWav(readFileSync(file), file);
  const prompt = resampleInSteps(parsed.mono, parsed.rate, TELEPHONE_RATE).then((samples) => ({
    file,
    samples,
    source: parsed.source,
  }));
  cache.delete(file);
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, prompt });
  while (cache.size > CACHED_PROMPTS) cache.delete(cache.keys().next().value!);
  return prompt;
}

/** The bytes of a 16-bit mono WAV file at `rate` (a call's recording). */
export function encodeWav(samples: Int16Array, rate = TELEPHONE_RATE): Buffer {
  const wav = new WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  return Buffer.from(wav.toBuffer());
}
