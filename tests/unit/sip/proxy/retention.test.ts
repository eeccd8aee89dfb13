// What the proxy keeps after a call: its INVITE client transaction lingers for Timer M (RFC 6026 §7.2,
// 32 s) and holds the response context, but nothing may hold the ended call through it (a leak found by
// a heap snapshot: every call of the last 32 s, with its messages' text, was kept alive that way).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { answeredCall, answerLines, forwardedTo, inviteLines, register } from './call-steps';
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

describe('an answered call is not kept by its Accepted transactions (RFC 6026 Timers L and M)', () => {
  /** WeakRefs to what each INVITE branch's client transaction starts from: the machine and its TU. */
  function watchBranches(s: ReturnType<typeof stack>, method = 'INVITE') {
    const watched: { tx: WeakRef<object>; context: WeakRef<object>; server: WeakRef<object> }[] = [];
    const send = s.layer.sendRequest.bind(s.layer);
    s.layer.sendRequest = (request, target, user, bytes) => {
      const tx = send(request, target, user, bytes);
      if (request.method === method) {
        const context = user as unknown as { server: object };
        watched.push({
          tx: new WeakRef(tx),
          context: new WeakRef(context),
          server: new WeakRef(context.server),
        });
      }
      return tx;
    };
    return watched;
  }

  async function collect(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
  }

  it('the response context, its machines and branches go while the call is up and Timers L/M run', async () => {
    const s = stack();
    const watched = watchBranches(s);
    await answeredCall(s, 'call-up');
    expect(s.calls.get('call-up')?.state).toBe('answered'); // no BYE: the call goes on
    s.advance(1_000);
    await collect();
    // Timers L and M (64*T1) have not fired: the layer still absorbs and relays for the call.
    expect(s.layer.serverCount).toBeGreaterThan(0);
    expect(s.layer.clientCount).toBe(1);
    expect(watched).toHaveLength(1);
    expect(watched[0]!.context.deref()).toBeUndefined();
    expect(watched[0]!.tx.deref()).toBeUndefined();
    expect(watched[0]!.server.deref()).toBeUndefined();
  });

  it('with a fork, the branch that was cancelled (Completed, Timer D) lets go of the context too', async () => {
    const s = stack();
    const watched = watchBranches(s);
    const other: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
    await register(s, CALLEE, '1002', 'r1');
    await register(s, other, '1002', 'r2');
    await s.receive(inviteLines('call-fork'), CALLER);
    const ringing = forwardedTo(s, other);
    await s.receive(answerLines(ringing, '180 Ringing', 'other'), other);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    expect(kinds(s.sentTo(other))).toContain('CANCEL');
    await s.receive(answerLines(ringing, '487 Request Terminated', 'other'), other);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200']);
    await collect();
    expect(s.layer.clientCount).toBeGreaterThan(1); // the 487's (Timer D) and the 200's (Timer M)
    expect(watched).toHaveLength(2);
    for (const w of watched) expect(w.context.deref()).toBeUndefined();
    expect(watched.filter((w) => w.tx.deref() === undefined)).toHaveLength(1); // the Accepted one
  });

  it("a BYE's response context goes while its client transaction waits out Timer K", async () => {
    const s = stack();
    await answeredCall(s, 'call-bye');
    const watched = watchBranches(s, 'BYE');
    const bye = inviteLines('call-bye', 'BYE').map((l) =>
      l.startsWith('To:') ? `${l};tag=callee` : l.replace('branch=z9hG4bK-call-bye', 'branch=z9hG4bK-bye'),
    );
    await s.receive(bye, CALLER);
    const forwarded = s.sentTo(CALLEE).at(-1) as SipRequest;
    expect(forwarded.method).toBe('BYE');
    await s.receive(
      answerLines(forwarded, '200 OK', 'callee').map((l) =>
        l.startsWith('To:') ? `To: ${forwarded.header('to')}` : l,
      ),
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLER)).at(-1)).toBe('200');
    await collect();
    expect(s.layer.clientCount).toBe(2); // the INVITE's record (Timer M), the BYE's machine (Timer K)
    expect(watched).toHaveLength(1);
    expect(watched[0]!.context.deref()).toBeUndefined();
  });
});
