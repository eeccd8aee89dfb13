// Child of logger-fifo.test.ts: the day's log file is a FIFO nobody reads (a log shipper down); logs,
// closes the logger as a stop does, logs again and exits with process.exit(): the exit must not wait.
import { Logger } from '../../../../core/observe/logger';

const dir = process.argv[2]!;
const logger = new Logger({ level: 'INFO', console: false, dataDir: dir });
logger.for('child').info('to the file');
logger.flush();
void logger.close().then(() => {
  logger.for('child').info('after the close');
  process.stdout.write('closed\n');
  process.exit(0);
});
