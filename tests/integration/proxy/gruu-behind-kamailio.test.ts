// A GRUU phone behind a real Kamailio edge proxy (RFC 5627 with RFC 5626 and RFC 3327): 4612 registers
// through Kamailio (which adds `Path: <kamailio;lr;ob>`), gets its public GRUU and calls 4613 (a SIPp
// UAS registered directly) with the GRUU as its Contact; Kamailio and IMS Lab Record-Route. 4613 hangs
// up: its BYE's Request-URI is the GRUU and its Route set IMS Lab, Kamailio. IMS Lab sent it on to
// Kamailio with the GRUU untouched, Kamailio answered 478 (it cannot resolve IMS Lab's domain) and the
// phone never got the BYE. IMS Lab owns the GRUU and now resolves it (RFC 5627 §7.1) along the Path.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerChallenge } from '../../../core/sip/auth/digest';
import { newCallId, newTag, type SipResponse } from '../../../core/sip/message/index';
import { paramValue } from '../../../core/sip/message/scanner';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { openUdp, parseResponse, RegisteringUa, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';
import { HAS_SIPP } from '../../support/sipp';
import { HAS_KAMAILIO, startKamailio, type Kamailio } from './kamailio-edge';
import { answer, nextRequest } from './raw-ua';
import { startCallee, stopStrayCallees, user, users } from './parties';

const PHONE = user(4612);
const FAR = user(4613);
const INSTANCE = 'urn:uuid:9f343f62-cbdb-14a7-bd24-2fe0448c1fcf';

/** The next final response on `ch` (100s and 18xs skipped). */
async function finalAnswer(ch: SipChannel, timeoutMs = 5000): Promise<SipResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = parseResponse(await ch.next(Math.max(1, deadline - Date.now())));
    if (res.status >= 200) return res;
  }
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP || !HAS_KAMAILIO)('proxy: a GRUU phone behind Kamailio', () => {
  let server: LabServer;
  let kamailio: Kamailio;

  beforeAll(async () => {
    server = await startLabServer({ users: users(4612, 2) });
    const core = `sip:127.0.0.1:${server.udpPort}`;
    kamailio = await startKamailio(
      (port) =>
        `if (is_method("REGISTER")) append_hf("Path: <sip:127.0.0.1:${port};lr;ob>\\r\\n"); ` +
        `if ($sp != ${server.udpPort}) $du = "${core}";`,
    );
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    await kamailio?.stop();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it("gets the far end's BYE to its GRUU, resolved to its contact along the Path", async () => {
    const at = `127.0.0.1:${server.udpPort}`;
    const ch = await openUdp({ host: '127.0.0.1', port: kamailio.port });
    try {
      const contact = `sip:${PHONE.username}@127.0.0.1:${ch.localPort};ob`;
      const ok = await new RegisteringUa(ch, PHONE).register(
        [`<${contact}>;reg-id=1;+sip.instance="<${INSTANCE}>"`],
        300,
        { uri: `sip:${at}`, extra: ['Supported: path, outbound, gruu'] },
      );
      expect(ok.status, ok.toString()).toBe(200);
      const pub = paramValue(ok.contacts[0]!.params, 'pub-gruu');
      expect(typeof pub, ok.toString()).toBe('string');
      const gruu = (pub as string).replace(/^"|"$/g, '');

      const far = await startCallee(server, FAR, 'proxy_uas_answer_then_bye.xml', {
        pauseMs: 300,
        timeoutSeconds: 15,
      });
      const uri = `sip:${FAR.username}@${at}`;
      const callId = newCallId('gruu-edge');
      const tag = newTag();
      const invite = (cseq: number, extra: string[]): Buffer =>
        sipBytes([
          `INVITE ${uri} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${ch.localPort};branch=z9hG4bK-gr-${cseq};rport`,
          'Max-Forwards: 70',
          `From: <sip:${PHONE.username}@${at}>;tag=${tag}`,
          `To: <${uri}>`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} INVITE`,
          `Contact: <${gruu}>`,
          'Supported: gruu, outbound',
          ...extra,
        ]);
      ch.send(invite(1, []));
      const challenge = await finalAnswer(ch);
      expect(challenge.status, challenge.toString()).toBe(407);
      ch.send(
        sipBytes([
          `ACK ${uri} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${ch.localPort};branch=z9hG4bK-gr-1;rport`,
          'Max-Forwards: 70',
          `From: <sip:${PHONE.username}@${at}>;tag=${tag}`,
          `To: ${challenge.header('to')}`,
          `Call-ID: ${callId}`,
          'CSeq: 1 ACK',
        ]),
      );
      const credentials = answerChallenge(challenge.headerValues('proxy-authenticate'), PHONE, 'INVITE', uri);
      ch.send(invite(2, [`Proxy-Authorization: ${credentials}`]));
      const answered = await finalAnswer(ch);
      expect(answered.status, answered.toString()).toBe(200);
      // ACK along the route set (§12.1.2: the Record-Route reversed), to the far end's Contact.
      const routes = answered.recordRoutes.map((r) => r.raw).reverse();
      ch.send(
        sipBytes([
          `ACK ${answered.contacts[0]!.uriText} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${ch.localPort};branch=z9hG4bK-gr-ack;rport`,
          'Max-Forwards: 70',
          `Route: ${routes.join(', ')}`,
          `From: <sip:${PHONE.username}@${at}>;tag=${tag}`,
          `To: ${answered.header('to')}`,
          `Call-ID: ${callId}`,
          'CSeq: 2 ACK',
        ]),
      );

      const bye = await nextRequest(ch, 5000);
      expect(bye.method).toBe('BYE');
      expect(bye.uri).toBe(contact);
      ch.send(answer(bye, 200, 'OK'));
      const hungUp = await far.result;
      expect(hungUp.code, hungUp.describe()).toBe(0);
    } finally {
      await ch.close();
    }
  });
});
