// A call that spirals through a real Kamailio (RFC 3261 §16.3 step 4): 4601 calls 4602, whose Contact
// is Kamailio's address (an application server doing call forwarding); Kamailio Record-Routes, rewrites
// the Request-URI to 4603 and sends the INVITE back to IMS Lab, which rings 4603 (a SIPp UAS). The
// caller's ACK and BYE cross IMS Lab, Kamailio, IMS Lab. The second pass was a call of its own whose ACK
// never matched: 64*T1 after the answer IMS Lab hung up the callee and sent the caller's side a BYE with
// no Route (Kamailio: 404), the caller's own BYE then went unanswered, and the CDR had two rows.
// T1 is 100 ms here, so 64*T1 is 6.4 s and the caller hangs up at 8 s.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { waitForRows } from './cdr-reader';
import { HAS_KAMAILIO, startKamailio, type Kamailio } from './kamailio-edge';
import {
  answers,
  call,
  describeBoth,
  receivedRequests,
  registerContact,
  startCallee,
  stopStrayCallees,
  user,
  users,
} from './parties';

const CALLER = user(4601);
const FORWARDING = user(4602);
const TARGET = user(4603);

describe.skipIf(!HAS_BUILD || !HAS_SIPP || !HAS_KAMAILIO)('proxy: a call spiralling through Kamailio', () => {
  let server: LabServer;
  let kamailio: Kamailio;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4601, 3), config: { 'TIMER.T1': 100 } });
    kamailio = await startKamailio(
      `if (is_method("INVITE") && $rU == "${FORWARDING.username}") { $ru = "sip:${TARGET.username}@127.0.0.1:${server.udpPort}"; }`,
    );
    await registerContact(server, FORWARDING, kamailio.port);
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    await kamailio?.stop();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('stays up past 64*T1 once the caller ACKed, ends on the caller BYE, and is one CDR row', async () => {
    const callee = await startCallee(server, TARGET, 'proxy_uas_answer.xml', {
      pauseMs: 100,
      timeoutSeconds: 20,
    });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, FORWARDING.username, {
      pauseMs: 8000,
      timeoutSeconds: 20,
    });
    const answered = await callee.result;
    const both = `${describeBoth(caller, answered)}\n=== kamailio\n${kamailio.child.output().slice(-3000)}`;
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    expect(answers(caller).slice(-2), both).toEqual(['200 INVITE', '200 BYE']);
    // The callee got the caller's ACK and BYE (CSeq 3 of the caller's), no BYE of IMS Lab's.
    const got = receivedRequests(answered).map((m) => `${m.method} ${m.cseq.seq}`);
    expect(got, both).toEqual(['INVITE 2', 'ACK 2', 'BYE 3']);

    const callId = caller.requests[0]!.callId;
    const rows = await waitForRows(server.dataDir, callId, 'CALL', { timeoutMs: 5000, settleMs: 500 });
    expect(rows, both).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      call_state: 'ENDED',
      hangup_by: 'caller',
      end_reason: 'Normal',
      caller_number: CALLER.username,
      callee_number: TARGET.username,
      callee_port: answered.localPort,
      request_uri: `sip:${FORWARDING.username}@127.0.0.1:${server.udpPort}`,
    });
  }, 45_000); // SIPp's own bound (20 s) ends a caller whose BYE goes unanswered
});
