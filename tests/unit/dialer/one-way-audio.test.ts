// One-way audio said in the call's Note: an answered call whose far end said it sends (sendrecv, sendonly:
// RFC 3264 §6.1) and sent no RTP. Before, it read as a normal call (RTP received 0, Note empty), though it is
// the first thing a voice-quality test looks for; a far end that said it does not send gets no such note.
import { describe, expect, it } from 'vitest';
import { NO_RTP_RECEIVED } from '../../../core/dialer/dialer-call';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { callOneCallee, testSocket, until } from './one-callee';

async function silentCallee(direction: string, ports: [number, number]) {
  const rtp = await testSocket();
  const c = await callOneCallee(
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
      `m=audio ${rtp.address().port} RTP/AVP 0\r\na=${direction}\r\n`,
    { durationMs: 1000, rtpPorts: ports },
  );
  const result = c.call.run();
  await until(() => c.call.state === 'answered');
  c.tick(1100);
  return await result;
}

describe('one-way audio', () => {
  it('an answered sendrecv call with no RTP from the far end says so in its Note', async () => {
    const r = await silentCallee('sendrecv', [45500, 45509]);
    expect(r).toMatchObject({ answered: true, reason: 'Normal', rtpReceived: 0, note: NO_RTP_RECEIVED });
    expect(r.note).toBe('no RTP received from the far end (one-way audio)');
    expect(zhDialerReason(r.note!)).toBe('未收到对端的 RTP（单向通话）');
  });

  it('a far end that said it does not send (recvonly) gets no such note', async () => {
    const r = await silentCallee('recvonly', [45510, 45519]);
    expect(r).toMatchObject({ answered: true, reason: 'Normal', rtpReceived: 0 });
    expect(r.note).toBeUndefined();
  });
});
