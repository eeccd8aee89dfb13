// Event-loop time of a CDR flush: 200 call rows (750-1,000 calls/s flush about that many every 200 ms)
// inserted on the loop's own connection, against numbered on the loop and handed to the store worker
// (core/store/store-worker.ts), which inserts them on its thread. Real SQLite file, the table growing
// to 60,000 rows. Bounded: 150 flushes of each kind.
// Then the CDR recorder's own event-loop time per call (core/cdr/recorder.ts, through the same worker):
// 3,000 calls at 1,000 calls/s whose events all come in one turn (started, answered, ended: they end
// between two flushes), and 3,000 that stay up across flushes (answered 200 ms after the start, ended at
// 1 s). The process's CPU time (the worker's thread included) and the loop's busy time
// (performance.eventLoopUtilization) with the recorder subscribed, less the same run with nobody
// subscribed, per call; medians of 3 rounds.
//
//   node --import tsx tests/bench/cdr-flush.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCdrStore } from '../../core/cdr/cdr-store';
import { callRecord } from '../../core/cdr/from-events';
import { SqliteLiveCallJournal } from '../../core/cdr/live-calls';
import { CdrRecorder } from '../../core/cdr/recorder';
import type { CallEvent } from '../../core/calls/call';
import { SILENT_LOG } from '../../core/observe/log';
import { closeDatabase, openDatabase, type Database } from '../../core/store/database';
import { StoreWorker } from '../../core/store/store-worker';
import { call } from '../unit/cdr/events';

const ROWS = 200;
const FLUSHES = 150;

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const quantile = (xs: number[], f: number): string =>
  [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))]!.toFixed(2);

const CALLS = 3000;
const CALLS_PER_TICK = 10;
const TICK_MS = 10;
const ROUNDS = 3;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Cost {
  /** The event loop's busy ms (wall time: inflated when another process has the core). */
  loopMs: number;
  /** CPU ms of the whole process, the store worker's thread included (not inflated so). */
  cpuMs: number;
}

/**
 * Calls at 1,000/s through `onCall`; `upMs` 0: started, answered and ended in one turn; else answered
 * after 200 ms and ended after `upMs`. Returns what the run (and the drain after it) cost.
 */
async function drive(onCall: (e: CallEvent) => void, upMs: number, tag: string): Promise<Cost> {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const later: Promise<void>[] = [];
  for (let n = 0; n < CALLS; n += CALLS_PER_TICK) {
    for (let i = n; i < n + CALLS_PER_TICK; i++) {
      const id = `${tag}-${i}@bench`;
      const startedAt = Date.now();
      const up = call({ id, callId: id, state: 'calling', startedAt, endedAt: undefined });
      const started = { ...up, answeredAt: undefined, ringingAt: undefined, statusCode: 0, statusText: '' };
      onCall({ type: 'started', call: started, at: startedAt });
      const answer = (): void => {
        const at = Date.now();
        onCall({ type: 'answered', call: { ...up, state: 'answered', answeredAt: at }, at });
      };
      const end = (): void => {
        const at = Date.now();
        onCall({ type: 'ended', call: { ...up, state: 'ended', answeredAt: at, endedAt: at }, at });
      };
      if (upMs === 0) {
        answer();
        end();
      } else later.push(sleep(200).then(answer), sleep(upMs).then(end));
    }
    await sleep(TICK_MS);
  }
  await Promise.all(later);
  await sleep(300); // the last flushes
  const used = process.cpuUsage(cpu);
  return { loopMs: performance.eventLoopUtilization(elu).active, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function recorderPerCall(db: Database, store: SqliteCdrStore, worker: StoreWorker): Promise<void> {
  for (const [label, upMs] of [
    ['calls that end between two flushes', 0],
    ['calls up 1 s (across 20 flushes)', 1000],
  ] as const) {
    const loop: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bare = await drive(() => undefined, upMs, `bare${upMs}-${round}`);
      const recorder = new CdrRecorder({
        store,
        archive: undefined,
        log: SILENT_LOG,
        writeBehind: {
          available: () => worker.available(),
          plan: (records, now) => store.plan(records, now),
          write: (steps) => worker.write(steps),
        },
        journal: new SqliteLiveCallJournal(db), // as the appliance has it
      });
      const recorded = await drive(recorder.onCall, upMs, `rec${upMs}-${round}`);
      recorder.stop();
      await recorder.settle();
      loop.push(((recorded.loopMs - bare.loopMs) * 1000) / CALLS);
      cpu.push(((recorded.cpuMs - bare.cpuMs) * 1000) / CALLS);
    }
    console.log(
      `recorder, ${label.padEnd(36)} CPU ${median(cpu).toFixed(1).padStart(6)} µs a call, ` +
        `loop busy ${median(loop).toFixed(1).padStart(6)} µs a call ` +
        `(medians of ${ROUNDS} rounds of ${CALLS} calls, less the same calls with no recorder)`,
    );
  }
}

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
  await recorderPerCall(db, store, worker);
  await worker.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

void main();
