// How long the event loop stands still while the original's CDR day files are imported at start-up
// (original-import.ts, the "moving from the original" path): DAYS day files of ROWS rows each (the
// original's 34 columns, calls and registrations alternating), imported with the store's worker running
// (its checkpoints, as in the appliance). A 1 ms timer measures the loop's stalls (SIP waits that long):
// the longest and the 99th percentile of the late ticks. Bounded: fixed counts.
//
//   node --import tsx tests/bench/cdr-import-stall.ts          DAYS=3 ROWS=20000
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { importOriginalCdr } from '../../core/cdr/original-import';
import { ORIGINAL_COLUMNS } from '../../core/cdr/original-record';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { settingsTable } from '../../core/store/settings-table';
import { StoreWorker } from '../../core/store/store-worker';

const DAYS = Number(process.env.DAYS ?? 3);
const ROWS = Number(process.env.ROWS ?? 20_000);

const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-import-'));

/** One original row of day `date` at second `s`: a call or a registration. */
function row(date: string, s: number, k: number): string {
  const hms = new Date(s * 1000).toISOString().slice(11, 19);
  const id = `${date.replaceAll('-', '')}${hms.replaceAll(':', '')}${String(k % 1_000_000).padStart(6, '0')}`;
  const a = 200_000 + (k % 20_000);
  const b = 200_000 + ((k * 7) % 20_000);
  return k % 2 === 0
    ? `${id},REGISTER,SUCCESS,${date},${hms},${hms},${k}-reg@10.0.0.1,sip:${a}@10.0.0.9:5060,${a},10.0.0.1,5061,,,,,,,200,OK,,,,,,,,,sip:${a}@10.0.0.1:5061,3600,,10.0.0.9,5060,2 REGISTER,`
    : `${id},CALL,ENDED,${date},${hms},${hms},${k}-call@10.0.0.1,<sip:${a}@10.0.0.9:5060>;tag=${k},${a},10.0.0.1,5061,<sip:${b}@10.0.0.9:5060>,${b},10.0.0.2,5062,3.0,0.50s,200,OK,Normal,${hms}.727,,${hms}.900,${hms}.950,AUDIO,"PCMU, PCMA",,,,,10.0.0.9,5060,2 BYE,`;
}

for (let d = 0; d < DAYS; d++) {
  const date = new Date(Date.UTC(2026, 9, 8 + d)).toISOString().slice(0, 10);
  const folder = join(dir, 'CDR', date);
  mkdirSync(folder, { recursive: true });
  const lines = [ORIGINAL_COLUMNS.join(',')];
  for (let k = 0; k < ROWS; k++) lines.push(row(date, Math.floor((k / ROWS) * 86_399), k));
  writeFileSync(join(folder, `cdr_${date}.csv`), lines.join('\r\n') + '\r\n');
}

async function main(): Promise<void> {
  const db = openDatabase(dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  await worker.start();
  const store = new SqliteCdrStore(db, dir, worker);
  const late: number[] = [];
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    late.push(now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  late.length = 0;
  const start = performance.now();
  const result = await importOriginalCdr(store, settingsTable(db), SILENT_LOG);
  const ms = performance.now() - start;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  late.sort((x, y) => x - y);
  const p = (q: number): string =>
    (late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? 0).toFixed(1);
  process.stdout.write(
    `${DAYS} day files x ${ROWS.toLocaleString('en-US')} rows: ${result.added} added in ${(ms / 1000).toFixed(1)} s; ` +
      `loop stalls p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, longest ${late.at(-1)?.toFixed(1)} ms\n`,
  );
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
