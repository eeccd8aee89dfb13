// Nobody learns who is registered from the answer to a request without credentials (README, "Nobody is
// enumerated"): a method that exists only within a dialog (BYE, INFO, UPDATE, PRACK), out of any dialog
// through IMS Lab, gets IMS Lab's 481 whether the user is registered, only known or unknown, and never
// reaches a phone (relayed, the phone's 481 stood against IMS Lab's 480); an extension method for a
// user is challenged like INVITE; one for IMS Lab itself gets its 501 with Allow (RFC 3261 §8.2.1).
import { describe, expect, it } from 'vitest';
import { CALLEE, inviteLines, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

const STRANGER = { transport: 'UDP' as const, address: '203.0.113.9', port: 5060 };

/** A stranger's request to `user`, with a To tag it made up when `tag`. */
async function ask(s: Stack, method: string, user: string, tag: boolean): Promise<string[]> {
  const lines = inviteLines(`${method}-${user}-${tag}`, method);
  lines[0] = `${method} sip:${user}@${SERVER.address} SIP/2.0`;
  lines[3] = 'From: <sip:eve@evil.example>;tag=eve';
  lines[4] = `To: <sip:${user}@${SERVER.address}>${tag ? ';tag=made-up' : ''}`;
  const start = s.sent.length;
  await s.receive(lines, STRANGER);
  await new Promise((r) => setTimeout(r, 10));
  return kinds(s.sentTo(STRANGER, start)).filter((k) => k !== '100');
}

describe('a request without credentials, out of any dialog through IMS Lab', () => {
  it('BYE, INFO, UPDATE, PRACK: 481 for a registered, an unregistered and an unknown user alike', async () => {
    const s = stack({ authMethods: ['INVITE', 'MESSAGE', 'OPTIONS'] });
    await register(s, CALLEE); // 1002
    const start = s.sent.length;
    for (const method of ['BYE', 'INFO', 'UPDATE', 'PRACK'])
      for (const tag of [false, true])
        for (const user of ['1002', '1003', '1099'])
          expect([method, user, tag, await ask(s, method, user, tag)]).toEqual([method, user, tag, ['481']]);
    expect(s.sentTo(CALLEE, start)).toEqual([]);
  });

  it('an extension method: challenged for any user (407), 501 with Allow for IMS Lab itself', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    await register(s, CALLEE);
    const start = s.sent.length;
    for (const user of ['1002', '1099']) expect(await ask(s, 'FOO', user, false)).toEqual(['407']);
    expect(s.sentTo(CALLEE, start)).toEqual([]);
    const lines = inviteLines('foo-server', 'FOO');
    lines[0] = `FOO sip:${SERVER.address} SIP/2.0`;
    const at = s.sent.length;
    await s.receive(lines, STRANGER);
    expect(kinds(s.sentTo(STRANGER, at))).toEqual(['501']);
  });
});
