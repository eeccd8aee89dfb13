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

  it('reads the application/sdp part of a multipart body (RFC 5621: SIP-I ISUP, PIDF-LO beside the SDP)', () => {
    const amr =
      'v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 116\na=rtpmap:116 AMR-WB/16000/1\n';
    const pstn =
      'Content-Type: application/vnd.etsi.pstn+xml\n\n<PSTN-transit><BearerCapability>8090a3</BearerCapability></PSTN-transit>\n';
    const mixed = `--boundary1\nContent-Type: application/sdp\n\n${amr}\n--boundary1\n${pstn}--boundary1--\n`;
    const amrWb = { kinds: ['audio'], codecs: ['AMR-WB'], direction: 'sendrecv' };
    expect(mediaOf(invite(mixed, 'multipart/mixed;boundary=boundary1'))).toEqual(amrWb);
    // The SDP second, a quoted boundary, a preamble, padding after a delimiter, a part's header folded.
    const second =
      `preamble\n--"b:2"  \n${pstn}\n--"b:2"\ncontent-type:\n application/SDP\n\n${amr}\n--"b:2"--\n`.replaceAll(
        '"b:2"',
        'b:2',
      );
    expect(mediaOf(invite(second, 'multipart/mixed; boundary="b:2"'))).toEqual(amrWb);
    // One multipart inside another (multipart/related inside mixed).
    const inner = `--in\nContent-Type: application/sdp\n\n${amr}\n--in--`;
    const nested = `--out\n${pstn}\n--out\nContent-Type: multipart/related;boundary=in\n\n${inner}\n--out--\n`;
    expect(mediaOf(invite(nested, 'multipart/mixed;boundary=out'))).toEqual(amrWb);
    // No SDP part, no boundary, an unterminated body, SDP past the 16th part: none, quickly.
    expect(mediaOf(invite(`--b\n${pstn}--b--\n`, 'multipart/mixed;boundary=b'))).toBeUndefined();
    expect(mediaOf(invite(mixed, 'multipart/mixed'))).toBeUndefined();
    expect(
      mediaOf(invite(`--b\nContent-Type: application/sdp\n\n${amr}`, 'multipart/mixed;boundary=b')),
    ).toBeUndefined();
    const many = `--b\n${pstn}`.repeat(16) + `--b\nContent-Type: application/sdp\n\n${amr}\n--b--\n`;
    expect(mediaOf(invite(many, 'multipart/mixed;boundary=b'))).toBeUndefined();
  });

  it('reads a long body without remembering it', () => {
    const long = sdp(4000, 'recvonly') + 'a=x-pad:' + 'p'.repeat(3000) + '\n';
    expect(mediaOf(invite(long))?.direction).toBe('recvonly');
  });
});
