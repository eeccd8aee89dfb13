// 3GPP TS 24.229 §5.1.1.2.1: an IMS UE's initial REGISTER carries its private identity in an Authorization
// with nonce="" and response="": the normal way in (it is challenged, answers, is registered), not a
// failed authentication. The log said `auth: failed for 1002@lab.example (REGISTER)` for every one, the
// very line a wrong password gives, while no failure was counted. Now it is a DEBUG line; the wrong
// password keeps its INFO line.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Log } from '../../../../core/observe/log';
import { CALLEE } from '../proxy/call-steps';
import { REALM, SERVER, stack } from '../proxy/stack';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const AT = `${SERVER.address}:${SERVER.port}`;
/** The test stack's users are plain names (the store maps an IMPI such as 1002@ims.lab to 1002). */
const IMPI = '1002';
/** Where the REGISTERs come from and which they are, as the log says it. */
const FROM = `${CALLEE.address}:${CALLEE.port} (UDP), Call-ID ims-initial-register`;

function registerLines(cseq: number, authorization: string): string[] {
  return [
    `REGISTER sip:${AT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-ims-${cseq};rport`,
    'Max-Forwards: 70',
    `From: <sip:1002@${SERVER.address}>;tag=ims`,
    `To: <sip:1002@${SERVER.address}>`,
    'Call-ID: ims-initial-register',
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
    'Expires: 3600',
    `Authorization: ${authorization}`,
  ];
}

function signed(nonce: string, password: string): string {
  const uri = `sip:${AT}`;
  const response = md5(
    `${md5(`${IMPI}:${REALM}:${password}`)}:${nonce}:00000001:c1:auth:${md5(`REGISTER:${uri}`)}`,
  );
  return (
    `Digest username="${IMPI}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    'algorithm=MD5, qop=auth, nc=00000001, cnonce="c1"'
  );
}

describe("an IMS UE's initial REGISTER (empty credentials)", () => {
  it('is logged as a challenge at DEBUG, not as a failed authentication; a wrong password still is', async () => {
    const s = stack({}, { registrar: { authenticate: true } });
    const lines: string[] = [];
    const log: Log = {
      debug: (m) => lines.push(`DEBUG ${m}`),
      info: (m) => lines.push(`INFO ${m}`),
      warning: (m) => lines.push(`WARNING ${m}`),
      error: (m) => lines.push(`ERROR ${m}`),
    };
    s.auth.log = log;
    const empty = `Digest username="${IMPI}", realm="${REALM}", uri="sip:${AT}", nonce="", response=""`;
    let cseq = 1;
    for (const password of ['pw2', 'wrong']) {
      const start = s.sent.length;
      await s.receive(registerLines(cseq++, empty), CALLEE);
      const challenge = s.sentTo(CALLEE, start)[0] as SipResponse;
      expect(challenge.status).toBe(401);
      const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('www-authenticate')[0]!)![1]!;
      await s.receive(registerLines(cseq++, signed(nonce, password)), CALLEE);
      expect((s.sentTo(CALLEE, start).at(-1) as SipResponse).status).toBe(password === 'pw2' ? 200 : 401);
    }
    const auth = lines.filter((l) => l.includes('auth:'));
    expect(auth).toEqual([
      `DEBUG auth: challenged ${IMPI} (REGISTER) from ${FROM}: initial request with empty credentials (nonce="")`,
      `DEBUG auth: challenged ${IMPI} (REGISTER) from ${FROM}: initial request with empty credentials (nonce="")`,
      `INFO auth: failed for ${IMPI} (REGISTER) from ${FROM}: wrong password (the digest response does not match)`,
    ]);
  });
});
