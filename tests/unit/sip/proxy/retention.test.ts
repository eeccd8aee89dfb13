// What the proxy keeps after a call: its INVITE client transaction lingers for Timer M (RFC 6026 §7.2,
// 32 s) and holds the response context, but nothing may hold the ended call through it (a leak found by
// a heap snapshot: every call of the last 32 s, with its messages' text, was kept alive that way).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, stack } from './stack';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const CALLEE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;

describe('an ended call is not kept by what lingers after it', () => {
  it('the call (through its listener) is collected while its INVITE client transaction waits out Timer M', async () => {
    const s = stack();
    // What the proxy gives each call's response context: the call tracker's listener, which holds the
    // live call (and through it the INVITE's text). Watched through a WeakRef.
    let listener: WeakRef<object> | undefined;
    const invite = s.calls.invite.bind(s.calls);
    s.calls.invite = (...args) => {
      const l = invite(...args);
      listener = new WeakRef(l);
      return l;
    };
    await s.receive(
      [
        `REGISTER sip:${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-reg;rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=r`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: reg-1002',
        'CSeq: 1 REGISTER',
        `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
        'Expires: 3600',
      ],
      CALLEE,
    );
    await s.receive(
      [
        `INVITE sip:1002@${SERVER.address} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-inv;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: call-kept',
        'CSeq: 1 INVITE',
        `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      ],
      CALLER,
    );
    const forwarded = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    await s.receive(
      [
        'SIP/2.0 200 OK',
        ...forwarded.headerValues('via').map((v) => `Via: ${v}`),
        ...forwarded.recordRoutes.map((r) => `Record-Route: ${r.raw}`),
        `From: ${forwarded.header('from')}`,
        `To: ${forwarded.header('to')};tag=callee`,
        'Call-ID: call-kept',
        'CSeq: 1 INVITE',
        `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
      ],
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '200']);
    expect(s.calls.end('call-kept', 'operator')).toBe(true); // BYE both ways, the call leaves the table
    expect(s.callEvents.at(-1)!.type).toBe('ended');
    s.callEvents.length = 0; // the test's own copy of the events
    await new Promise((r) => setImmediate(r));
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    expect(s.layer.clientCount).toBeGreaterThan(0); // the INVITE's client transaction, Accepted (Timer M)
    expect(listener).toBeDefined();
    expect(listener!.deref()).toBeUndefined();
  });
});
