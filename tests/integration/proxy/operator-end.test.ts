// The operator ends live calls with MML (RMV CALL), sent to the running server over its HTTP API as
// `server.js mml` does (admin login, POST /api/mml): an answered call gets a BYE from the proxy both
// ways (it is on the route, Record-Route), a ringing one is cancelled, and the CDR row says the operator
// ended it ("Ended by operator", hangup_by operator).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { theRow } from './cdr-reader';
import {
  answers,
  describeBoth,
  liveCall,
  receivedRequests,
  startCall,
  startCallee,
  stopStrayCallees,
  user,
  users,
} from './parties';

const ADMIN_PASSWORD = 'operator-test-password';
const CALLER = user(4601);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: the operator ends calls (RMV CALL)', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4601, 3),
      env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  const liveCallIn = (state: 'RINGING' | 'ANSWERED') => liveCall(server, ADMIN_PASSWORD, state);

  it('an answered call: RMV CALL sends BYE to both parties; CDR ENDED 200 FORCED_TERMINATION_BY_MML, hangup_by operator', async () => {
    const callee = user(4602);
    const uas = await startCallee(server, callee, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const uac = await startCall(server, 'proxy_uac_call_callee_bye.xml', CALLER, callee.username);
    const id = await liveCallIn('ANSWERED');

    const removed = await runMml(server, ADMIN_PASSWORD, `RMV CALL CALLID="${id}" CONFIRM=YES`);
    expect(
      removed.results.map((r) => r.retcode),
      removed.text,
    ).toEqual([0]);
    expect(removed.results[0]!.message).toMatch(/BYE sent to both parties/);

    const [caller, answered] = await Promise.all([uac.result, uas.result]);
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    // Each side got a BYE from the proxy (its Via on top) with the reason (RFC 3326), and answered 200.
    for (const side of [caller, answered]) {
      const bye = receivedRequests(side).find((m) => m.method === 'BYE');
      expect(bye, both).toBeDefined();
      expect(bye!.via[0]!.port).toBe(server.udpPort);
      expect(bye!.header('reason')).toBe('SIP;cause=200;text="Ended by operator"');
      expect(bye!.callId).toBe(caller.requests[0]!.callId);
    }
    expect(answers(answered)).toEqual([]);
    expect((await runMml(server, ADMIN_PASSWORD, 'DSP CALL')).results[0]!.tables[0]?.rows ?? []).toEqual([]);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'FORCED_TERMINATION_BY_MML',
      end_reason: 'Ended by operator',
      hangup_by: 'operator',
      caller_number: CALLER.username,
      callee_number: callee.username,
      callee_port: uas.localPort,
      codec: 'PCMU',
    });
    expect(row.answered_at).not.toBeNull();
    expect(row.bye_time).not.toBe('');
  });

  it('a ringing call: RMV CALL cancels it, the callee gets CANCEL, the caller 487; CDR CANCELLED FORCED_TERMINATION_BY_MML', async () => {
    const callee = user(4603);
    const uas = await startCallee(server, callee, 'proxy_uas_ring_cancel.xml');
    const uac = await startCall(server, 'proxy_uac_rejected.xml', CALLER, callee.username);
    const id = await liveCallIn('RINGING');

    const removed = await runMml(server, ADMIN_PASSWORD, `RMV CALL CALLID="${id}" CONFIRM=YES`);
    expect(
      removed.results.map((r) => r.retcode),
      removed.text,
    ).toEqual([0]);
    expect(removed.results[0]!.message).toMatch(/not answered yet: INVITE cancelled/);

    const [caller, rang] = await Promise.all([uac.result, uas.result]);
    const both = describeBoth(caller, rang);
    expect(caller.code, both).toBe(0);
    expect(rang.code, both).toBe(0);
    expect(answers(caller), both).toEqual(['407 INVITE', '100 INVITE', '180 INVITE', '487 INVITE']);
    expect(receivedRequests(rang).map((m) => m.method)).toEqual(['INVITE', 'CANCEL', 'ACK']);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      // Never answered: CANCELLED, as STAT's Calls section counts it; the original's words for why.
      call_state: 'CANCELLED',
      status_code: 487,
      termination_reason: 'FORCED_TERMINATION_BY_MML',
      end_reason: 'Ended by operator',
      hangup_by: 'operator',
      answered_at: null,
      answer_time: '',
      bye_time: '',
      callee_port: uas.localPort,
    });
  });
});
