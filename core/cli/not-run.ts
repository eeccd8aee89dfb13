// The server's answer for the lines of a script it did not run because it began to stop (core/mml/engine.ts,
// RETCODE 7 "Not run: the server is stopping (lines 2726-4130)", or its Chinese, core/mml/zh.ts): one result
// stands for all of them. The mml client reads it as a script cut short at that line (exit 4, cut-short.ts),
// not as one failed command: the lines from it on never ran, and a pipeline resumes there.

const NOT_RUN = [
  /^Not run: the server is stopping \(lines? (\d+)/,
  /^未执行: 服务器正在停止（第 (\d+)/,
] as const;

interface Result {
  retcode: number;
  message?: string;
  line?: number;
}

/** The first line not run, when one of `results` is the server's "Not run: the server is stopping". */
export function notRunFrom(results: readonly Result[]): number | undefined {
  for (const r of results) {
    if (r.retcode === 0) continue;
    for (const pattern of NOT_RUN) {
      const m = pattern.exec(r.message ?? '');
      if (m) return r.line ?? Number(m[1]);
    }
  }
  return undefined;
}

/** Whether `r` is that answer. */
export const isNotRun = (r: Result): boolean => notRunFrom([r]) !== undefined;
