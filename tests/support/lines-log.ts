// A Log that keeps what it is told as "LEVEL text" lines (DEBUG left out), for a test to read.
import type { Log } from '../../core/observe/log';

export function linesLog(lines: string[]): Log {
  return {
    debug: () => undefined,
    info: (m) => lines.push(`INFO ${m}`),
    warning: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}
