// A campaign asked for more calls at once than the RTP port range DIALER.RTP_PORT_MIN..MAX gives pairs
// for (each call holds one pair): what runs is the pairs, not CONCURRENCY. STR CALL's answer and the
// campaign's Note (DSP DIALSVC, the Dialer view) say so, in English and in Chinese.

/** The Note, or undefined when CONCURRENCY (or the numbers) fit the pairs. */
export function portCapNote(concurrency: number, numbers: number, pairs: number): string | undefined {
  if (concurrency <= pairs || numbers <= pairs) return undefined;
  return `CONCURRENCY=${concurrency}, but DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX give ${pairs} RTP port pairs: at most ${pairs} calls at once`;
}

/** The Note's pattern and its Chinese (MML's zh.ts and the dialer's reason-zh.ts read it). */
export const ZH_PORT_CAP: [RegExp, (...m: string[]) => string] = [
  /^CONCURRENCY=(\d+), but DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX give (\d+) RTP port pairs: at most (\d+) calls at once$/,
  (c, p, n) =>
    `CONCURRENCY=${c}，但 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX 只有 ${p} 对 RTP 端口：同时最多 ${n} 个呼叫`,
];
