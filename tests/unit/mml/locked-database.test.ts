// Another program holding a write transaction open on ims-lab.db (DB Browser for SQLite with an unsaved
// edit, `sqlite3` after BEGIN): the loop's connection fails at once (failFastOnTheLoop), the command is
// answered RETCODE 7 naming the lock and the way out, and its history entry waits for the lock to go.
// Before, each statement slept 5 s on the event loop (SIP answered nothing) and the command answered
// 99 "Command failed: database is locked", its history entry lost.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { SqliteMmlHistory } from '../../../core/mml/history';
import { DATABASE_FILE, failFastOnTheLoop } from '../../../core/store/database';
import { openLab, run, useLabs, type Lab } from './lab';

useLabs();
afterEach(() => {
  vi.useRealTimers();
});

/** Another connection to the lab's database inside BEGIN EXCLUSIVE; release() rolls it back. */
function lockedBy(lab: Lab): { release: () => void } {
  const other = new BetterSqlite3(join(lab.dir, DATABASE_FILE));
  other.exec('BEGIN EXCLUSIVE');
  return {
    release: () => {
      other.exec('ROLLBACK');
      other.close();
    },
  };
}

describe('a database another program keeps locked', () => {
  it('ADD USER answers RETCODE 7 naming the lock, without waiting on the loop', async () => {
    const lab = openLab();
    failFastOnTheLoop(lab.db);
    const lock = lockedBy(lab);
    const started = performance.now();
    const r = await run(lab, 'ADD USER:USERNAME="2001",PASSWORD="pw2001"');
    const ms = performance.now() - started;
    const zh = (
      await lab.engine.execute('ADD USER:USERNAME="2001",PASSWORD="pw2001"', 'tester', { lang: 'zh' })
    )[0]!;
    lock.release();
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(/^ims-lab\.db is locked by another program \(.*\): close that program/);
    expect(ms).toBeLessThan(500);
    expect(zh.message).toMatch(/^ims-lab\.db 被另一个程序锁定（.*ims-lab\.db 上有未结束的写事务/);
  });

  it('keeps the command history entries and writes them once the lock is gone', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const lab = openLab();
    failFastOnTheLoop(lab.db);
    const history = new SqliteMmlHistory(lab.db, { retryMs: 1000 });
    const lock = lockedBy(lab);
    const entry = { at: 1, who: 'admin', command: 'DSP USER', retcode: 0, message: '' };
    history.append(entry);
    history.append({ ...entry, at: 2 });
    expect(history.waiting).toBe(2);
    lock.release();
    vi.advanceTimersByTime(1000);
    expect(history.waiting).toBe(0);
    expect(history.recent(10).map((e) => e.at)).toEqual([1, 2]);
  });
});
