// RECORD=YES writes the call's recording to its file while the call is up (a block a second, the header's
// sizes after each), so a kill -9 or a crash leaves a readable WAV of what came, and memory stays a second
// of audio a call. Before, every call's whole recording stayed on the heap (about 39 kB/s a call) and was
// written only at its end: a kill -9 lost every recording in progress (findings F13).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from '../../../core/media/g711';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { decodeWav } from '../../../core/media/wav';
import { tempDir } from '../../support/temp-dir';
import { callOneCallee, testSocket, until } from './one-callee';

const dir = tempDir('dialer-recording-');
/** The data size a WAV file's header says (0 while there is none). */
const dataSize = (file: string): number => {
  try {
    return readFileSync(file).readUInt32LE(40);
  } catch {
    return 0;
  }
};

describe('a dialer call recording (RECORD=YES)', () => {
  it('is a readable WAV on disk while the call is up, and whole once it ends', async () => {
    const rtp = await testSocket();
    let file = '';
    const c = await callOneCallee(
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
        `m=audio ${rtp.address().port} RTP/AVP 0\r\na=sendrecv\r\n`,
      {
        durationMs: 60_000,
        rtpPorts: [45600, 45609],
        recordTo: (callId) => (file = join(dir, 'C0001', `1002-${callId.replace(/[^\w.-]/g, '_')}.wav`)),
      },
    );
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    // The callee sends 2 s of audio (100 packets) to the dialer's RTP port, from its SDP's address.
    const port = Number(/m=audio (\d+)/.exec(c.got[0]!.body.toString())![1]);
    const payload = encodeG711(new Int16Array(160).fill(2000), 'PCMU');
    for (let seq = 0; seq < 100; seq++)
      await new Promise<void>((r) =>
        rtp.send(
          rtpPacket({ marker: false, payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc: 5 }, payload),
          port,
          '127.0.0.1',
          () => r(),
        ),
      );
    await until(() => dataSize(file) >= 8000 * 2);
    // The call is still up: what a kill -9 now would leave.
    expect(c.call.state).toBe('answered');
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThanOrEqual(44 + 8000 * 2);
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    const partial = decodeWav(bytes, file).samples;
    const heard = decodeG711(payload, 'PCMU')[80];
    expect(partial.length).toBeGreaterThanOrEqual(8000); // the first second at least
    expect([partial[80], partial[7999]]).toEqual([heard, heard]);
    await until(() => (c.call.media()?.received.received ?? 0) === 100);
    c.call.hangup('Normal');
    const r = await result;
    expect(r.recording).toBe(file);
    const whole = decodeWav(readFileSync(file), file).samples;
    expect(whole.length).toBe(100 * 160);
    expect(whole[99 * 160 + 80]).toBe(heard);
  });
});
