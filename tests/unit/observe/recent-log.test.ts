// What the console's Logs view gets when it opens: the server's newest records (up to its largest
// "Lines kept"), the warnings and errors a flood of INFO lines would have pushed out, and after a
// restart the lines of today's file from before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rememberToday } from '../../../core/observe/log-file';
import { Logger, RECENT_RECORDS } from '../../../core/observe/logger';

describe('the log kept in memory', () => {
  it('keeps the newest 10,000 records, not the last 1,000', () => {
    const logger = new Logger({ level: 'INFO', console: false });
    const log = logger.for('sip');
    for (let i = 0; i < 60_000; i++) log.info(`call ${i} ended`);
    const all = logger.recent(50_000);
    expect(RECENT_RECORDS).toBe(10_000);
    expect(all).toHaveLength(10_000);
    expect(all[0]!.text).toBe('call 50000 ended');
    expect(all.at(-1)!.text).toBe('call 59999 ended');
  });

  it('keeps a warning found by level and search after a flood of INFO lines pushed it out', () => {
    const logger = new Logger({ level: 'INFO', console: false, recentCapacity: 1000 });
    logger.for('auth').warning('locked out user 1003@ from 127.0.0.1 for 120 s');
    for (let i = 0; i < 5000; i++) logger.for('sip').info(`call ${i} ended`);
    expect(logger.recent(10, { level: 'WARNING' }).map((r) => r.text)).toEqual([
      'locked out user 1003@ from 127.0.0.1 for 120 s',
    ]);
    expect(logger.recent(10, { keyword: 'LOCKED OUT' })).toHaveLength(1);
    // Unfiltered, it comes before the records held, within the limit asked.
    const some = logger.recent(1001);
    expect(some[0]!.level).toBe('WARNING');
    expect(some[1]!.text).toBe('call 4000 ended');
    expect(logger.recent(1000)[0]!.text).toBe('call 4000 ended');
  });

  it('bounds the text it keeps: DEBUG records with whole SIP messages are fewer', () => {
    const logger = new Logger({ level: 'DEBUG', console: false, recentChars: 1_000_000 });
    const message = 'INVITE sip:1002@lab SIP/2.0\n'.padEnd(2000, 'x');
    for (let i = 0; i < 2000; i++) logger.for('sip').debug(`${i} ${message}`);
    const held = logger.held();
    expect(held.chars).toBeLessThanOrEqual(1_000_000);
    expect(held.records).toBeGreaterThan(200);
    expect(held.records).toBeLessThan(260);
    expect(logger.recent(5).at(-1)!.text.startsWith('1999 ')).toBe(true);
  });

  it("reads today's file back at start: a console after a restart has the lines before it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-recent-'));
    try {
      const before = new Logger({ level: 'INFO', console: false, dataDir: dir });
      before.for('auth').warning('locked out user 1003@ from 127.0.0.1 for 120 s');
      before.for('appliance').info('System shutdown');
      await before.close();

      const after = new Logger({ level: 'INFO', console: false, dataDir: dir });
      expect(rememberToday(after, dir)).toBeUndefined();
      after.for('appliance').info('IMS Lab starting');
      expect(after.recent(10).map((r) => `${r.level} ${r.source} ${r.text}`)).toEqual([
        'WARNING auth locked out user 1003@ from 127.0.0.1 for 120 s',
        'INFO appliance System shutdown',
        'INFO appliance IMS Lab starting',
      ]);
      await after.close();
      // No file for the day: nothing, and nothing to say.
      expect(rememberToday(new Logger({ level: 'INFO', console: false }), join(dir, 'none'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
