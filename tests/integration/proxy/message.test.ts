// A pager-mode MESSAGE (RFC 3428) from one user to another through the proxy: challenged with 407,
// relayed to the recipient's registered Contact, its 200 relayed back, and one MESSAGE COMPLETED row
// in the CDR with the text of the message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, runSipp } from '../../support/sipp';
import { rowsOf, theRow } from './cdr-reader';
import {
  answers,
  call,
  describeBoth,
  receivedRequests,
  startCallee,
  stopStrayCallees,
  targetOf,
  user,
  users,
} from './parties';

const SENDER = user(4201);
const TEXT = 'Hello from 4201, meeting moved to 15:30';

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('proxy: MESSAGE', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4201, 5) });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('MESSAGE to a registered user: 407, then relayed, 200 back; CDR MESSAGE COMPLETED with message_body', async () => {
    const recipient = user(4202);
    const uas = await startCallee(server, recipient, 'proxy_message_uas.xml');
    const sender = await call(server, 'proxy_message.xml', SENDER, recipient.username, {
      keys: { text: TEXT },
    });
    const received = await uas.result;
    const both = describeBoth(sender, received);
    expect(sender.code, both).toBe(0);
    expect(received.code, both).toBe(0);
    // No 100 for a non-INVITE request (§17.2.2 leaves it to the TU; the proxy answers at once).
    expect(answers(sender), both).toEqual(['407 MESSAGE', '200 MESSAGE']);
    const relayed = receivedRequests(received);
    expect(relayed.map((m) => `${m.method} ${m.cseq.seq}`)).toEqual(['MESSAGE 2']);
    const message = relayed[0]!;
    expect(message.uri).toBe(`sip:${recipient.username}@127.0.0.1:${uas.localPort}`);
    expect(message.body.toString('utf8')).toBe(`${TEXT}\r\n`);
    expect(message.has('proxy-authorization')).toBe(false);
    expect(message.has('record-route'), 'MESSAGE creates no dialog').toBe(false);
    expect(sender.responses[1]!.header('server')).toBe('ims-lab-sipp-recipient');

    const callId = sender.requests[0]!.callId;
    const row = await theRow(server.dataDir, callId, 'MESSAGE');
    const at = `127.0.0.1:${server.udpPort}`;
    expect(row).toMatchObject({
      record_type: 'MESSAGE',
      call_state: 'COMPLETED',
      call_id: `${callId}-2 MESSAGE`,
      sip_call_id: callId,
      caller_uri: expect.stringMatching(new RegExp(`^<sip:${SENDER.username}@${at}>;tag=`)) as string,
      from_uri: `sip:${SENDER.username}@${at}`,
      caller_number: SENDER.username,
      caller_ip: '127.0.0.1',
      caller_port: sender.localPort,
      callee_uri: `<sip:${recipient.username}@${at}>`,
      to_uri: `sip:${recipient.username}@${at}`,
      callee_number: recipient.username,
      callee_ip: '127.0.0.1',
      callee_port: uas.localPort,
      status_code: 200,
      status_text: 'OK',
      termination_reason: '',
      message_body: `${TEXT}\r\n`,
      content_type: 'text/plain',
      user_agent: 'ims-lab-sipp-sender',
      cseq: '2 MESSAGE',
      server_ip: '127.0.0.1',
      server_port: server.udpPort,
      duration: null,
      talk_ms: null,
      hangup_by: '',
      codec: '',
      // Neither the MESSAGE nor its 200 had a Contact (RFC 3428 §4: none is needed).
      contact: '',
      callee_contact: '',
    });
    // From the MESSAGE's arrival to its answer: a moment on loopback, never before it.
    expect(row.ended_at - row.started_at).toBeGreaterThanOrEqual(0);
    expect(row.ended_at - row.started_at).toBeLessThan(5000);
    // theRow checked that the challenged first MESSAGE left no row of its own; nor is there a CALL row.
    expect(rowsOf(server.dataDir, callId, 'CALL')).toEqual([]);
  });

  // Regression (fixed): core/cdr/record.ts documents callee_user_agent as "the MESSAGE recipient's" Server/User-Agent,
  // but core/sip/proxy/proxy.ts listenerFor() reports only the status and reason of the answer
  // (`success: (r) => report(r.status, r.reasonText)`), and message-record.ts partyOf() fills
  // userAgent for the sender only: the column stays '' although the 200 carried a Server header.
  it('the MESSAGE row keeps the recipient Server header in callee_user_agent', async () => {
    const recipient = user(4203);
    const uas = await startCallee(server, recipient, 'proxy_message_uas.xml');
    const sender = await call(server, 'proxy_message.xml', SENDER, recipient.username, {
      keys: { text: 'hi' },
    });
    const received = await uas.result;
    expect(sender.code, describeBoth(sender, received)).toBe(0);
    expect(sender.responses[1]!.header('server')).toBe('ims-lab-sipp-recipient');
    const row = await theRow(server.dataDir, sender.requests[0]!.callId, 'MESSAGE');
    expect(row.callee_user_agent).toBe('ims-lab-sipp-recipient');
  });

  // Regression (fixed): SIPp's [authentication] signs uri="sip:<remote_ip>:<remote_port>" whatever the
  // Request-URI (its -auth_uri default), and the server answered such a MESSAGE to sip:4205@127.0.0.1
  // "400 Authorization uri does not match the Request-URI", so a CSV run calling many users could not
  // authenticate at all. A digest-uri naming the server itself is now taken (authenticator.ts).
  it("a CSV run of SIPp's [authentication] to two recipients, without -auth_uri, delivers both", async () => {
    const first = user(4204);
    const second = user(4205);
    const uas1 = await startCallee(server, first, 'proxy_message_uas.xml');
    const uas2 = await startCallee(server, second, 'proxy_message_uas.xml');
    const sender = await runSipp({
      scenario: 'proxy_message_any_callee.xml',
      target: targetOf(server),
      timeoutSeconds: 15,
      users: [
        { ...SENDER, fields: [first.username] },
        { ...SENDER, fields: [second.username] },
      ],
    });
    const [got1, got2] = [await uas1.result, await uas2.result];
    const all = `${describeBoth(sender, got1)}\n=== second recipient\n${got2.describe()}`;
    expect(answers(sender), all).toEqual(['407 MESSAGE', '200 MESSAGE', '407 MESSAGE', '200 MESSAGE']);
    expect(sender.code, all).toBe(0);
    const signed = sender.requests.filter((r) => r.has('proxy-authorization'));
    expect(signed.map((r) => r.uri)).toEqual([
      `sip:${first.username}@127.0.0.1`,
      `sip:${second.username}@127.0.0.1`,
    ]);
    for (const r of signed)
      expect(r.header('proxy-authorization')).toContain(`uri="sip:127.0.0.1:${server.udpPort}"`);
    expect(receivedRequests(got1).map((m) => m.body.toString('utf8'))).toEqual([
      `hello ${first.username}\r\n`,
    ]);
    expect(receivedRequests(got2).map((m) => m.body.toString('utf8'))).toEqual([
      `hello ${second.username}\r\n`,
    ]);
  });
});
