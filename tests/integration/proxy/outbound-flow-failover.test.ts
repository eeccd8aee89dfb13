// RFC 5626 §5.3 against the built server, with real sockets as the exploratory tester's repro had them:
// the callee registers one instance with two flows, reg-id=1 over a TCP connection it keeps open, then
// reg-id=2 over UDP (Supported: outbound, both answered Require: outbound). The INVITE goes down the
// newest flow, the UDP one, whose socket then closes (a phone whose NAT binding is lost); once that
// branch times out (Timer B, 64*T1: TIMER.T1 50 makes it 3.2 s) the INVITE goes down the TCP flow, and
// the callee's 200 there reaches the caller. It was: the TCP flow never saw the INVITE and the caller
// got "408 Request Timeout (no final answer)" after Timer B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openTcp, openUdp, parseResponse } from '../../support/sip-client';
import { targetOf, user, users } from './parties';
import { answer, nextRequest, sendAuthenticated } from './raw-ua';

const CALLER = user(4961);
const CALLEE = user(4962);
const INSTANCE = ';+sip.instance="<urn:uuid:22222222-0000-1000-8000-aabbccddeeff>"';

let server: LabServer;

describe.skipIf(!HAS_BUILD)('proxy: a device whose newest SIP Outbound flow has died (RFC 5626 §5.3)', () => {
  beforeAll(async () => {
    server = await startLabServer({ users: users(4961, 2), config: { 'TIMER.T1': 50 } });
  });
  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('the INVITE goes down the live TCP flow once the UDP flow times out, and the call is answered', async () => {
    const tcp = await openTcp({ host: server.host, port: server.tcpPort });
    const udp = await openUdp(targetOf(server));
    const caller = await openUdp(targetOf(server));
    let udpOpen = true;
    try {
      for (const [flow, regId] of [
        [tcp, 1],
        [udp, 2],
      ] as const) {
        const ok = await new RegisteringUa(flow, CALLEE).register(
          [contactOf(flow, CALLEE.username, `;reg-id=${regId}${INSTANCE}`)],
          300,
          { extra: ['Supported: outbound'] },
        );
        expect(ok.status).toBe(200);
        expect(ok.tokens('require')).toEqual(['outbound']);
      }

      const sent = await sendAuthenticated(caller, CALLER, { method: 'INVITE', to: CALLEE.username });
      // The newest flow gets it first; then the phone's UDP side dies.
      const first = await nextRequest(udp, 3000);
      expect(first.method).toBe('INVITE');
      await udp.close();
      udpOpen = false;

      const invite = await nextRequest(tcp, 10_000);
      expect(invite.method).toBe('INVITE');
      expect(invite.callId).toBe(sent.callId);
      expect(invite.uri).toBe(`sip:${CALLEE.username}@${tcp.localHost}:${tcp.localPort};transport=tcp`);
      tcp.send(answer(invite, 200, 'OK'));

      const finals: SipResponse[] = [];
      while (finals.length === 0) {
        const r = parseResponse(await caller.next(5000));
        if (r.cseq.seq === sent.cseq && r.status >= 200) finals.push(r);
      }
      expect(`${finals[0]!.status} ${finals[0]!.cseq.method}`).toBe('200 INVITE');
    } finally {
      await tcp.close();
      if (udpOpen) await udp.close();
      await caller.close();
    }
  }, 30_000);
});
