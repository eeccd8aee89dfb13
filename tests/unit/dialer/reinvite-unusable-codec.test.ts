// A far end's re-INVITE whose offer has no format the dialer sends (PCMA/8000/2: two channels, another
// format, RFC 3551 §4.1; telephone-event alone) is refused with 488 Not Acceptable Here (RFC 3261 §14.2,
// RFC 3264 §6), the call and its media going on as they were: still PCMU, still to the first address.
// Before, the dialer answered 200 with "PCMA/8000" for PCMA/8000/2 (or with telephone-event alone), an
// answer promising a stream it could not send. A real user agent on loopback; the media on a fake clock.
import { describe, expect, it } from 'vitest';
import { parseRtp } from '../../../core/media/rtp-packet';
import { callOneCallee, reInvite, testSocket, until } from './one-callee';

const sdp = (port: number, media: string) =>
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' + `m=audio ${port} ${media}`;

describe('a re-INVITE whose offer has no format the dialer sends', () => {
  it('PCMA/8000/2 or telephone-event alone: 488, and the media goes on as it was', async () => {
    const a = await testSocket();
    const types: number[] = [];
    a.on('message', (b: Buffer) => types.push(parseRtp(b)!.payloadType));
    const b = await testSocket();
    let atB = 0;
    b.on('message', () => atB++);
    const c = await callOneCallee(sdp(a.address().port, 'RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'), {
      durationMs: 1000,
      rtpPorts: [47170, 47179],
    });
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    c.tick(200);
    const stereo = sdp(b.address().port, 'RTP/AVP 97\r\na=rtpmap:97 PCMA/8000/2\r\n');
    expect((await reInvite(c, 1, stereo)).split('\r\n')[0]).toMatch(/^SIP\/2\.0 488 /);
    const events = sdp(b.address().port, 'RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n');
    expect((await reInvite(c, 2, events)).split('\r\n')[0]).toMatch(/^SIP\/2\.0 488 /);
    c.tick(1000);
    const r = await result;
    expect(r).toMatchObject({ answered: true, reason: 'Normal', rtpSent: 50 });
    await until(() => types.length >= 50);
    expect(types).toEqual(Array(50).fill(0)); // all of it PCMU, all to the first address
    expect(atB).toBe(0);
  });
});
