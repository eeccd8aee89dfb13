// A day of REGISTER rows in a CDR store, for the benchmarks that read or export a big day: `rows` rows
// of 10,000 users spread over 20 hours of one day (09:00 in Asia/Shanghai, 01:00 UTC: one day either
// way), written 1,000 a transaction, the WAL checkpointed after.
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { registrationRecord } from '../../core/cdr/from-events';
import type { NewCdrRecord } from '../../core/cdr/record';
import type { Database } from '../../core/store/database';
import { binding, registration } from '../unit/cdr/events';

const DAY_START = Date.UTC(2026, 10, 24, 1);
const SERVER = { address: '127.0.0.1', port: 5060 };

/** The store on `db` (data folder `dir`) holding a day of `rows` REGISTER rows. */
export function fillRegisterDay(db: Database, dir: string, rows: number): SqliteCdrStore {
  const template = registration('refreshed', binding());
  const record = (i: number): NewCdrRecord => {
    const user = 100_000 + (i % 10_000);
    const at = DAY_START + Math.floor((i / rows) * 20 * 3_600_000);
    return registrationRecord(
      {
        ...template,
        at,
        binding: { ...template.binding, aor: `sip:${user}@ims.lab`, callId: `${i}-${Math.random()}@bench` },
      },
      SERVER,
    );
  };
  const store = new SqliteCdrStore(db, dir);
  for (let done = 0; done < rows; done += 1000) {
    store.insert(
      Array.from({ length: Math.min(1000, rows - done) }, (_, k) => record(done + k)),
      DAY_START + Math.floor((done / rows) * 20 * 3_600_000),
    );
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return store;
}
