// The log file that cannot be written (a full disk; here a folder in its place): stderr says so once for
// the outage, naming the file (not its folder), and once it is written again with the lines lost. Before,
// one stderr line per batch (1,111 in a 2-minute outage) named the folder only. The file itself marks the
// gap with a WARNING once it is written again (stderr alone left an unmarked jump in the file).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
      // The file, and the records DSP LOG reads, mark the gap: which lines, when, and why (the next batch).
      await logger.close();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => l.slice(24))).toEqual([
        '[INFO    ] [appliance] five',
        expect.stringMatching(
          /^\[WARNING \] \[logger\] 3 log line\(s\) from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} to .+ could not be written to this file \(Error: EISDIR/,
        ),
      ]);
      expect(
        logger
          .recent(10)
          .map((r) => r.text)
          .at(-1),
      ).toMatch(/^3 log line\(s\) from /);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
