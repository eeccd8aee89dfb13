// re-INVITE inside an answered call (RFC 3261 §14, RFC 3264 §8.4 hold and resume) through the proxy:
// in-dialog requests follow the route set without a new challenge, every offer and answer is relayed,
// and the CDR row's media_direction (and codec) is the audio direction of the last answer.
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

const CALLER = user(4101);

/** The a=sendrecv/sendonly/recvonly/inactive line of an SDP body. */
const direction = (body: Buffer): string | undefined =>
  /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(body.toString('latin1'))?.[1];

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: re-INVITE hold and resume', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4101, 5) });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  async function holdCall(
    calleeNumber: number,
    offers: { hold: string; final: string },
    replies: { hold: string; final: string },
  ) {
    const callee = user(calleeNumber);
    const uas = await startCallee(server, callee, 'proxy_uas_hold_resume.xml', { keys: replies });
    const caller = await call(server, 'proxy_uac_hold_resume.xml', CALLER, callee.username, {
      keys: offers,
      pauseMs: 100,
    });
    const answered = await uas.result;
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    return { caller, answered, both, callee, uas };
  }

  it('hold (sendonly) then resume (sendrecv): both re-INVITEs relayed and answered; CDR media_direction sendrecv', async () => {
    const { caller, answered, both, callee, uas } = await holdCall(
      4102,
      { hold: 'sendonly', final: 'sendrecv' },
      { hold: 'recvonly', final: 'sendrecv' },
    );
    // No 407 for the in-dialog re-INVITEs (they carry a To tag).
    expect(answers(caller), both).toEqual([
      '407 INVITE',
      '100 INVITE',
      '180 INVITE',
      '200 INVITE',
      '100 INVITE',
      '200 INVITE',
      '100 INVITE',
      '200 INVITE',
      '200 BYE',
    ]);
    const got = receivedRequests(answered);
    expect(got.map((m) => `${m.method} ${m.cseq.seq}`)).toEqual([
      'INVITE 2',
      'ACK 2',
      'INVITE 3',
      'ACK 3',
      'INVITE 4',
      'ACK 4',
      'BYE 5',
    ]);
    // The offers reached the callee unchanged, and its answers came back to the caller.
    expect(got.filter((m) => m.method === 'INVITE').map((m) => direction(m.body))).toEqual([
      'sendrecv',
      'sendonly',
      'sendrecv',
    ]);
    expect(
      caller.responses
        .filter((m) => m.status === 200 && m.cseq.method === 'INVITE')
        .map((m) => direction(m.body)),
    ).toEqual(['sendrecv', 'recvonly', 'sendrecv']);
    // In-dialog requests are not record-routed again (§16.6 step 4 is for dialog-creating requests).
    expect(got[2]!.has('record-route')).toBe(false);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      status_code: 200,
      termination_reason: 'Normal',
      hangup_by: 'caller',
      caller_number: CALLER.username,
      callee_number: callee.username,
      callee_port: uas.localPort,
      call_type: 'AUDIO',
      codec: 'PCMU',
      media_direction: 'sendrecv',
      cseq: '5 BYE',
    });
  });

  it('hold and stay held (sendonly, then inactive): CDR media_direction is the last answer, inactive', async () => {
    const { caller, both } = await holdCall(
      4103,
      { hold: 'sendonly', final: 'inactive' },
      { hold: 'recvonly', final: 'inactive' },
    );
    expect(
      answers(caller).filter((a) => a === '200 INVITE'),
      both,
    ).toHaveLength(3);
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({ call_state: 'ENDED', hangup_by: 'caller', media_direction: 'inactive' });
  });

  it('a call that ends on hold: CDR media_direction recvonly (the callee answer to a sendonly offer)', async () => {
    const { caller, both } = await holdCall(
      4104,
      { hold: 'sendrecv', final: 'sendonly' },
      { hold: 'sendrecv', final: 'recvonly' },
    );
    expect(
      answers(caller).filter((a) => a === '200 INVITE'),
      both,
    ).toHaveLength(3);
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    // The tracker keeps the answer's direction (core/sip/proxy/call-tracker.ts inDialog): the callee's
    // view of a hold the caller put on.
    expect(row).toMatchObject({ call_state: 'ENDED', media_direction: 'recvonly' });
  });
});
