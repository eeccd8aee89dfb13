// README: "a MESSAGE body [is] kept whole" in the CDR (message_body). It was cut at 500 UTF-16 units (a
// surrogate pair split at the cut wrote U+FFFD), a declared charset was ignored (ISO-8859-1's é became
// U+FFFD), and every type but text/plain was hidden as "<type, n bytes>", message/cpim (RFC 3862, what
// RCS and linphone send: its content is the IM) and text/html included. Now the text is kept whole up to
// 65,536 characters, in its charset, a message/cpim's content is what it carries, and only a body that
// is no text is described.
import { describe, expect, it } from 'vitest';
import { messageRecord } from '../../../../core/cdr/from-events';
import { MESSAGE_TEXT_CHARS, messageText } from '../../../../core/sip/proxy/message-text';
import { parseMediaType } from '../../../../core/sip/message/scalar-headers';
import { sipBytes } from '../../../support/sip-text';
import { CALLEE, CALLER, inviteLines, register } from './call-steps';
import { stack } from './stack';

/** The message_body of the CDR row of one MESSAGE of `body` (bytes) with this Content-Type. */
async function recordedBody(contentType: string, body: Buffer): Promise<string> {
  const s = stack();
  await register(s, CALLEE);
  const lines = inviteLines('body-msg', 'MESSAGE').filter((l) => !l.startsWith('Contact:'));
  const head = sipBytes([...lines, `Content-Type: ${contentType}`, `Content-Length: ${body.length}`]);
  await s.receiveBytes(Buffer.concat([head, body]), CALLER);
  const forwarded = s.sentTo(CALLEE).find((m) => m.toBuffer().toString('latin1').startsWith('MESSAGE'));
  expect(forwarded?.body.equals(body), 'relayed byte for byte').toBe(true);
  await s.receive(
    [
      'SIP/2.0 200 OK',
      ...forwarded!.headerValues('via').map((v) => `Via: ${v}`),
      `From: ${forwarded!.header('from')}`,
      `To: ${forwarded!.header('to')};tag=callee`,
      'Call-ID: body-msg',
      'CSeq: 1 MESSAGE',
    ],
    CALLEE,
  );
  expect(s.messages).toHaveLength(1);
  return messageRecord(s.messages[0]!).message_body;
}

const utf8 = (t: string): Buffer => Buffer.from(t, 'utf8');

describe('the CDR row of a MESSAGE keeps its body', () => {
  it('whole: 9,000 characters of text/plain', async () => {
    const text = 'The quick brown fox. '.repeat(430).slice(0, 9000);
    expect(await recordedBody('text/plain', utf8(text))).toBe(text);
  });

  it('a character past the old cut at 500 whole, not its surrogate pair split into U+FFFD', async () => {
    const text = `${'a'.repeat(499)}🎉tail`;
    expect(await recordedBody('text/plain;charset=UTF-8', utf8(text))).toBe(text);
  });

  it('in its declared charset: ISO-8859-1 café crème', async () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me', 'latin1');
    expect(await recordedBody('text/plain;charset=ISO-8859-1', latin1)).toBe('café crème');
    expect(await recordedBody('text/plain; charset="iso-8859-1"', latin1)).toBe('café crème');
  });

  it('a charset IMS Lab does not know: said so, with the size', async () => {
    expect(await recordedBody('text/plain;charset=x-martian', utf8('zork'))).toBe(
      '<text/plain, 4 bytes in charset x-martian, not known>',
    );
  });

  it('message/cpim (RFC 3862): the text it carries, in its own charset', async () => {
    const cpim =
      'From: <sip:1001@lab.example>\r\nTo: <sip:1002@lab.example>\r\nDateTime: 2026-12-07T12:00:00Z\r\n\r\n' +
      'Content-Type: text/plain;charset=UTF-8\r\n\r\nCPIM héllo 🎉';
    expect(await recordedBody('message/cpim', utf8(cpim))).toBe('CPIM héllo 🎉');
    const latin = Buffer.concat([
      utf8('From: <sip:1001@lab.example>\r\n\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n'),
      Buffer.from('gar\xe7on', 'latin1'),
    ]);
    expect(await recordedBody('message/cpim', latin)).toBe('garçon');
  });

  it('other text (HTML, XML) as it reads; a body that is no text described', async () => {
    expect(await recordedBody('text/html', utf8('<b>html</b>'))).toBe('<b>html</b>');
    const composing = '<?xml version="1.0"?><isComposing><state>active</state></isComposing>';
    expect(await recordedBody('application/im-iscomposing+xml', utf8(composing))).toBe(composing);
    expect(
      await recordedBody('application/octet-stream', Buffer.from([0xff, 0xfe, 0, 0x62, 0x69, 0x6e])),
    ).toBe('<application/octet-stream, 6 bytes>');
  });
});

describe('a MESSAGE body longer than the CDR keeps', () => {
  it(`is cut at ${MESSAGE_TEXT_CHARS} characters with …, never inside a surrogate pair`, () => {
    const plain = parseMediaType('text/plain');
    const long = messageText(plain, utf8('a'.repeat(MESSAGE_TEXT_CHARS + 10)));
    expect(long).toBe(`${'a'.repeat(MESSAGE_TEXT_CHARS - 1)}…`);
    const pair = messageText(plain, utf8(`${'a'.repeat(MESSAGE_TEXT_CHARS - 2)}😀😀`));
    expect(pair).toBe(`${'a'.repeat(MESSAGE_TEXT_CHARS - 2)}…`);
    // Any body of a message within the default SIP.MAX_MESSAGE_SIZE (65,535 bytes) is kept whole.
    const whole = '好'.repeat(21_845); // 65,535 bytes of UTF-8
    expect(messageText(plain, utf8(whole))).toBe(whole);
  });
});
