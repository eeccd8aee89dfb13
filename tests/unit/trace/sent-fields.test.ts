// The trace reads the indexed fields of what IMS Lab sends straight from the bytes (sent-fields.ts)
// instead of parsing each sent message. Whatever it reads must be what the parser reads: on the torture
// corpus as received and as re-serialized for relaying (what goes out when a proxied message is sent
// on), and on the responses IMS Lab builds. When it cannot be sure it gives up, and the trace parses.
import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  parseMessage,
  SipParseError,
  SipRequest,
  SipResponse,
  type SipMessage,
} from '../../../core/sip/message/index';
import { sentFields } from '../../../core/trace/sent-fields';
import { corpus, corpusIds, HAS_CORPUS } from '../../support/corpus';
import { sipBytes } from '../../support/sip-text';

/** What the parser reads, or undefined when it refuses the message or one of these headers. */
function parsedFields(bytes: Buffer) {
  const m: SipMessage | SipParseError = parseMessage(bytes);
  if (m instanceof SipParseError) return undefined;
  try {
    return {
      callId: m.callId,
      method: m instanceof SipRequest ? m.method : '',
      status: m instanceof SipResponse ? m.status : 0,
      cseqMethod: m.cseq.method,
    };
  } catch {
    return undefined;
  }
}

const INVITE = [
  'INVITE sip:1002@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bK-sf1;rport',
  'Max-Forwards: 70',
  'From: <sip:1001@192.0.2.10>;tag=a',
  'To: <sip:1002@192.0.2.10>',
  'Call-ID: sf-1@192.0.2.20',
  'CSeq: 7 INVITE',
  'Contact: <sip:1001@192.0.2.20:5062>',
];

describe('the fields of a sent message, read from its bytes', () => {
  it('reads requests and the responses IMS Lab builds as the parser does', () => {
    const invite = sipBytes(INVITE);
    expect(sentFields(invite)).toEqual({
      callId: 'sf-1@192.0.2.20',
      method: 'INVITE',
      status: 0,
      cseqMethod: 'INVITE',
    });
    const request = parseMessage(invite) as SipRequest;
    for (const status of [100, 180, 200, 407, 486, 503]) {
      const response = buildResponse(request, status, { toTag: 'x' });
      expect(sentFields(response)).toEqual(parsedFields(response));
    }
  });

  it('reads compact, lower-case and spaced names; gives up on a folded line or a missing header', () => {
    const odd = INVITE.map((l) =>
      l.startsWith('Call-ID') ? 'i:   sf-2  ' : l.startsWith('CSeq') ? 'cseq :7\tINVITE' : l,
    );
    expect(sentFields(sipBytes(odd))).toMatchObject({ callId: 'sf-2', cseqMethod: 'INVITE' });
    const folded = INVITE.map((l) => (l.startsWith('Call-ID') ? 'Call-ID:\r\n sf-3' : l));
    expect(sentFields(sipBytes(folded))).toBeUndefined();
    expect(sentFields(sipBytes(INVITE.filter((l) => !l.startsWith('CSeq'))))).toBeUndefined();
    expect(sentFields(Buffer.from('not SIP at all'))).toBeUndefined();
  });

  it('leaves a Status-Line in any other form than the one IMS Lab sends to the parser', () => {
    // The parser reads "SIP" in any case and a status without a reason phrase: read as a request line,
    // these came out as a method "sip/2.0" and status 0.
    const response = (line: string): Buffer => sipBytes([line, ...INVITE.slice(1)]);
    for (const line of [
      'sip/2.0 200 OK',
      'Sip/2.0 180 Ringing',
      'SIP/2.0 200',
      'SIP/2.0 2000 OK',
      'SIP/2.0 2x0 OK',
    ])
      expect(sentFields(response(line)), line).toBeUndefined();
    expect(parsedFields(response('sip/2.0 200 OK'))).toMatchObject({ method: '', status: 200 });
    expect(parsedFields(response('SIP/2.0 200'))).toMatchObject({ method: '', status: 200 });
    expect(sentFields(response('SIP/2.0 486 Busy Here'))).toEqual(
      parsedFields(response('SIP/2.0 486 Busy Here')),
    );
  });

  it('stops once Call-ID and CSeq are read, unless the next line continues the CSeq', () => {
    // A line after them that it would have refused is not read at all.
    const after = sipBytes([...INVITE, 'Subject: a\r\n folded subject']);
    expect(sentFields(after)).toEqual(parsedFields(after));
    expect(parsedFields(after)).toMatchObject({ callId: 'sf-1@192.0.2.20', cseqMethod: 'INVITE' });
    const cseqFolded = INVITE.map((l) => (l.startsWith('CSeq') ? 'CSeq: 7\r\n INVITE' : l));
    expect(sentFields(sipBytes(cseqFolded))).toBeUndefined();
  });

  it.skipIf(!HAS_CORPUS)(
    'agrees with the parser on every torture message, as received and as relayed',
    () => {
      let read = 0;
      let compared = 0;
      for (const id of corpusIds()) {
        const received = corpus(id);
        const m = parseMessage(received);
        if (m instanceof SipParseError || parsedFields(received) === undefined) continue;
        for (const bytes of [received, m.toBuffer()]) {
          const fields = sentFields(bytes);
          compared++;
          if (fields === undefined) continue;
          read++;
          expect(fields, id).toEqual(parsedFields(bytes));
        }
      }
      // Most are read without the parser; the rest (folded lines, bare LFs...) are parsed.
      expect(read).toBeGreaterThan(compared / 2);
    },
  );
});
