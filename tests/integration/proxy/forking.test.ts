// Parallel forking (RFC 3261 §16.6, §16.7 step 10): one AOR registered from two SIPp UAS instances,
// so the INVITE goes to both Contacts. One rings and then answers; the other rings and must be
// cancelled by the proxy once the answer arrives (and answers its INVITE with 487). The caller sees
// exactly one 200, and the CDR one CALL row naming the UA that answered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { theRow } from './cdr-reader';
import {
  answers,
  call,
  describeBoth,
  receivedRequests,
  sentResponses,
  startCallee,
  stopStrayCallees,
  user,
  users,
} from './parties';

const CALLER = user(4301);
const CALLEE = user(4302);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: parallel forking to two contacts', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4301, 2), config: { 'PROXY.FORKING': 'PARALLEL' } });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('one contact answers, the other rings and gets CANCEL (487); the caller gets exactly one 200', async () => {
    // Both register CALLEE (two bindings). The ringing one is started first; the answering one rings
    // for 300 ms (-d) before its 200, so both branches have a provisional when the answer comes.
    const ringing = await startCallee(server, CALLEE, 'proxy_uas_ring_cancel.xml');
    const answering = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', { pauseMs: 300 });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, CALLEE.username, { pauseMs: 200 });
    const [answered, cancelled] = await Promise.all([answering.result, ringing.result]);
    const all = `${describeBoth(caller, answered)}\n=== the cancelled fork\n${cancelled.describe()}`;
    expect(caller.code, all).toBe(0);
    expect(answered.code, all).toBe(0);
    expect(cancelled.code, all).toBe(0);

    // Both forks' 180s reach the caller (in either order), then one 200 for the INVITE.
    expect(answers(caller), all).toEqual([
      '407 INVITE',
      '100 INVITE',
      '180 INVITE',
      '180 INVITE',
      '200 INVITE',
      '200 BYE',
    ]);
    const ringTags = caller.responses.filter((m) => m.status === 180).map((m) => m.to.tag);
    expect(new Set(ringTags).size, 'two forks, two To tags').toBe(2);
    const ok = caller.responses.filter((m) => m.status === 200 && m.cseq.method === 'INVITE');
    expect(ok).toHaveLength(1);
    expect(ok[0]!.contacts[0]!.uriText).toBe(`sip:127.0.0.1:${answering.localPort};transport=UDP`);
    // No 487 reaches the caller: the 200 was its final answer (§16.7 step 10).
    expect(caller.responses.some((m) => m.status === 487)).toBe(false);

    // The ringing fork: INVITE (same Call-ID), then the proxy's CANCEL on the branch it rang on.
    const forked = receivedRequests(cancelled);
    expect(
      forked.map((m) => m.method),
      all,
    ).toEqual(['INVITE', 'CANCEL', 'ACK']);
    expect(forked[0]!.callId).toBe(caller.requests[0]!.callId);
    expect(forked[1]!.via[0]!.branch).toBe(forked[0]!.via[0]!.branch);
    expect(forked[1]!.via[0]!.port).toBe(server.udpPort);
    expect(sentResponses(cancelled).map((m) => `${m.status} ${m.cseq.method}`)).toEqual([
      '180 INVITE',
      '200 CANCEL',
      '487 INVITE',
    ]);
    // The answering fork had the whole call; the two forks got different branches from the proxy.
    const calls = receivedRequests(answered);
    expect(calls.map((m) => m.method)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(calls[0]!.via[0]!.branch).not.toBe(forked[0]!.via[0]!.branch);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'Normal',
      hangup_by: 'caller',
      callee_number: CALLEE.username,
      callee_ip: '127.0.0.1',
      callee_port: answering.localPort,
      callee_contact: `sip:127.0.0.1:${answering.localPort};transport=UDP`,
      callee_user_agent: 'ims-lab-sipp-callee',
      codec: 'PCMU',
    });
  });
});
