// Server transactions (RFC 3261 §17.2, RFC 6026 §7.1) with a fake clock.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { InviteServerTransaction } from '../../../../core/sip/transaction/server-invite';
import { request } from '../../../support/sip-text';
import { TCP_PEER, UDP_PEER, harness } from './harness';

describe('non-INVITE server transaction (§17.2.2)', () => {
  it('absorbs retransmissions: nothing in Trying, the last response afterwards; Timer J ends it', () => {
    const h = harness();
    const reg = () => request('REGISTER', { CSeq: '1 REGISTER' });
    h.layer.onRequest(reg(), UDP_PEER);
    expect(h.up).toHaveLength(1);
    const tx = h.up[0]!.tx!;
    h.layer.onRequest(reg(), UDP_PEER); // Trying: absorbed, nothing to send
    expect(h.up).toHaveLength(1);
    expect(h.sent).toHaveLength(0);
    tx.reply(401, { headers: [['WWW-Authenticate', 'Digest realm="lab"']] });
    expect(tx.state).toBe('Completed');
    h.layer.onRequest(reg(), UDP_PEER); // Completed: the same 401 again, byte for byte
    expect(h.sent.map((s) => s.kind)).toEqual(['401', '401']);
    expect(h.sent[1]!.message.toBuffer().equals(h.sent[0]!.message.toBuffer())).toBe(true);
    expect(h.up).toHaveLength(1);
    expect(h.counters.counter('sip_retransmissions_absorbed_total', '').get('REGISTER')).toBe(2);
    h.run(31_990);
    expect(h.layer.serverCount).toBe(1);
    h.run(20);
    expect(h.layer.serverCount).toBe(0);
    // After Timer J a retransmission is a new request.
    h.layer.onRequest(reg(), UDP_PEER);
    expect(h.up).toHaveLength(2);
  });

  it('keeps thousands of Completed ones until their own Timer J, oldest first, each answering its own', () => {
    const h = harness();
    const reg = (i: number) =>
      request('REGISTER', { CSeq: `${i} REGISTER`, Via: `SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-j${i}` });
    for (let i = 0; i < 3000; i++) {
      h.layer.onRequest(reg(i), UDP_PEER);
      h.up[i]!.tx!.reply(i % 2 === 0 ? 200 : 401);
      h.advance(5); // 3000 requests over 15 s
    }
    expect(h.layer.serverCount).toBe(3000);
    h.sent.length = 0;
    h.layer.onRequest(reg(1), UDP_PEER);
    h.layer.onRequest(reg(2), UDP_PEER);
    expect(h.sent.map((s) => s.kind)).toEqual(['401', '200']);
    expect(h.sent[0]!.message.header('cseq')).toBe('1 REGISTER');
    h.run(32_000 - 15_000); // the first ones reach 32 s
    expect(h.layer.serverCount).toBeGreaterThan(2900);
    expect(h.layer.serverCount).toBeLessThan(3000);
    h.run(15_000);
    expect(h.layer.serverCount).toBe(0);
    expect(h.up).toHaveLength(3000); // no retransmission went up
  });

  it('resends the last provisional in Proceeding', () => {
    const h = harness();
    h.layer.onRequest(request('OPTIONS'), UDP_PEER);
    const tx = h.up[0]!.tx!;
    tx.reply(183);
    h.layer.onRequest(request('OPTIONS'), UDP_PEER);
    expect(h.sent.map((s) => s.kind)).toEqual(['183', '183']);
    expect(tx.state).toBe('Proceeding');
  });

  it('ends at once on a reliable transport (Timer J = 0)', () => {
    const h = harness();
    h.layer.onRequest(request('OPTIONS', { Via: 'SIP/2.0/TCP 10.0.0.5:40000;branch=z9hG4bK-t1' }), TCP_PEER);
    const tx = h.up[0]!.tx!;
    tx.reply(200);
    expect(tx.state).toBe('Terminated');
    // Over the connection it came on, else a new one to the Via's sent-by (§18.2.2).
    expect(h.sent[0]!.to).toEqual({ ...TCP_PEER, reconnect: { address: '10.0.0.5', port: 40000 } });
  });

  it('answers with the same To tag, where Via says (rport: the source port)', () => {
    const h = harness();
    h.layer.onRequest(
      request('OPTIONS', {
        Via: 'SIP/2.0/UDP 192.168.1.9:5060;branch=z9hG4bK-nat;rport=40001;received=203.0.113.9',
      }),
      {
        transport: 'UDP',
        address: '203.0.113.9',
        port: 40001,
      },
    );
    const tx = h.up[0]!.tx!;
    tx.reply(200);
    const r = h.sent[0]!.message as SipResponse;
    expect(r.to.tag).toBe(tx.toTag);
    expect(h.sent[0]!.to).toEqual({ transport: 'UDP', address: '203.0.113.9', port: 40001 });
  });
});

