// SDP (RFC 8866): parse, read, serialize, summarize for CDRs; the SDP bodies of the torture corpora.
import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage } from '../../../../core/sip/message/index';
import {
  SdpParseError,
  SessionDescription,
  buildOffer,
  parseSdp,
  summarizeMedia,
} from '../../../../core/sip/sdp/index';
import { HAS_CORPUS, corpus } from '../../../support/corpus';

const offer = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'a=sendrecv',
  'm=audio 49170 RTP/AVP 0 8 97 101',
  'a=rtpmap:97 opus/48000/2',
  'a=fmtp:97 useinbandfec=1',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'm=video 51372 RTP/AVP 96',
  'c=IN IP6 2001:db8::10',
  'a=rtpmap:96 H264/90000',
  'a=recvonly',
  '',
].join('\r\n');

function sdp(text: string | Buffer): SessionDescription {
  const s = parseSdp(text);
  if (s instanceof SdpParseError) throw new Error(s.toString());
  return s;
}

describe('parseSdp', () => {
  it('reads origin, connection, media, rtpmap, fmtp, ptime and direction', () => {
    const s = sdp(offer);
    expect(s.origin).toMatchObject({ username: 'alice', sessionId: '2890844526', address: '192.0.2.10' });
    expect(s.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '192.0.2.10' });
    const [audio, video] = s.media as [(typeof s.media)[0], (typeof s.media)[0]];
    expect([audio.type, audio.port, audio.proto, audio.formats]).toEqual([
      'audio',
      49170,
      'RTP/AVP',
      ['0', '8', '97', '101'],
    ]);
    expect(audio.rtpmaps).toEqual([
      { payload: 97, encoding: 'opus', clockRate: 48000, channels: 2 },
      { payload: 101, encoding: 'telephone-event', clockRate: 8000, channels: undefined },
    ]);
    expect(audio.fmtp(97)).toBe('useinbandfec=1');
    expect(audio.ptime).toBe(20);
    expect(s.directionOf(audio)).toBe('sendrecv');
    expect(s.directionOf(video)).toBe('recvonly');
    expect(s.connectionOf(video)).toEqual({ netType: 'IN', addrType: 'IP6', address: '2001:db8::10' });
  });

  it('serializes back to the same text', () => {
    expect(sdp(offer).toString()).toBe(offer);
    expect(sdp(Buffer.from(offer.replace(/\r\n/g, '\n'))).toString()).toBe(offer);
  });

  it('gives a typed error naming the line', () => {
    expect(parseSdp('')).toBeInstanceOf(SdpParseError);
    expect(parseSdp('o=x 1 1 IN IP4 1.2.3.4\r\n')).toMatchObject({ line: 1 });
    expect(parseSdp('v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n')).toMatchObject({ line: 3 });
    expect(parseSdp('v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 300.1.1.1 x\r\n')).toMatchObject({ line: 3 });
    expect(parseSdp('v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\nnot a line\r\n')).toMatchObject({ line: 3 });
    expect(parseSdp('v=0\r\ns=-\r\n')).toMatchObject({ reason: 'missing o= line' });
  });
});

describe('summarizeMedia (CDR call type and codecs)', () => {
  it('names audio and video and their codecs, static payloads by RFC 3551', () => {
    expect(summarizeMedia(sdp(offer))).toEqual({
      callType: 'AUDIO+VIDEO',
      codecs: ['PCMU', 'PCMA', 'opus', 'H264'],
      onHold: false,
    });
  });

  it('detects hold: sendonly/inactive or c=0.0.0.0 (RFC 3264 §8.4)', () => {
    expect(
      summarizeMedia(sdp(offer.replace('a=sendrecv', 'a=sendonly').replace('a=recvonly', 'a=inactive')))
        .onHold,
    ).toBe(true);
    const old = offer.replace('c=IN IP4 192.0.2.10', 'c=IN IP4 0.0.0.0').replace(/m=video[\s\S]*/, '');
    expect(summarizeMedia(sdp(old)).onHold).toBe(true);
  });

  it('names a format that is no payload number as it is, even one named like an Object member', () => {
    const odd = offer.replace(
      'm=audio 49170 RTP/AVP 0 8 97 101',
      'm=audio 49170 RTP/AVP constructor toString 0',
    );
    expect(summarizeMedia(sdp(odd)).codecs.slice(0, 3)).toEqual(['constructor', 'toString', 'PCMU']);
  });

  it('leaves out disabled streams (port 0)', () => {
    expect(summarizeMedia(sdp(offer.replace('m=video 51372', 'm=video 0'))).callType).toBe('AUDIO');
  });
});

describe('buildOffer', () => {
  it('writes a valid G.711 offer with telephone-event', () => {
    const s = buildOffer({ address: '127.0.0.1', port: 40000, sessionId: '42' });
    expect(s.toString()).toContain('m=audio 40000 RTP/AVP 0 8 101\r\n');
    expect(summarizeMedia(s).codecs).toEqual(['PCMU', 'PCMA']);
    expect(buildOffer({ address: '::1', port: 4000 }).connection?.addrType).toBe('IP6');
  });
});

describe.skipIf(!HAS_CORPUS)('SDP bodies of the torture corpora', () => {
  function body(id: string): SessionDescription {
    const m = parseMessage(corpus(id));
    if (m instanceof SipParseError) throw new Error(m.toString());
    return sdp(m.body);
  }

  it('RFC 5118 ipv6-in-sdp (4.5): an IP6 connection address', () => {
    expect(body('rfc5118/ipv6-in-sdp').connection).toEqual({
      netType: 'IN',
      addrType: 'IP6',
      address: '2001:db8::20',
    });
  });

  it('RFC 5118 mult-ip-in-sdp (4.6): an IP4 and an IP6 stream', () => {
    const s = body('rfc5118/mult-ip-in-sdp');
    expect(s.media.map((m) => s.connectionOf(m)?.address)).toEqual(['192.0.2.1', '2001:db8::1']);
    expect(s.sessionName).toBe('');
  });

  it('RFC 5118 ipv4-mapped-ipv6 (4.8)', () => {
    expect(body('rfc5118/ipv4-mapped-ipv6').connection?.address).toBe('::ffff:192.0.2.2');
  });

  it('RFC 4475 wsinv: audio and video with static and mapped payloads', () => {
    expect(summarizeMedia(body('rfc4475/wsinv'))).toMatchObject({
      callType: 'AUDIO+VIDEO',
      codecs: ['PCMU', 'QCELP', 'LPC'],
    });
  });
});
