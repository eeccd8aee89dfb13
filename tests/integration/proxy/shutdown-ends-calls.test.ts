// Stopping the appliance (SIGTERM) with calls up: the proxy ends them as the operator would, while its
// transport still runs: an answered call gets a BYE both ways, a ringing one is cancelled (the callee
// gets CANCEL, the caller the 487); the CDR row says the appliance's stop ended it
// (FORCED_TERMINATION_BY_SHUTDOWN, "System shutdown"). Before, nothing was sent: the phones stayed in
// a call whose later BYE went unrecorded, and a ringing call was recorded FAILED 503 though its caller
// never got a 503.
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
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

const ADMIN_PASSWORD = 'shutdown-test-password';
const CALLER = user(4701);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: the appliance stopping ends its calls', () => {
  let server: LabServer | undefined;

  afterEach(async () => {
    await stopStrayCallees();
    if (server !== undefined) removeDataDir(server.dataDir);
    server = undefined;
  });

  const start = async (): Promise<LabServer> =>
    (server = await startLabServer({ users: users(4701, 3), env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD } }));

  it('an answered call: BYE to both parties, then exit 0; CDR ENDED FORCED_TERMINATION_BY_SHUTDOWN', async () => {
    const s = await start();
    const callee = user(4702);
    const uas = await startCallee(s, callee, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const uac = await startCall(s, 'proxy_uac_call_callee_bye.xml', CALLER, callee.username);
    await liveCall(s, ADMIN_PASSWORD, 'ANSWERED');
    expect(await s.stop()).toBe(0);

    const [caller, answered] = await Promise.all([uac.result, uas.result]);
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    for (const side of [caller, answered]) {
      const bye = receivedRequests(side).find((m) => m.method === 'BYE');
      expect(bye, both).toBeDefined();
      expect(bye!.header('reason')).toBe('SIP;cause=200;text="System shutdown"');
    }
    const row = await theRow(s.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'FORCED_TERMINATION_BY_SHUTDOWN',
      end_reason: 'System shutdown',
      hangup_by: 'system',
    });
    expect(row.bye_time).not.toBe('');
  });

  it('a ringing call: the callee gets CANCEL, the caller the 487, then exit 0; CDR FORCED_TERMINATION_BY_SHUTDOWN', async () => {
    const s = await start();
    const callee = user(4703);
    const uas = await startCallee(s, callee, 'proxy_uas_ring_cancel.xml');
    const uac = await startCall(s, 'proxy_uac_rejected.xml', CALLER, callee.username);
    await liveCall(s, ADMIN_PASSWORD, 'RINGING');
    expect(await s.stop()).toBe(0);

    const [caller, rang] = await Promise.all([uac.result, uas.result]);
    const both = describeBoth(caller, rang);
    expect(answers(caller), both).toEqual(['407 INVITE', '100 INVITE', '180 INVITE', '487 INVITE']);
    expect(receivedRequests(rang).map((m) => m.method)).toEqual(['INVITE', 'CANCEL', 'ACK']);
    const row = await theRow(s.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'CANCELLED', // never answered, as STAT's Calls section counts it
      status_code: 487,
      termination_reason: 'FORCED_TERMINATION_BY_SHUTDOWN',
      end_reason: 'System shutdown',
      hangup_by: 'system',
      answered_at: null,
    });
  });
});