describe('INVITE server transaction (§17.2.1, RFC 6026)', () => {
  it('sends 100 Trying at once and repeats the last response on a retransmitted INVITE', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    expect(h.sent.map((s) => s.kind)).toEqual(['100']);
    expect((h.sent[0]!.message as SipResponse).to.tag).toBeUndefined();
    const tx = h.up[0]!.tx!;
    tx.reply(180);
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    expect(h.sent.map((s) => s.kind)).toEqual(['100', '180', '180']);
    expect(h.up).toHaveLength(1);
  });

  it('retransmits a failure on Timer G (T1 doubling to T2) until the ACK; Timer I then ends it', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    const tx = h.up[0]!.tx! as InviteServerTransaction;
    tx.reply(486);
    h.run(9_000);
    expect(h.sentAt('486')).toEqual([0, 500, 1_500, 3_500, 7_500]);
    h.layer.onRequest(
      request('ACK', { CSeq: '1 ACK', To: `<sip:1002@lab.example>;tag=${tx.toTag}` }),
      UDP_PEER,
    );
    expect(tx.state).toBe('Confirmed');
    expect(h.up).toHaveLength(1); // the ACK of a failure stays in the transaction
    h.run(10_000);
    expect(h.sentAt('486')).toHaveLength(5);
    expect(tx.state).toBe('Terminated');
  });

  it('gives up on Timer H (64*T1) without an ACK and tells the TU', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    const tx = h.up[0]!.tx!;
    let failure = '';
    tx.events.onFailure = (_t, why) => (failure = why);
    tx.reply(404);
    h.run(31_990);
    expect(failure).toBe('');
    h.run(20);
    expect(failure).toBe('timeout');
    expect(h.sentAt('404')).toEqual([
      0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
  });

  it('tells the TU, once, when the transport cannot deliver its response (§17.2.4)', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), TCP_PEER);
    const tx = h.up[0]!.tx!;
    const failures: string[] = [];
    tx.events.onFailure = (_t, why) => failures.push(why);
    h.transport.failing = true;
    tx.reply(180);
    tx.reply(486);
    expect(failures).toEqual(['transport']);
  });

  it('Accepted after a 2xx: INVITE retransmissions absorbed, the 2xx ACK goes up, Timer L ends it', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    const tx = h.up[0]!.tx!;
    tx.reply(200);
    expect(tx.state).toBe('Accepted');
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    expect(h.sent.map((s) => s.kind)).toEqual(['100', '200']);
    tx.respond((h.sent[1]!.message as SipResponse).toBuffer(), 200); // the UAS core retransmits its 2xx
    expect(h.sent.map((s) => s.kind)).toEqual(['100', '200', '200']);
    h.layer.onRequest(
      request('ACK', { CSeq: '1 ACK', Via: 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-ack2' }),
      UDP_PEER,
    );
    expect(h.up.map((u) => [(u.request as SipRequest).method, u.tx === undefined])).toEqual([
      ['INVITE', false],
      ['ACK', true],
    ]);
    h.run(32_010);
    expect(tx.state).toBe('Terminated');
  });

  it('lets the layer find the INVITE a CANCEL refers to (§9.2)', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE'), UDP_PEER);
    const cancel = request('CANCEL', { CSeq: '1 CANCEL' });
    expect(h.layer.inviteFor(cancel)).toBe(h.up[0]!.tx);
    h.layer.onRequest(cancel, UDP_PEER);
    expect(h.up[1]!.tx).not.toBe(h.up[0]!.tx); // CANCEL is a transaction of its own
    expect(
      h.layer.inviteFor(
        request('CANCEL', { CSeq: '1 CANCEL', Via: 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-other' }),
      ),
    ).toBeUndefined();
  });
});

