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
import { registrationRecord } from '../../core/cdr/from-events';
import type { CdrQuery } from '../../core/cdr/query';
import type { NewCdrRecord } from '../../core/cdr/record';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { binding, registration } from '../unit/cdr/events';
import { stallDuring } from './loop-stall';

const ROWS = Number(process.env.ROWS ?? 200_000);
const READS = Number(process.env.READS ?? 5);
const DAY_START = Date.UTC(2026, 10, 24, 1); // 09:00 in Asia/Shanghai, 01:00 UTC: one day either way
const SERVER = { address: '127.0.0.1', port: 5060 };

const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-read-'));
const db = openDatabase(dir);
const worker = new StoreWorker(db, SILENT_LOG);
const template = registration('refreshed', binding());

function record(i: number): NewCdrRecord {
  const user = 100_000 + (i % 10_000);
  const at = DAY_START + Math.floor((i / ROWS) * 20 * 3_600_000);
  return registrationRecord(
    {
      ...template,
      at,
      binding: { ...template.binding, aor: `sip:${user}@ims.lab`, callId: `${i}-${Math.random()}@bench` },
    },
    SERVER,
  );
}

const fill = new SqliteCdrStore(db, dir);
for (let done = 0; done < ROWS; done += 1000) {
  fill.insert(
    Array.from({ length: 1000 }, (_, k) => record(done + k)),
    DAY_START + Math.floor((done / ROWS) * 20 * 3_600_000),
  );
}
db.pragma('wal_checkpoint(TRUNCATE)');
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
