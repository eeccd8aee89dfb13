// LOG.KEEP_DAYS: the day folders of logs/ (logs/<YYYY-MM-DD>/, the original's layout) older than that many
// days removed at start, when the setting changes and after each midnight, each removal logged. 0 (the
// default) keeps every day, as the original did: nothing else bounds logs/ (DEBUG writes about 10 KB a
// call). CDR/ is never removed: billing data is the user's to remove (CLR CDR, or by hand).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from './log';
import { localStamp } from './logger';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since the epoch of a day's name (its calendar date), or undefined for no day's name. */
function dayNumber(name: string): number | undefined {
  const m = DAY.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : undefined;
}

/** The names among `names` of days more than `keepDays` before `today` (0: none). */
export function daysPast(names: readonly string[], keepDays: number, today: string): string[] {
  const now = dayNumber(today);
  if (keepDays <= 0 || now === undefined) return [];
  return names.filter((n) => {
    const d = dayNumber(n);
    return d !== undefined && now - d > keepDays;
  });
}

/** Removes logs/'s day folders older than `keepDays` (local days, `now`), saying which in the log. */
export function pruneLogDays(dataDir: string, keepDays: number, log: Log, now = Date.now()): void {
  const logs = join(dataDir, 'logs');
  let names: string[];
  try {
    names = readdirSync(logs);
  } catch {
    return; // no logs/ yet
  }
  const old = daysPast(names, keepDays, localStamp(now).day).sort();
  const removed: string[] = [];
  for (const day of old) {
    try {
      rmSync(join(logs, day), { recursive: true, force: true });
      removed.push(day);
    } catch (err) {
      log.warning(
        `LOG.KEEP_DAYS=${keepDays}: ${join(logs, day)} could not be removed: ${(err as Error).message}`,
      );
    }
  }
  if (removed.length === 0) return;
  const which = removed.length === 1 ? removed[0] : `${removed[0]} to ${removed[removed.length - 1]}`;
  log.info(
    `removed ${removed.length} day folder(s) of ${logs} older than ${keepDays} days (LOG.KEEP_DAYS): ${which}`,
  );
}

/** Prunes at start() and a second after each local midnight until stop(). */
export class LogRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly keepDays: () => number,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.prune();
    this.schedule();
  }

  prune(): void {
    pruneLogDays(this.dataDir, this.keepDays(), this.log, this.now());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const now = new Date(this.now());
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1).getTime();
    this.timer = setTimeout(
      () => {
        this.prune();
        this.schedule();
      },
      Math.max(1000, next - now.getTime()),
    );
    this.timer.unref();
  }
}
