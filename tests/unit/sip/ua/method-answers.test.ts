// What the dialer's user agent answers a request it takes no part in, over a real loopback socket: a
// method it does not take gets 405 with its Allow (RFC 3261 §8.2.1), one it does not know 501 (§21.5.2),
// before any dialog check; a BYE for no call of its own 481 (§12.2.2); an INVITE 486. A MESSAGE,
// SUBSCRIBE or REFER out of a dialog got 481, as if the dialer had lost a dialog.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserAgent } from '../../../../core/sip/ua/user-agent';
import { dialerAgent } from '../../../support/loopback-agent';

let ua: UserAgent | undefined;
afterEach(async () => {
  await ua?.stop();
  ua = undefined;
});

/** Sends `method` to the UA from a socket of its own; the status line of its answer. */
async function answerTo(port: number, method: string, toTag = ''): Promise<string> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  const me = s.address().port;
  const text = [
    `${method} sip:0000@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=z9hG4bK-${method}-${toTag};rport`,
    'Max-Forwards: 70',
    'From: <sip:1001@127.0.0.1>;tag=f1',
    `To: <sip:0000@127.0.0.1>${toTag === '' ? '' : `;tag=${toTag}`}`,
    `Call-ID: m-${method}-${toTag}@test`,
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const answer = new Promise<string>((ok) =>
    s.on('message', (m) => {
      const line = m.toString().split('\r\n')[0]!;
      if (!line.startsWith('SIP/2.0 100')) ok(m.toString());
    }),
  );
  s.send(text, port, '127.0.0.1');
  try {
    return await answer;
  } finally {
    s.close();
  }
}

describe("the dialer's user agent, asked what it takes no part in", () => {
  it('405 with Allow for a method it does not take, 501 for an unknown one, 481 for a BYE of no call', async () => {
    ua = await dialerAgent(9);
    const status = async (method: string, toTag?: string): Promise<string> =>
      (await answerTo(ua!.port, method, toTag)).split('\r\n')[0]!;
    for (const m of ['MESSAGE', 'SUBSCRIBE', 'REFER', 'INFO', 'PUBLISH'])
      expect([m, await status(m)]).toEqual([m, expect.stringMatching(/^SIP\/2\.0 405 /)]);
    expect(await answerTo(ua.port, 'MESSAGE')).toMatch(/\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n/);
    expect(await status('FOO')).toMatch(/^SIP\/2\.0 501 /);
    expect(await status('BYE', 'gone')).toMatch(/^SIP\/2\.0 481 /);
    expect(await status('INVITE')).toMatch(/^SIP\/2\.0 486 /);
    expect(await status('OPTIONS')).toMatch(/^SIP\/2\.0 200 /);
  });
});
