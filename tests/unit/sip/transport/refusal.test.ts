// Explanatory 400s over the RFC 4475 / RFC 5118 torture corpus: every invalid request whose Via can be
// located gets a 400 (505) whose reason phrase names the fault, as the transport sends it; responses
// are dropped. The counts are printed (they go into the report).
import { describe, expect, it } from 'vitest';
import {
  checkMessage,
  parseMessage,
  SipParseError,
  type SipMessage,
} from '../../../../core/sip/message/index';
import { refusalFor, refusalTarget } from '../../../../core/sip/transport/refusal';
import { corpus, HAS_CORPUS } from '../../../support/corpus';

/** RFC 4475 §3.1.2 and §3.3 invalid requests, and RFC 5118's rejected ones (see ../shared/corpus/README.md). */
const INVALID_REQUESTS = [
  'rfc4475/badinv01',
  'rfc4475/clerr',
  'rfc4475/ncl',
  'rfc4475/scalar02',
  'rfc4475/quotbal',
  'rfc4475/ltgtruri',
  'rfc4475/lwsruri',
  'rfc4475/lwsstart',
  'rfc4475/trws',
  'rfc4475/escruri',
  'rfc4475/baddate',
  'rfc4475/regbadct',
  'rfc4475/badaspec',
  'rfc4475/baddn',
  'rfc4475/badvers',
  'rfc4475/mismatch01',
  'rfc4475/mismatch02',
  'rfc4475/insuf',
  'rfc4475/multi01',
  'rfc4475/mcl01',
  'rfc5118/ipv6-bad',
  'rfc5118/ipv6-bug-abnf-3-colons',
];
const INVALID_RESPONSES = ['rfc4475/scalarlg', 'rfc4475/bigcode'];

/** The inbound path of the registrar (the strictest reader): parse, then check every header it reads. */
function problem(id: string): SipParseError | SipMessage {
  const m = parseMessage(corpus(id));
  if (m instanceof SipParseError) return m;
  return checkMessage(m, 'full') ?? m;
}

describe.skipIf(!HAS_CORPUS)('explanatory 400s over the torture corpus', () => {
  it('answers every invalid request with a status whose reason names the fault', () => {
    const answered: string[] = [];
    for (const id of INVALID_REQUESTS) {
      const error = problem(id);
      expect(error, `${id} should be refused`).toBeInstanceOf(SipParseError);
      const bytes = refusalFor(error as SipParseError);
      expect(bytes, `${id}: ${(error as SipParseError).reason} is answered`).toBeInstanceOf(Buffer);
      // Read as text: the response copies the request's headers as they were, malformed ones included.
      const text = bytes!.toString('latin1');
      const statusLine = text.slice(0, text.indexOf('\r\n'));
      expect(statusLine).toMatch(/^SIP\/2\.0 (400|505) /);
      // The reason names the fault: more than the bare standard phrase (505 has nothing more to say).
      expect(statusLine).not.toBe('SIP/2.0 400 Bad Request');
      expect(text).toMatch(/\r\nVia: /);
      answered.push(`${id}: ${statusLine.slice(8)}`);
    }
    const dropped = INVALID_RESPONSES.map((id) => {
      const error = problem(id);
      expect(error).toBeInstanceOf(SipParseError);
      expect(refusalFor(error as SipParseError)).toBeUndefined();
      return `${id}: dropped (a response: ${(error as SipParseError).reason})`;
    });
    process.stdout.write(
      `[corpus] ${answered.length} of ${INVALID_REQUESTS.length} invalid requests answered with a reason, ` +
        `${dropped.length} invalid responses dropped\n  ${[...answered, ...dropped].join('\n  ')}\n`,
    );
    expect(answered).toHaveLength(INVALID_REQUESTS.length);
  });

  it('answers a request with only a Via and a method, naming what is missing', () => {
    const bare = Buffer.from(
      'OPTIONS sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1\r\n\r\n',
    );
    const error = parseMessage(bare) as SipParseError;
    const text = refusalFor(error)!.toString('latin1');
    expect(text).toBe(
      'SIP/2.0 400 Missing To, From, Call-ID, CSeq headers\r\n' +
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it.each([
    ['Subject fine', 'line without a colon'],
    [': fine', 'empty name'],
    ['Sub ject: fine', 'name is not a token'],
  ])('answers a request with a line that is no header (%s) over UDP and TCP: 400 %s', (line, fault) => {
    const text =
      'OPTIONS sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-3\r\nMax-Forwards: 70\r\n' +
      `From: <sip:a@lab.example>;tag=1\r\nTo: <sip:lab.example>\r\n${line}\r\nCall-ID: c3\r\n` +
      'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    for (const stream of [false, true]) {
      const error = parseMessage(Buffer.from(text), { stream }) as SipParseError;
      expect(error).toBeInstanceOf(SipParseError);
      const answer = refusalFor(error)!.toString('latin1');
      expect(answer.slice(0, answer.indexOf('\r\n'))).toBe(`SIP/2.0 400 Malformed header: ${fault}`);
      // What follows the bad line was read: the answer copies its Call-ID and CSeq (§8.2.6).
      expect(answer).toContain('\r\nCall-ID: c3\r\nCSeq: 1 OPTIONS\r\n');
    }
  });

  it('goes over UDP to the source address at the Via sent-by port, or the source port with rport (§18.2.2)', () => {
    const source = { transport: 'UDP' as const, address: '192.0.2.1', port: 40000 };
    const without = (via: string): SipParseError =>
      parseMessage(
        Buffer.from(
          `OPTIONS sip:lab.example SIP/2.0\r\nVia: ${via}\r\nFrom: <sip:a@lab.example>;tag=1\r\n` +
            'To: <sip:lab.example>\r\nCSeq: 1 OPTIONS\r\n\r\n',
        ),
      ) as SipParseError; // no Call-ID
    expect(refusalTarget(without('SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-5'), source)).toEqual({
      ...source,
      port: 5070,
    });
    expect(refusalTarget(without('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-6'), source).port).toBe(5060);
    expect(refusalTarget(without('SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-7;rport'), source)).toBe(source);
    const tcp = { ...source, transport: 'TCP' as const };
    expect(refusalTarget(without('SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK-8'), tcp)).toBe(tcp);
  });

  it('drops what has no Via to answer to, and any ACK', () => {
    const noVia = Buffer.from('OPTIONS sip:lab.example SIP/2.0\r\nCall-ID: x\r\n\r\n');
    expect(refusalFor(parseMessage(noVia) as SipParseError)).toBeUndefined();
    const ack = Buffer.from(
      'ACK sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-2\r\nCSeq: 1 ACK\r\n\r\n',
    );
    expect(refusalFor(parseMessage(ack) as SipParseError)).toBeUndefined();
  });
});
