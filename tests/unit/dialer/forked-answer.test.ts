// A forked dialer call (RFC 3261 §13.2.2.4): two phones of the AOR answer, the second's 2xx crossing the
// proxy's CANCEL. The UAC MUST ACK each 2xx and SHOULD end the dialogs it does not keep: the second is
// ACKed (each retransmission too) and gets a BYE, and its RTP is no part of the call's figures. Before,
// the second 2xx was never ACKed nor ended (the phone retransmitted it until its 64*T1 timeout) and its
// RTP was counted as the call's. A loopback socket plays the proxy, two more the phones' RTP.
import type { Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { DialerCall } from '../../../core/dialer/dialer-call';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { parseMessage, SipRequest } from '../../../core/sip/message/index';
import { agentPerTest } from '../../support/loopback-agent';
import { loopbackSocket, until } from './one-callee';

const agent = agentPerTest();
const socket = async (): Promise<Socket> => agent.track(await loopbackSocket());

const sdpAt = (port: number): string =>
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
  `m=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;

/** The proxy's 200 for one fork: its To tag, its Contact, its SDP. */
function ok200(invite: SipRequest, tag: string, contactPort: number, sdp: string): string {
  return [
    'SIP/2.0 200 OK',
    ...invite.headerValues('via').map((v) => `Via: ${v}`),
    `From: ${invite.header('from')}`,
    `To: ${invite.header('to')};tag=${tag}`,
    `Call-ID: ${invite.callId}`,
    `CSeq: ${invite.cseq.seq} INVITE`,
    `Contact: <sip:1002@127.0.0.1:${contactPort}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${sdp.length}`,
    '',
    sdp,
  ].join('\r\n');
}

describe('a second 2xx from another fork', () => {
  it('is ACKed (again on each retransmission) and ended with BYE; its RTP is not counted', async () => {
    const proxy = await socket();
    const first = await socket(); // the phone whose 2xx came first: answers, sends no RTP
    const second = await socket(); // the other fork's phone: its RTP flows
    const me = proxy.address().port;
    const ua = await agent.start(me);
    const uaPort = ua.port;
    const got: SipRequest[] = [];
    let invite: SipRequest | undefined;
    proxy.on('message', (data) => {
      const m = parseMessage(data);
      if (!(m instanceof SipRequest)) return;
      got.push(m);
      if (m.method === 'INVITE') {
        invite = m;
        proxy.send(ok200(m, 'fork1', me, sdpAt(first.address().port)), uaPort, '127.0.0.1');
        proxy.send(ok200(m, 'fork2', me, sdpAt(second.address().port)), uaPort, '127.0.0.1');
      } else if (m.method === 'BYE') {
        const answer = [
          'SIP/2.0 200 OK',
          ...m.headerValues('via').map((v) => `Via: ${v}`),
          `From: ${m.header('from')}`,
          `To: ${m.header('to')}`,
          `Call-ID: ${m.callId}`,
          `CSeq: ${m.cseq.seq} BYE`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        proxy.send(answer, uaPort, '127.0.0.1');
      }
    });
    let now = 0;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(45000, 45099);
    const call = new DialerCall(
      { number: '1002', audio: () => Buffer.alloc(1600, 0xff), durationMs: 60_000, ringTimeoutMs: 30_000 },
      {
        ua,
        pool,
        clock,
        bindHost: '127.0.0.1',
        advertised: '127.0.0.1',
        now: () => 1_700_000_000_000 + now,
        elapsed: () => now,
      },
    );
    const result = call.run();
    const to = (r: SipRequest): string | undefined => r.to.tag;
    await until(
      () => got.filter((r) => r.method === 'ACK').length >= 2 && got.some((r) => r.method === 'BYE'),
    );
    expect(got.filter((r) => r.method === 'ACK').map(to)).toEqual(['fork1', 'fork2']);
    const byes = got.filter((r) => r.method === 'BYE');
    expect(byes.map(to)).toEqual(['fork2']);
    expect(byes[0]!.headerText('reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect(call.state).toBe('answered');

    // The second phone retransmits its 2xx: ACKed again, no second BYE.
    proxy.send(ok200(invite!, 'fork2', me, sdpAt(second.address().port)), uaPort, '127.0.0.1');
    await until(() => got.filter((r) => r.method === 'ACK').length >= 3);
    expect(got.filter((r) => r.method === 'ACK').map(to)).toEqual(['fork1', 'fork2', 'fork2']);

    // Its RTP (sent before its BYE got there) reaches the dialer's port: not the call's.
    const rtpPort = Number(/m=audio (\d+)/.exec(invite!.body.toString())![1]);
    for (let seq = 1; seq <= 4; seq++) {
      const p = rtpPacket(
        { marker: seq === 1, payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc: 77 },
        Buffer.alloc(160, 0xff),
      );
      await new Promise<void>((r) => second.send(p, rtpPort, '127.0.0.1', () => r()));
    }
    await until(() => (call.media()?.elsewhere?.packets ?? 0) >= 4);
    now += 1000;
    call.hangup('Normal');
    const r = await result;
    expect(r).toMatchObject({ answered: true, rtpReceived: 0 });
    // The phone kept sent nothing: one-way audio, and the other fork's packets not counted.
    expect(r.note).toBe(
      `no RTP received from the far end (one-way audio); 4 RTP packets from another source than the far end's not counted (the last from 127.0.0.1:${second.address().port})`,
    );
    await call.signalling;
    expect(got.filter((m) => m.method === 'BYE').map(to)).toEqual(['fork2', 'fork1']);
  });
});
