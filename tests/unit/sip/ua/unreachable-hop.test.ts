// The dialer's user agent sends over UDP only. An in-dialog request whose next hop names TLS (the callee's
// Contact sips: or ;transport=tls, no Record-Route) was sent over UDP, silently, to a port that takes TLS:
// RFC 3263 §4.1, the URI's transport is the one to use. The hop is refused, naming the transport, and the
// call fails saying why. A TCP hop (a callee whose 2xx left out IMS Lab's Record-Route, against RFC 3261
// §12.1.1) got UDP datagrams at its TCP port, lost: it is left to IMS Lab, the agent's outbound proxy
// (§8.1.2), which relays over TCP. A real loopback socket plays proxy and callee.
import { describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../../../core/sip/message/index';
import { hopOf } from '../../../../core/sip/ua/hop';
import { agentPerTest, LOOPBACK_SDP, loopbackSocket, okTo } from '../../../support/loopback-agent';

const agent = agentPerTest();

describe("the dialer's next hop", () => {
  it('keeps UDP, leaves TCP and names to IMS Lab, and refuses what neither may send on', () => {
    expect(hopOf('sip:1002@192.0.2.5:5070')).toEqual({ transport: 'UDP', address: '192.0.2.5', port: 5070 });
    expect(hopOf('sip:192.0.2.5;transport=TCP;lr')).toBeUndefined();
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

  it('a 2xx whose Contact names TCP, no Record-Route: ACK and BYE go to IMS Lab over UDP, not to the callee', async () => {
    const proxy = agent.track(await loopbackSocket());
    const callee = agent.track(await loopbackSocket());
    const ua = await agent.start(proxy.address().port);
    const contact = `sip:1002@127.0.0.1:${callee.address().port};transport=tcp`;
    // Each socket answers what reaches it, so that a call sent the wrong way ends too (and fails below).
    const seen: { at: string; method: string; uri: string; routes: number }[] = [];
    for (const [at, socket] of [
      ['proxy', proxy],
      ['callee', callee],
    ] as const)
      socket.on('message', (data) => {
        const m = parseMessage(data);
        if (!(m instanceof SipRequest)) return;
        seen.push({ at, method: m.method, uri: m.uri, routes: m.routes.length });
        if (m.method === 'INVITE') socket.send(okTo(m, `<${contact}>`), ua.port, '127.0.0.1');
        else if (m.method === 'ACK') call.hangup();
        else if (m.method === 'BYE') socket.send(okToBye(m), ua.port, '127.0.0.1');
      });
    const call = ua.call({ number: '1002', sdp: Buffer.from(LOOPBACK_SDP) });
    expect(await call.outcome).toMatchObject({ status: 200, answered: true, end: 'local' });
    expect(seen.filter((m) => m.method !== 'INVITE')).toEqual([
      { at: 'proxy', method: 'ACK', uri: contact, routes: 0 },
      { at: 'proxy', method: 'BYE', uri: contact, routes: 0 },
    ]);
  });
});

/** The 200 to a BYE (its Via, From, To, Call-ID and CSeq). */
function okToBye(bye: SipRequest): string {
  const copied = ['via', 'from', 'to', 'call-id', 'cseq'].map((h) => `${h}: ${bye.header(h)}`);
  return ['SIP/2.0 200 OK', ...copied, 'Content-Length: 0', '', ''].join('\r\n');
}
