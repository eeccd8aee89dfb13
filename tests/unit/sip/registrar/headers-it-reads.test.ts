// The headers a proxy only routes (RFC 3261 §16.3 step 1: a Date, a Require, a second Expires,
// Min-Expires or Content-Type) are refused where IMS Lab itself reads them, and only there: the
// registrar (§10.3), the reg event notifier (RFC 6665) and an OPTIONS to IMS Lab (§11.2, IMS Lab the UAS)
// answer 400 naming the fault; a request to a user goes on as it came. On the proxy tests' stack.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, register } from '../proxy/call-steps';
import { SERVER, kinds, stack } from '../proxy/stack';

const PHONE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;

type Stack = ReturnType<typeof stack>;

/** The status line of the one answer `from` got to `lines`. */
async function answer(s: Stack, lines: string[], from: Peer): Promise<string> {
  const before = s.sent.length;
  await s.receive(lines, from);
  const answers = s.sentTo(from, before).filter((m) => kinds([m])[0] !== '100') as SipResponse[];
  expect(answers).toHaveLength(1);
  return `${answers[0]!.status} ${answers[0]!.reason}`;
}

const registerLines = (id: string, extra: string[]): string[] => [
  `REGISTER sip:${AT} SIP/2.0`,
  `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-reads-${id};rport`,
  'Max-Forwards: 70',
  `From: <sip:1002@${SERVER.address}>;tag=r1002`,
  `To: <sip:1002@${AT}>`,
  `Call-ID: reads-${id}`,
  'CSeq: 1 REGISTER',
  `Contact: <sip:1002@${PHONE.address}:${PHONE.port}>`,
  ...extra,
];

describe('refused where IMS Lab reads them', () => {
  it.each([
    ['two-expires', ['Expires: 600', 'Expires: 60'], '400 Duplicate Expires header'],
    ['two-min-expires', ['Min-Expires: 60', 'Min-Expires: 120'], '400 Duplicate Min-Expires header'],
    ['require', ['Require: ,,'], '400 Malformed Require header'],
    ['date', ['Date: Sat, 13 Nov 2010 23:29:00 PST'], '400 Malformed Date header (RFC 1123 date in GMT)'],
  ])('a REGISTER with %s: %s', async (id, extra, status) => {
    const s = stack();
    expect(await answer(s, registerLines(id, extra), PHONE)).toBe(status);
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
  });

  it.each([
    ['require', ['Require: ,,'], 'header'],
    ['two-expires', ['Expires: 600', 'Expires: 60'], 'duplicate-header'],
  ])(
    'a REGISTER with %s is counted and logged as a malformed message (README: WARNING, counted)',
    async (id, extra, kind) => {
      const s = stack();
      const told: string[] = [];
      s.layer.onMalformed = (transport, address, port, why, answered) =>
        told.push(`${transport} ${address}:${port} ${why} ${answered}`);
      const status = await answer(s, registerLines(`${id}-counted`, extra), PHONE);
      expect(told).toEqual([`UDP ${PHONE.address}:${PHONE.port} ${status} true`]);
      expect(s.counters.counter('sip_late_parse_errors_total', '', 'kind').get(kind)).toBe(1);
    },
  );

  it('a malformed Expires on a REGISTER is still taken as 3600 (§20.19), not refused', async () => {
    const s = stack();
    expect(await answer(s, registerLines('bad-expires', ['Expires: soon']), PHONE)).toBe('200 OK');
  });

  it('a reg event SUBSCRIBE with two Expires', async () => {
    const s = stack();
    const lines = [
      'SUBSCRIBE sip:1001@lab.example SIP/2.0',
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-reads-sub;rport`,
      'Max-Forwards: 70',
      'From: <sip:1001@lab.example>;tag=watcher',
      'To: <sip:1001@lab.example>',
      'Call-ID: reads-sub',
      'CSeq: 1 SUBSCRIBE',
      `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      'Event: reg',
      'Expires: 600',
      'Expires: 60',
    ];
    expect(await answer(s, lines, CALLER)).toBe('400 Duplicate Expires header');
  });

  it('an OPTIONS to IMS Lab with a Require that does not parse', async () => {
    const s = stack();
    const lines = [
      `OPTIONS sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-reads-options;rport`,
      'Max-Forwards: 70',
      `From: <sip:1001@${SERVER.address}>;tag=o`,
      `To: <sip:${AT}>`,
      'Call-ID: reads-options',
      'CSeq: 1 OPTIONS',
      'Require: ,,',
    ];
    expect(await answer(s, lines, CALLER)).toBe('400 Malformed Require header');
  });
});

describe('forwarded as they came on a request to a user', () => {
  it('a MESSAGE with two Expires and Content-Types, a PST Date and a Require that does not parse', async () => {
    const s = stack();
    await register(s, CALLEE);
    const extra = [
      'Expires: 60',
      'Expires: 120',
      'Content-Type: text/plain',
      'Content-Type: text/plain',
      'Date: Sat, 13 Nov 2010 23:29:00 PST',
      'Require: ,,',
    ];
    const start = s.sent.length;
    await s.receive(
      [
        `MESSAGE sip:1002@${SERVER.address} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-reads-message;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=m`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: reads-message',
        'CSeq: 1 MESSAGE',
        ...extra,
      ],
      CALLER,
      'hello',
    );
    const forwarded = s.sentTo(CALLEE, start) as SipRequest[];
    expect(kinds(forwarded)).toEqual(['MESSAGE']);
    const text = forwarded[0]!.toBuffer().toString('latin1');
    for (const line of extra) expect(text).toContain(`\r\n${line}\r\n`);
  });
});
