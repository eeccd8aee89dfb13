// Calls through the stateful proxy (RFC 3261 §16) between SIPp user agents, against the built headless
// server with PROXY.TIMER_C = 3 s. Each call is checked on the wire (the answers both ends saw) and in
// the CDR: the one CALL row it leaves in <dataDir>/ims-lab.db, compared column by column, and its copy
// in the daily CSV archive. The caller is always 4001; each test calls a user of its own (a SIPp UAS on
// a free port whose Contact is registered first), so no test sees another's bindings. The last four
// tests are regression tests for defects found on the way.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CDR_COLUMNS, type CdrRecord } from '../../../core/cdr/record';
import type { SipRequest } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, type SippResult } from '../../support/sipp';
import { RegisteringUa, contactOf, openUdp, parseResponse } from '../../support/sip-client';
import { TIME_MS, csvDay, rowsOf, theRow } from './cdr-reader';
import { answer, cancelOf, nextRequest, sendAuthenticated } from './raw-ua';
import {
  answers,
  call,
  describeBoth,
  receivedRequests,
  sentResponses,
  startCallee,
  stopStrayCallees,
  targetOf,
  user,
  users,
} from './parties';

const CALLER = user(4001);
const TIMER_C_SECONDS = 3;

const SDP = [
  'v=0',
  'o=raw 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 4000 RTP/AVP 0',
  '',
].join('\r\n');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The columns every CALL row through this server shares, given both ends. */
function callColumns(
  server: LabServer,
  caller: SippResult,
  callee: { username: string },
): Partial<CdrRecord> {
  const at = `127.0.0.1:${server.udpPort}`;
  const callerUser = CALLER.username;
  return {
    record_type: 'CALL',
    call_id: caller.requests[0]!.callId,
    sip_call_id: caller.requests[0]!.callId,
    // The raw From and To as the original wrote them; the bare URIs in from_uri and to_uri.
    caller_uri: expect.stringMatching(new RegExp(`^<sip:${callerUser}@${at}>;tag=`)) as string,
    from_uri: `sip:${callerUser}@${at}`,
    caller_number: callerUser,
    caller_ip: '127.0.0.1',
    caller_port: caller.localPort,
    callee_uri: `<sip:${callee.username}@${at}>`,
    to_uri: `sip:${callee.username}@${at}`,
    callee_number: callee.username,
    user_agent: 'ims-lab-sipp-caller',
    contact: '',
    caller_contact: `sip:${callerUser}@127.0.0.1:${caller.localPort};transport=UDP`,
    server_ip: '127.0.0.1',
    server_port: server.udpPort,
    expires: null,
    message_body: '',
    transport: 'UDP', // both sides over UDP (WSS/UDP when they differ)
    content_type: '',
    extra_info: '',
  };
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: call outcomes and their CDR rows', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4001, 20),
      config: { 'PROXY.TIMER_C': TIMER_C_SECONDS },
    });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('normal call, the caller hangs up: 407 then 100/180/200, 200 to BYE; CDR CALL ENDED 200 Normal, hangup_by caller', async () => {
    const callee = user(4002);
    const uas = await startCallee(server, callee, 'proxy_uas_answer.xml', { pauseMs: 150 });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, callee.username, { pauseMs: 300 });
    const answered = await uas.result;
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    // The challenge goes out at once without a transaction (§8.2.7, no 100 before it); the authenticated
    // INVITE gets its 100 at once (§16.2 / §17.2.1).
    expect(answers(caller), both).toEqual([
      '407 INVITE',
      '100 INVITE',
      '180 INVITE',
      '200 INVITE',
      '200 BYE',
    ]);
    expect(caller.responses[0]!.headerValues('proxy-authenticate').length).toBeGreaterThan(0);
    // The callee got the authenticated INVITE only, with our Record-Route, then the ACK and the BYE.
    const got = receivedRequests(answered);
    expect(got.map((m) => `${m.method} ${m.cseq.seq}`)).toEqual(['INVITE 2', 'ACK 2', 'BYE 3']);
    expect(got[0]!.has('proxy-authorization'), 'credentials are not forwarded (§22.3)').toBe(false);
    expect(got[0]!.header('record-route')).toMatch(
      new RegExp(`^<sip:127\\.0\\.0\\.1:${server.udpPort};lr;dlg=[0-9a-f]{16}>$`),
    );
    expect(got[0]!.header('max-forwards')).toBe('69');

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      ...callColumns(server, caller, callee),
      call_state: 'ENDED',
      status_code: 200,
      status_text: 'OK',
      termination_reason: 'Normal',
      hangup_by: 'caller',
      callee_ip: '127.0.0.1',
      callee_port: uas.localPort,
      callee_user_agent: 'ims-lab-sipp-callee',
      callee_contact: `sip:127.0.0.1:${uas.localPort};transport=UDP`,
      // The answer's SDP: PCMU only (the offer had PCMU, PCMA, telephone-event).
      call_type: 'AUDIO',
      codec: 'PCMU',
      media_direction: 'sendrecv',
      cseq: '3 BYE',
    });
    for (const t of ['invite_time', 'ringing_time', 'answer_time', 'bye_time'] as const)
      expect(row[t], t).toMatch(TIME_MS);
    expect(row.answered_at).not.toBeNull();
    // The callee rang for -d 150 ms before answering, the caller talked for -d 300 ms.
    expect(row.ring_ms).toBeGreaterThanOrEqual(140);
    expect(row.ring_ms).toBeLessThan(1000);
    expect(row.setup_ms).toBe(row.answered_at! - row.started_at);
    expect(row.setup_time).toBe(`${(row.setup_ms! / 1000).toFixed(2)}s`); // the original's rounding
    expect(row.pdd_ms).toBeLessThan(row.setup_ms!);
    expect(row.talk_ms).toBeGreaterThanOrEqual(290);
    expect(row.talk_ms).toBeLessThan(1500);
    expect(row.duration).toBe(Math.round(row.talk_ms! / 10) / 100);
    expect(row.ended_at - row.started_at).toBe(row.setup_ms! + row.talk_ms!);

    // The same row in the daily CSV archive, field for field.
    const csv = csvDay(server.dataDir, row.date);
    expect(csv[0]).toEqual([...CDR_COLUMNS]);
    const line = csv.find((f) => f[0] === row.record_id);
    expect(line, `record ${row.record_id} in the ${row.date} CSV`).toBeDefined();
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, line![i]]));
    expect(byName).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      status_code: '200',
      termination_reason: 'Normal',
      hangup_by: 'caller',
      codec: 'PCMU',
      sip_call_id: row.sip_call_id,
      duration: row.duration! % 1 === 0 ? row.duration!.toFixed(1) : String(row.duration),
      expires: '',
    });
  });

  it('normal call, the callee hangs up: BYE relayed to the caller; CDR CALL ENDED 200 Normal, hangup_by callee', async () => {
    const callee = user(4003);
    const uas = await startCallee(server, callee, 'proxy_uas_answer_then_bye.xml', { pauseMs: 200 });
    const caller = await call(server, 'proxy_uac_call_callee_bye.xml', CALLER, callee.username);
    const answered = await uas.result;
    const both = describeBoth(caller, answered);
    expect(caller.code, both).toBe(0);
    expect(answered.code, both).toBe(0);
    expect(answers(caller), both).toEqual(['407 INVITE', '100 INVITE', '180 INVITE', '200 INVITE']);
    // The BYE reached the caller through the proxy (Record-Route): our Via on top, Route consumed.
    const bye = receivedRequests(caller).find((m) => m.method === 'BYE');
    expect(bye, both).toBeDefined();
    expect(bye!.via[0]!.host).toBe('127.0.0.1');
    expect(bye!.via[0]!.port).toBe(server.udpPort);
    expect(bye!.has('route')).toBe(false);
    expect(answers(answered)).toEqual(['200 BYE']);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      ...callColumns(server, caller, callee),
      call_state: 'ENDED',
      status_code: 200,
      status_text: 'OK',
      termination_reason: 'Normal',
      hangup_by: 'callee',
      callee_port: uas.localPort,
      codec: 'PCMU',
      call_type: 'AUDIO',
      cseq: '1 BYE',
    });
    for (const t of ['invite_time', 'ringing_time', 'answer_time', 'bye_time'] as const)
      expect(row[t], t).toMatch(TIME_MS);
    expect(row.talk_ms).toBeGreaterThanOrEqual(190);
  });

  it('the caller cancels while it rings: 200 to CANCEL, 487 to INVITE; the callee got the CANCEL; CDR CANCELLED User Cancelled', async () => {
    const callee = user(4004);
    const uas = await startCallee(server, callee, 'proxy_uas_ring_cancel.xml');
    const caller = await call(server, 'proxy_uac_cancel.xml', CALLER, callee.username, { pauseMs: 200 });
    const rang = await uas.result;
    const both = describeBoth(caller, rang);
    expect(caller.code, both).toBe(0);
    expect(rang.code, both).toBe(0);
    expect(answers(caller), both).toEqual([
      '407 INVITE',
      '100 INVITE',
      '180 INVITE',
      '200 CANCEL',
      '487 INVITE',
    ]);
    // §16.10: the proxy cancelled its own branch: CANCEL with the branch of the INVITE it sent.
    const got = receivedRequests(rang);
    expect(got.map((m) => m.method)).toEqual(['INVITE', 'CANCEL', 'ACK']);
    expect(got[1]!.via).toHaveLength(1);
    expect(got[1]!.via[0]!.branch).toBe(got[0]!.via[0]!.branch);
    expect(sentResponses(rang).map((m) => `${m.status} ${m.cseq.method}`)).toEqual([
      '180 INVITE',
      '200 CANCEL',
      '487 INVITE',
    ]);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      ...callColumns(server, caller, callee),
      call_state: 'CANCELLED',
      // The 487 the caller got, as a call RMV CALL or the stop cancels has (the original wrote none).
      status_code: 487,
      status_text: 'Request Terminated',
      termination_reason: 'User Cancelled',
      end_reason: 'User Cancelled',
      hangup_by: 'caller',
      callee_port: uas.localPort,
      // Never answered: the offer's media (PCMA, PCMU), no answer time, no talk.
      call_type: 'AUDIO',
      codec: 'PCMA, PCMU',
      media_direction: 'sendrecv',
      answer_time: '',
      bye_time: '',
      answered_at: null,
      setup_time: '',
      duration: null,
      talk_ms: 0,
      callee_user_agent: '',
      callee_contact: '',
    });
    expect(row.invite_time).toMatch(TIME_MS);
    expect(row.ringing_time).toMatch(TIME_MS);
    expect(row.ring_ms).toBeGreaterThanOrEqual(190);
  });

  it('a busy callee: 486 relayed to the caller (and ACKed hop by hop); CDR FAILED 486 Busy Here, hangup_by callee', async () => {
    const callee = user(4005);
    const uas = await startCallee(server, callee, 'proxy_uas_busy.xml');
    const caller = await call(server, 'proxy_uac_rejected.xml', CALLER, callee.username);
    const busy = await uas.result;
    const both = describeBoth(caller, busy);
    expect(caller.code, both).toBe(0);
    expect(busy.code, both).toBe(0);
    expect(answers(caller), both).toEqual(['407 INVITE', '100 INVITE', '486 INVITE']);
    expect(caller.responses[2]!.reasonText).toBe('Busy Here');
    // The callee's ACK came from the proxy's client transaction (§17.1.1.3), not from the caller.
    const ack = receivedRequests(busy).find((m) => m.method === 'ACK');
    expect(ack!.via).toHaveLength(1);
    expect(ack!.via[0]!.port).toBe(server.udpPort);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      ...callColumns(server, caller, callee),
      call_state: 'FAILED',
      status_code: 486,
      status_text: 'Busy Here',
      termination_reason: '486 Busy Here',
      hangup_by: 'callee',
      // callee_ip/callee_port: where the INVITE was sent (see the regression test below).
      ringing_time: '',
      answer_time: '',
      bye_time: '',
      pdd_ms: null,
      ring_ms: null,
      setup_time: '',
      duration: null,
      codec: 'PCMA, PCMU',
      call_type: 'AUDIO',
      media_direction: 'sendrecv',
      callee_user_agent: '',
      callee_contact: '',
    });
  });

  it(`no answer: after ${TIMER_C_SECONDS} s of ringing Timer C cancels the branch; the caller gets 408; CDR FAILED 408`, async () => {
    const callee = user(4006);
    const uas = await startCallee(server, callee, 'proxy_uas_ring_cancel.xml');
    const started = Date.now();
    const caller = await call(server, 'proxy_uac_rejected.xml', CALLER, callee.username);
    const elapsed = Date.now() - started;
    const rang = await uas.result;
    const both = describeBoth(caller, rang);
    expect(caller.code, both).toBe(0);
    expect(rang.code, both).toBe(0);
    // §16.8: the branch had a provisional, so Timer C sends CANCEL; the caller is told 408 at once
    // (the callee's 487 that follows is absorbed by the proxy).
    expect(answers(caller), both).toEqual(['407 INVITE', '100 INVITE', '180 INVITE', '408 INVITE']);
    expect(receivedRequests(rang).map((m) => m.method)).toEqual(['INVITE', 'CANCEL', 'ACK']);
    expect(elapsed).toBeGreaterThanOrEqual(TIMER_C_SECONDS * 1000 - 100);
    expect(elapsed).toBeLessThan(TIMER_C_SECONDS * 1000 + 2000);

    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row).toMatchObject({
      ...callColumns(server, caller, callee),
      call_state: 'FAILED',
      status_code: 408,
      status_text: 'Request Timeout (no answer)',
      termination_reason: '408 Request Timeout (no answer)',
      end_reason: 'No answer (Timer C)',
      hangup_by: 'timeout',
      callee_port: uas.localPort,
      answer_time: '',
      bye_time: '',
      answered_at: null,
      duration: null,
    });
    expect(row.ringing_time).toMatch(TIME_MS);
    expect(row.ring_ms).toBeGreaterThanOrEqual(TIMER_C_SECONDS * 1000 - 100);
  });

  it('unknown user: 404 after the challenge; known user with no binding: 480; each a FAILED CALL row', async () => {
    const unknown = await call(server, 'proxy_uac_rejected.xml', CALLER, '4999');
    expect(unknown.code, unknown.describe()).toBe(0);
    expect(answers(unknown)).toEqual(['407 INVITE', '100 INVITE', '404 INVITE']);
    expect(unknown.responses[2]!.reasonText).toBe('Not Found');

    const offline = await call(server, 'proxy_uac_rejected.xml', CALLER, '4019');
    expect(offline.code, offline.describe()).toBe(0);
    expect(answers(offline)).toEqual(['407 INVITE', '100 INVITE', '480 INVITE']);
    expect(offline.responses[2]!.reasonText).toBe('Temporarily Unavailable (not registered)');

    // Call attempts the proxy refused itself are recorded (the original wrote no row for its 480, so
    // its answer ratio left them out): FAILED, with the answer, ended by the system. Wait out the commit
    // window.
    await sleep(600);
    expect(rowsOf(server.dataDir, unknown.requests[0]!.callId)).toMatchObject([
      {
        record_type: 'CALL',
        call_state: 'FAILED',
        status_code: 404,
        end_reason: '404 Not Found',
        hangup_by: 'system',
        callee_number: '4999',
      },
    ]);
    expect(rowsOf(server.dataDir, offline.requests[0]!.callId)).toMatchObject([
      {
        call_state: 'FAILED',
        status_code: 480,
        end_reason: '480 Temporarily Unavailable (not registered)',
      },
    ]);
  });

  it('Max-Forwards: 0 gets 483 Too Many Hops before any challenge, and nothing is forwarded', async () => {
    const callee = user(4007);
    // A registered contact that must stay silent.
    const phone = await openUdp(targetOf(server));
    try {
      const reg = await new RegisteringUa(phone, callee).register([contactOf(phone, callee.username)], 300);
      expect(reg.status).toBe(200);
      const r = await call(server, 'proxy_max_forwards.xml', CALLER, callee.username);
      expect(r.code, r.describe()).toBe(0);
      expect(answers(r)).toEqual(['100 INVITE', '483 INVITE']);
      expect(r.responses[1]!.reasonText).toBe('Too Many Hops');
      const forwarded = (await phone.collect(300)).map((b) => b.toString('latin1').split('\r\n')[0]);
      expect(forwarded).toEqual([]);
      expect(rowsOf(server.dataDir, r.requests[0]!.callId)).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  // Regression (fixed): core/sip/proxy/proxy.ts forward() used to rewrite the Request-URI of the original request object
  // (the last target reuses `req`, `copy.setUri(t.uri)`) before listenerFor() hands that same object
  // to CallTracker.invite(), which records `requestUri: req.uri`. The CDR's request_uri ("the INVITE's
  // Request-URI as received", core/cdr/record.ts) therefore holds the callee's Contact.
  it('request_uri is the INVITE Request-URI as received (not the Contact it was retargeted to)', async () => {
    const callee = user(4008);
    const uas = await startCallee(server, callee, 'proxy_uas_answer.xml', { pauseMs: 0 });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, callee.username, { pauseMs: 0 });
    const answered = await uas.result;
    expect(caller.code, describeBoth(caller, answered)).toBe(0);
    expect(receivedRequests(answered)[0]!.uri).toBe(`sip:${callee.username}@127.0.0.1:${uas.localPort}`);
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row.request_uri).toBe(`sip:${callee.username}@127.0.0.1:${server.udpPort}`);
  });

  // Regression (fixed): core/sip/proxy/call-tracker.ts failed() took every final but 408 for the callee's answer
  // (`status === 408 ? 'timeout' : 'callee'`, reason `${status} ${reason}`). When Timer C fires on a
  // branch that rang, response-context.ts timerC() CANCELs it (RFC 3261 §16.8) and the callee's 487 is
  // relayed, so the row says the callee ended the call with "487 Request Terminated", while nobody but
  // the proxy's timer did (HangupBy 'timeout' exists for this, and Call.endReason documents 'Timer C').
  it('a Timer C expiry is recorded as ended by the timeout, not by the callee', async () => {
    const callee = user(4010);
    const uas = await startCallee(server, callee, 'proxy_uas_ring_cancel.xml');
    const caller = await call(server, 'proxy_uac_rejected.xml', CALLER, callee.username);
    const rang = await uas.result;
    expect(answers(caller), describeBoth(caller, rang)).toContain('408 INVITE');
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect(row.hangup_by).toBe('timeout');
    expect(row.end_reason).toMatch(/timer c|no answer/i);
  });

  // Regression (fixed): core/sip/proxy/call-tracker.ts set call.callee.address/port only in ringing() and answered(),
  // although CallParty documents the callee's as "where it was sent, then where the 2xx came from". A
  // call refused at once (486 without a 180) leaves callee_ip '' and callee_port null in its row.
  it('a call refused without a provisional records where the INVITE was sent (callee_ip/port)', async () => {
    const callee = user(4011);
    const uas = await startCallee(server, callee, 'proxy_uas_busy.xml');
    const caller = await call(server, 'proxy_uac_rejected.xml', CALLER, callee.username);
    const busy = await uas.result;
    expect(answers(caller), describeBoth(caller, busy)).toContain('486 INVITE');
    const row = await theRow(server.dataDir, caller.requests[0]!.callId);
    expect([row.callee_ip, row.callee_port]).toEqual(['127.0.0.1', uas.localPort]);
  });

  // Regression (fixed): core/sip/proxy/response-context.ts returned on a 100 before marking the branch as
  // having a provisional, so a CANCEL after the callee's 100 Trying waited for a 180 that never came: the
  // callee never got it, Timer C then made up a 408 without cancelling, and the callee could still answer
  // a caller told the call was over. A 100 is a provisional response (RFC 3261 §9.1, §16.8).
  /** A raw phone registered as `callee`, and a raw caller whose INVITE has reached it (unanswered). */
  async function invited(callee: { username: string; password: string }) {
    const phone = await openUdp(targetOf(server));
    const caller = await openUdp(targetOf(server));
    const reg = await new RegisteringUa(phone, callee).register([contactOf(phone, callee.username)], 300);
    expect(reg.status).toBe(200);
    const sent = await sendAuthenticated(caller, CALLER, {
      method: 'INVITE',
      to: callee.username,
      body: SDP,
    });
    const invite = await nextRequest(phone);
    const close = async (): Promise<void> => {
      await phone.close();
      await caller.close();
    };
    return { phone, caller, sent, invite, close };
  }

  /** The same, the INVITE answered with 100 only. */
  async function tryingOnly(callee: { username: string; password: string }) {
    const { phone, caller, sent, invite, close } = await invited(callee);
    phone.send(answer(invite, 100, 'Trying'));
    /** The callee answers the CANCEL, then its INVITE with 487; returns what the caller got. */
    const terminate = async (cancel: SipRequest): Promise<string[]> => {
      expect(cancel.method).toBe('CANCEL');
      expect(cancel.via[0]!.branch).toBe(invite.via[0]!.branch);
      phone.send(answer(cancel, 200, 'OK'));
      phone.send(answer(invite, 487, 'Request Terminated'));
      return (await caller.collect(800))
        .map((b) => parseResponse(b))
        .map((r) => `${r.status} ${r.cseq.method}`);
    };
    return { phone, caller, sent, terminate, close };
  }

  it("a CANCEL after the callee's 100 Trying reaches the callee (§9.1); its 487 goes to the caller", async () => {
    const t = await tryingOnly(user(4013));
    try {
      await sleep(200);
      t.caller.send(cancelOf(t.caller, CALLER.username, '4013', t.sent));
      const got = await t.terminate(await nextRequest(t.phone, 2000));
      expect(got).toEqual(expect.arrayContaining(['200 CANCEL', '487 INVITE']));
      const row = await theRow(server.dataDir, t.sent.callId);
      expect([row.call_state, row.end_reason]).toEqual(['CANCELLED', 'User Cancelled']);
    } finally {
      await t.close();
    }
  });

  // Regression (fixed): core/sip/proxy/response-context.ts held the caller's INVITE until Timer B (32 s)
  // when it CANCELled a call whose callee had sent nothing yet: §9.1 forbids the CANCEL downstream, not
  // the answer upstream. The caller now gets its 487 at once.
  it('a CANCEL before the callee has said anything gets the caller its 487 at once', async () => {
    const t = await invited(user(4015));
    try {
      expect(t.invite.method).toBe('INVITE');
      t.caller.send(cancelOf(t.caller, CALLER.username, '4015', t.sent));
      const got = (await t.caller.collect(800))
        .map((b) => parseResponse(b))
        .map((r) => `${r.status} ${r.cseq.method}`);
      expect(got).toEqual(expect.arrayContaining(['200 CANCEL', '487 INVITE']));
      const row = await theRow(server.dataDir, t.sent.callId);
      expect([row.call_state, row.end_reason]).toEqual(['CANCELLED', 'User Cancelled']);
      // §9.1: the silent callee gets no CANCEL (only its INVITE, retransmitted).
      const toPhone = (await t.phone.collect(800)).map((b) => b.toString('latin1').split(' ')[0]);
      expect(toPhone).not.toContain('CANCEL');
    } finally {
      await t.close();
    }
  });

  // The same with no CANCEL from the caller: Timer C ends the branch that had only a 100 with a CANCEL
  // (§16.8: it had a provisional), not with a made-up 408 that leaves the callee's INVITE running.
  it(`Timer C on a branch that had only a 100 CANCELs it`, async () => {
    const t = await tryingOnly(user(4014));
    try {
      const got = await t.terminate(await nextRequest(t.phone, TIMER_C_SECONDS * 1000 + 2000));
      expect(got).toContain('408 INVITE');
    } finally {
      await t.close();
    }
  });

  // Regression (fixed): core/sip/proxy/response-context.ts relay() removed our Via and sends whatever is left through
  // the server transaction. A downstream response that carried only our Via (a broken UA) goes to the
  // caller with no Via at all; RFC 3261 §16.7 step 3: "If no Via header field values remain in the
  // response, the response was meant for this element and MUST NOT be forwarded".
  it('a response with no Via left after ours is removed is not forwarded (§16.7 step 3)', async () => {
    const callee = user(4012);
    const phone = await openUdp(targetOf(server));
    const caller = await openUdp(targetOf(server));
    try {
      const reg = await new RegisteringUa(phone, callee).register([contactOf(phone, callee.username)], 300);
      expect(reg.status).toBe(200);
      await sendAuthenticated(caller, CALLER, { method: 'INVITE', to: callee.username, body: SDP });
      const invite = await nextRequest(phone);
      expect(invite.method).toBe('INVITE');
      // Only the top Via (the proxy's) in the answer.
      phone.send(answer(invite, 486, 'Busy Here', [invite.headerValues('via')[0]!]));
      const got = (await caller.collect(800)).map((b) => b.toString('latin1'));
      const withoutVia = got.filter((m) => m.startsWith('SIP/2.0') && !/\r\nVia:/i.test(m));
      expect(withoutVia).toEqual([]);
    } finally {
      await phone.close();
      await caller.close();
    }
  });
});
