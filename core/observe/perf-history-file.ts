// The Performance and Overview charts' last minutes across a restart: at a clean stop the sampler's ring
// (perf-sampler.ts, ten minutes) is written to perf-history.json in the data folder, and at the next start
// the samples still inside that window are read back, before the new ones (a hole over the time the
// server was down: chart-gaps.ts). A restart (SET CFG of a setting that needs one, an upgrade) wiped them
// with no trace. A file that cannot be read or is no such history is ignored and said (it is a cache:
// it stops nothing). A crash writes none (nothing to read, no worse than before).
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PerfSample } from './perf-sampler';

export const PERF_HISTORY_FILE = 'perf-history.json';
/** The file's layout; another (an older or newer IMS Lab's samples) is not read. */
const VERSION = 1;

/**
 * Writes the samples (oldest first), whole or not at all: a temporary file of this process's pid renamed
 * (leftover-temporaries.ts removes one a kill left), removed when the write fails. Before, a full disk
 * left a cut-off perf-history.json.tmp that no start removed.
 */
export function savePerfHistory(dataDir: string, samples: readonly PerfSample[]): void {
  const file = join(dataDir, PERF_HISTORY_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ version: VERSION, samples }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The temporary name of IMS Lab before round 41 (no pid): any one found at a start is a leftover. */
const OLD_TEMPORARY = `${PERF_HISTORY_FILE}.tmp`;

export interface LoadedPerfHistory {
  samples: PerfSample[];
  /** Why the file was not used, when it was there and was not. */
  problem?: string;
}

/**
 * The saved samples taken within `windowMs` before `now` (and not after it: a clock stepped back), oldest
 * first; the file is removed once read, so that it is never read twice.
 */
export function loadPerfHistory(dataDir: string, now: number, windowMs: number): LoadedPerfHistory {
  const file = join(dataDir, PERF_HISTORY_FILE);
  rmSync(join(dataDir, OLD_TEMPORARY), { force: true });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { samples: [] }; // none saved: a first start, or after a crash
  }
  rmSync(file, { force: true });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { samples: [], problem: `${PERF_HISTORY_FILE} is not JSON; the charts start empty` };
  }
  const saved = parsed as { version?: unknown; samples?: unknown } | null;
  const samples = saved?.samples;
  if (saved?.version !== VERSION || !Array.isArray(samples) || !samples.every(isSample))
    return {
      samples: [],
      problem: `${PERF_HISTORY_FILE} holds no performance samples; the charts start empty`,
    };
  return {
    samples: samples.filter((s) => s.at > now - windowMs && s.at <= now).sort((a, b) => a.at - b.at),
  };
}

/** The parts of a sample the views read, each there (a file of another shape is not used). */
const PARTS = ['cpu', 'memory', 'network', 'messages', 'calls', 'live', 'eventLoop', 'gc'] as const;

function isSample(s: unknown): s is PerfSample {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return (
    typeof o.at === 'number' &&
    Number.isFinite(o.at) &&
    typeof o.intervalMs === 'number' &&
    PARTS.every((p) => typeof o[p] === 'object' && o[p] !== null)
  );
}
