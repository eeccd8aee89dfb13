// What one REGISTER's CDR row costs, piece by piece, on one core: on the event loop the record, its
// numbering with the statement's row of values (store.plan) and its CSV line; then the SQLite insert the
// store worker does, with the table's indexes, in batches as the write-behind makes them. Callers and
// Call-IDs are random, as a real bench's: each row then lands on its own leaf page of the caller and
// Call-ID indexes, which SQLite writes whole to the WAL at commit. The WAL is checkpointed every 100
// batches, as the worker does every second. Bounded: fixed counts.
//
//   node --import tsx tests/bench/cdr-row-cost.ts
//   ROWS_BEFORE=50000 BATCH=100 DROP_INDEXES=cdr_by_caller,cdr_by_call_id   (what one index costs)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { cdrCsvLine } from '../../core/cdr/csv';
import { registrationRecord } from '../../core/cdr/from-events';
import type { CdrRecord, NewCdrRecord } from '../../core/cdr/record';
import type { RegistrationEvent } from '../../core/sip/registrar/binding';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { binding, registration } from '../unit/cdr/events';

const ROWS_BEFORE = Number(process.env.ROWS_BEFORE ?? 50_000);
const BATCH = Number(process.env.BATCH ?? 100);
const BATCHES = 300;
const SERVER = { address: '127.0.0.1', port: 5060 };

const dir = mkdtempSync(join(tmpdir(), 'ims-cdr-row-'));
const db = openDatabase(dir);
db.pragma('wal_autocheckpoint = 0'); // as with the store worker: checkpoints below
const store = new SqliteCdrStore(db, dir);
for (const index of (process.env.DROP_INDEXES ?? '').split(',').filter(Boolean))
  db.exec(`DROP INDEX ${index}`);

const template = registration('refreshed', binding());
let n = 0;
/** A refresh of a random one of 10,000 users, with a Call-ID of its own. */
function event(): RegistrationEvent {
  const user = 100_000 + Math.floor(Math.random() * 10_000);
  n++;
  return {
    ...template,
    at: Date.now(),
    binding: { ...template.binding, aor: `sip:${user}@ims.lab`, callId: `${n}-${Math.random()}@bench` },
  };
}
const record = (): NewCdrRecord => registrationRecord(event(), SERVER);

function perRow(label: string, rows: number, run: () => void): void {
  const t = process.hrtime.bigint();
  run();
  const us = Number(process.hrtime.bigint() - t) / rows / 1000;
  process.stdout.write(`${label.padEnd(52)} ${us.toFixed(2).padStart(7)} µs a row\n`);
}

// On the loop, warm (the same records again and again).
const records = Array.from({ length: BATCH }, record);
for (let i = 0; i < 2_000; i++) store.plan(records);
const events = Array.from({ length: 1000 }, event);
perRow('record (registrationRecord)', 100_000, () => {
  for (let i = 0; i < 100; i++) for (const e of events) registrationRecord(e, SERVER);
});
perRow('numbering and row values (store.plan)', 1000 * BATCH, () => {
  for (let i = 0; i < 1000; i++) store.plan(records);
});
perRow('CSV line (cdrCsvLine)', 1000 * BATCH, () => {
  // numbered by the plans above
  for (let i = 0; i < 1000; i++) for (const r of records) cdrCsvLine(r as CdrRecord);
});

// In SQLite: a table of ROWS_BEFORE rows first, then BATCHES batches of BATCH rows.
for (let done = 0; done < ROWS_BEFORE; done += 1000) store.insert(Array.from({ length: 1000 }, record));
db.pragma('wal_checkpoint(TRUNCATE)');
const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, record));
perRow(
  `SQLite insert, batches of ${BATCH}, after ${ROWS_BEFORE.toLocaleString('en-US')} rows`,
  BATCHES * BATCH,
  () => {
    batches.forEach((b, i) => {
      store.insert(b);
      if (i % 100 === 99) db.pragma('wal_checkpoint(PASSIVE)');
    });
  },
);
closeDatabase(db);
rmSync(dir, { recursive: true, force: true });
