// Answering a re-INVITE's offer (RFC 3264 §6.1): the direction mirrored, only the shared codecs under
// the offer's payload type numbers; and whether the far end receives what we send (hold, §8.4).
import { describe, expect, it } from 'vitest';
import { answerTo, farEndReceives } from '../../../../core/sip/sdp/answer';
import { parseSdp, type SessionDescription } from '../../../../core/sip/sdp/index';

const offer = (direction: string, formats = '0 96', extra: string[] = ['a=rtpmap:96 telephone-event/8000']) =>
  Buffer.from(
    [
      'v=0',
      'o=far 1 2 IN IP4 192.0.2.5',
      's=-',
      'c=IN IP4 192.0.2.5',
      't=0 0',
      `m=audio 4000 RTP/AVP ${formats}`,
      ...extra,
      `a=${direction}`,
      '',
    ].join('\r\n'),
  );
const base = { address: '192.0.2.1', port: 20000, sessionId: '7', sessionVersion: 3, username: 'dialer' };
const sdp = (b: Buffer): SessionDescription => parseSdp(b) as SessionDescription;

describe('answerTo', () => {
  it("answers hold (sendonly) with recvonly, PCMU alone, the offer's type for telephone-event", () => {
    const answer = answerTo(offer('sendonly'), base)!;
    const audio = answer.media[0]!;
    expect(answer.directionOf(audio)).toBe('recvonly');
    expect(audio.formats).toEqual(['0', '96']);
    expect(audio.rtpmaps.map((r) => `${r.payload} ${r.encoding}`)).toEqual(['0 PCMU', '96 telephone-event']);
    const mirrored = (d: string): string => {
      const a = answerTo(offer(d), base)!;
      return a.directionOf(a.media[0]!);
    };
    expect(['inactive', 'recvonly', 'sendrecv'].map(mirrored)).toEqual(['inactive', 'sendonly', 'sendrecv']);
  });

  it('has no answer when no codec is shared', () => {
    expect(answerTo(offer('sendrecv', '18', ['a=rtpmap:18 G729/8000']), base)).toBeUndefined();
  });

  it('takes G.711 with one channel only, and no answer of telephone-event alone (RFC 3551 §4.1)', () => {
    const stereo = ['a=rtpmap:97 PCMA/8000/2', 'a=rtpmap:96 telephone-event/8000'];
    expect(answerTo(offer('sendrecv', '97 96', stereo), base)).toBeUndefined();
    expect(answerTo(offer('sendrecv', '96'), base)).toBeUndefined();
    const mixed = answerTo(offer('sendrecv', '97 0 96', ['a=rtpmap:0 PCMU/8000/1', ...stereo]), base)!;
    expect(mixed.media[0]!.formats).toEqual(['0', '96']);
  });
});

describe('farEndReceives', () => {
  it('is false while the far end holds us (sendonly, inactive, or c=0.0.0.0)', () => {
    expect(farEndReceives(sdp(offer('sendrecv')))).toBe(true);
    expect(farEndReceives(sdp(offer('recvonly')))).toBe(true);
    expect(farEndReceives(sdp(offer('sendonly')))).toBe(false);
    expect(farEndReceives(sdp(offer('inactive')))).toBe(false);
    const zero = Buffer.from(
      offer('sendrecv').toString('latin1').replace('c=IN IP4 192.0.2.5', 'c=IN IP4 0.0.0.0'),
    );
    expect(farEndReceives(sdp(zero))).toBe(false);
  });
});
