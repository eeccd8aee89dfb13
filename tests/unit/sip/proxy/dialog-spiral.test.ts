// A dialog whose path passes through IMS Lab twice (us, an application server or edge proxy, us again:
// a Record-Route of ours on each side of it). Its in-dialog requests come back to us with the same
// Request-URI, tags, Call-ID and CSeq, and our own Via below the AS's: a spiral (RFC 3261 §16.3 step 4),
// told from a loop by the Routes left. They were taken for a loop: the ACK dropped, the BYE and
// re-INVITE refused 482. A true loop (nothing changed) is still 482.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLER, inviteLines } from './call-steps';
import { SERVER, kinds, markOf, stack } from './stack';

const AS = { transport: 'UDP' as const, address: '198.51.100.20', port: 5060 };
const PHONE = { transport: 'UDP' as const, address: '198.51.100.30', port: 5062 };
const OURS = `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf('spiral-1', undefined, '<sip:1002@lab.example>')}>`;

function byeLines(): string[] {
  const lines = inviteLines('spiral-1', 'BYE');
  lines[0] = `BYE sip:1002@${PHONE.address}:${PHONE.port} SIP/2.0`;
  lines[4] = 'To: <sip:1002@lab.example>;tag=callee';
  lines[6] = 'CSeq: 2 BYE';
  return lines;
}

describe('a request in a dialog that spirals through us twice', () => {
  it('goes on to the AS, comes back, and reaches the phone: no 482', async () => {
    const s = stack();
    const start = s.sent.length;
    await s.receive([...byeLines(), `Route: ${OURS}, <sip:${AS.address};lr>, ${OURS}`], CALLER);
    const toAs = s.sentTo(AS, start).find((m) => kinds([m])[0] === 'BYE') as SipRequest;
    expect(toAs).toBeDefined();
    // The AS pops its Route and sends it back to us (its Via on top of ours), unchanged otherwise.
    const back = toAs
      .toBuffer()
      .toString('utf8')
      .replace(/\r\nRoute: [^\r]*/i, `\r\nRoute: ${OURS}`)
      .replace(/^(BYE [^\r]*\r\n)/, `$1Via: SIP/2.0/UDP ${AS.address}:${AS.port};branch=z9hG4bK-as-1\r\n`);
    const mid = s.sent.length;
    await s.receiveBytes(Buffer.from(back, 'utf8'), AS);
    expect(kinds(s.sentTo(AS, mid)).filter((k) => k !== '100')).toEqual([]); // no 482
    expect(kinds(s.sentTo(PHONE, mid))).toEqual(['BYE']);
  });

  it('a true loop (the same request back, Routes and all) is still 482', async () => {
    const s = stack();
    const start = s.sent.length;
    await s.receive([...byeLines(), `Route: ${OURS}, <sip:${AS.address};lr>`], CALLER);
    const toAs = s.sentTo(AS, start).find((m) => kinds([m])[0] === 'BYE') as SipRequest;
    // Sent back as it left us (the AS's Route kept): nothing changed.
    const back = toAs
      .toBuffer()
      .toString('utf8')
      .replace(/^(BYE [^\r]*\r\n)/, `$1Via: SIP/2.0/UDP ${AS.address}:${AS.port};branch=z9hG4bK-as-2\r\n`);
    const mid = s.sent.length;
    await s.receiveBytes(Buffer.from(back, 'utf8'), AS);
    expect(kinds(s.sentTo(AS, mid)).filter((k) => k !== '100')).toEqual(['482']);
  });
});
