// Sample-rate conversion to the 8 kHz of G.711: band-limited interpolation (a Hann-windowed sinc low-pass
// at 3.6 kHz, evaluated at each output instant), so that a 44.1 or 48 kHz prompt does not alias into the
// telephone band as plain linear interpolation does (the original's defect, original-server.md §6.2).
// The output instants fall on few distinct fractions of an input sample (80 for 44.1 kHz, one for 48):
// the filter is computed once per fraction, not once per output sample (ten minutes of 44.1 kHz stereo
// took 25 s of the event loop that way).

/** Filter half-width in output samples; more is sharper and slower. */
const HALF_WIDTH = 16;
const CUTOFF_HZ = 3600;
/** Largest coefficient table (fractions × taps); rates with more fractions compute as they go. */
const MAX_TABLE = 1 << 22;

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Output samples resampled in one turn of the event loop by resampleInSteps (about 10 ms at 44.1 kHz). */
const STEP_OUTPUTS = 16_000;

/** Resamples mono 16-bit PCM from `fromRate` to `toRate` (both in Hz), in one go. */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return input;
  const r = resampler(input, fromRate, toRate);
  r.run(0, r.out.length);
  return r.out;
}

/**
 * The same, STEP_OUTPUTS at a time, the event loop free between two: five minutes of 44.1 kHz took 1.5 s
 * in one go, while calls in progress stalled and the SIP server answered nothing.
 */
export async function resampleInSteps(
  input: Int16Array,
  fromRate: number,
  toRate: number,
): Promise<Int16Array> {
  if (fromRate === toRate) return input;
  const r = resampler(input, fromRate, toRate);
  for (let n = 0; n < r.out.length; n += STEP_OUTPUTS) {
    if (n > 0) await new Promise((resolve) => setImmediate(resolve));
    r.run(n, Math.min(n + STEP_OUTPUTS, r.out.length));
  }
  return r.out;
}

/** The output buffer and a function that computes its samples [from, to). */
function resampler(
  input: Int16Array,
  fromRate: number,
  toRate: number,
): { out: Int16Array; run: (from: number, to: number) => void } {
  const outLength = Math.floor((input.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  // Normalized cutoff relative to the input rate, never above the output Nyquist frequency.
  const fc = Math.min(CUTOFF_HZ, toRate / 2, fromRate / 2) / fromRate;
  const half = Math.ceil(HALF_WIDTH * Math.max(1, fromRate / toRate));
  const taps = 2 * half;
  // Output n sits at input instant n·down/up: centre floor(n·down/up), fraction (n·down mod up)/up.
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  /** Tap j (input sample centre - half + 1 + j) at fraction `frac` past the centre. */
  const coefficient = (frac: number, j: number): number => {
    const d = frac - (j - half + 1);
    const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1));
    return 2 * fc * sinc(2 * fc * d) * w;
  };
  const tabled = up * taps <= MAX_TABLE;
  const table = new Float64Array(tabled ? up * taps : taps);
  if (tabled)
    for (let p = 0; p < up; p++) for (let j = 0; j < taps; j++) table[p * taps + j] = coefficient(p / up, j);
  const run = (from: number, to: number): void => {
    for (let n = from; n < to; n++) {
      const at = n * down;
      const centre = Math.floor(at / up);
      const phase = at - centre * up;
      let row = phase * taps;
      if (!tabled) {
        for (let j = 0; j < taps; j++) table[j] = coefficient(phase / up, j);
        row = 0;
      }
      const first = centre - half + 1;
      let acc = 0;
      let norm = 0;
      for (let j = 0; j < taps; j++) {
        const k = first + j;
        if (k < 0 || k >= input.length) continue;
        const h = table[row + j]!;
        acc += input[k]! * h;
        norm += h;
      }
      const v = norm === 0 ? 0 : Math.round(acc / norm);
      out[n] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  };
  return { out, run };
}
