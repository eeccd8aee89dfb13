// The layer's compact records for an INVITE transaction pair in Accepted (RFC 6026 §7.1, §7.2), made when
// the TU settles them (accepted-invite.ts), on a fake clock.
import { describe, expect, it } from 'vitest';
import { buildResponse, type SipResponse } from '../../../../core/sip/message/index';
import type { Relay2xx } from '../../../../core/sip/transaction/accepted-invite';
import type { ClientTransactionUser } from '../../../../core/sip/transaction/client-transaction';
import type { InviteServerTransaction } from '../../../../core/sip/transaction/server-invite';
import { request, res } from '../../../support/sip-text';
import { UDP_PEER, harness } from './harness';

const OUT = { transport: 'UDP', address: '10.0.0.9', port: 5070 } as const;

/** An INVITE in from UDP_PEER and out to OUT, both answered 200 unless `answered` is false. */
function pair(answered = true) {
  const h = harness();
  const invite = () => request('INVITE');
  h.layer.onRequest(invite(), UDP_PEER);
  const server = h.up[0]!.tx as InviteServerTransaction;
  const out = request('INVITE', { Via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-out' });
  const told: number[] = [];
  const user: ClientTransactionUser = { onResponse: (r) => told.push(r.status) };
  const client = h.layer.sendRequest(out, OUT, user);
  const ok = (): SipResponse => res(buildResponse(out, 200, { toTag: 'callee' }));
  h.layer.onResponse(res(buildResponse(out, 180, { toTag: 'callee' })), OUT);
  if (answered) {
    h.layer.onResponse(ok(), OUT);
    server.respond(buildResponse(invite(), 200, { toTag: 'callee' }), 200);
  }
  const relayed: number[] = [];
  const relay: Relay2xx = (r) => {
    relayed.push(r.status);
    return Buffer.from(`relayed ${r.status}`);
  };
  return { h, invite, server, client, ok, told, relay, relayed };
}

describe('an Accepted INVITE pair settled by its TU', () => {
  it('becomes records: INVITE retransmissions absorbed, a further 2xx relayed upstream, gone after 64*T1', () => {
    const { h, invite, server, client, ok, told, relay, relayed } = pair();
    h.run(1_000);
    h.layer.settle(server, [client], relay);
    expect(server.state).toBe('Terminated'); // the machines are let go...
    expect(client.state).toBe('Terminated');
    expect(h.layer.serverCount).toBe(1); // ...their records stand in
    expect(h.layer.clientCount).toBe(1);
    expect(h.layer.inviteFor(request('CANCEL'))).toBeUndefined(); // as for a context already done

    const sent = h.sent.length;
    h.layer.onRequest(invite(), UDP_PEER);
    expect(h.sent.length).toBe(sent);
    expect(h.up).toHaveLength(1);
    expect(h.counters.counter('sip_retransmissions_absorbed_total', '').get('INVITE')).toBe(1);

    h.layer.onResponse(ok(), OUT);
    expect(told).toEqual([180, 200]); // the TU hears nothing more...
    expect(relayed).toEqual([200]); // ...its relay runs in its place
    const last = h.sent.at(-1)!;
    expect(last.kind).toBe('200');
    expect(last.to).toEqual(server.target);

    h.run(30_990); // Timer M is due 32 s after the 200 (at 0), L right after it
    expect(h.layer.clientCount).toBe(1);
    h.run(20);
    expect(h.layer.clientCount).toBe(0);
    expect(h.layer.serverCount).toBe(0);
    h.layer.onResponse(ok(), OUT);
    expect(h.strays).toHaveLength(1);
  });

  it('changes nothing while a client transaction still waits for its final response', () => {
    const { h, server, client, relay } = pair(false);
    h.layer.settle(server, [client], relay);
    expect(client.state).toBe('Proceeding');
    expect(h.layer.inviteFor(request('CANCEL'))).toBe(server);
  });

  it('relays nothing upstream when the server transaction sent a non-2xx final', () => {
    const { h, server, client, ok, relay, relayed } = pair(false);
    server.reply(408);
    h.layer.onResponse(ok(), OUT);
    h.layer.settle(server, [client], relay);
    expect(h.layer.clientCount).toBe(1);
    const sent = h.sent.length;
    h.layer.onResponse(ok(), OUT);
    expect(relayed).toEqual([200]); // run as the TU's relay was, to a server transaction that drops it
    expect(h.sent.length).toBe(sent);
  });
});
