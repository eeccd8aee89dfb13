// How long the event loop stands still while IMP USER imports NEW users (beside OLD ones) and while
// EXP USER exports them all, run through the MML engine on a real SQLite file with the store's worker
// running (as the appliance has it; WORKER=0: without). A 1 ms timer measures the loop's longest stall
// during each command (SIP waits that long). Bounded: fixed counts.
//
//   node --import tsx tests/bench/users-stall.ts          NEW=50000 OLD=98000 WORKER=1
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../core/config/settings';
import { createRegistry } from '../../core/mml/commands/index';
import { MmlEngine } from '../../core/mml/engine';
import { SqliteMmlHistory } from '../../core/mml/history';
import { SILENT_LOG } from '../../core/observe/log';
import { Logger } from '../../core/observe/logger';
import { LocationService } from '../../core/sip/registrar/location';
import { TimerWheel } from '../../core/sip/transaction/timer-wheel';
import { SqliteBindingStore } from '../../core/store/bindings';
import { closeDatabase, openDatabase } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { SqliteUserStore } from '../../core/store/users';
import { stallDuring } from './loop-stall';

const NEW = Number(process.env.NEW ?? 50_000);
const OLD = Number(process.env.OLD ?? 98_000);
const WORKER = process.env.WORKER !== '0';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-users-stall-'));
  const db = openDatabase(dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  if (WORKER) await worker.start();
  const users = new SqliteUserStore(db, dir, {
    realm: 'ims.lab',
    importWriter: { available: () => worker.available(), write: (steps) => worker.writeCounted(steps) },
  });
  for (let done = 0; done < OLD; done += 10_000) {
    const list = Array.from({ length: Math.min(10_000, OLD - done) }, (_, i) => ({
      username: String(500_000 + done + i),
      password: `old${i}`,
    }));
    users.importOriginal(JSON.stringify(list));
  }
  const now = (): number => Date.now();
  const location = new LocationService({
    persistence: new SqliteBindingStore(db, worker),
    log: SILENT_LOG,
    now,
    wheel: new TimerWheel({ tickMs: 1000, slots: 3600, now, manual: true }),
  });
  const ctx = {
    users,
    location,
    settings: new Settings(),
    log: new Logger({ level: 'INFO', console: false, recentCapacity: 50 }),
    history: new SqliteMmlHistory(db),
    dataDir: dir,
    now,
  };
  const engine = new MmlEngine(createRegistry(), ctx);
  const file: Record<string, { password: string }> = {};
  for (let i = 0; i < NEW; i++) file[String(100_000 + i)] = { password: `p${i}` };
  writeFileSync(join(dir, 'new-users.json'), JSON.stringify(file, null, 2));

  const say = (
    what: string,
    r: { result: { retcode: number; message: string }[]; ms: number; stallMs: number },
  ) =>
    process.stdout.write(
      `${what}: RETCODE ${r.result[0]!.retcode} (${r.result[0]!.message.split('\n')[0]}) in ${r.ms.toFixed(0)} ms; ` +
        `loop stalled at most ${r.stallMs.toFixed(0)} ms\n`,
    );
  process.stdout.write(`${OLD} users, worker ${WORKER ? 'running' : 'not running'}\n`);
  say(
    `IMP USER of ${NEW} new users`,
    await stallDuring(() => engine.execute('IMP USER FILE=new-users.json', 'bench')),
  );
  say(
    `IMP USER MODE=UPSERT of the same ${NEW}`,
    await stallDuring(() => engine.execute('IMP USER FILE=new-users.json MODE=UPSERT', 'bench')),
  );
  say(`EXP USER of ${users.count()} users`, await stallDuring(() => engine.execute('EXP USER', 'bench')));
  location.stop();
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
