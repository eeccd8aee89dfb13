// Child of logger-fifo.test.ts, run with UV_THREADPOOL_SIZE=1: the pool's one thread is held by an open
// of a FIFO nobody reads (argv[3]), as a hung mount holds it, so the logger's file writes never complete.
// Prints what waits, what problem() says once they have waited, and that close() returned; the parent
// then opens the FIFO's read side to let the thread go.
import { open } from 'node:fs/promises';
import { Logger, STUCK_WRITE_MS } from '../../../../core/observe/logger';

const [dir, blocker, cap] = process.argv.slice(2) as [string, string, string];
void open(blocker, 'w').then((h) => h.close());
const logger = new Logger({
  level: 'INFO',
  console: false,
  dataDir: dir,
  backlogChars: Number(cap),
});
const line = 'x'.repeat(100);
for (let i = 0; i < 2000; i++) {
  logger.for('child').info(`${i} ${line}`);
  if (i % 10 === 9) logger.flush();
}
const backlog = logger.backlog();
const before = logger.problem();
const realNow = Date.now;
Date.now = () => realNow() + STUCK_WRITE_MS;
const stuck = logger.problem();
Date.now = realNow;
void logger.close().then(() => {
  process.stdout.write(`${JSON.stringify({ backlog, before: before ?? null, stuck: stuck ?? null })}\n`);
});
