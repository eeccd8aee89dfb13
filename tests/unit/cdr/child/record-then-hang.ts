// Child process for the crash test (crash.test.ts): records one finished call with the appliance's
// real recorder and its default flush timer, prints "flushed <ms>" once the row is committed, then idles
// until the parent kills it with SIGKILL. Never stops the recorder nor closes the database.
import { SqliteCdrStore } from '../../../../core/cdr/cdr-store';
import { CdrRecorder } from '../../../../core/cdr/recorder';
import { openDatabase } from '../../../../core/store/database';
import { SILENT_LOG } from '../../../../core/observe/log';
import { call, callEvent } from '../events';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: record-then-hang.ts <dataDir>');

const db = openDatabase(dataDir);
const store = new SqliteCdrStore(db, dataDir);
const recorder = new CdrRecorder({ store, archive: store.archive, log: SILENT_LOG });

const keepAlive = setInterval(() => undefined, 60_000); // the recorder's timer is unref'ed
const start = Date.now();
recorder.onCall(callEvent('ended', call({ callId: 'crash-test@lab', id: 'crash-test@lab' })));
const poll = setInterval(() => {
  if (recorder.written === 0) return;
  clearInterval(poll);
  process.stdout.write(`flushed ${Date.now() - start}\n`);
}, 5);
// Bounded: the parent kills long before this.
setTimeout(() => {
  clearInterval(keepAlive);
  process.exit(3);
}, 30_000).unref();
