// The answer's a=rtcp (RFC 3605 §2.1) names where its RTCP goes: the dialer's reports and its BYE go to
// that port (and that address, when it names one), not to the RTP port + 1. Before, they went to RTP + 1
// whatever the answer said, and a far end listening elsewhere (a NAT's mapping, a media server's own
// RTCP port) got none. Real sockets on 127.0.0.1; the call's clock is the test's.
import type { Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { callOneCallee, testSocket, until } from './one-callee';

/** The RTCP packet types (RFC 3550 §6.4-6.6) in each datagram a socket got. */
function rtcpTypes(s: Socket): number[][] {
  const got: number[][] = [];
  s.on('message', (b: Buffer) => {
    const types: number[] = [];
    for (let at = 0; at + 4 <= b.length; at += (b.readUInt16BE(at + 2) + 1) * 4) types.push(b[at + 1]!);
    got.push(types);
  });
  return got;
}

async function callEndingWithBye(rtcpLine: string, rtpAddress: string, ports: [number, number]) {
  const rtp = await testSocket();
  const sdp =
    `v=0\r\no=- 1 1 IN IP4 ${rtpAddress}\r\ns=-\r\nc=IN IP4 ${rtpAddress}\r\nt=0 0\r\n` +
    `m=audio ${rtp.address().port} RTP/AVP 0\r\n${rtcpLine}`;
  const c = await callOneCallee(sdp, { durationMs: 100, rtpPorts: ports });
  const result = c.call.run();
  await until(() => c.call.state === 'answered');
  c.tick(300);
  return result;
}

describe("the answer's a=rtcp", () => {
  it('a port: RTCP (its BYE) goes there, not to the RTP port + 1', async () => {
    const rtcp = await testSocket();
    const got = rtcpTypes(rtcp);
    const r = await callEndingWithBye(`a=rtcp:${rtcp.address().port}\r\n`, '127.0.0.1', [47120, 47129]);
    expect(r.answered).toBe(true);
    await until(() => got.length > 0);
    expect(got).toEqual([[200, 202, 203]]); // SR, SDES, BYE
  });

  it('a port and an address: RTCP goes to that address, not the connection address', async () => {
    const rtcp = await testSocket();
    const got = rtcpTypes(rtcp);
    // RTP goes to 127.0.0.2 (nothing listens there); RTCP to 127.0.0.1, as a=rtcp says.
    const r = await callEndingWithBye(
      `a=rtcp:${rtcp.address().port} IN IP4 127.0.0.1\r\n`,
      '127.0.0.2',
      [47130, 47139],
    );
    expect(r.answered).toBe(true);
    await until(() => got.length > 0);
    expect(got).toEqual([[200, 202, 203]]);
  });
});
