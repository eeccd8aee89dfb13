// How long the event loop stands still while the console or DSP CDR reads a day of CDR rows: the
// reads that scan the day (a part of a Call-ID, a state) and a day's counts (DSP CDR STAT), on the
// loop's own connection (no store worker) and in the store's worker. A 1 ms timer measures the loop's
// longest stall during each read (SIP waits that long). Bounded: fixed counts.
//
//   node --import tsx tests/bench/cdr-read-stall.ts          ROWS=200000 READS=5
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import type { CdrQuery } from '../../core/cdr/query';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { stallDuring } from './loop-stall';
import { fillRegisterDay } from './register-day';

const ROWS = Number(process.env.ROWS ?? 200_000);
const READS = Number(process.env.READS ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-read-'));
const db = openDatabase(dir);
const worker = new StoreWorker(db, SILENT_LOG);
const fill = fillRegisterDay(db, dir, ROWS);
const date = fill.page({ limit: 1 }).then((p) => p.records[0]!.date);

/** The read's time and the loop's longest stall while it ran (a 1 ms timer's late ticks). */
async function stall(read: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  const { ms, stallMs } = await stallDuring(read);
  return { ms, stallMs };
}

async function measure(label: string, store: SqliteCdrStore, day: string): Promise<void> {
  const reads: [string, () => Promise<unknown>][] = [
    ['page, the day', () => store.page({ date: day } satisfies CdrQuery)],
    ['page, a part of a Call-ID', () => store.page({ date: day, callIdPart: 'no-such-part' })],
    ['page, a state', () => store.page({ date: day, state: 'EXPIRED' })],
    ["stats, the day's counts", () => store.stats(day)],
  ];
  for (const [what, read] of reads) {
    const runs: { ms: number; stallMs: number }[] = [];
    for (let i = 0; i < READS; i++) runs.push(await stall(read));
    const f = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
    process.stdout.write(
      `${label.padEnd(22)} ${what.padEnd(28)} read ${f(runs.map((r) => r.ms))} ms; ` +
        `loop stalled ${f(runs.map((r) => r.stallMs))} ms\n`,
    );
  }
}

async function main(): Promise<void> {
  const day = await date;
  process.stdout.write(`${ROWS.toLocaleString('en-US')} REGISTER rows on ${day}, ${READS} reads each\n`);
  await measure('on the loop', fill, day);
  await worker.start();
  await measure("in the store's worker", new SqliteCdrStore(db, dir, worker), day);
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
