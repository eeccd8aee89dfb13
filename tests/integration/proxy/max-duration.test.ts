// The maximum call duration (CALL.MAX_DURATION): an answered call that nobody hangs up is ended by the
// proxy itself, a BYE to each party (it is on the route) saying why (RFC 3326 Reason), and the CDR row
// says the timeout ended it. Nothing is left behind: DSP CALL is empty afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { theRow } from './cdr-reader';
import {
  describeBoth,
  receivedRequests,
  startCall,
  startCallee,
  stopStrayCallees,
  user,
  users,
} from './parties';

const ADMIN_PASSWORD = 'max-duration-test';
const CALLER = user(4901);
const CALLEE = user(4902);
const MAX_SECONDS = 2;

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: the maximum call duration', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4901, 2),
      config: { 'CALL.MAX_DURATION': MAX_SECONDS },
      env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  });
  afterEach(stopStrayCallees);
  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it(`an answered call is ended after ${MAX_SECONDS} s with a BYE to both parties`, async () => {
    const uas = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const started = Date.now();
    const uac = await startCall(server, 'proxy_uac_call_callee_bye.xml', CALLER, CALLEE.username);
    const [caller, answered] = await Promise.all([uac.result, uas.result]);
    const elapsed = Date.now() - started;
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(MAX_SECONDS * 1000 - 100);
    expect(elapsed).toBeLessThan(MAX_SECONDS * 1000 + 3000);
    for (const side of [caller, answered]) {
      const bye = receivedRequests(side).find((m) => m.method === 'BYE');
      expect(bye, both).toBeDefined();
      expect(bye!.via[0]!.port).toBe(server.udpPort);
      expect(bye!.header('reason')).toBe('SIP;cause=200;text="Maximum call duration"');
    }
    expect((await runMml(server, ADMIN_PASSWORD, 'DSP CALL')).results[0]!.tables[0]?.rows ?? []).toEqual([]);
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'Normal',
      end_reason: 'Maximum call duration',
      hangup_by: 'timeout',
    });
    expect(row.talk_ms).toBeGreaterThanOrEqual(MAX_SECONDS * 1000 - 100);
  });
});
