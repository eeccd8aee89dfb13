// How long the event loop stands still while SET CFG KEY=SIP.DOMAIN files BINDINGS registrations under
// the new domain's AORs (LocationService.rehome, their rows written behind by the store's worker, as the
// appliance has it). A 1 ms timer measures the loop's longest stall from the change until its rows are
// written (SIP waits that long). Bounded: fixed counts.
//
//   node --import tsx tests/bench/rehome-stall.ts          BINDINGS=20000 ROUNDS=3
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SILENT_LOG } from '../../core/observe/log';
import { LocationService } from '../../core/sip/registrar/location';
import { SqliteBindingStore } from '../../core/store/bindings';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { stallDuring } from './loop-stall';

const BINDINGS = Number(process.env.BINDINGS ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-rehome-stall-'));
  const db = openDatabase(dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  await worker.start();
  const location = new LocationService({ persistence: new SqliteBindingStore(db, worker), log: SILENT_LOG });
  const now = Date.now();
  for (let i = 0; i < BINDINGS; i++) {
    const user = String(100_000 + i);
    location.put({
      aor: `sip:${user}@domain0.lab`,
      contact: `sip:${user}@192.0.2.${1 + (i % 200)}:${5060 + (i % 1000)};transport=udp`,
      contactParams: '',
      expiresAt: now + 3_600_000,
      q: undefined,
      callId: `${i}@bench`,
      cseq: 1,
      sourceAddress: `192.0.2.${1 + (i % 200)}`,
      sourcePort: 5060 + (i % 1000),
      transport: 'UDP',
      userAgent: 'bench',
      createdAt: now,
      updatedAt: now,
    });
  }
  await new Promise((r) => setTimeout(r, 500)); // the puts' rows written
  for (let round = 1; round <= ROUNDS; round++) {
    const domain = `domain${round}.lab`;
    const r = await stallDuring(async () => {
      const moved = await location.rehome((aor) => aor.replace(/@.*$/, `@${domain}`));
      await new Promise((done) => setTimeout(done, 300)); // their rows handed to the worker
      return moved;
    });
    process.stdout.write(
      `${r.result} bindings to ${domain} in ${(r.ms - 300).toFixed(0)} ms; loop stalled at most ${r.stallMs.toFixed(0)} ms\n`,
    );
  }
  location.stop();
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
