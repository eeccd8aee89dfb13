// The operator's log says why credentials failed, which phone sent them (address:port and transport, as
// every SIP line gives it: several phones behind one NAT address differ by port) and which request
// (its Call-ID). It read `auth: failed for 1002 (REGISTER) from 127.0.0.1` for an unknown user, a wrong
// password and another user's credentials alike. The answer on the wire stays the same challenge for
// every cause: it must not tell a peer whether a user exists.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../../core/observe/log';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE } from '../proxy/call-steps';
import { REALM, SERVER, stack } from '../proxy/stack';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const AT = `${SERVER.address}:${SERVER.port}`;

function registerLines(callId: string, aor: string, authorization?: string): string[] {
  return [
    `REGISTER sip:${AT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-${callId}-${authorization === undefined ? 1 : 2};rport`,
    'Max-Forwards: 70',
    `From: <sip:${aor}@${SERVER.address}>;tag=t`,
    `To: <sip:${aor}@${SERVER.address}>`,
    `Call-ID: ${callId}`,
    `CSeq: ${authorization === undefined ? 1 : 2} REGISTER`,
    `Contact: <sip:${aor}@${CALLEE.address}:${CALLEE.port}>`,
    'Expires: 3600',
    ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
  ];
}

function signed(user: string, nonce: string, password: string): string {
  const uri = `sip:${AT}`;
  const response = md5(
    `${md5(`${user}:${REALM}:${password}`)}:${nonce}:00000001:c1:auth:${md5(`REGISTER:${uri}`)}`,
  );
  return (
    `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    'algorithm=MD5, qop=auth, nc=00000001, cnonce="c1"'
  );
}

/** The answer without what differs by nature from one challenge to the next (nonce, tags, Via, Call-ID). */
function shape(r: SipResponse): string {
  return r
    .toBuffer()
    .toString('latin1')
    .replace(/nonce="[^"]*"/g, 'nonce="N"')
    .replace(/;tag=[^\r;>]*/g, ';tag=T')
    .replace(/branch=[^\r;]*/g, 'branch=B')
    .replace(/^(Call-ID|From|To|Contact|Via): .*$/gim, '$1: X');
}

describe('a failed authentication in the log', () => {
  it('names the cause, the source port and the Call-ID; the answer is the same whatever the cause', async () => {
    const s = stack({}, { registrar: { authenticate: true } });
    const lines: string[] = [];
    const log: Log = {
      debug: () => undefined,
      info: (m) => lines.push(m),
      warning: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    s.auth.log = log;
    const answers: SipResponse[] = [];
    // [Call-ID, AOR, credentials' user, password]: an unknown user, a wrong password, 1001's for 1002.
    const tries = [
      ['unknown-user', '7777', '7777', 'x'],
      ['wrong-password', '1002', '1002', 'wrong'],
      ['other-user', '1002', '1001', 'wrong'],
    ] as const;
    for (const [callId, aor, user, password] of tries) {
      const start = s.sent.length;
      await s.receive(registerLines(callId, aor), CALLEE);
      const challenge = s.sentTo(CALLEE, start)[0] as SipResponse;
      const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('www-authenticate')[0]!)![1]!;
      await s.receive(registerLines(callId, aor, signed(user, nonce, password)), CALLEE);
      answers.push(s.sentTo(CALLEE, start).at(-1) as SipResponse);
    }
    const from = `from ${CALLEE.address}:${CALLEE.port} (UDP)`;
    expect(lines.filter((l) => l.startsWith('auth:'))).toEqual([
      `auth: failed for 7777 (REGISTER) ${from}, Call-ID unknown-user: no such user`,
      `auth: failed for 1002 (REGISTER) ${from}, Call-ID wrong-password: wrong password (the digest response does not match)`,
      `auth: failed for 1001 (REGISTER), AOR sip:1002@${SERVER.address} ${from}, Call-ID other-user: wrong password (the digest response does not match)`,
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(new Set(answers.map(shape)).size).toBe(1);
  });
});
