// How much EXP CDR of a day of ROWS REGISTER rows holds the event loop: its longest stall (a 1 ms timer's
// late ticks) and the loop's delay throughout the export (perf_hooks' histogram, p50 / p99 / mean: what
// each SIP datagram waits meanwhile), with the store's worker running, as the appliance has it
// (WORKER=0: without). Bounded: fixed counts.
//
//   node --import tsx tests/bench/cdr-export-stall.ts          ROWS=200000 EXPORTS=3 WORKER=1
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { stallDuring } from './loop-stall';
import { fillRegisterDay } from './register-day';

const ROWS = Number(process.env.ROWS ?? 200_000);
const EXPORTS = Number(process.env.EXPORTS ?? 3);
const WORKER = process.env.WORKER !== '0';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-export-'));
  const db = openDatabase(dir);
  const fill = fillRegisterDay(db, dir, ROWS);
  const day = (await fill.page({ limit: 1 })).records[0]!.date;
  const worker = new StoreWorker(db, SILENT_LOG);
  if (WORKER) await worker.start();
  const store = new SqliteCdrStore(db, dir, worker);
  process.stdout.write(
    `${ROWS.toLocaleString('en-US')} REGISTER rows on ${day}, worker ${WORKER ? 'running' : 'not running'}\n`,
  );
  for (let i = 0; i < EXPORTS; i++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const r = await stallDuring(() => store.export({ date: day }));
    delay.disable();
    const ms = (ns: number): string => (ns / 1e6).toFixed(1);
    process.stdout.write(
      `EXP CDR DATE=${day}: ${r.result.count} rows in ${r.ms.toFixed(0)} ms; loop stalled at most ` +
        `${r.stallMs.toFixed(0)} ms; loop delay p50 ${ms(delay.percentile(50))} / p99 ${ms(delay.percentile(99))} / ` +
        `mean ${ms(delay.mean)} ms\n`,
    );
  }
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
