// Child of logger-fifo.test.ts, run on a terminal (the pty of `script`): logs `n` lines of 1 KB through
// the process's own stdout, a batch a turn, counting the turns a timer gets meanwhile; then closes the
// logger and writes to <result> how far it got and what its stdout still held.
import { writeFileSync } from 'node:fs';
import { Logger } from '../../../../core/observe/logger';

const [result, n, cap] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const logger = new Logger({ level: 'INFO', backlogChars: cap, recentCapacity: 0 });
const filler = 'x'.repeat(1000);
let ticks = 0;
const timer = setInterval(() => ticks++, 1);
let i = 0;
const batch = (): void => {
  for (let k = 0; k < 100 && i < n; k++, i++) logger.for('tty').info(`line ${i} ${filler}`);
  logger.flush();
  if (i < n) setImmediate(batch);
  else void finish();
};
async function finish(): Promise<void> {
  await logger.close();
  clearInterval(timer);
  writeFileSync(
    result,
    JSON.stringify({
      tty: process.stdout.isTTY === true,
      written: i,
      ticks,
      held: process.stdout.writableLength,
    }),
  );
  process.exit(0);
}
batch();
