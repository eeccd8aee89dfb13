// kill -9 of the appliance with calls up (or a power cut): no stop() runs, so nothing ends the calls nor
// writes their rows. The CDR recorder keeps a journal of the calls up at each flush (core/cdr/
// live-calls.ts); the next start on the same data folder writes a row for each call it holds, ended by
// the unclean stop (termination_reason UNCLEAN_SHUTDOWN, end_reason "Unclean stop"), and says so in a
// WARNING with their count. Before, those calls left no row at all (the original's defect 23, kept for
// the crash case). Real SIPp parties through the built server; SIGKILL by PID.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { DB_FILE, cdrRows, theRow } from './cdr-reader';
import { liveCall, startCall, startCallee, stopStrayCallees, user, users } from './parties';

const ADMIN_PASSWORD = 'unclean-stop-test-password';
const CALLER = user(4801);

/** The journal's entries (read-only, beside the running server); [] before the table exists. */
function journal(dataDir: string): string[] {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'cdr_live_calls'")
      .get();
    if (table === undefined) return [];
    return db.prepare<[], string>('SELECT id FROM cdr_live_calls ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}

/** Waits (bounded) until the journal holds exactly `ids`. */
async function journalHolds(dataDir: string, ids: string[], timeoutMs = 5000): Promise<void> {
  const want = [...ids].sort();
  const deadline = Date.now() + timeoutMs;
  while (JSON.stringify(journal(dataDir)) !== JSON.stringify(want)) {
    if (Date.now() > deadline)
      throw new Error(`the journal holds ${JSON.stringify(journal(dataDir))}, not ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('CDR: calls up at a kill -9 are recorded at the next start', () => {
  const servers: LabServer[] = [];

  afterEach(async () => {
    await stopStrayCallees();
    for (const s of servers.splice(0)) await s.stop(); // a test that failed half-way (its folder: finally)
  });

  it('an answered and a ringing call, SIGKILL, restart: ENDED and FAILED rows UNCLEAN_SHUTDOWN, a WARNING, the journal empty', async () => {
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD };
    const first = await startLabServer({ users: users(4801, 3), env });
    servers.push(first);
    const dataDir = first.dataDir;
    try {
      const answering = user(4802);
      await startCallee(first, answering, 'proxy_uas_answer.xml', { pauseMs: 0, timeoutSeconds: 30 });
      await startCall(first, 'proxy_uac_call_callee_bye.xml', CALLER, answering.username, {
        timeoutSeconds: 30,
      });
      const talking = await liveCall(first, ADMIN_PASSWORD, 'ANSWERED');
      const ringingCallee = user(4803);
      await startCallee(first, ringingCallee, 'proxy_uas_ring_cancel.xml', { timeoutSeconds: 30 });
      await startCall(first, 'proxy_uac_rejected.xml', CALLER, ringingCallee.username, {
        timeoutSeconds: 30,
      });
      const ringing = await liveCall(first, ADMIN_PASSWORD, 'RINGING');

      // Both calls are in the journal (the recorder's flush), and neither has a row.
      await journalHolds(dataDir, [talking, ringing]);
      process.kill(first.pid, 'SIGKILL');
      expect(await first.child.exited).toBe('SIGKILL');
      servers.splice(0);
      const callRows = (): string[] =>
        cdrRows(dataDir)
          .filter((r) => r.record_type === 'CALL')
          .map((r) => r.sip_call_id);
      expect(callRows()).toEqual([]);

      // The next start on the same data folder.
      const second = await startLabServer({ dataDir, env });
      servers.push(second);
      const warning = await second.child.waitFor(
        /WARNING[^\n]*call\(s\) were up when IMS Lab last stopped uncleanly[^\n]*/,
      );
      expect(warning).toMatch(/\b2 call\(s\) were up[^\n]*1 answered \(ENDED\), 1 not answered \(FAILED\)/);

      const answered = await theRow(dataDir, talking);
      expect(answered).toMatchObject({
        call_state: 'ENDED',
        status_code: 200,
        termination_reason: 'UNCLEAN_SHUTDOWN',
        end_reason: 'Unclean stop',
        hangup_by: 'system',
        caller_number: CALLER.username,
        callee_number: answering.username,
      });
      expect(answered.answered_at).not.toBeNull();
      expect(answered.ended_at).toBeGreaterThanOrEqual(answered.answered_at!);
      expect(answered.bye_time).not.toBe('');
      const rang = await theRow(dataDir, ringing);
      expect(rang).toMatchObject({
        call_state: 'FAILED',
        status_code: null,
        termination_reason: 'UNCLEAN_SHUTDOWN',
        end_reason: 'Unclean stop',
        hangup_by: 'system',
        answered_at: null,
        callee_number: ringingCallee.username,
      });
      expect(rang.ringing_time).not.toBe('');
      expect(journal(dataDir)).toEqual([]);
      expect(callRows().sort()).toEqual([talking, ringing].sort());

      // A clean stop with nothing up leaves the journal empty, and a start after it writes nothing more.
      expect(await second.stop()).toBe(0);
      servers.splice(0);
      const third = await startLabServer({ dataDir, env });
      servers.push(third);
      expect(await third.stop()).toBe(0);
      servers.splice(0);
      expect(third.child.output()).not.toMatch(/stopped uncleanly/);
      expect(callRows()).toHaveLength(2);
      expect(journal(dataDir)).toEqual([]);
    } finally {
      removeDataDir(dataDir);
    }
  }, 60_000);
});
