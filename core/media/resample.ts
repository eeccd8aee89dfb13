// Sample-rate conversion to the 8 kHz of G.711: band-limited interpolation (a Hann-windowed sinc low-pass
// at 3.6 kHz, evaluated at each output instant), so that a 44.1 or 48 kHz prompt does not alias into the
// telephone band as plain linear interpolation does (the original's defect, original-server.md §6.2).

/** Filter half-width in output samples; more is sharper and slower. */
const HALF_WIDTH = 16;
const CUTOFF_HZ = 3600;

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

/** Resamples mono 16-bit PCM from `fromRate` to `toRate` (both in Hz). */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return input;
  const ratio = fromRate / toRate;
  const outLength = Math.floor((input.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  // Normalized cutoff relative to the input rate, never above the output Nyquist frequency.
  const fc = Math.min(CUTOFF_HZ, toRate / 2, fromRate / 2) / fromRate;
  const half = Math.ceil(HALF_WIDTH * Math.max(1, ratio));
  for (let n = 0; n < outLength; n++) {
    const t = n * ratio;
    const centre = Math.floor(t);
    let acc = 0;
    let norm = 0;
    for (let k = centre - half + 1; k <= centre + half; k++) {
      if (k < 0 || k >= input.length) continue;
      const d = t - k;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1));
      const h = 2 * fc * sinc(2 * fc * d) * w;
      acc += input[k]! * h;
      norm += h;
    }
    const v = norm === 0 ? 0 : Math.round(acc / norm);
    out[n] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
