// An uncaught exception or unhandled rejection in the appliance's process (core/cli/process-fault.ts):
// an ERROR line in the day's log file at once, with its stack, and one stop however many follow.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger, localStamp } from '../../../core/observe/logger';
import { logFileOf } from '../../../core/observe/log-file';
import { onProcessFault, type ProcessFault } from '../../../core/cli/process-fault';
import { tempDir } from '../../support/temp-dir';

afterEach(() => vi.restoreAllMocks());

describe('onProcessFault', () => {
  it('writes an uncaught exception to the day’s log file at once, then stops once', async () => {
    const dataDir = tempDir('ims-fault-');
    const logger = new Logger({ level: 'INFO', dataDir, console: false });
    const target = new EventEmitter();
    const stops: ProcessFault[] = [];
    onProcessFault({ target, dataDir, logger: () => logger, stop: (f) => stops.push(f) });

    target.emit('uncaughtException', new TypeError('boom'), 'uncaughtException');
    // In the file now, not in the next batch: the process may not live to write it.
    const file = logFileOf(dataDir, localStamp(Date.now()).day);
    const log = readFileSync(file, 'utf8');
    expect(log).toMatch(
      /\[ERROR {3}\] \[process\] uncaught exception \(a defect of IMS Lab\): stopping: TypeError: boom\n {8}at /,
    );
    expect(stops).toEqual([{ kind: 'uncaught exception', message: 'TypeError: boom', logFile: file }]);

    // One more while stopping: logged, no second stop.
    target.emit('unhandledRejection', 'a string', Promise.resolve());
    expect(readFileSync(file, 'utf8')).toContain(
      '[process] another unhandled rejection while stopping: a string (thrown, not an Error)',
    );
    expect(stops).toHaveLength(1);
    await logger.close();
  });

  it('an unhandled rejection stops too; before the appliance has a logger, it goes to stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const target = new EventEmitter();
    const stops: ProcessFault[] = [];
    onProcessFault({ target, dataDir: '/d', logger: () => undefined, stop: (f) => stops.push(f) });
    target.emit('unhandledRejection', new Error('lost'), Promise.resolve());
    expect(stops).toEqual([{ kind: 'unhandled rejection', message: 'Error: lost', logFile: undefined }]);
    expect(String(stderr.mock.calls[0]![0])).toMatch(
      /^ims-lab: unhandled rejection \(a defect of IMS Lab\): stopping: Error: lost\n/,
    );
  });
});
