// Child of activity-log.test.ts: logs a line into <dir> and exits at once with process.exit(), before
// the logger's batch timer fires: the exit hook must still write it.
import { Logger } from '../../../../core/observe/logger';

const dir = process.argv[2]!;
const logger = new Logger({ level: 'INFO', console: true, dataDir: dir });
logger.for('child').info('the last words');
process.exit(0);
