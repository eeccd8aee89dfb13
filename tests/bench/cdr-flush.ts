// Event-loop time of a CDR flush: 200 call rows (750-1,000 calls/s flush about that many every 200 ms)
// inserted on the loop's own connection, against numbered on the loop and handed to the store worker
// (core/store/store-worker.ts), which inserts them on its thread. Real SQLite file, the table growing
// to 60,000 rows. Bounded: 150 flushes of each kind.
//
//   node --import tsx tests/bench/cdr-flush.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { callRecord } from '../../core/cdr/from-events';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { call } from '../unit/cdr/events';

const ROWS = 200;
const FLUSHES = 150;

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const quantile = (xs: number[], f: number): string =>
  [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))]!.toFixed(2);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-flush-'));
  const db = openDatabase(dir);
  const store = new SqliteCdrStore(db, dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  await worker.start();
  const batch = (k: number) =>
    Array.from({ length: ROWS }, (_, i) =>
      callRecord(call({ id: `c${k}-${i}`, callId: `c${k}-${i}@bench` }), Date.now()),
    );
  const onLoop: number[] = [];
  const handed: number[] = [];
  for (let f = 0; f < FLUSHES; f++) {
    const a = batch(2 * f);
    const b = batch(2 * f + 1);
    let t = process.hrtime.bigint();
    store.insert(a);
    onLoop.push(ms(t));
    t = process.hrtime.bigint();
    const done = worker.write(store.plan(b).steps);
    handed.push(ms(t));
    await done;
  }
  console.log(`${FLUSHES} flushes of ${ROWS} rows each way, the table at ${store.count()} rows at the end`);
  console.log(
    `inserted on the loop:          p50 ${quantile(onLoop, 0.5)} ms, p99 ${quantile(onLoop, 0.99)} ms`,
  );
  console.log(
    `numbered, handed to the worker: p50 ${quantile(handed, 0.5)} ms, p99 ${quantile(handed, 0.99)} ms`,
  );
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
