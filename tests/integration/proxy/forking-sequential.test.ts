// Sequential forking (RFC 3261 §16.6, PROXY.FORKING=SEQUENTIAL): the contacts of an AOR are tried one
// after the other, in q order (equal q: in the order they registered). The first is busy (486), so the
// proxy keeps that answer and tries the second, which answers; the caller never sees the 486.
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
  startCallee,
  stopStrayCallees,
  user,
  users,
} from './parties';

const CALLER = user(4401);
const CALLEE = user(4402);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: sequential forking', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4401, 2), config: { 'PROXY.FORKING': 'SEQUENTIAL' } });
  });
  afterEach(stopStrayCallees);
  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('the first contact is busy, the second answers: the caller gets 180 and 200, never the 486', async () => {
    const busy = await startCallee(server, CALLEE, 'proxy_uas_busy.xml');
    const answering = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, CALLEE.username, { pauseMs: 0 });
    const [refused, answered] = await Promise.all([busy.result, answering.result]);
    const all = `${describeBoth(caller, answered)}\n=== the busy contact\n${refused.describe()}`;
    expect(caller.code, all).toBe(0);
    expect(answers(caller), all).toEqual(['407 INVITE', '100 INVITE', '180 INVITE', '200 INVITE', '200 BYE']);
    // The busy contact got the INVITE first and was ACKed hop by hop; only then was the other tried.
    const first = receivedRequests(refused);
    const second = receivedRequests(answered);
    expect(first.map((m) => m.method)).toEqual(['INVITE', 'ACK']);
    expect(second.map((m) => m.method)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(second[0]!.via[0]!.branch).not.toBe(first[0]!.via[0]!.branch);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'Normal',
      callee_port: answering.localPort,
    });
  });
});
