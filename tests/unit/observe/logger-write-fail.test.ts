// The log file that cannot be written (a full disk; here a folder in its place): stderr says so once for
// the outage, naming the file (not its folder), and once it is written again with the lines lost. Before,
// one stderr line per batch (1,111 in a 2-minute outage) named the folder only.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LOG_FILE_NAME, Logger } from '../../../core/observe/logger';

describe('the log file that cannot be written', () => {
  it('is named on stderr once for the outage, and when it is written again with the lines lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-file-fail-'));
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      said.push(String(chunk));
      return true;
    });
    try {
      const logger = new Logger({ level: 'INFO', console: false, dataDir: dir, recentCapacity: 10 });
      logger.for('appliance').info('first');
      await logger.close();
      const file = join(dir, 'logs', readdirSync(join(dir, 'logs'))[0]!, LOG_FILE_NAME);
      rmSync(file);
      mkdirSync(file); // a folder where the file should be: EISDIR
      for (const text of ['two', 'three', 'four']) {
        logger.for('appliance').info(text);
        await logger.close();
      }
      rmSync(file, { recursive: true });
      logger.for('appliance').info('five');
      await logger.close();
      expect(said).toEqual([
        expect.stringMatching(new RegExp(`^logger: cannot write ${file}: Error: EISDIR`)),
        `logger: ${file} is written again (3 lines lost meanwhile)\n`,
      ]);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
