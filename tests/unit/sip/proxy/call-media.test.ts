import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError, type SipMessage } from '../../../../core/sip/message/index';
import { mediaOf } from '../../../../core/sip/proxy/call-media';

function invite(sdp: string, type = 'application/sdp'): SipMessage {
  const body = Buffer.from(sdp.replace(/\n/g, '\r\n'), 'latin1');
  const head = [
    'INVITE sip:1002@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1',
    'From: <sip:1001@127.0.0.1>;tag=a',
    'To: <sip:1002@127.0.0.1>',
    'Call-ID: media-1',
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    `Content-Type: ${type}`,
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  const msg = parseMessage(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  if (msg instanceof SipParseError) throw new Error(String(msg));
  return msg;
}

const sdp = (port: number, dir: string, addr = '127.0.0.1', video = '') =>
  `v=0\no=- 1 1 IN IP4 ${addr}\ns=-\nc=IN IP4 ${addr}\nt=0 0\nm=audio ${port} RTP/AVP 0 8 101\n` +
  `a=rtpmap:101 telephone-event/8000\na=${dir}\n${video}`;

describe('mediaOf', () => {
  it('reads kinds, codecs and direction, the same for the same bytes, and frozen', () => {
    const a = mediaOf(invite(sdp(4000, 'sendrecv')));
    expect(a).toEqual({ kinds: ['audio'], codecs: ['PCMU', 'PCMA'], direction: 'sendrecv' });
    const b = mediaOf(invite(sdp(4000, 'sendrecv')));
    expect(b).toEqual(a);
    expect(Object.isFrozen(b)).toBe(true);
    expect(Object.isFrozen(b!.codecs)).toBe(true);
  });

  it('tells bodies apart: hold, c=0.0.0.0, video, a rejected stream', () => {
    expect(mediaOf(invite(sdp(4000, 'sendonly')))?.direction).toBe('sendonly');
    expect(mediaOf(invite(sdp(4000, 'sendrecv', '0.0.0.0')))?.direction).toBe('inactive');
    const video = mediaOf(
      invite(sdp(4000, 'sendrecv', '127.0.0.1', 'm=video 4002 RTP/AVP 96\na=rtpmap:96 H264/90000\n')),
    );
    expect(video).toEqual({
      kinds: ['audio', 'video'],
      codecs: ['PCMU', 'PCMA', 'H264'],
      direction: 'sendrecv',
    });
    expect(mediaOf(invite(sdp(0, 'sendrecv')))).toEqual({ kinds: [], codecs: [], direction: 'inactive' });
  });

  it('stays right past the bound of remembered bodies', () => {
    for (let port = 5000; port < 5200; port += 2) {
      const dir = port % 4 === 0 ? 'sendrecv' : 'recvonly';
      expect(mediaOf(invite(sdp(port, dir)))?.direction).toBe(dir);
    }
    expect(mediaOf(invite(sdp(4000, 'inactive')))?.direction).toBe('inactive');
  });

  it('gives nothing for a body that is not SDP, or not parsable, every time', () => {
    expect(mediaOf(invite(sdp(4000, 'sendrecv'), 'text/plain'))).toBeUndefined();
    for (let i = 0; i < 2; i++) expect(mediaOf(invite('v=0\nthis is not sdp\n'))).toBeUndefined();
  });

  it('reads a long body without remembering it', () => {
    const long = sdp(4000, 'recvonly') + 'a=x-pad:' + 'p'.repeat(3000) + '\n';
    expect(mediaOf(invite(long))?.direction).toBe('recvonly');
  });
});
