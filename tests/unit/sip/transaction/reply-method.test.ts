// Every response the transaction layer sends says which method it answers (the transport counts it in
// sip_replies_total{direction="sent",method,class}): a server transaction's first answers and its
// retransmissions, a Completed non-INVITE record's (RFC 3261 §17.2.2) and a stateless answer's (§8.2.7).
import { describe, expect, it } from 'vitest';
import { request } from '../../../support/sip-text';
import { UDP_PEER, harness } from './harness';

describe('responses sent carry their request method', () => {
  it('a REGISTER answered, then its retransmission answered from the Completed record', () => {
    const h = harness();
    const reg = () => request('REGISTER', { CSeq: '1 REGISTER' });
    h.layer.onRequest(reg(), UDP_PEER);
    h.up[0]!.tx!.reply(401);
    h.layer.onRequest(reg(), UDP_PEER);
    expect(h.sent.map((s) => [s.kind, s.replyTo])).toEqual([
      ['401', 'REGISTER'],
      ['401', 'REGISTER'],
    ]);
  });

  it('an INVITE: provisional, final, and the final again on Timer G', () => {
    const h = harness();
    h.layer.onRequest(request('INVITE', { CSeq: '1 INVITE' }), UDP_PEER);
    const tx = h.up[0]!.tx!;
    tx.reply(180);
    tx.reply(486);
    h.run(600);
    expect(h.sent.length).toBeGreaterThanOrEqual(3);
    expect(new Set(h.sent.map((s) => s.replyTo))).toEqual(new Set(['INVITE']));
  });

  it('a made-up method is passed as it is (the counter folds it into "other")', () => {
    const h = harness();
    h.layer.onRequest(request('FOO', { CSeq: '1 FOO' }), UDP_PEER);
    h.up[0]!.tx!.reply(501);
    expect(h.sent.map((s) => s.replyTo)).toEqual(['FOO']);
  });

  it('a stateless answer', () => {
    const h = harness();
    h.layer.attachCore({
      onRequest: () => undefined,
      statelessAnswer: () => ({ status: 407, headers: [] }),
    });
    h.layer.onRequest(request('MESSAGE', { CSeq: '1 MESSAGE' }), UDP_PEER);
    expect(h.sent.map((s) => [s.kind, s.replyTo])).toEqual([['407', 'MESSAGE']]);
  });
});
