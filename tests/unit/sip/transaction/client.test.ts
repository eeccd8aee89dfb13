// Client transactions (RFC 3261 §17.1, RFC 6026 §7.2) with a fake clock.
import { describe, expect, it } from 'vitest';
import { buildResponse, type SipRequest, type SipResponse } from '../../../../core/sip/message/index';
import type {
  ClientTransaction,
  ClientTransactionUser,
} from '../../../../core/sip/transaction/client-transaction';
import { request, res } from '../../../support/sip-text';
import { TCP_PEER, UDP_PEER, harness } from './harness';

const OUT = { transport: 'UDP', address: '10.0.0.9', port: 5070 } as const;

function recorder() {
  const events: string[] = [];
  const user: ClientTransactionUser = {
    onResponse: (r) => events.push(String(r.status)),
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport-error'),
  };
  return { events, user };
}

function answer(req: SipRequest, status: number, tag = 'callee'): SipResponse {
  return res(buildResponse(req, status, { toTag: tag }));
}

describe('non-INVITE client transaction (§17.1.2)', () => {
  it('retransmits on Timer E (T1 doubling to T2) and times out on Timer F', () => {
    const h = harness();
    const { events, user } = recorder();
    h.layer.sendRequest(
      request('OPTIONS', { Via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-out1' }),
      OUT,
      user,
    );
    h.run(33_000);
    expect(h.sentAt('OPTIONS')).toEqual([
      0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
    expect(events).toEqual(['timeout']);
    expect(h.layer.clientCount).toBe(0);
    expect(h.counters.counter('sip_retransmissions_total', '').get('OPTIONS')).toBe(10);
  });

  it('retransmits every T2 once Proceeding; a final ends retransmission; Timer K absorbs repeats', () => {
    const h = harness();
    const { events, user } = recorder();
    const r = request('MESSAGE', { Via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-out2', CSeq: '1 MESSAGE' });
    const tx = h.layer.sendRequest(r, OUT, user);
    h.run(600);
    h.layer.onResponse(answer(r, 100), OUT);
    h.run(9_000);
    // Timer E already set for 1500 fires there; from then on every T2 (§17.1.2.2).
    expect(h.sentAt('MESSAGE')).toEqual([0, 500, 1_500, 5_500, 9_500]);
    h.layer.onResponse(answer(r, 200), OUT);
    h.layer.onResponse(answer(r, 200), OUT);
    expect(events).toEqual(['100', '200']);
    expect(tx.state).toBe('Completed');
    h.run(5_010);
    expect(tx.state).toBe('Terminated');
  });

  it('does not retransmit over TCP, and ends at once after the final (Timer K = 0)', () => {
    const h = harness();
    const { user } = recorder();
    const r = request('OPTIONS', { Via: 'SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-out3' });
    const tx = h.layer.sendRequest(r, TCP_PEER, user);
    h.run(10_000);
    expect(h.sentAt('OPTIONS')).toEqual([0]);
    h.layer.onResponse(answer(r, 200), TCP_PEER);
    expect(tx.state).toBe('Terminated');
  });
});

describe('INVITE client transaction (§17.1.1, RFC 6026)', () => {
  function invite(branch: string): SipRequest {
    return request('INVITE', {
      Via: `SIP/2.0/UDP 10.0.0.1:5060;branch=${branch}`,
      Route: '<sip:edge.example;lr>',
    });
  }

  it('retransmits on Timer A (doubling, no cap) and times out on Timer B', () => {
    const h = harness();
    const { events, user } = recorder();
    h.layer.sendRequest(invite('z9hG4bK-inv1'), OUT, user);
    h.run(33_000);
    expect(h.sentAt('INVITE')).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    expect(events).toEqual(['timeout']);
  });

  it('stops retransmitting on a provisional and does not time out while Proceeding', () => {
    const h = harness();
    const { events, user } = recorder();
    const r = invite('z9hG4bK-inv2');
    const tx = h.layer.sendRequest(r, OUT, user);
    h.layer.onResponse(answer(r, 180), OUT);
    h.run(60_000);
    expect(h.sentAt('INVITE')).toEqual([0]);
    expect(events).toEqual(['180']);
    expect(tx.state).toBe('Proceeding');
  });

  it('ACKs a failure itself, hop by hop, and again for each retransmitted failure (§17.1.1.3)', () => {
    const h = harness();
    const { events, user } = recorder();
    const r = invite('z9hG4bK-inv3');
    const tx: ClientTransaction = h.layer.sendRequest(r, OUT, user);
    h.layer.onResponse(answer(r, 486), OUT);
    h.layer.onResponse(answer(r, 486), OUT);
    expect(events).toEqual(['486']);
    const acks = h.sent.filter((s) => s.kind === 'ACK');
    expect(acks).toHaveLength(2);
    const ack = acks[0]!.message as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe(r.uri);
    expect(ack.via.map((v) => v.branch)).toEqual(['z9hG4bK-inv3']);
    expect(ack.to.tag).toBe('callee');
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack.headerValues('Route')).toEqual(['<sip:edge.example;lr>']);
    expect(tx.state).toBe('Completed');
    h.run(32_010);
    expect(tx.state).toBe('Terminated');
  });

  it('passes every 2xx up while Accepted (forks, retransmissions), then Timer M ends it', () => {
    const h = harness();
    const { events, user } = recorder();
    const r = invite('z9hG4bK-inv4');
    const tx = h.layer.sendRequest(r, OUT, user);
    h.layer.onResponse(answer(r, 200, 'a'), OUT);
    h.layer.onResponse(answer(r, 200, 'b'), OUT);
    h.layer.onResponse(answer(r, 200, 'a'), OUT);
    expect(events).toEqual(['200', '200', '200']);
    expect(h.sent.filter((s) => s.kind === 'ACK')).toHaveLength(0); // a 2xx ACK is the TU's
    h.run(32_010);
    expect(tx.state).toBe('Terminated');
    h.layer.onResponse(answer(r, 200, 'a'), OUT);
    expect(h.strays).toHaveLength(1);
  });

  it('reports a transport error once', () => {
    const h = harness();
    const { events, user } = recorder();
    const tx = h.layer.sendRequest(invite('z9hG4bK-inv5'), UDP_PEER, user);
    tx.transportError();
    tx.transportError();
    expect(events).toEqual(['transport-error']);
    expect(h.layer.clientCount).toBe(0);
  });
});
