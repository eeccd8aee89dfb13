// A next hop whose URI names a transport IMS Lab does not send on (transport=sctp, a made-up token): RFC
// 3263 §4.1, that transport is the one to use, so the target cannot be reached. The request went over UDP
// instead, silently, to whatever listened there (Kamailio 5.6 does the same for a token it does not know;
// for a transport it knows but does not listen on it answers 500). Now a 500 naming the transport, the
// warning in the log, and sip_unroutable_total{why="unsupported-transport"}; no lookup of a name first.
import { describe, expect, it } from 'vitest';
import { SILENT_LOG } from '../../../../core/observe/log';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLER, inviteLines } from './call-steps';
import { kinds, stack } from './stack';

function routedVia(callId: string, route: string): string[] {
  return [...inviteLines(callId), `Route: <${route}>`];
}

describe('a next hop whose transport= IMS Lab does not have', () => {
  it('is refused 500 naming it, counted and logged, nothing sent to it', async () => {
    const warnings: string[] = [];
    const s = stack({ relayForeign: true }, { log: { ...SILENT_LOG, warning: (m) => warnings.push(m) } });
    await s.receive(routedVia('sctp-hop', 'sip:192.0.2.77:5090;transport=sctp;lr'), CALLER);
    const final = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(final.status).toBe(500);
    expect(final.reasonText).toBe(
      'Server Internal Error (transport=sctp is not supported: IMS Lab sends over UDP, TCP, TLS, WS, WSS)',
    );
    expect(s.sent.filter((m) => m.to.address === '192.0.2.77')).toEqual([]);
    const counter = s.counters.all().find((c) => c.name === 'sip_unroutable_total');
    expect(counter?.get('unsupported-transport')).toBe(1);
    expect(warnings.join('\n')).toContain('transport=sctp is not supported');
  });

  it('a name with one is refused before it is looked up', async () => {
    const asked: string[] = [];
    const lookup = (host: string) => {
      asked.push(host);
      return Promise.resolve([{ address: '192.0.2.78', family: 4 }]);
    };
    const s = stack({ relayForeign: true }, { lookup });
    await s.receive(routedVia('made-up', 'sip:edge.lab.test;transport=quic;lr'), CALLER);
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(500);
    expect(asked).toEqual([]);
    expect(s.sent.filter((m) => m.to.address === '192.0.2.78')).toEqual([]);
  });

  it('one it has, in any case, goes on over it', async () => {
    const s = stack({ relayForeign: true });
    await s.receive(routedVia('tcp-hop', 'sip:192.0.2.79:5090;transport=TCP;lr'), CALLER);
    const sent = s.sent.filter((m) => m.to.address === '192.0.2.79');
    expect(kinds(sent.map((m) => m.message))).toEqual(['INVITE']);
    expect(sent[0]!.to.transport).toBe('TCP');
  });
});