describe('matching (§17.2.3)', () => {
  it('tells transactions apart by branch, sent-by and method', () => {
    const h = harness();
    h.layer.onRequest(request('OPTIONS'), UDP_PEER);
    h.layer.onRequest(
      request('OPTIONS', { Via: 'SIP/2.0/UDP 10.0.0.6:5062;branch=z9hG4bK-client1' }),
      UDP_PEER,
    );
    h.layer.onRequest(request('INFO', { CSeq: '1 INFO' }), UDP_PEER);
    expect(h.up).toHaveLength(3);
  });

  it('matches RFC 2543 requests (no magic cookie) by their identifying headers', () => {
    const h = harness();
    const old = (over: Record<string, string> = {}) =>
      request('INVITE', { Via: 'SIP/2.0/UDP 10.0.0.7', ...over });
    h.layer.onRequest(old(), UDP_PEER);
    h.layer.onRequest(old(), UDP_PEER);
    expect(h.up).toHaveLength(1);
    const tx = h.up[0]!.tx!;
    tx.reply(603);
    const ack = request('ACK', {
      Via: 'SIP/2.0/UDP 10.0.0.7',
      CSeq: '1 ACK',
      To: `<sip:1002@lab.example>;tag=${tx.toTag}`,
    });
    h.layer.onRequest(ack, UDP_PEER);
    expect(tx.state).toBe('Confirmed');
    // A branch that is only the cookie (RFC 4475 §3.2.1) is matched the same way.
    h.layer.onRequest(request('OPTIONS', { Via: 'SIP/2.0/UDP 10.0.0.8;branch=z9hG4bK' }), UDP_PEER);
    h.layer.onRequest(request('OPTIONS', { Via: 'SIP/2.0/UDP 10.0.0.8;branch=z9hG4bK' }), UDP_PEER);
    expect(h.up).toHaveLength(2);
  });
});

describe('clear (a stopped user agent’s layer)', () => {
  it('forgets every transaction and record, sends nothing after, and returns one of each kind', () => {
    const h = harness();
    const reg = (i: number) =>
      request('REGISTER', { CSeq: `${i} REGISTER`, Via: `SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-c${i}` });
    for (let i = 0; i < 5; i++) h.layer.onRequest(reg(i), UDP_PEER);
    for (let i = 0; i < 3; i++) h.up[i]!.tx!.reply(200); // three Completed records, two still Trying
    h.layer.onRequest(request('INVITE', {}), UDP_PEER);
    expect(h.layer.serverCount).toBe(6);

    const kept = h.layer.clear();
    expect(h.layer.serverCount).toBe(0);
    expect(new Set(kept.map((k) => k.constructor)).size).toBe(kept.length);
    expect(kept.map((k) => k.constructor.name).sort()).toEqual(
      ['CompletedNonInvite', 'InviteServerTransaction', 'NonInviteServerTransaction'].sort(),
    );
    const sent = h.sent.length;
    h.run(40_000); // Timer J and the INVITE's timers would have fired by now
    expect(h.sent).toHaveLength(sent);
    h.layer.onRequest(reg(0), UDP_PEER); // forgotten: a retransmission is a new request
    expect(h.up).toHaveLength(7);
  });
});
