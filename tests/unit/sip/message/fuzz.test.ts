// Seeded random mutation over the torture corpus and typical messages: bit flips, truncations, inserted
// CR / LF / NUL and separators, deleted and duplicated spans. Whatever the bytes, the parser returns a
// message or a typed SipParseError; decoding any header of a returned message gives a value or a typed
// error; nothing else is ever thrown, and a message that passes every check survives a round trip.
// Bounded by count (FUZZ_CASES, default 40,000: every case runs, whatever the machine's speed, so the
// outcome does not depend on it) and by time (FUZZ_SECONDS, default 120), which is the test's own vitest
// timeout: one limit, not a loop deadline that vitest's shorter default would pre-empt.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipRequest,
  SipResponse,
  SipStreamFramer,
  buildResponse,
  checkMessage,
  parseMessage,
  type SipMessage,
} from '../../../../core/sip/message/index';
import { corpus, corpusIds } from '../../../support/corpus';
import { mutate, rng } from '../../../support/mutate';

const CASES = Number(process.env.FUZZ_CASES ?? 40_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed1475);

const bench = new URL('../../../bench/messages/', import.meta.url);
const seeds: Buffer[] = [
  readFileSync(new URL('invite.sip', bench)),
  readFileSync(new URL('register-200.sip', bench)),
  ...corpusIds().map(corpus),
];

/** Touches every decoder; returns the first thrown value that is not a SipParseError. */
function touchAll(m: SipMessage): unknown {
  const reads: (() => unknown)[] = [
    () => m.via,
    () => m.from.tag,
    () => m.from.uri,
    () => m.from.displayText,
    () => m.to.uri,
    () => m.callId,
    () => m.cseq,
    () => m.maxForwards,
    () => m.contentLength,
    () => m.contentType,
    () => m.expires,
    () => m.minExpires,
    () => m.date,
    () => m.contacts.map((c) => c.uri),
    () => m.isContactStar,
    () => m.routes.map((r) => r.uri),
    () => m.recordRoutes.map((r) => r.uri),
    () => m.tokens('require'),
    () => m.tokens('supported'),
    () => m.tokens('allow'),
    () => m.via.map((v) => v.params),
    () => (m instanceof SipRequest ? m.requestUri : (m as SipResponse).reasonText),
    () => m.toString(),
  ];
  for (const read of reads) {
    try {
      read();
    } catch (e) {
      if (!(e instanceof SipParseError)) return e;
    }
  }
  return undefined;
}

describe('mutation fuzzing of the parser', () => {
  it(
    `returns a message or a typed error for ${CASES} mutated messages`,
    () => {
      const rand = rng(SEED);
      const counts = { message: 0, error: 0, checked: 0 };
      let n = 0;
      for (; n < CASES; n++) {
        const input = mutate(seeds[n % seeds.length]!, rand, seeds);
        const result = parseMessage(input);
        if (result instanceof SipParseError) {
          counts.error++;
          expect(result.reason, `case ${n}`).not.toBe('Unparseable message');
          expect([400, 505, 513]).toContain(result.status);
          continue;
        }
        counts.message++;
        const stray = touchAll(result);
        expect(stray, `case ${n}: ${String(stray)}`).toBeUndefined();
        const problem = checkMessage(result, 'full');
        if (problem !== null) {
          expect(problem.reason, `case ${n}`).not.toBe('Unparseable message');
          continue;
        }
        counts.checked++;
        // A well-formed message survives edits and a round trip.
        if (result instanceof SipRequest) {
          result.prependHeader('Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-fuzz');
          result.decrementMaxForwards();
          expect(buildResponse(result, 400, { toTag: 't' }).length).toBeGreaterThan(0);
        }
        const again = parseMessage(result.toBuffer());
        expect(again, `case ${n}`).not.toBeInstanceOf(SipParseError);
      }
      expect(n).toBe(CASES);
      // The mutations must exercise both outcomes, or the test proves little.
      expect(counts.message).toBeGreaterThan(n / 20);
      expect(counts.error).toBeGreaterThan(n / 20);
      expect(counts.checked).toBeGreaterThan(0);
    },
    SECONDS * 1000,
  );

  it('the stream framer survives random chunking of mutated streams', () => {
    const rand = rng(SEED ^ 0xabcdef);
    for (let round = 0; round < 300; round++) {
      const framer = new SipStreamFramer();
      const stream = Buffer.concat(
        Array.from({ length: 5 }, () => mutate(seeds[Math.floor(rand() * seeds.length)]!, rand, seeds)),
      );
      let at = 0;
      while (at < stream.length) {
        const size = 1 + Math.floor(rand() * 300);
        for (const item of framer.push(stream.subarray(at, at + size))) {
          if (item.kind === 'invalid' || item.kind === 'fatal')
            expect(item.error).toBeInstanceOf(SipParseError);
        }
        at += size;
      }
      expect(framer.buffered).toBeLessThanOrEqual(stream.length);
    }
  });
});
