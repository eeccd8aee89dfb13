// The dialer's user agent sends over UDP only. An in-dialog request whose next hop names TLS (the callee's
// Contact sips: or ;transport=tls, no Record-Route) was sent over UDP, silently, to a port that takes TLS:
// RFC 3263 §4.1, the URI's transport is the one to use. The hop is refused, naming the transport, and the
// call fails saying why. A real loopback socket plays proxy and callee.
import { describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../../../core/sip/message/index';
import { hopOf } from '../../../../core/sip/ua/hop';
import { agentPerTest, LOOPBACK_SDP, loopbackSocket, okTo } from '../../../support/loopback-agent';

const agent = agentPerTest();

describe("the dialer's next hop", () => {
  it('keeps UDP (and TCP, sent as UDP by its transport) and refuses what it cannot send on', () => {
    expect(hopOf('sip:1002@192.0.2.5:5070')).toEqual({ transport: 'UDP', address: '192.0.2.5', port: 5070 });
    expect(hopOf('sip:192.0.2.5;transport=TCP;lr')).toMatchObject({ transport: 'TCP', port: 5060 });
    expect(hopOf('sip:pcscf.lab.test;lr')).toBeUndefined();
    expect(() => hopOf('sip:1002@192.0.2.5:5061;transport=tls')).toThrow(
      "transport=tls is not supported by the auto dialer's user agent: it sends over UDP only",
    );
    expect(() => hopOf('sips:1002@192.0.2.5')).toThrow('transport=tls is not supported');
    expect(() => hopOf('sip:192.0.2.5;transport=ws')).toThrow('transport=ws is not supported');
    expect(() => hopOf('sip:192.0.2.5;transport=sctp')).toThrow('transport=sctp is not supported');
  });

  it('a 2xx whose Contact names TLS: no ACK over UDP, the call fails naming the transport', async () => {
    const peer = agent.track(await loopbackSocket());
    const me = peer.address().port;
    const ua = await agent.start(me);
    peer.on('message', (data) => {
      const m = parseMessage(data);
      if (!(m instanceof SipRequest) || m.method !== 'INVITE') return;
      peer.send(okTo(m, `<sip:1002@127.0.0.1:${me};transport=tls>`), ua.port, '127.0.0.1');
    });
    const outcome = await ua.call({ number: '1002', sdp: Buffer.from(LOOPBACK_SDP) }).outcome;
    expect(outcome).toMatchObject({ status: 200, answered: false, end: 'failed' });
    expect(outcome.reason).toBe(
      `cannot send to sip:1002@127.0.0.1:${me};transport=tls: transport=tls is not supported by the auto dialer's user agent: it sends over UDP only`,
    );
    const out = ua.options.counters.all().find((c) => c.name === 'sip_messages_out_total');
    expect(out?.get('ACK')).toBe(0);
  });
});
