// CDR durability under load: SIPp places 60 short calls at 20 calls/s through the proxy, the server
// is killed with SIGKILL 250 ms after the last call ended (the recorder commits within its 200 ms flush
// interval, core/cdr/recorder.ts), and nothing is restarted. The database the server left behind
// (read from a copy, so SQLite's WAL recovery touches nothing of it) must hold exactly one CALL row,
// ENDED 200 Normal, for every call SIPp completed, and the CSV archive the same rows.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { DB_FILE, cdrRowsAfterCrash, csvDay, csvDays } from './cdr-reader';
import { call, describeBoth, startCallee, stopStrayCallees, user, users } from './parties';

const CALLER = user(4401);
const CALLEE = user(4402);
const CALLS = 60;
const RATE = 20;
/** The recorder's flush interval (200 ms) and a margin for the event loop under load. */
const COMMIT_WINDOW_MS = 250;

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('CDR durability: SIGKILL right after a call load', () => {
  let server: LabServer;
  let killed = false;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4401, 2) });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    // Killed by the test; stopped here (SIGTERM, exit 0) only if the test failed before the kill.
    expect(await server.stop()).toBe(killed ? 'SIGKILL' : 0);
    removeDataDir(server.dataDir);
  });

  it(`${CALLS} calls at ${RATE}/s, SIGKILL ${COMMIT_WINDOW_MS} ms after the last: one committed CALL row per completed call`, async () => {
    const uas = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', {
      calls: CALLS,
      pauseMs: 0,
      timeoutSeconds: 20,
    });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, CALLEE.username, {
      users: Array.from({ length: CALLS }, () => CALLER),
      calls: CALLS,
      pauseMs: 100,
      timeoutSeconds: 20,
      args: ['-r', String(RATE), '-rp', '1000'],
    });
    await new Promise((r) => setTimeout(r, COMMIT_WINDOW_MS));
    process.kill(server.pid, 'SIGKILL');
    killed = true;
    expect(await server.child.exited).toBe('SIGKILL');
    const answered = await uas.result;
    const both = describeBoth(caller, answered);

    // Every call completed: the BYE of each got its 200.
    expect(caller.code, both).toBe(0);
    expect(caller.successful, both).toBe(CALLS);
    const completed = caller.responses.filter((m) => m.status === 200 && m.cseq.method === 'BYE');
    const completedIds = new Set(completed.map((m) => m.callId));
    expect(completedIds.size).toBe(caller.successful);
    // 20 calls/s: the load took about 3 s (SIPp's own pacing, checked so the rate means something).
    expect(caller.durationMs).toBeGreaterThan(((CALLS - 1) / RATE) * 1000 - 200);

    // The server was killed: its WAL is still there, never checkpointed at a clean close.
    expect(existsSync(join(server.dataDir, `${DB_FILE}-wal`))).toBe(true);
    expect(statSync(join(server.dataDir, `${DB_FILE}-wal`)).size).toBeGreaterThan(0);

    const { rows, integrity } = cdrRowsAfterCrash(server.dataDir);
    expect(integrity).toBe('ok');
    const calls = rows.filter((r) => r.record_type === 'CALL');
    // Exactly the completed calls, each once.
    expect(calls.map((r) => r.sip_call_id).sort()).toEqual([...completedIds].sort());
    for (const r of calls) {
      expect(r, r.sip_call_id).toMatchObject({
        call_state: 'ENDED',
        status_code: 200,
        termination_reason: 'Normal',
        hangup_by: 'caller',
        caller_number: CALLER.username,
        callee_number: CALLEE.username,
        callee_port: uas.localPort,
        codec: 'PCMU',
        cseq: '3 BYE',
      });
      expect(r.talk_ms).toBeGreaterThanOrEqual(90);
    }
    // One REGISTER row for the callee's binding, and nothing else.
    expect(
      rows.filter((r) => r.record_type !== 'CALL').map((r) => `${r.record_type} ${r.call_state}`),
    ).toEqual(['REGISTER SUCCESS']);

    // The CSV archive got the same rows (it is appended in the same flush, after the commit).
    const csvIds = csvDays(server.dataDir).flatMap((d) =>
      csvDay(server.dataDir, d)
        .slice(1)
        .map((f) => f[0]!),
    );
    expect(csvIds.sort()).toEqual(rows.map((r) => r.record_id).sort());
  });
});
