// A To tag alone does not make a request part of a dialog (RFC 3261 §16.12, §22.3): anyone can write one,
// and a Route naming us too. A request is in a dialog that went through us when our Route on top carries
// the mark we put in the Record-Route of that dialog (dialog-token.ts) or the call tracker knows the
// dialog; any other tagged request is checked as a new one, so
// that it meets the 407 challenge and PROXY.RELAY_FOREIGN like any other. A preloaded Route past us is
// relaying too.
import { describe, expect, it } from 'vitest';
import { CALLEE, CALLER, inviteLines, register } from './call-steps';
import { SERVER, kinds, markOf, stack } from './stack';

const AUTH = { authMethods: ['INVITE', 'MESSAGE'] };
const ELSEWHERE = { transport: 'UDP' as const, address: '198.51.100.7', port: 5060 };
const FOREIGN_CALLER = { transport: 'UDP' as const, address: '203.0.113.9', port: 5060 };

/** The caller's request with a To tag it made up, and the given Request-URI and Route. */
function tagged(callId: string, method: string, uri: string, route?: string): string[] {
  const lines = inviteLines(callId, method);
  lines[0] = `${method} ${uri} SIP/2.0`;
  lines[4] = `To: <${uri}>;tag=made-up`;
  return route === undefined ? lines : [...lines, `Route: ${route}`];
}

describe('a To tag the proxy did not see set up', () => {
  it('an INVITE or MESSAGE to a registered user is challenged (407), not delivered', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const start = s.sent.length;
    await s.receive(tagged('fake-invite', 'INVITE', `sip:1002@${SERVER.address}`), CALLER);
    await s.receive(tagged('fake-message', 'MESSAGE', `sip:1002@${SERVER.address}`), CALLER);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['407', '407']);
    expect(s.sentTo(CALLEE, start)).toEqual([]);
  });

  it('to another domain, with relaying off: 403, nothing forwarded', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(tagged('fake-relay', 'INVITE', 'sip:bob@198.51.100.7'), FOREIGN_CALLER);
    expect(kinds(s.sentTo(FOREIGN_CALLER, start)).filter((k) => k !== '100')).toEqual(['403']);
    expect(s.sentTo(ELSEWHERE, start)).toEqual([]);
  });

  // A fresh stack with the same secret.key: the BYE of a dialog set up before a restart.
  it('with our Route on top carrying the mark of its dialog: relayed on, relaying off or not, after a restart too', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    const route = `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf('routed-bye', undefined, '<sip:bob@198.51.100.7>')}>`;
    await s.receive(tagged('routed-bye', 'BYE', 'sip:bob@198.51.100.7', route), FOREIGN_CALLER);
    expect(kinds(s.sentTo(ELSEWHERE, start))).toEqual(['BYE']);
  });

  it("with our Route on top but no mark, or another dialog's: checked as a new request (no open relay)", async () => {
    const s = stack({ ...AUTH, relayForeign: false });
    await register(s, CALLEE);
    const start = s.sent.length;
    const plain = `<sip:${SERVER.address}:${SERVER.port};lr>`;
    const other = `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf('another-call')}>`;
    // A stranger's INVITE and MESSAGE to another domain: refused, nothing forwarded.
    const stranger = (lines: string[]) => [
      ...lines.slice(0, 3),
      'From: <sip:eve@203.0.113.9>;tag=eve',
      ...lines.slice(4),
    ];
    await s.receive(stranger(tagged('forged-1', 'INVITE', 'sip:victim@198.51.100.7', plain)), FOREIGN_CALLER);
    await s.receive(
      stranger(tagged('forged-2', 'MESSAGE', 'sip:victim@198.51.100.7', other)),
      FOREIGN_CALLER,
    );
    expect(kinds(s.sentTo(FOREIGN_CALLER, start)).filter((k) => k !== '100')).toEqual(['403', '403']);
    expect(s.sentTo(ELSEWHERE, start)).toEqual([]);
    // Our user's, to our user: challenged as any new request.
    await s.receive(tagged('forged-3', 'INVITE', `sip:1002@${SERVER.address}`, plain), CALLER);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['407']);
    expect(s.sentTo(CALLEE, start)).toEqual([]);
  });
});

describe('an ACK in no dialog through us (RFC 3261 §13.2.2.4: forwarded statelessly, never answered)', () => {
  // A stranger's ACK with a body of theirs, for another address: a relay if it were sent on.
  const stranger = (callId: string, route?: string) => {
    const lines = tagged(callId, 'ACK', 'sip:victim@198.51.100.7', route);
    lines[3] = 'From: <sip:eve@203.0.113.9>;tag=eve';
    return lines;
  };

  it('without a Route, or with our Route unmarked or marked for another dialog, relaying off: goes nowhere', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(stranger('ack-bare'), FOREIGN_CALLER);
    await s.receive(stranger('ack-plain', `<sip:${SERVER.address}:${SERVER.port};lr>`), FOREIGN_CALLER);
    const other = `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf('another-call')}>`;
    await s.receive(stranger('ack-other', other), FOREIGN_CALLER);
    expect(s.sentTo(ELSEWHERE, start)).toEqual([]);
    expect(s.sent.length).toBe(start); // and no answer: an ACK has none
  });

  it('with our Route marked for its dialog: sent on, relaying off or not', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    const route = `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf('ack-marked', '<sip:eve@203.0.113.9>;tag=eve', '<sip:victim@198.51.100.7>')}>`;
    await s.receive(stranger('ack-marked', route), FOREIGN_CALLER);
    expect(kinds(s.sentTo(ELSEWHERE, start))).toEqual(['ACK']);
  });

  it('with relaying on: sent on', async () => {
    const s = stack({ relayForeign: true });
    const start = s.sent.length;
    await s.receive(stranger('ack-relay'), FOREIGN_CALLER);
    expect(kinds(s.sentTo(ELSEWHERE, start))).toEqual(['ACK']);
  });
});

describe('a preloaded Route past us', () => {
  it('out of a dialog, with relaying off: 403, nothing forwarded', async () => {
    const s = stack({ relayForeign: false });
    await register(s, CALLEE);
    const start = s.sent.length;
    const route = `<sip:${SERVER.address}:${SERVER.port};lr>, <sip:198.51.100.7;lr>`;
    const lines = [...inviteLines('preloaded', 'INVITE'), `Route: ${route}`];
    lines[3] = 'From: <sip:eve@203.0.113.9>;tag=eve';
    await s.receive(lines, FOREIGN_CALLER);
    expect(kinds(s.sentTo(FOREIGN_CALLER, start)).filter((k) => k !== '100')).toEqual(['403']);
    expect(s.sentTo(ELSEWHERE, start)).toEqual([]);
  });

  it('with relaying on: forwarded to the Route', async () => {
    const s = stack({ relayForeign: true });
    const start = s.sent.length;
    const route = `<sip:${SERVER.address}:${SERVER.port};lr>, <sip:198.51.100.7;lr>`;
    const lines = [...inviteLines('preloaded-on', 'INVITE'), `Route: ${route}`];
    lines[3] = 'From: <sip:eve@203.0.113.9>;tag=eve';
    await s.receive(lines, FOREIGN_CALLER);
    expect(kinds(s.sentTo(ELSEWHERE, start))).toEqual(['INVITE']);
  });
});
